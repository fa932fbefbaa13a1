#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The reader's "events" subcommand on fabricated debugfs files: the text and
# JSON Lines output, --since, and malformed files rejected with the line.
# The check value of each block is computed here with the formula of
# include/oomlens_abi.h (OOMLENS_EVENT_CHECK).
# ok and fail never fail: "A && ok || fail" is if-then-else here.
# shellcheck disable=SC2015
set -euo pipefail
# (grep -q reads here-strings: with pipefail, "echo | grep -q" fails with
# SIGPIPE when grep matches before a long output is all written.)
# shellcheck source=scripts/host-test-lib.sh
. "$(dirname "$0")/../../scripts/host-test-lib.sh"

reader
dir=$tmp
abi=$(sed -n 's/^#define OOMLENS_ABI_VERSION[[:space:]]*//p' "$top/include/oomlens_abi.h")
echo "oomlens 0.1.0 abi $abi" >"$dir/version"

check() { # seq pid totalpages victim_pid boot_ns
	python3 -c "
m = (1 << 64) - 1
s, p, t, v, b = map(int, '$1 $2 $3 $4 $5'.split())
print(((s * 0x9e3779b97f4a7c15) ^ (p << 32) ^ t ^ (v << 16) ^ b) & m)"
}

block() { # seq pid victim totalpages
	cat <<EOB
event $1
time_boot_ns 1000$1
time_real 1700000000.00000000$1
kind memcg
source probes
inferred 0
pid $2
comm my\040hog
gfp_mask 0xcc0(GFP_KERNEL)
order 0
constraint CONSTRAINT_MEMCG
nodemask (null)
oom_memcg /a/b
totalpages $4
outcome killed
victim_pid $3
victim_comm hog
victim_uid 0
victim_points 4000
victim_score 829
victim_rss_pages 3900
victim_memcg /a/b
kill_calls 1
predicted_pid $3
prediction match
panic_on_oom -
oom_kill_allocating_task -
oom_dump_tasks -
sysctls unavailable
candidates 2
cand 1 pid=$3 uid=0 adj=0 points=4000 score=829 rss=3900 swap=0 pgtables=100 comm=hog
cand 2 pid=77 uid=65534 adj=-500 points=12 score=667 rss=20 swap=0 pgtables=1 comm=a\040b
end $1 $(check "$1" "$2" "$4" "$3" "1000$1")
EOB
}

{ block 1 10 11 16384; block 2 20 21 16384; } >"$dir/events"
out=$("$bin" --debugfs "$dir" events) || true
[ "$(echo "$out" | wc -l)" = 2 ] && echo "$out" | head -1 | grep -q '^1 .* memcg probes my hog(10) .*constraint=CONSTRAINT_MEMCG .*victim=hog(11) .*prediction=match(11)' \
	&& ok "text output" || fail "text output" "$out"
out=$("$bin" --debugfs "$dir" events --since 1) || true
[ "$(echo "$out" | wc -l)" = 1 ] && grep -q '^2 ' <<<"$out" && ok "--since" || fail "--since" "$out"
out=$("$bin" --debugfs "$dir" --json events) || true
if echo "$out" | python3 -c '
import json, sys
lines = sys.stdin.read().splitlines()
assert len(lines) == 2
e = json.loads(lines[1])
assert e["seq"] == 2 and e["pid"] == 20 and e["comm"] == "my hog"
assert e["panic_on_oom"] is None and e["totalpages"] == 16384
assert e["candidates"][1]["comm"] == "a b" and e["candidates"][1]["adj"] == -500
'; then ok "JSON Lines"; else fail "JSON Lines" "$out"; fi

# Times for people: local ISO 8601 with the UTC offset, then seconds since
# boot as dmesg prints them.
out=$(TZ=UTC "$bin" --debugfs "$dir" events) || true
grep -q '^1 2023-11-14T22:13:20\.000000+00:00 \[    0\.000010\] memcg ' <<<"$out" &&
	[ "$(TZ=Asia/Kolkata "$bin" --debugfs "$dir" events | head -n 1 | cut -d' ' -f2)" = 2023-11-15T03:43:20.000000+05:30 ] &&
	ok "times: local ISO 8601 and seconds since boot" || fail "times" "$out"
