#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Long cgroup paths are cut visibly: a path that does not fit its buffer
# ends in "..." after the bytes that fit (the ABI's OOMLENS_TRUNCATED), and
# one that fits is shown whole.  systemd and Kubernetes paths pass 127
# bytes easily.  Two memory cgroups with limits: one whose path is 200
# bytes (fits the 1024-byte buffers of "tasks" and "predict", not the
# 128-byte ones of an event) and one of 1100 bytes (fits none).  The
# kernel's own report prints the whole path: the event must be its prefix.
# 6.12's kernfs_path_from_node() returns the bytes written, never more than
# the buffer, so only a buffer kept one byte larger tells a cut.
. "$(dirname "$0")/ktap.sh"

dir=/sys/kernel/debug/oomlens
cg=/sys/fs/cgroup
hog=/oomlens/tests/hog

name() { # a cgroup name of $2 bytes starting with $1
	printf '%s' "$1"
	i=${#1}
	while [ "$i" -lt "$2" ]; do printf x; i=$((i + 1)); done
}

# path200: /<99>/<99>; path1100: five components of 219 bytes.
n1=$(name oltpa 99) n2=$(name leafa 99)
path200=/$n1/$n2
path1100=""
for c in 1 2 3 4 5; do path1100=$path1100/$(name "oltpb$c" 219); done

cleanup() {
	for p in $pids; do kill -9 "$p" 2>/dev/null; done
	sleep 0.3
	rmdir "$cg$path200" "$cg/$n1" 2>/dev/null
	p=$path1100
	while [ -n "$p" ]; do rmdir "$cg$p" 2>/dev/null; p=${p%/*}; done
}
trap cleanup EXIT

mkcg() { # create $1 (a path under $cg) with the memory controller
	p="" rest=${1#/}
	while [ -n "$rest" ]; do
		echo +memory >"$cg$p/cgroup.subtree_control" 2>/dev/null
		p=$p/${rest%%/*}
		case "$rest" in */*) rest=${rest#*/} ;; *) rest="" ;; esac
		mkdir -p "$cg$p" || return 1
	done
}

cutp() { printf '%s' "$1" | head -c "$2"; printf '...'; }

ktap_print_header
ktap_set_plan 7

ktap_print_msg "paths of ${#path200} and ${#path1100} bytes"
mkcg "$path200" && mkcg "$path1100" && echo 64M >"$cg$path200/memory.max" &&
	echo 0 >"$cg$path200/memory.swap.max" &&
	echo 512M >"$cg$path1100/memory.max"
ktap_check "cgroups of 200 and 1100 bytes created" test -f "$cg$path1100/memory.max"

pids=""
"$hog" -m 4 -c "$cg$path200" >/dev/null &
pids="$pids $!"
"$hog" -m 4 -c "$cg$path1100" >/dev/null &
pids="$pids $!"
for i in $(seq 50); do
	h1=$(head -n 1 "$cg$path200/cgroup.procs" 2>/dev/null)
	h2=$(head -n 1 "$cg$path1100/cgroup.procs" 2>/dev/null)
	[ -n "$h1" ] && [ -n "$h2" ] && break
	sleep 0.1
done

# tasks: the memcg column (last) of each hog.
t1=$(awk -v p="$h1" '$1 == p { print $NF }' "$dir/tasks")
t2=$(awk -v p="$h2" '$1 == p { print $NF }' "$dir/tasks")
[ "$t1" = "$path200" ] || ktap_print_msg "tasks memcg of $h1: '$t1'"
ktap_check "tasks: a 200-byte path is shown whole" test "$t1" = "$path200"
want=$(cutp "$path1100" 1022)
[ "$t2" = "$want" ] || ktap_print_msg "tasks memcg of $h2: '$t2'"
ktap_check "tasks: a 1100-byte path is cut to 1022 bytes and '...'" test "$t2" = "$want"

# predict: the cgroup column (second) of each limited memcg.
ktap_check "predict: a 200-byte path is shown whole" \
	sh -c "awk '\$1 == \"memcg\" { print \$2 }' $dir/predict | grep -qxF -- '$path200'"
ktap_check "predict: a 1100-byte path is cut to 1022 bytes and '...'" \
	sh -c "awk '\$1 == \"memcg\" { print \$2 }' $dir/predict | grep -qxF -- '$want'"

# An OOM of the 200-byte memcg: the event's 128-byte buffers cut it.
kill -9 "$h1" 2>/dev/null
seq0=$(awk '$1 == "events_last_seq" { print $2 }' "$dir/stats")
"$hog" -c "$cg$path200" >/dev/null 2>&1
sleep 0.5
seq1=$(awk '$1 == "events_last_seq" { print $2 }' "$dir/stats")
ev=$(awk -v s="$seq1" '$1 == "event" { on = ($2 == s) } on' "$dir/events")
om=$(echo "$ev" | awk '$1 == "oom_memcg" { print $2 }')
vm=$(echo "$ev" | awk '$1 == "victim_memcg" { print $2 }')
want=$(cutp "$path200" 126)
kline=$(dmesg | grep -c "oom_memcg=$path200,task_memcg=$path200,")
ktap_print_msg "event $seq0 -> $seq1: oom_memcg ${#om} bytes, victim_memcg ${#vm}; kernel lines $kline"
ktap_check "event: the kernel printed the whole 200-byte path" test "$kline" -ge 1
ktap_check "event: oom_memcg and victim_memcg are its first 126 bytes and '...'" \
	test "$om" = "$want" -a "$vm" = "$want"

ktap_finished
