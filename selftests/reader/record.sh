#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Host test of "oomlens record" on fabricated events files (--debugfs):
# each event reaches the journal once, as a structured entry (a stand-in
# journald: a Unix datagram socket, OOMLENS_JOURNAL_SOCKET, speaking the
# native protocol), with the fields of the event and a readable MESSAGE;
# a second run writes nothing; events lost to the ring while the recorder
# was down, and a module reload, are said in entries of their own; a new
# boot starts afresh; JSON Lines output is valid and rotates; bad options
# are refused.  The reader is built with the sanitizers.
set -euo pipefail
# shellcheck source=scripts/host-test-lib.sh
. "$(dirname "$0")/../../scripts/host-test-lib.sh"

asan_reader record
need python3 "python3 is not installed"
need jq "jq is not installed: run 'make deps'"
msgid_oom=$(sed -n 's/^#define OOMLENS_JOURNAL_MSGID_OOM[[:space:]]*"\(.*\)"/\1/p' "$top/include/oomlens_abi.h")
msgid_lost=$(sed -n 's/^#define OOMLENS_JOURNAL_MSGID_LOST[[:space:]]*"\(.*\)"/\1/p' "$top/include/oomlens_abi.h")
cap=$top/selftests/reader/captured/6.12/debugfs
dir=$tmp/debugfs
state=$tmp/state
sock=$tmp/journal.sock
got=$tmp/journal.txt
export OOMLENS_JOURNAL_SOCKET=$sock

# The stand-in journald: each datagram, then a line "--".
python3 - "$sock" "$got" <<'PY' &
import os, socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.bind(sys.argv[1])
with open(sys.argv[2], "ab", buffering=0) as f:
    while True:
        d = s.recv(1 << 20)
        f.write(d + b"--\n")
PY
jpid=$!
stop_journal() { kill "$jpid" 2>/dev/null || true; }
at_exit stop_journal
for _ in $(seq 50); do [ -S "$sock" ] && break; sleep 0.1; done

# events SEQ:TIME_BOOT_NS...: an events file of the captured memcg event
# with these seq numbers and times (the check value made anew).
events() {
	python3 - "$cap/events" "$@" >"$dir/events" <<'PY'
import sys
blk = open(sys.argv[1]).read().split("end ")[0]
first = blk[:blk.index("event ", 1) if "event " in blk[1:] else len(blk)]
lines = [l for l in blk.splitlines() if l]
for spec in sys.argv[2:]:
    seq, t = (int(x) for x in spec.split(":"))
    kv = {}
    out = []
    for l in lines:
        k, _, v = l.partition(" ")
        if k == "event": v = str(seq)
        if k == "time_boot_ns": v = str(t)
        if k in ("pid", "totalpages", "victim_pid"): kv[k] = v
        out.append(k + " " + v if v != "" else k)
    n = lambda k: int(kv[k]) if kv.get(k, "-") != "-" else 0
    chk = ((seq * 0x9e3779b97f4a7c15) ^ (n("pid") << 32) ^ n("totalpages") ^ (n("victim_pid") << 16) ^ t) & (2**64 - 1)
    print("\n".join(out))
    print("end %d %d" % (seq, chk))
PY
}
entries() { grep -c '^--$' "$got" 2>/dev/null || true; }
record() { "$bin" --debugfs "$dir" record --state "$state" "$@" 2>>"$tmp/err"; }

mkdir -p "$dir"
cp "$cap/version" "$cap/stats" "$dir/"
events 1:1000 2:2000
: >"$got"
if record && [ "$(entries)" = 2 ]; then ok "two events: two journal entries"; else fail "two events (rc $?, $(entries) entries)" "$(cat "$tmp/err")"; fi
if grep -q "^MESSAGE_ID=$msgid_oom$" "$got" && grep -q '^OOMLENS_SEQ=1$' "$got" && grep -q '^OOMLENS_SEQ=2$' "$got" &&
	grep -q '^OOMLENS_CONSTRAINT=CONSTRAINT_MEMCG$' "$got" && grep -q '^OOMLENS_OOM_MEMCG=/oltcap$' "$got" &&
	grep -q '^OOMLENS_VICTIM_PID=[0-9]*$' "$got" && grep -q '^SYSLOG_IDENTIFIER=oomlens$' "$got" &&
	grep -q '^OOMLENS_CAND_1=pid=' "$got"; then
	ok "fields: MESSAGE_ID, OOMLENS_SEQ, _CONSTRAINT, _OOM_MEMCG, _VICTIM_PID, _CAND_1"
else
	fail "fields" "$(head -n 30 "$got")"
