#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# OOMs in a cgroup v1 memory hierarchy (6.1; Debian's 6.12 is built
# without CONFIG_MEMCG_V1: SKIP there, with that reason).  The memory
# controller is taken off cgroup2 (which stays mounted) and mounted as a
# v1 controller; a group with memory.limit_in_bytes, first with
# memory+swap unlimited, then with memory.memsw.limit_in_bytes set, has an
# OOM each.  Every number is compared with the v1 files and with the
# kernel's own report: the event says the paths are of the v1 hierarchy,
# oom_memcg and victim_memcg are the report's, totalpages is the v1 limit
# (plus memsw above it, up to the swap there is), the domain's counters are
# the report's "memory:" and "memory+swap:" lines, and predict and tasks
# show the group with its limit.  It needs a boot of its own
# (selftests/Makefile TEST_PROGS_OWN_BOOT): the controller can only leave
# cgroup2 before any memcg was made there, and it does not come back: an
# unmounted v1 hierarchy lives on while tasks' css_sets link its root (seen
# on 6.1: num_cgroups 1, no mount left, the controller still on v1).
. "$(dirname "$0")/ktap.sh"

PATH=/oomlens/bin:/oomlens/tests:$PATH
dir=/sys/kernel/debug/oomlens
v2=/sys/fs/cgroup
v1=/tmp/oltv1_memory
g=$v1/oltv1
limit_mb=32

ktap_print_header

# The v1 memory controller can only be mounted while no cgroup2 cgroup
# uses it; a dying memcg (page cache charged to a removed cgroup) counts,
# so drop the caches between tries.
mount_v1() {
	mkdir -p "$v1"
	for i in 1 2 3 4 5 6 7 8 9 10; do
		echo -memory >"$v2/cgroup.subtree_control" 2>/dev/null
		mount -t cgroup -o memory oltv1 "$v1" 2>/tmp/oltv1.err && return 0
		# No v1 memory controller: "Unknown subsys name" (EINVAL).
		grep -q 'Invalid argument' /tmp/oltv1.err && return 2
		sync
		echo 3 >/proc/sys/vm/drop_caches
		sleep 1
	done
	return 1
}

back_to_v2() {
	rmdir "$g" 2>/dev/null
	for i in 1 2 3 4 5 6 7 8 9 10; do
		umount "$v1" 2>/dev/null
		grep -qw memory "$v2/cgroup.controllers" && return 0
		sync
		echo 3 >/proc/sys/vm/drop_caches
		sleep 1
	done
	return 1
}

mount_v1
case $? in
0) ;;
2)
	ktap_set_plan 1
	ktap_test_skip "this kernel has no cgroup v1 memory controller (mount -o memory: EINVAL, 'Unknown subsys name': CONFIG_MEMCG_V1 is not set)"
	ktap_finished
	;;
*)
	ktap_set_plan 1
	ktap_test_fail "mount the v1 memory controller: $(cat /tmp/oltv1.err)"
	ktap_finished
	;;
esac
if [ ! -e "$v1/memory.limit_in_bytes" ]; then
	umount "$v1"
	ktap_set_plan 1
	ktap_test_skip "no cgroup v1 memory files: this kernel has no v1 memory controller (CONFIG_MEMCG_V1 is not set)"
	ktap_finished
fi
ktap_set_plan 25

stat_of() { awk -v k="$1" '$1 == k { print $2 }' "$dir/stats"; }
key() { echo "$ev" | awk -v k="$1" '$1 == k { print $2 }'; }
swap_pages=$(awk '$1 == "SwapTotal:" { print int($2 / 4) }' /proc/meminfo)

mkdir "$g" && echo ${limit_mb}M >"$g/memory.limit_in_bytes"
ktap_check "a v1 group with memory.limit_in_bytes ${limit_mb}M" \
	test "$(cat "$g/memory.limit_in_bytes")" = $((limit_mb * 1048576))

# predict and tasks, before the OOM: a sleeping hog in the group.
hog -m 2 -c "$g" >/dev/null &
bpid=$!
sleep 1
lim=$((limit_mb * 256))
ktap_check "predict: the v1 group with its limit ($lim pages)" \
	sh -c "awk '\$1 == \"memcg\" && \$2 == \"/oltv1\" { print \$3 }' $dir/predict | grep -qx $lim"
ktap_check "tasks: the hog's memcg is the v1 path /oltv1" \
	sh -c "awk -v p=$bpid '\$1 == p { print \$NF }' $dir/tasks | grep -qx /oltv1"

# One OOM of the group; $1 names the round.  Sets $ev (also in
# /tmp/oltv1.ev), $vpid, and the kernel's log since in /tmp/oltv1.klog.
oom_round() {
	n0=$(dmesg | wc -l)
	seq0=$(stat_of events_last_seq)
	hog -c "$g" >/dev/null 2>&1 &
	vpid=$!
	wait $vpid
	ktap_print_msg "$1: hog $vpid exited with status $?"
	sleep 0.5
	seq1=$(stat_of events_last_seq)
	awk -v s="$seq1" '$1 == "event" { on = ($2 == s) } on' "$dir/events" >/tmp/oltv1.ev
	dmesg | tail -n +$((n0 + 1)) >/tmp/oltv1.klog
	ev=$(cat /tmp/oltv1.ev)
	ktap_print_msg "$1: events $seq0 -> $seq1"
}

