#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# The reader on live events: "oomlens events --follow" (text and --json)
# prints each memcg OOM as it happens, with the victim the shell saw die,
# and "oomlens explain" explains it.
. "$(dirname "$0")/ktap.sh"

PATH=/oomlens/bin:/oomlens/tests:$PATH
dir=/sys/kernel/debug/oomlens
cg=/sys/fs/cgroup/oltev_reader
out=/tmp/oltev_follow.txt
json=/tmp/oltev_follow.json

ktap_print_header
ktap_set_plan 20

echo +memory >/sys/fs/cgroup/cgroup.subtree_control
rmdir "$cg" 2>/dev/null
mkdir "$cg" && echo 16M >"$cg/memory.max" && echo 0 >"$cg/memory.swap.max"

before=$(awk '$1 == "events_last_seq" { print $2 }' "$dir/stats")
oomlens events --since "$before" --follow >"$out" 2>&1 &
fpid=$!
oomlens --json events --since "$before" --follow >"$json" 2>&1 &
jpid=$!
sleep 1

victims=""
for i in 1 2 3; do
	hog -c "$cg" &
	p=$!
	wait $p
	ktap_print_msg "hog $p exited with status $?"
	victims="$victims $p"
done
sleep 2
kill $fpid $jpid
wait $fpid $jpid 2>/dev/null

missing=""
for p in $victims; do
	grep -q " outcome=killed victim=hog($p) .*prediction=match($p)" "$out" || missing="$missing $p"
done
[ -z "$missing" ] || { ktap_print_msg "not followed:$missing"; sed 's/^/# /' "$out"; }
ktap_check "--follow prints each OOM as it happens" test -z "$missing"

bad=$(grep -vc '^{.*}$' "$json")
killed=$(grep -c '"outcome":"killed"' "$json")
ktap_print_msg "JSON Lines: $killed killed, $bad malformed"
ktap_check "--json --follow prints one JSON object per line" test "$bad" = 0 -a "$killed" -ge 3

