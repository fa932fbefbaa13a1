#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# The lifetime counts of the events (stats events_kind_*, _constraint_*,
# _outcome_*, _prediction_*) never go down: with ring_size=2, four memcg OOM
# kills leave two events in the ring, and the counts still say four kills,
# equal to the cgroup's memory.events oom_kill; "oomlens --prometheus
# events" writes them as its counters.  The module is reloaded with its
# defaults at the end.
. "$(dirname "$0")/ktap.sh"

dir=/sys/kernel/debug/oomlens
cg=/sys/fs/cgroup/oltlife
st() { awk -v k="$1" '$1 == k { print $2 }' "$dir/stats"; }
oom_kills() { awk '$1 == "oom_kill" { print $2 }' "$cg/memory.events"; }

ktap_print_header
ktap_set_plan 5

rmmod oomlens && insmod "$OOMLENS_KO" ring_size=2
ktap_check "module reloaded with ring_size=2" \
	test "$(cat /sys/module/oomlens/parameters/ring_size 2>/dev/null)" = 2

echo +memory >/sys/fs/cgroup/cgroup.subtree_control
rmdir "$cg" 2>/dev/null
mkdir "$cg" && echo 16M >"$cg/memory.max" && echo 0 >"$cg/memory.swap.max"
k0=$(oom_kills)
for _ in 1 2 3 4; do
	/oomlens/tests/hog -c "$cg" >/dev/null 2>&1
done
sleep 1
kills=$(($(oom_kills) - k0))
ktap_print_msg "memory.events oom_kill +$kills; stats: recorded $(st events_recorded), kind_memcg $(st events_kind_memcg), constraint_memcg $(st events_constraint_memcg), outcome_killed $(st events_outcome_killed), events_kills $(st events_kills)"
ktap_check "four kills, the ring kept two events" test "$kills" = 4 -a "$(st events_recorded)" = 2
ktap_check "the lifetime counts say every kill" \
	test "$(st events_outcome_killed)" = "$kills" -a "$(st events_kills)" = "$kills"
# A memcg OOM that returned before constrained_alloc() (the allocating
# task was already dying) has the constraint unknown.
ktap_check "every event counted by kind and constraint" \
	sh -c "[ $(st events_kind_memcg) -ge $kills ] && [ $(st events_kind_memcg) = $(($(st events_constraint_memcg) + $(st events_constraint_unknown))) ] && [ $(st events_kind_global) = 0 ]"
oomlens --prometheus events >/tmp/lifetime.prom 2>&1
ktap_check "--prometheus events writes them" \
	grep -q "^oomlens_oom_events_by_outcome_total{outcome=\"killed\"} $kills\$" /tmp/lifetime.prom

rmdir "$cg" 2>/dev/null
rmmod oomlens && insmod "$OOMLENS_KO"
ktap_finished
