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
ktap_set_plan 5

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

rmdir "$cg" 2>/dev/null
rm -f "$out" "$json" /tmp/oltev_explain.txt
ktap_finished