out=$("$bin" --debugfs "$dir" explain 1) || true
grep -q '^OOM event 1 at .*: memcg OOM, my hog (pid 10)' <<<"$out" &&
	grep -q '^Constraint CONSTRAINT_MEMCG: the memory cgroup /a/b reached its limit' <<<"$out" &&
	grep -qE '^ +2 +77 a b +20 +0 +1 +-500 +-8000 +12 +667 +84 KiB +-$' <<<"$out" &&
	grep -q '^The OOM.s domain: totalpages 16384 pages (64 MiB)' <<<"$out" &&
	grep -q '^Outcome killed: a victim was sent SIGKILL\.$' <<<"$out" &&
	grep -q '^Victim hog (pid 11, uid 0, memcg /a/b) .*resident 3900 pages (15 MiB)' <<<"$out" \
	&& ok "explain" || fail "explain" "$out"
out=$("$bin" --debugfs "$dir" explain) || true
grep -q '^OOM event 2 ' <<<"$out" && ok "explain newest" || fail "explain newest" "$out"
rc=0
"$bin" --debugfs "$dir" explain 7 >/dev/null 2>&1 || rc=$?
[ "$rc" = 2 ] && ok "explain missing" || fail "explain missing"
out=$("$bin" --debugfs "$dir" --json explain 1) || true
echo "$out" | python3 -c '
import json, sys
e = json.load(sys.stdin)
assert e["candidates"][1]["adj_pages"] == -8000 and e["oom_memcg"] == "/a/b"
' && ok "explain JSON" || fail "explain JSON" "$out"

# Malformed files: the error names the line.
block 1 10 11 16384 | sed 's/^order 0$/order/' >"$dir/events"
err=$("$bin" --debugfs "$dir" events 2>&1 >/dev/null) || true
[ $? ] && grep -q "line 10: expected 'order <value>'" <<<"$err" && ok "malformed key" || fail "malformed key" "$err"
block 1 10 11 16384 | sed 's/^end 1 /end 2 /' >"$dir/events"
err=$("$bin" --debugfs "$dir" events 2>&1 >/dev/null) || true
grep -q "line 33: torn event: begins as 1, ends as 2" <<<"$err" && ok "torn seq" || fail "torn seq" "$err"
block 1 10 11 16384 | sed 's/^totalpages 16384$/totalpages 16385/' >"$dir/events"
err=$("$bin" --debugfs "$dir" events 2>&1 >/dev/null) || true
grep -q "line 33: torn event 1: check value" <<<"$err" && ok "check value" || fail "check value" "$err"
block 1 10 11 16384 | sed '/^cand 2/d' >"$dir/events"
err=$("$bin" --debugfs "$dir" events 2>&1 >/dev/null) || true
grep -q "line 32: malformed candidate" <<<"$err" && ok "missing candidate" || fail "missing candidate" "$err"
# read=0 (OOMLENS_EV_CAND_READ): rss, swap and pgtables not read, so "-"
# and null, never 0; a module before read= says it per event only.
block 1 10 11 16384 | sed -e 's/pgtables=100 comm=/pgtables=100 read=1 comm=/' \
	-e 's/pgtables=1 comm=/pgtables=1 read=0 comm=/' >"$dir/events"
out=$("$bin" --debugfs "$dir" explain 1) || true
grep -qE '^ +2 +77 a b +- +- +- +-500 +-8000 +12 +667 +- +-$' <<<"$out" &&
	grep -qE '^ +1 +11 hog +3900 +0 +100 ' <<<"$out" \
	&& ok "candidate not read: explain" || fail "candidate not read: explain" "$out"
