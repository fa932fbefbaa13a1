#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# The module loads and unloads cleanly, creates its debugfs directory with
# root-only files, and removes it on unload.
. "$(dirname "$0")/ktap.sh"

dir=/sys/kernel/debug/oomlens
files="version stats tasks predict"

ktap_print_header
ktap_set_plan 7

ktap_check "module is loaded" test -d /sys/module/oomlens
ktap_check "debugfs directory exists" test -d "$dir"

missing=""
for f in $files; do [ -f "$dir/$f" ] || missing="$missing $f"; done
[ -z "$missing" ] || ktap_print_msg "missing:$missing"
ktap_check "every file exists" test -z "$missing"

# Root-only: owner root, no permission bits for group or others.
loose=""
for f in "$dir"/*; do
	perm=$(stat -c '%a %u' "$f")
	case "$perm" in
	400\ 0 | 600\ 0 | 200\ 0) ;;
	*) loose="$loose $(basename "$f")=$perm" ;;
	esac
done
[ -z "$loose" ] || ktap_print_msg "not root-only:$loose"
ktap_check "every file is root-only" test -z "$loose"

ktap_check "rmmod succeeds" rmmod oomlens
ktap_check "debugfs directory gone after rmmod" test ! -e "$dir"
insmod "$OOMLENS_KO"
ktap_check "insmod again gives a readable version" grep -q '^oomlens ' "$dir/version"

ktap_finished
