#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# The reader's "commit" subcommand: its numbers are the kernel's
# (/proc/meminfo), --check runs the what-if, bad PID or SIZE exit 1 naming
# the value, a malformed commit file is an error naming the line.
. "$(dirname "$0")/ktap.sh"

ol=/oomlens/bin/oomlens
tmp=/tmp/reader-commit.$$
mkdir -p "$tmp"
trap 'rm -rf "$tmp"' EXIT

ktap_print_header
ktap_set_plan 13

meminfo() { awk -v k="$1:" '$1 == k { print $2 }' /proc/meminfo; }

# Retry until /proc/meminfo was the same before and after the reader ran.
limit_kb=$(meminfo CommitLimit)
$ol commit >"$tmp/out" 2>"$tmp/err"
rc=$?
sed 's/^/# /' "$tmp/out" "$tmp/err"
ktap_check "commit exits 0" test "$rc" = 0
ktap_check "commit spells out the formula" grep -q '^limit = .* = ' "$tmp/out"
pages=$(sed -n 's/^in pages: limit \([0-9]*\) (\([0-9]*\) kB.*/\1 \2/p' "$tmp/out")
ktap_print_msg "reader: $pages, CommitLimit $limit_kb kB"
ktap_check "commit limit equals CommitLimit" test "$pages" = "$((limit_kb / 4)) $limit_kb"

$ol --json commit >"$tmp/json"
ktap_check "--json commit has commit_limit_kb" grep -q "\"commit_limit_kb\":$limit_kb[,}]" "$tmp/json"

$ol commit --check $$ 1M >"$tmp/out" 2>&1
rc=$?
sed 's/^/# /' "$tmp/out"
ktap_check "--check PID 1M answers" sh -c "test $rc = 0 && grep -q '^verdict: ' '$tmp/out' && grep -q '= 256 pages' '$tmp/out'"

$ol --json commit --check 1 4K >"$tmp/json"
ktap_check "--json --check" sh -c "grep -q '\"pid\":1,' '$tmp/json' && grep -q '\"pages\":1,' '$tmp/json' && grep -q '\"verdict\":\"allow\"' '$tmp/json'"

# A deny is exit 3, for scripts: mode 2 (never) and more than the limit.
mode=$(cat /proc/sys/vm/overcommit_memory)
echo 2 >/proc/sys/vm/overcommit_memory
$ol commit --check $$ 64G >"$tmp/out" 2>&1
rc=$?
echo "$mode" >/proc/sys/vm/overcommit_memory
ktap_check "--check deny exits 3" sh -c "test $rc = 3 && grep -q '^verdict: deny' '$tmp/out'"

$ol commit --check 1 4X 2>"$tmp/err"
rc=$?
ktap_check "bad SIZE: exit 1 naming it" sh -c "test $rc = 1 && grep -q \"'4X'\" '$tmp/err'"

$ol commit --check 12ab 4K 2>"$tmp/err"
rc=$?
ktap_check "bad PID: exit 1 naming it" sh -c "test $rc = 1 && grep -q \"'12ab'\" '$tmp/err'"

$ol commit --check 4194304 4K 2>"$tmp/err"
rc=$?
sed 's/^/# /' "$tmp/err"
ktap_check "unknown PID: exit 1 naming it" sh -c "test $rc = 1 && grep -q \"'4194304'\" '$tmp/err'"

# The shell way: one open file, a write puts the position back to 0.
exec 3<>/sys/kernel/debug/oomlens/commit_check
echo "1 8192" >&3
cat <&3 >"$tmp/out"
echo "$$ 4096" >&3
cat <&3 >>"$tmp/out"
exec 3>&-
ktap_check "write then read on one open file, twice" sh -c "grep -q '^pid 1\$' '$tmp/out' && grep -q '^pages 2\$' '$tmp/out' && grep -q '^pid $$\$' '$tmp/out' && grep -q '^pages 1\$' '$tmp/out'"

# A fake module directory: a line without a value, then a key missing.
mkdir -p "$tmp/fake"
cp /sys/kernel/debug/oomlens/version "$tmp/fake/version"
cat /sys/kernel/debug/oomlens/commit >"$tmp/good"
{ head -n 3 "$tmp/good"; echo "garbage"; tail -n +4 "$tmp/good"; } >"$tmp/fake/commit"
$ol --debugfs "$tmp/fake" commit >/dev/null 2>"$tmp/err"
rc=$?
sed 's/^/# /' "$tmp/err"
ktap_check "malformed line: exit 2 naming line 4" sh -c "test $rc = 2 && grep -q 'malformed line 4: \"garbage\"' '$tmp/err'"

grep -v '^commit_limit_kb ' "$tmp/good" >"$tmp/fake/commit"
$ol --debugfs "$tmp/fake" commit >/dev/null 2>"$tmp/err"
rc=$?
sed 's/^/# /' "$tmp/err"
ktap_check "missing key: exit 2 naming it" sh -c "test $rc = 2 && grep -q 'commit_limit_kb' '$tmp/err'"

ktap_finished
