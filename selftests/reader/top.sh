#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Host test of "oomlens top" and its tasks/predict parser, on a fake debugfs
# directory (--debugfs): sorting, filtering, the victim marks, JSON, escaped
# strings, malformed lines reported with their line number, bad options.
set -euo pipefail
# shellcheck source=scripts/host-test-lib.sh
. "$(dirname "$0")/../../scripts/host-test-lib.sh"

reader
hdr=$(sed -n 's/^#define OOMLENS_ABI_VERSION[[:space:]]*\([0-9]*\)/\1/p' "$top/include/oomlens_abi.h")
ver=$(sed -n 's/^#define OOMLENS_VERSION[[:space:]]*"\(.*\)"/\1/p' "$top/include/oomlens_abi.h")
dir=$tmp
# check NAME EXPECTED_RC GREP_PATTERN [args...]: run top, match stdout+stderr.
check() {
	local name=$1 want=$2 pat=$3 out rc
	shift 3
	rc=0
	out=$("$bin" --debugfs "$dir" "$@" 2>&1) || rc=$?
	if [ "$rc" = "$want" ] && grep -qE -- "$pat" <<<"$out"; then
		ok "$name"
	else
		fail "$name (rc $rc, want $want; /$pat/ in:)" "$out"
	fi
}

good() {
	printf 'oomlens %s abi %s\n' "$ver" "$hdr" >"$dir/version"
	cat >"$dir/tasks" <<'T'
pid uid comm rss swapents pgtables adj points score state memcg
1 0 init 400 0 7 0 - 0 init /
2 0 kthreadd 0 0 0 0 - 0 kthread /
100 0 small 256 0 5 0 261 0 killable /a
200 65534 big\040one 16384 512 40 -500 -100000 0 killable /a/b\040c
300 0 adjmax 100 0 3 1000 227103 1333 killable /x
400 0 - 10 0 1 -1000 - 0 adj_min /
T
	cat >"$dir/predict" <<'P'
scope cgroup totalpages result pid points comm
global / 227000 victim 300 227103 adjmax
memcg /a 16384 victim 200 -3000 big\040one
memcg /empty 1024 none - - -
P
}

good
check "table marks the global victim" 0 '^\*  *300 ' top
check "table marks the memcg victim" 0 '^ M *200 .*big one' top
check "escaped comm and cgroup are unescaped" 0 '/a/b c' top
check "human units" 0 ' 64 MiB ' top
check "sort points: highest first" 0 '^\*  *300' top -n 1
check "sort rss: largest first" 0 '^ M *200 ' top -n 1 --sort rss
check "sort adj" 0 '^\*  *300 ' top -n 1 --sort adj
check "sort pid" 0 '^   *1 ' top -n 1 --sort pid --all
check "init and kernel threads hidden by default, said" 0 'kernel threads and unkillable tasks hidden; --all shows them' top
check "sort pid, reversed: highest pid first" 0 '^[ *M]+ *300 ' top --sort pid -r -n 1
check "sort score: highest first" 0 '^\*  *300' top --sort score -n 1
check "--output picks and orders columns" 0 '^\*  *300 +adjmax$' top -o pid,comm -n 1
check "--no-headings: rows only" 0 '^\*  *300 ' top --no-headings -n 1
check "bad --output column named" 1 "bad column for --output: 'nope'" top -o pid,nope
check "cgroup filter keeps the subtree" 0 '200 .*\/a\/b c' top --cgroup /a
out=$("$bin" --debugfs "$dir" top --cgroup /a 2>&1) || true
if grep -qE '^[ *M]+ *300 ' <<<"$out"; then fail "cgroup filter drops others"; else ok "cgroup filter drops others"; fi
check "-n limits rows" 0 '\(5 more; -n 0 shows all\)' top -n 1 --all
check "none prediction" 0 'memcg OOM of /empty \(totalpages 1024\): no candidate' top
check "json" 0 '"pid":200,"uid":65534,"comm":"big one"' --json top
check "json null points" 0 '"points":null' --json top
check "json victim flag" 0 '"pid":300.*"global_victim":true' --json top
check "bad -n" 1 "bad value for -n: 'x'" top -n x
check "negative -n" 1 "bad value for -n: '-3'" top -n -3
check "bad sort" 1 "bad value for --sort: 'size'" top --sort size
check "bad cgroup" 1 "bad value for --cgroup: 'a'" top --cgroup a
check "cgroup matching nothing is an error" 1 "--cgroup '/nonexistent': no process" top --cgroup /nonexistent
check "cgroup as a /sys/fs/cgroup path" 0 '200 .*\/a\/b c' top --cgroup /sys/fs/cgroup/a
check "extra argument" 1 "unexpected argument 'foo'" top foo

sed -i '4s/ 256 / 2x6 /' "$dir/tasks"
check "malformed rss names line 4" 2 'tasks: malformed line 4: bad rss "2x6"' top
good
sed -i '5s/ killable \/a\/b\\040c$/ killable/' "$dir/tasks"
check "missing column names line 5" 2 'tasks: malformed line 5: wrong number of columns' top
good
sed -i '1s/memcg/cgroup/' "$dir/tasks"
check "wrong header" 2 'tasks: line 1: header' top
good
sed -i '4s/ none / maybe /' "$dir/predict"
check "predict malformed line 4" 2 'predict: malformed line 4: unknown result "maybe"' top
good
printf '7 0 x 1 0 1 0 5 0 killable /' >>"$dir/tasks"
check "unterminated last line" 2 'malformed line 8: no newline' top
# The owner of a task's memcg (cgroup_owner.c), in the OWNER column and JSON.
good
sed -i '$d' "$dir/tasks"
echo '500 0 ctr 50 0 2 0 52 0 killable /system.slice/docker-0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef.scope' >>"$dir/tasks"
check "--output OWNER: a container's memcg is named" 0 '^ +500 +Docker container 0123456789ab$' top -o pid,owner --sort pid -r -n 1
check "OWNER: '-' for a plain path" 0 '^\*  *300 +-$' top -o pid,owner -n 1
check "OWNER is not in the default table" 0 'STATE +MEMCG$' top
check "JSON: memcg_owner" 0 '"memcg_owner":"Docker container 0123456789ab"' --json top
finish
