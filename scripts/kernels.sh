#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Resolve the test kernels to installed kernel release strings.
#
# usage: kernels.sh [ALIAS...]
#   ALIAS is 6.1 (Debian's linux-image-amd64), 6.12 (linux-image-6.12-amd64),
#   or a release string as in /lib/modules (e.g. 6.1.0-56-amd64).
#   Without arguments, all test kernels.  Prints one release per line; fails
#   with a message naming the alias that does not resolve.
set -eu

meta_for() {
	case "$1" in
	6.1) echo linux-image-amd64 ;;
	6.12) echo linux-image-6.12-amd64 ;;
	*) echo "" ;;
	esac
}

resolve() {
	meta=$(meta_for "$1")
	if [ -z "$meta" ]; then
		if [ -f "/boot/vmlinuz-$1" ]; then
			echo "$1"
			return 0
		fi
		echo "kernels.sh: unknown kernel '$1' (use 6.1, 6.12 or a release with /boot/vmlinuz-<release>)" >&2
		return 1
	fi
	# The metapackage depends on exactly one versioned image package.
	dep=$(dpkg-query -W -f='${Depends}' "$meta" 2>/dev/null | tr ',' '\n' |
	      sed -n 's/^ *linux-image-\([^ ]*\).*/\1/p' | head -n 1)
	if [ -z "$dep" ] || [ ! -f "/boot/vmlinuz-$dep" ]; then
		echo "kernels.sh: kernel $1 is not installed ($meta); run 'make deps'" >&2
		return 1
	fi
	echo "$dep"
}

[ $# -gt 0 ] || set -- 6.1 6.12
for k in "$@"; do
	resolve "$k"
done
