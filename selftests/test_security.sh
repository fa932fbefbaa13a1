#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Nobody but root reads oomlens: an unprivileged uid gets EACCES on every
# file and the reader says why; no output contains a kernel address; the
# module taints nothing beyond out-of-tree (O) and unsigned (E).
. "$(dirname "$0")/ktap.sh"

dir=/sys/kernel/debug/oomlens
nobody() { /oomlens/tests/runas 65534 65534 "$@"; }

ktap_print_header
ktap_set_plan 5

# Every file, opened by uid 65534, fails with "Permission denied".
open_ok=""
for f in "$dir"/*; do
	err=$(nobody cat "$f" 2>&1 >/dev/null)
	case "$err" in
	*"Permission denied"*) ;;
	*) open_ok="$open_ok $(basename "$f")(${err:-readable})" ;;
	esac
done
[ -z "$open_ok" ] || ktap_print_msg "not refused:$open_ok"
ktap_check "uid 65534 gets EACCES on every file" test -z "$open_ok"

# Even with the directory open to all, the files' own modes refuse.
chmod 0755 "$dir"
open_ok=""
for f in "$dir"/*; do
	err=$(nobody cat "$f" 2>&1 >/dev/null)
	case "$err" in
	*"Permission denied"*) ;;
	*) open_ok="$open_ok $(basename "$f")(${err:-readable})" ;;
	esac
done
chmod 0700 "$dir"
[ -z "$open_ok" ] || ktap_print_msg "readable by file mode:$open_ok"
ktap_check "file modes refuse uid 65534 on their own" test -z "$open_ok"

out=$(nobody /oomlens/bin/oomlens stats 2>&1)
rc=$?
ktap_print_msg "reader as uid 65534: exit $rc: $out"
ktap_check "reader as uid 65534 exits 2 and says root is needed" \
	sh -c "[ $rc = 2 ] && echo \"\$1\" | grep -q 'permission denied.*root'" _ "$out"

# A kernel address on x86-64 is 16 hex digits starting ffff.
leaks=""
for f in "$dir"/*; do
	[ -r "$f" ] || continue
	if grep -qiE '(^|[^0-9a-f])(0x)?ffff[0-9a-f]{12}([^0-9a-f]|$)' "$f" 2>/dev/null; then
		leaks="$leaks $(basename "$f")"
	fi
done
for cmd in "--version" "stats" "--json stats"; do
	# shellcheck disable=SC2086
	if /oomlens/bin/oomlens $cmd 2>&1 | grep -qiE '(^|[^0-9a-f])(0x)?ffff[0-9a-f]{12}([^0-9a-f]|$)'; then
		leaks="$leaks oomlens($cmd)"
	fi
done
[ -z "$leaks" ] || ktap_print_msg "kernel addresses in:$leaks"
ktap_check "no kernel address in any file or reader output" test -z "$leaks"

# Taint bits beyond O (4096, out-of-tree) and E (8192, unsigned module).
t=$(cat /proc/sys/kernel/tainted)
ktap_print_msg "tainted=$t"
ktap_check "taint is only out-of-tree and unsigned" test $((t & ~(4096 | 8192))) = 0

ktap_finished