fi
want=$(awk '$1 == "victim_comm" { c = $2 } $1 == "victim_pid" { p = $2 } $1 == "victim_points" { pt = $2 } $1 == "end" { exit }
	END { printf "MESSAGE=OOM kill: %s (pid %s) in /oltcap, constraint MEMCG, 16 MiB limit, %s points", c, p, pt }' "$dir/events")
if grep -qxF "$want" "$got"; then ok "MESSAGE: '${want#MESSAGE=}'"; else fail "MESSAGE" "want '$want'; got $(grep '^MESSAGE=' "$got" | head -n 1)"; fi

: >"$got"
record
if [ "$(entries)" = 0 ]; then ok "a second run writes nothing"; else fail "a second run wrote $(entries) entries"; fi

# A hostile comm (a process sets its own) must not add a journal field:
# "\012" is a newline in the events file's escaping.
rm -f "$state"
sed -i 's/^\(cand 1 .*\) comm=.*/\1 comm=h\\012PRIORITY=0/' "$dir/events"
: >"$got"
record
if [ "$(entries)" = 2 ] && ! grep -q '^PRIORITY=0$' "$got" &&
	grep -q '^OOMLENS_CAND_1=pid=.* comm=h PRIORITY=0$' "$got"; then
	ok "a newline in a candidate's comm stays inside its field"
else
	fail "hostile comm in CAND_1" "$(grep -n 'PRIORITY\|CAND_1' "$got" | head -n 6)"
fi
rm -f "$state"
record >/dev/null

# Down while the ring moved on: 3 and 4 overwritten, 5 and 6 retained.
events 5:5000 6:6000
: >"$got"
record
if [ "$(entries)" = 3 ] && grep -q "^MESSAGE_ID=$msgid_lost$" "$got" && grep -q '^OOMLENS_LOST=2$' "$got" &&
	[ "$(grep -c '^OOMLENS_SEQ=' "$got")" = 2 ]; then
	ok "events 3 and 4 lost while the recorder was down: one entry says so, then 5 and 6"
else
	fail "gap entry" "$(cat "$got")"
fi

# A module reload: seq starts again at 1; the new load's 1 is gone.
events 2:9000 3:9500
: >"$got"
record
if [ "$(entries)" = 3 ] && grep -q '^OOMLENS_LOST=1$' "$got" && grep -q 'reloaded' "$got"; then
	ok "a reload: the new load's lost first event is said, then 2 and 3"
else
	fail "reload" "$(cat "$got")"
fi

# A new boot: the state's boot id differs; 1 and 2 of this boot are new.
sed -i 's/^boot_id [^ ]*/boot_id 00000000-0000-0000-0000-000000000000/' "$state"
events 1:100 2:200
: >"$got"
record
if [ "$(entries)" = 2 ] && ! grep -q '^OOMLENS_LOST=' "$got"; then ok "a new boot: its events, no loss"; else fail "new boot" "$(cat "$got")"; fi

# JSON Lines, and rotation.
rm -f "$state" "$tmp/out.jsonl"*
events 1:1000 2:2000 3:3000 4:4000 5:5000 6:6000 7:7000 8:8000
record --no-journal --output "$tmp/out.jsonl" --max-bytes 4K
cat "$tmp/out.jsonl.1" "$tmp/out.jsonl" >"$tmp/all.jsonl" 2>/dev/null || true
lines=$(wc -l <"$tmp/all.jsonl")
# .1 holds the older lines: the newest is in the file itself.
if [ "$lines" -ge 2 ] && jq -e -s '(map(.seq) | . == sort and .[-1] == 8) and
	all(.[]; .victim_memcg_owner == null and (.boot_id | length) > 0)' "$tmp/all.jsonl" >/dev/null &&
	[ -f "$tmp/out.jsonl.1" ] && [ "$(tail -n 1 "$tmp/out.jsonl" | jq .seq)" = 8 ] &&
	[ "$(stat -c %s "$tmp/out.jsonl")" -le 4096 ]; then
	ok "--output: JSON Lines, rotated to .1 at --max-bytes"
else
	fail "--output" "$lines lines; $(ls "$tmp")"
fi

rc=0
"$bin" --debugfs "$dir" record --no-journal 2>"$tmp/e" || rc=$?
if [ "$rc" = 1 ] && grep -q -- '--no-journal needs --output' "$tmp/e"; then ok "--no-journal without --output: refused"; else fail "--no-journal alone (rc $rc)" "$(cat "$tmp/e")"; fi
rc=0
"$bin" --debugfs "$dir" record --max-bytes 12x --output x 2>"$tmp/e" || rc=$?
if [ "$rc" = 1 ] && grep -q "'12x'" "$tmp/e"; then ok "a bad --max-bytes is named"; else fail "bad --max-bytes (rc $rc)" "$(cat "$tmp/e")"; fi
rc=0
echo garbage >"$state"
"$bin" --debugfs "$dir" record --state "$state" 2>"$tmp/e" || rc=$?
if [ "$rc" = 2 ] && grep -q 'not a state file' "$tmp/e"; then ok "a damaged state file is refused, named"; else fail "damaged state (rc $rc)" "$(cat "$tmp/e")"; fi
rc=0
OOMLENS_JOURNAL_SOCKET=$tmp/none "$bin" --debugfs "$dir" record --state "$tmp/s2" 2>"$tmp/e" || rc=$?
if [ "$rc" = 2 ] && grep -q 'cannot reach the journal' "$tmp/e"; then ok "no journal: exit 2, said"; else fail "no journal (rc $rc)" "$(cat "$tmp/e")"; fi
stop_journal
finish