out=$("$bin" --debugfs "$dir" --json events) || true
echo "$out" | python3 -c '
import json, sys
c = json.loads(sys.stdin.read())["candidates"]
assert c[0]["rss_pages"] == 3900 and c[0]["pgtables_bytes"] > 0 and c[0]["components_read"] is True
for k in ("rss_pages", "rss_bytes", "swap_pages", "swap_bytes", "pgtables_pages", "pgtables_bytes"):
    assert c[1][k] is None, k
assert c[1]["components_read"] is False and c[1]["points"] == 12
' && ok "candidate not read: JSON null" || fail "candidate not read: JSON null" "$out"
block 1 10 11 16384 | sed 's/^candidates 2$/candidates_components preempt_rt\ncandidates 2/' >"$dir/events"
out=$("$bin" --debugfs "$dir" --json events) || true
echo "$out" | python3 -c '
import json, sys
c = json.loads(sys.stdin.read())["candidates"]
assert all(x["rss_pages"] is None and x["components_read"] is False for x in c)
' && ok "candidates_components preempt_rt without read=: null" ||
	fail "candidates_components preempt_rt without read=: null" "$out"
block 1 10 11 16384 | sed 's/pgtables=1 comm=/pgtables=1 read=2 comm=/' >"$dir/events"
err=$("$bin" --debugfs "$dir" events 2>&1 >/dev/null) || true
grep -q "line 32: malformed candidate" <<<"$err" && ok "read=2 rejected" || fail "read=2 rejected" "$err"
block 1 10 11 16384 | sed 's/pgtables=1 comm=/pgtables=1 new_field=5 comm=/' >"$dir/events"
out=$("$bin" --debugfs "$dir" explain 1) || true
grep -qE '^ +2 +77 a b +20 +0 +1 ' <<<"$out" && ok "unknown candidate field skipped" ||
	fail "unknown candidate field skipped" "$out"
# The candidates' memcgs and start times, the victim's oom_score_adj
# (added after ABI 1.0): the rows name a path by index, the path's control
# bytes are escaped for the terminal, and its owner is named.
ident() {
	block 1 10 11 16384 | sed -e 's/^victim_memcg \/a\/b$/&\nvictim_adj 0\nvictim_start_ns 123456789/' \
		-e 's/^candidates 2$/candidates_memcgs 2\ncandidates_memcg_unknown 0\ncand_memcg_1 \/a\/b\ncand_memcg_2 \/system.slice\/evil\\033[2J.service\n&/' \
		-e 's/pgtables=100 comm=/pgtables=100 read=1 start_ns=123456789 memcg=1 comm=/' \
		-e "s/pgtables=1 comm=/pgtables=1 read=1 start_ns=5000000 memcg=${1:-2} comm=/"
}
ident >"$dir/events"
out=$("$bin" --debugfs "$dir" explain 1) || true
grep -qE '^ +1 +11 hog +3900 +0 +100 .* +1$' <<<"$out" &&
	grep -qE '^ +2 +77 a b +20 .* +2$' <<<"$out" &&
	grep -qF '     2 /system.slice/evil\x1b[2J.service (systemd unit evil\x1b[2J.service' <<<"$out" &&
	grep -qF '     1 /a/b' <<<"$out" &&
	grep -q 'oom_score_adj 0 at the kill' <<<"$out" &&
	! grep -q $'\033' <<<"$out" \
	&& ok "candidates' memcgs: explain" || fail "candidates' memcgs: explain" "$out"