# The report's "<what>: usage NkB, limit NkB, failcnt N": field $2 of it.
kfield() { # what field(usage|limit|failcnt)
	sed -n "s/.*] $1: usage \([0-9]*\)kB, limit \([0-9]*\)kB, failcnt \([0-9]*\).*/\1 \2 \3/p" \
		/tmp/oltv1.klog | head -n 1 |
		awk -v f="$2" '{ print (f == "usage") ? $1 : (f == "limit") ? $2 : $3 }'
}

check_round() { # round memsw_limit_bytes(or "-")
	ktap_check "$1: an event of the OOM, the hog killed" \
		test "$(key outcome)" = killed -a "$(key victim_pid)" = "$vpid" -a "$(key kind)" = memcg
	ktap_check "$1: memcg_hierarchy v1" test "$(key memcg_hierarchy)" = v1
	ktap_check "$1: oom_memcg and victim_memcg are the report's (/oltv1)" \
		sh -c "grep -q 'oom_memcg=$(key oom_memcg),task_memcg=$(key victim_memcg),task=hog,pid=$vpid,' /tmp/oltv1.klog && test '$(key oom_memcg)' = /oltv1"
	want=$lim
	if [ "$2" != - ]; then
		extra=$(($2 / 4096 - lim))
		[ "$extra" -lt "$swap_pages" ] || extra=$swap_pages
		want=$((lim + extra))
	fi
	ktap_print_msg "$1: totalpages $(key totalpages), the limit's $want (swap $swap_pages pages)"
	ktap_check "$1: totalpages is the v1 limit (plus memsw, up to the swap)" test "$(key totalpages)" = "$want"
	ktap_check "$1: domain memory usage and limit are the report's" \
		test "$(($(key domain_usage_pages) * 4))" = "$(kfield memory usage)" -a \
		"$(($(key domain_limit_pages) * 4))" = "$(kfield memory limit)"
	ktap_check "$1: domain failcnt is the report's, at most memory.failcnt now" \
		test "$(key domain_failcnt)" = "$(kfield memory failcnt)" -a \
		"$(key domain_failcnt)" -le "$(cat "$g/memory.failcnt")"
	ktap_check "$1: the swap counter is memsw, its usage and limit the report's memory+swap" \
		test "$(key domain_swap_counter)" = memsw -a \
		"$(($(key domain_swap_usage_pages) * 4))" = "$(kfield 'memory+swap' usage)" -a \
		"$(($(key domain_swap_limit_pages) * 4))" = "$(kfield 'memory+swap' limit)"
	if [ "$2" != - ]; then
		ktap_check "$1: the memsw limit is memory.memsw.limit_in_bytes" \
			test "$(($(key domain_swap_limit_pages) * 4096))" = "$(cat "$g/memory.memsw.limit_in_bytes")"
	else
		ktap_check "$1: the memory limit is memory.limit_in_bytes" \
			test "$(($(key domain_limit_pages) * 4096))" = "$(cat "$g/memory.limit_in_bytes")"
	fi
	ktap_check "$1: the candidates' memcg is the v1 path" \
		grep -qx 'cand_memcg_1 /oltv1' /tmp/oltv1.ev
	ktap_check "$1: the victim is the first candidate, prediction match" \
		sh -c "grep -q '^cand 1 pid=$vpid ' /tmp/oltv1.ev && test '$(key prediction)' = match"
}

oom_round "no memsw limit"
check_round "no memsw limit" -
oomlens explain "$seq1" >/tmp/oltv1_explain.txt 2>&1
ktap_check "explain says the paths are of a cgroup v1 hierarchy" \
	grep -q "mounted on a cgroup v1 hierarchy" /tmp/oltv1_explain.txt
ktap_check "explain says memory+swap (cgroup v1's memsw)" \
	grep -q "and memory+swap (cgroup v1's memsw)" /tmp/oltv1_explain.txt

memsw=$(((limit_mb + 16) * 1048576))
if echo "$memsw" >"$g/memory.memsw.limit_in_bytes" 2>/dev/null; then
	oom_round "memsw limit $((limit_mb + 16))M"
	check_round "memsw limit $((limit_mb + 16))M" "$memsw"
else
	for c in 1 2 3 4 5 6 7 8 9 10; do
		ktap_test_skip "memsw round, case $c: no memory.memsw.limit_in_bytes (swap accounting off)"
	done
fi

kill "$bpid" 2>/dev/null
wait "$bpid" 2>/dev/null
# Not a case: in a boot of its own (scripts/check.sh) nothing runs after.
if back_to_v2; then
	ktap_print_msg "the memory controller is back on cgroup2"
else
	ktap_print_msg "the memory controller stays on the v1 hierarchy: $(grep '^memory' /proc/cgroups) (subsys hierarchy num_cgroups enabled); $(grep -c oltv1 /proc/mounts) v1 mount(s) left"
fi
rm -f /tmp/oltv1_explain.txt /tmp/oltv1.err /tmp/oltv1.ev /tmp/oltv1.klog
ktap_finished
