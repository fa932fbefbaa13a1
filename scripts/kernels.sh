#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Resolve the test kernels to the kernels make deps unpacked into the cache
# (scripts/unpack-kernel.sh); nothing here looks at what the host boots.
#
# usage: kernels.sh [--release|--root|--vmlinuz|--kdir] [ALIAS...]
#   ALIAS is 6.1 (Debian's linux-image-amd64), 6.12 (linux-image-6.12-amd64),
#   or a release string of an unpacked kernel (e.g. 6.1.0-57-amd64).
#   Without arguments, all test kernels.  Prints one line per kernel:
#     --release  the release string (the default)
#     --root     the directory the packages were unpacked into
#     --vmlinuz  the kernel image to boot
#     --kdir     the headers tree to build modules against (KDIR)
#   Fails with a message naming the alias that does not resolve.
set -euo pipefail
# shellcheck source=scripts/cache.sh
. "$(dirname "$0")/cache.sh"

what=release
case "${1:-}" in
--release | --root | --vmlinuz | --kdir)
	what=${1#--}
	shift
	;;
-*)
	echo "kernels.sh: unknown option '$1'" >&2
	exit 1
	;;
esac

resolve() {
	dir=""
	case "$1" in
	"" | */* | .*)
		echo "kernels.sh: bad kernel name '$1'" >&2
		return 1
		;;
	esac
	if kernel_meta "$1" >/dev/null; then
		[ -L "$kcache/$1" ] && dir=$kcache/$(readlink "$kcache/$1")
		if [ -z "$dir" ] || [ ! -f "$dir/ready" ]; then
			echo "kernels.sh: kernel $1 ($(kernel_meta "$1")) is not unpacked in $kcache; run 'make deps'" >&2
			return 1
		fi
	else
		for d in "$kcache"/*/; do
			[ -f "$d/ready" ] && [ "$(cat "$d/release")" = "$1" ] && dir=${d%/}
		done
		if [ -z "$dir" ]; then
			echo "kernels.sh: unknown kernel '$1' (use $KERNEL_ALIASES or the release of a kernel unpacked in $kcache)" >&2
			return 1
		fi
	fi
	rel=$(cat "$dir/release")
	case "$what" in
	release) echo "$rel" ;;
	root) echo "$dir/root" ;;
	vmlinuz) echo "$dir/root/boot/vmlinuz-$rel" ;;
	kdir) echo "$dir/root/usr/src/linux-headers-$rel" ;;
	esac
}

# shellcheck disable=SC2086
[ $# -gt 0 ] || set -- $KERNEL_ALIASES
for k in "$@"; do
	resolve "$k"
done