out=$("$bin" --debugfs "$dir" --json events) || true
echo "$out" | python3 -c '
import json, sys
e = json.loads(sys.stdin.read())
c = e["candidates"]
assert e["victim_adj"] == 0 and e["victim_start_ns"] == 123456789
assert e["candidates_memcgs"] == 2 and e["candidates_memcg_unknown"] == 0
assert not any(k.startswith("cand_memcg_") for k in e), "index keys repeated"
assert c[0]["memcg"] == "/a/b" and c[0]["start_ns"] == 123456789 and c[0]["memcg_owner"] is None
assert c[1]["memcg"] == "/system.slice/evil\x1b[2J.service", c[1]["memcg"]
assert c[1]["memcg_owner"].startswith("systemd unit"), c[1]["memcg_owner"]
' && ok "candidates' memcgs: JSON" || fail "candidates' memcgs: JSON" "$out"
ident 0 >"$dir/events"
out=$("$bin" --debugfs "$dir" --json events) || true
echo "$out" | python3 -c '
import json, sys
c = json.loads(sys.stdin.read())["candidates"]
assert c[1]["memcg"] is None and c[1]["memcg_owner"] is None
' && ok "memcg=0: not known, null" || fail "memcg=0: not known, null" "$out"
ident | sed 's/ start_ns=5000000 memcg=2 / memcg=2 start_ns=5000000 /' >"$dir/events"
err=$("$bin" --debugfs "$dir" events 2>&1 >/dev/null) || true
grep -q "malformed candidate" <<<"$err" && ok "memcg before start_ns rejected" ||
	fail "memcg before start_ns rejected" "$err"
ident | sed 's/^cand_memcg_1 \/a\/b$/cand_memcg_1 \/a b/' >"$dir/events"
err=$("$bin" --debugfs "$dir" events 2>&1 >/dev/null) || true
grep -q "unescaped space in 'cand_memcg_1'" <<<"$err" && ok "cand_memcg with a space rejected" ||
	fail "cand_memcg with a space rejected" "$err"
# The OOM's domain (added after ABI 1.0): a memcg's counters, or free
# memory per node.
domain() { # memcg|mem
	if [ "$1" = memcg ]; then
		d='domain_usage_pages 4096\ndomain_limit_pages 4096\ndomain_failcnt 17\ndomain_swap_usage_pages 0\ndomain_swap_limit_pages 0\ndomain_swap_counter swap\ndomain_free_pages -\ndomain_available_pages -\ndomain_node_free_pages -'
	else
		d='domain_usage_pages -\ndomain_limit_pages -\ndomain_failcnt -\ndomain_swap_usage_pages -\ndomain_swap_limit_pages -\ndomain_swap_counter -\ndomain_free_pages 5000\ndomain_available_pages 9000\ndomain_node_free_pages 0:1000,1:4000,...'
	fi
	block 1 10 11 16384 | sed -e "s/^candidates 2\$/$d\n&/" -e 's/^victim_memcg \/a\/b$/victim_memcg \/a\/b\/c/'
}
domain memcg >"$dir/events"
out=$("$bin" --debugfs "$dir" explain 1) || true
grep -qF 'At the OOM the memcg had memory 4096 pages (16 MiB) of its limit 4096 pages (16 MiB) (failcnt 17) and swap 0 pages (0) of its limit 0 pages (0).' <<<"$out" &&
	grep -qF 'The limit hit is that of /a/b, an ancestor of the victim' <<<"$out""'"'s memcg /a/b/c.' \
	&& ok "domain: a memcg's counters in explain" || fail "domain: a memcg's counters in explain" "$out"
domain mem >"$dir/events"
out=$("$bin" --debugfs "$dir" explain 1) || true
grep -qF 'At the OOM: free 5000 pages (20 MiB), available 9000 pages (35 MiB); free in the zones the allocation may use: node 0 3.9 MiB, node 1 16 MiB and more nodes (the event keeps 16).' <<<"$out" \
	&& ok "domain: free memory per node in explain" || fail "domain: free memory per node in explain" "$out"
out=$("$bin" --debugfs "$dir" --json events) || true
echo "$out" | python3 -c '
import json, sys
e = json.loads(sys.stdin.read())
assert e["domain_free_pages"] == 5000 and e["domain_usage_pages"] is None
assert e["domain_node_free_pages"] == "0:1000,1:4000,..."
assert e["domain_nodes"] == [{"node": 0, "free_pages": 1000, "free_bytes": 4096000},
                             {"node": 1, "free_pages": 4000, "free_bytes": 16384000}], e["domain_nodes"]