last=${victims##* }
seq=$(awk -v p="$last" 'index($0, "victim=hog(" p ")") { print $1 }' "$out" | tail -n 1)
oomlens explain "$seq" >/tmp/oltev_explain.txt 2>&1
ktap_check "explain names the constraint" \
	grep -q "^Constraint CONSTRAINT_MEMCG: the memory cgroup /oltev_reader reached its limit" /tmp/oltev_explain.txt
ktap_check "explain lists the victim first" \
	grep -qE "^ +1 +$last +hog " /tmp/oltev_explain.txt
oomlens explain 999999 >/dev/null 2>&1
ktap_check "explain of an unknown event fails with 2" test $? = 2

# Where the table came from, and the kernel's own evaluation: the memcg
# holds the hog alone.
if grep -q '^candidates_source kernel$' "$dir/stats"; then
	ktap_check "explain: the table is the kernel's own evaluation, 1 task" \
		grep -q "^The candidates are the kernel's own oom_badness() results in this OOM; the kernel evaluated 1 task(s), 0 of them not candidates" /tmp/oltev_explain.txt
else
	ktap_test_skip "explain: the table is the kernel's own evaluation (candidates_source is not kernel)"
fi

# Why (not) this pid: the victim, a kernel thread, this shell (outside).
oomlens explain "$seq" --pid "$last" >/tmp/oltev_pid.txt 2>&1
ktap_check "explain --pid: the victim" grep -q "^OOM event $seq, pid $last: the victim, with [0-9]* points" /tmp/oltev_pid.txt
oomlens explain "$seq" --pid 2 >/tmp/oltev_pid.txt 2>&1
ktap_check "explain --pid: kthreadd had no points, and is a kernel thread now" \
	grep -q "Every task with points is in the table, so pid 2 got none" /tmp/oltev_pid.txt
ktap_check "... and is a kernel thread now" grep -q "^Now (not at the OOM): a kernel thread" /tmp/oltev_pid.txt
oomlens explain "$seq" --pid $$ >/tmp/oltev_pid.txt 2>&1
ktap_check "explain --pid: this shell is outside the OOM's memcg now" \
	grep -q "that memcg is outside the OOM's /oltev_reader" /tmp/oltev_pid.txt
oomlens --json explain "$seq" --pid "$last" >/tmp/oltev_pid.txt 2>&1
ktap_check "explain --pid --json" grep -q "\"victim\":true,\"in_table\":true,\"rank\":1" /tmp/oltev_pid.txt

# A memcg named as Docker names its scopes: explain says whose it is.
id=0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef
dcg=/sys/fs/cgroup/docker-$id.scope
rmdir "$dcg" 2>/dev/null
mkdir "$dcg" && echo 16M >"$dcg/memory.max" && echo 0 >"$dcg/memory.swap.max"
hog -c "$dcg"
oomlens explain >/tmp/oltev_explain.txt 2>&1
ktap_check "explain names the owner of the memcg (a Docker container)" \
	grep -q "the memory cgroup /docker-$id.scope (Docker container 0123456789ab) reached its limit" /tmp/oltev_explain.txt
rmdir "$dcg" 2>/dev/null
rm -f /tmp/oltev_pid.txt

# The candidates' memcgs and command lines: a bystander still running is
# named with its command line (the same process, by its start time), the
# victim, gone, is not; both rows name the OOM's memcg.
hog -m 2 -c "$cg" &
bpid=$!
sleep 1
hog -c "$cg"
oomlens explain >/tmp/oltev_explain.txt 2>&1
ktap_check "explain: the bystander still running, with its command line" \
	grep -qE "^ +$bpid hog -m 2 -c $cg\$" /tmp/oltev_explain.txt
ktap_check "explain: the candidates' memcg, /oltev_reader, in the cg column" \
	grep -qE "^ +1 /oltev_reader\$" /tmp/oltev_explain.txt
oomlens --json explain >/tmp/oltev_explain.json 2>&1
ktap_check "explain --json: cmdline for the running one, null for the victim" \
	grep -qE "\"pid\":$bpid,.*\"memcg\":\"/oltev_reader\",\"memcg_owner\":null,\"cmdline\":\"hog -m 2 -c $cg\"" /tmp/oltev_explain.json
kill $bpid
wait $bpid 2>/dev/null
sed 's/^/# /' /tmp/oltev_explain.txt | tail -n 8
rm -f /tmp/oltev_explain.json

# The recorder on the live module (no journald here: JSON Lines only):
# every retained event once, and a second run adds nothing.
rm -f /tmp/oltev_rec.jsonl /tmp/oltev_rec.state
oomlens record --no-journal --output /tmp/oltev_rec.jsonl --state /tmp/oltev_rec.state 2>/dev/null
n=$(grep -c '"seq":' /tmp/oltev_rec.jsonl)
retained=$(awk '$1 == "events_recorded" { print $2 }' "$dir/stats")
ktap_print_msg "record: $n lines, $retained events retained"
ktap_check "record writes every retained event once" test "$n" = "$retained"
oomlens record --no-journal --output /tmp/oltev_rec.jsonl --state /tmp/oltev_rec.state 2>/dev/null
ktap_check "a second record run writes nothing" test "$(grep -c '"seq":' /tmp/oltev_rec.jsonl)" = "$n"
rm -f /tmp/oltev_rec.jsonl /tmp/oltev_rec.state

# A follower across a module reload (an upgrade): the open events file does
# not keep rmmod from unloading the module; the recorder waits for it, then
# records the new load's events, each once, and says the reload.
rm -f /tmp/oltev_rec.jsonl /tmp/oltev_rec.state
oomlens record --follow --no-journal --output /tmp/oltev_rec.jsonl \
	--state /tmp/oltev_rec.state 2>/tmp/oltev_rec.err &
rpid=$!
sleep 1
n0=$(grep -c '"seq":' /tmp/oltev_rec.jsonl)
rmmod oomlens
ktap_check "rmmod under a following recorder" test ! -e /sys/module/oomlens
insmod "$OOMLENS_KO"
hog -c "$cg"
hog -c "$cg"
sleep 3
kill $rpid
wait $rpid 2>/dev/null
new=$(grep -c '"seq":' /tmp/oltev_rec.jsonl)
ktap_print_msg "recorder: $n0 events before the reload, $new after; $(tr '\n' ' ' </tmp/oltev_rec.err)"
ktap_check "the recorder waited for the module and read on" \
	grep -q "the module is back" /tmp/oltev_rec.err
ktap_check "... and wrote the new load's two events once each" \
	test "$((new - n0))" = 2 -a "$(grep -c '"seq":1,' /tmp/oltev_rec.jsonl)" -le 2
rm -f /tmp/oltev_rec.jsonl /tmp/oltev_rec.state /tmp/oltev_rec.err

rmdir "$cg" 2>/dev/null
rm -f "$out" "$json" /tmp/oltev_explain.txt
ktap_finished