assert e["domain_nodes_cut"] is True
' && ok "domain: JSON, the node list parsed" || fail "domain: JSON, the node list parsed" "$out"
# Bad values of the new keys and fields: each a clear refusal or said.
ident | sed 's/^cand 2 pid=77 uid=65534 adj=-500 points=12 score=667 rss=20 swap=0 pgtables=1 /cand 2 pid=77 memcg=1 /' >"$dir/events"
err=$("$bin" --debugfs "$dir" events 2>&1 >/dev/null) || true
grep -q "malformed candidate" <<<"$err" && ok "an optional field before the required ones rejected" ||
	fail "an optional field before the required ones rejected" "$err"
ident 9 >"$dir/events"
err=$("$bin" --debugfs "$dir" events 2>&1 >/dev/null) || true
grep -q "malformed candidate" <<<"$err" && ok "memcg=9, past the 8 an event keeps, rejected" ||
	fail "memcg=9 rejected" "$err"
ident | sed 's/ start_ns=5000000 / start_ns=-1 /' >"$dir/events"
err=$("$bin" --debugfs "$dir" events 2>&1 >/dev/null) || true
grep -q "malformed candidate" <<<"$err" && ok "start_ns=-1 rejected" || fail "start_ns=-1 rejected" "$err"
ident | sed 's/^candidates_memcgs 2$/candidates_memcgs 9223372036854775807/' >"$dir/events"
out=$(timeout 10 "$bin" --debugfs "$dir" explain 1) || true
grep -qF 'candidates_memcgs: 9223372036854775807 is not a count of 0 to 8' <<<"$out" &&
	ok "a huge candidates_memcgs is said, not looped over" || fail "a huge candidates_memcgs" "$out"
domain memcg | sed 's/^domain_swap_limit_pages 0$/domain_swap_limit_pages 2251799813685247/' >"$dir/events"
out=$("$bin" --debugfs "$dir" explain 1) || true
grep -qF 'and swap 0 pages (0) (no limit).' <<<"$out" && ok "domain: PAGE_COUNTER_MAX is no limit" ||
	fail "domain: PAGE_COUNTER_MAX is no limit" "$out"
domain memcg | sed 's/^domain_swap_counter swap$/domain_swap_counter zswap/' >"$dir/events"
out=$("$bin" --debugfs "$dir" explain 1) || true
grep -qF "and counter 'zswap' 0 pages (0) of its limit 0 pages (0)." <<<"$out" &&
	ok "domain: a counter word this reader does not know is named, not taken for swap" ||
	fail "domain: an unknown counter word" "$out"
for bad in '0:1x2:3' '0:1,...,1:2' '0:-5' '0:1,' ':3'; do
	domain mem | sed "s/^domain_node_free_pages .*/domain_node_free_pages $bad/" >"$dir/events"
	out=$("$bin" --debugfs "$dir" --json events) || true
	txt=$("$bin" --debugfs "$dir" explain 1) || true
	if python3 -c 'import json,sys; e=json.loads(sys.argv[1]); assert e["domain_nodes"] is None and e["domain_nodes_cut"] is None' "$out" &&
		grep -qF "domain_node_free_pages is malformed: '$bad'" <<<"$txt"; then
		ok "domain: node list '$bad' is malformed: null, and said"
	else
		fail "domain: node list '$bad'" "$out $txt"
	fi
done
block 1 10 11 16384 | sed -n 1,20p >"$dir/events"
err=$("$bin" --debugfs "$dir" events 2>&1 >/dev/null) || true
grep -q "line 21: unfinished event block" <<<"$err" && ok "truncated" || fail "truncated" "$err"
rc=0
"$bin" --debugfs "$dir" events --since x >/dev/null 2>&1 || rc=$?
[ "$rc" = 1 ] && ok "bad --since" || fail "bad --since"
finish
