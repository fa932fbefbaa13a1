#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# In-VM half of `make bench`.  Prints one "BENCH {json}" line per
# measurement; scripts/bench.sh on the host turns them into a table and a
# results file.  Absolute times under TCG are not real-hardware times: only
# ratios of things measured side by side here are comparable.
#
# Environment: BENCH_NS (process counts, ":"-separated, default 1000:5000:10000),
# BENCH_ROUNDS (runs per side, default 7), BENCH_OOMS (OOMs per
# configuration, default 7), BENCH_OOM_N (processes present during the OOM
# measurements, default 5000), BENCH_OOM_NS (process counts of the global
# OOM figures, default 1000:5000:10000), BENCH_CONFIGS (module parameter sets for the
# memory figures: sets ";"-separated, parameters in a set "+"-separated;
# default: the defaults, then larger rings and snapshots), BENCH_SECTIONS
# (the parts to run, space- or ":"-separated: read predict oom memory).
export PATH=/oomlens/bin:/oomlens/tests:$PATH
T=/oomlens/tests
D=/sys/kernel/debug/oomlens
ns=$(echo "${BENCH_NS:-1000 5000 10000}" | tr ":" " ")
rounds=${BENCH_ROUNDS:-7}
ooms=${BENCH_OOMS:-7}
oom_n=${BENCH_OOM_N:-5000}
# BENCH_SECTIONS: which parts run (default all: read predict oom memory).
sections=$(echo "${BENCH_SECTIONS:-read predict oom memory}" | tr ":" " ")
section() { case " $sections " in *" $1 "*) return 0 ;; esac; return 1; }

# Settle the system: ignore the first console/logging burst.
echo 1 >/proc/sys/vm/overcommit_memory
swapoff -a 2>/dev/null

start_sleepers() {	# $1: count; sets SLEEPERS
	fifo=/tmp/sleepers.fifo
	rm -f $fifo && mkfifo $fifo
	$T/sleepers "$1" >$fifo &
	SLEEPERS=$!
	read -r _ n <$fifo
	rm -f $fifo
}

stop_sleepers() {
	kill -TERM "$SLEEPERS" 2>/dev/null
	wait "$SLEEPERS" 2>/dev/null
	sleep 1
}

last_seq() { kmsg-dump | tail -n 1 | cut -d, -f2; }

# Kernel records after seq $1 as "usec text".
records_after() {
	kmsg-dump | awk -F';' -v s="$1" '{ split($1, h, ","); if (h[2] + 0 > s) print h[3], $2 }'
}

stat_ns() { grep -E '_ns ' "$D/stats" 2>/dev/null | tr '\n' ' '; }

# The kernel's own OOM handling time: the duration of every out_of_memory()
# call, from the function_graph tracer with out_of_memory() the only
# function hooked (set_ftrace_filter) and recorded (depth 1), so nothing
# else in the kernel pays for the tracing.  This includes
# select_bad_process(), dump_header() and, when loaded, everything oomlens
# does inside the call (notifier, oom_kill_process() probes and snapshot).
TR=/sys/kernel/tracing
fgraph=0
fgraph_setup() {
	[ -f $TR/trace ] || mount -t tracefs nodev $TR 2>/dev/null || return 1
	echo 0 >$TR/tracing_on
	echo nop >$TR/current_tracer
	echo out_of_memory >$TR/set_ftrace_filter || return 1
	echo out_of_memory >$TR/set_graph_function || return 1
	echo 1 >$TR/max_graph_depth || return 1
	echo function_graph >$TR/current_tracer || return 1
	fgraph=1
}

# Sum, count and max of the out_of_memory() durations in the trace, in us:
# "1) # 1234.567 us |  out_of_memory();" or, when the call was split,
# "1) # 1234.567 us |  } /* out_of_memory */".
fgraph_durations() {
	awk '/out_of_memory/ && / us +\|/ {
		for (i = 1; i < NF; i++) if ($(i + 1) == "us") { d = $i + 0; sum += d; n++; if (d > max) max = d; break }
	} END { printf("%d %d %d\n", sum, n, max) }' $TR/trace
}

# One OOM; prints a BENCH line.  $4: the hog's arguments (default: a
# global OOM), $5: the scope word of the line (global, memcg), $6: the
# number of processes present.
one_oom() {	# $1 loaded (0 no, 1 defaults, 2 snapshot_size=0, 3 observe=0) $2 dump(0/1) $3 iteration
	echo "$2" >/proc/sys/vm/oom_dump_tasks
	s=$(last_seq)
	before=$(stat_ns)
	if [ $fgraph = 1 ]; then
		echo >$TR/trace
		echo 1 >$TR/tracing_on
	fi
	# shellcheck disable=SC2086
	hog ${4:--a 1000} >/dev/null 2>&1
	sleep 1
	fg="-1 0 -1"
	if [ $fgraph = 1 ]; then
		echo 0 >$TR/tracing_on
		fg=$(fgraph_durations)
	fi
	after=$(stat_ns)
	records_after "$s" | awk -v loaded="$1" -v dump="$2" -v it="$3" -v n="${6:-$oom_n}" -v scope="${5:-global}" \
		-v before="$before" -v after="$after" -v fg="$fg" '
		/invoked oom-killer:/ && !inv { inv = $1 }
		/Tasks state \(memory values in pages\)/ && !ts { ts = $1 }
		/oom-kill:constraint=/ && !ok { ok = $1 }
		/Killed process/ && !kp { kp = $1 }
		END {
			# module timings: delta of every *_ns total counter
			nb = split(before, b, " "); na = split(after, a, " ")
			mod = ""
			for (i = 1; i < na; i += 2)
				if (a[i] ~ /_total_ns$/)
					for (j = 1; j < nb; j += 2)
						if (b[j] == a[i])
							mod = mod sprintf(",\"%s\":%d", a[i], a[i + 1] - b[j + 1])
			split(fg, f, " ")
			printf("BENCH {\"phase\":\"oom\",\"scope\":\"%s\",\"n\":%d,\"loaded\":%d,\"oom_dump_tasks\":%d,\"iter\":%d,", scope, n, loaded, dump, it)
			printf("\"out_of_memory_us\":%d,\"out_of_memory_calls\":%d,\"out_of_memory_max_us\":%d,", f[1], f[2], f[3])
			printf("\"kernel_oom_us\":%d,\"dump_tasks_us\":%d%s}\n", kp - inv, (dump && ts && ok) ? ok - ts : -1, mod)
		}'
}

echo "BENCH {\"phase\":\"info\",\"kernel\":\"$(uname -r)\",\"cpus\":$(nproc),\"mem_kb\":$(awk '/MemTotal/ {print $2}' /proc/meminfo)}"

if section read; then
	# 1. Read cost and scaling.
	for n in $ns; do
		start_sleepers "$n"
		sleep 1
		if r=$(bench-read "$D/tasks" "$rounds" 2>&1); then
			printf 'BENCH {"phase":"read","n":%d,%s\n' "$n" "${r#\{}"
		else
			printf 'BENCH {"phase":"error","n":%d,"what":"read: %s"}\n' "$n" "$r"
		fi
		stop_sleepers
	done

fi
if section predict; then
	# 1b. predict with many limited memcgs: BENCH_PREDICT_MEMCGS (default 200)
	# memcgs with a memory.max, BENCH_PREDICT_N (default 2000) processes spread
	# over them; reading "predict" vs reading "tasks" (the same processes, one
	# badness each), interleaved.  predict makes one pass over the processes
	# for every prediction, so the ratio stays near 1, not near the memcg count.
	pm=${BENCH_PREDICT_MEMCGS:-200}
	pn=${BENCH_PREDICT_N:-2000}
	cgb=/sys/fs/cgroup/oltbench
	echo +memory >/sys/fs/cgroup/cgroup.subtree_control
	mkdir -p $cgb && echo +memory >$cgb/cgroup.subtree_control
	i=0
	while [ $i -lt "$pm" ]; do
		mkdir -p $cgb/m$i && echo 1G >$cgb/m$i/memory.max
		i=$((i + 1))
	done
	fifo=/tmp/sleepers.fifo
	rm -f $fifo && mkfifo $fifo
	$T/sleepers "$pn" $cgb/m "$pm" >$fifo &
	SLEEPERS=$!
	read -r _ n <$fifo
	rm -f $fifo
	sleep 1
	if r=$(bench-read "$D/predict" "$rounds" "$D/tasks" 2>&1); then
		printf 'BENCH {"phase":"predict","n":%d,"memcgs":%d,%s\n' "$pn" "$pm" "${r#\{}"
	else
		printf 'BENCH {"phase":"error","n":%d,"what":"predict: %s"}\n' "$pn" "$r"
	fi
	stop_sleepers
	i=0
	while [ $i -lt "$pm" ]; do rmdir $cgb/m$i; i=$((i + 1)); done
	rmdir $cgb

fi
if section oom; then
	# 2. OOM-path cost, interleaved (every iteration runs every
	# configuration) so that drift over the run (log buffer growth, page
	# cache) hits all of them alike.  Module states: 1 loaded with the
	# defaults (the candidates from the kernel's own oom_badness() calls);
	# 3 observe=0 (the fallback: a walk of every process at the kill);
	# 2 snapshot_size=0 (events without the candidates' table); 0 not
	# loaded.  Global OOMs at each of BENCH_OOM_NS processes (default
	# 1000 5000 10000) with oom_dump_tasks=0; at BENCH_OOM_N also
	# snapshot_size=0 and oom_dump_tasks=1; then a memcg OOM of a memcg of
	# 10 processes beside BENCH_OOM_N processes outside it.
	fgraph_setup || echo "BENCH {\"phase\":\"error\",\"n\":$oom_n,\"what\":\"function_graph tracer unavailable: out_of_memory() not timed\"}"
	load() {	# $1: module state as above
		[ -d /sys/module/oomlens ] && rmmod oomlens
		case $1 in
		1) insmod "$OOMLENS_KO" ;;
		2) insmod "$OOMLENS_KO" snapshot_size=0 ;;
		3) insmod "$OOMLENS_KO" observe=0 ;;
		esac
	}
	for n in $(echo "${BENCH_OOM_NS:-1000 5000 10000}" | tr ":" " "); do
		start_sleepers "$n"
		cfgs="1 3 0"
		[ "$n" = "$oom_n" ] && cfgs="1 3 2 0"
		i=0
		while [ $i -lt "$ooms" ]; do
			for cfg in $cfgs; do
				load $cfg
				dumps=0
				[ "$n" = "$oom_n" ] && [ "$cfg" != 3 ] && dumps="0 1"
				for dump in $dumps; do
					one_oom "$cfg" "$dump" $i "-a 1000" global "$n"
					sleep 2	# the kernel's OOM report is rate limited (10 per 5 s)
				done
			done
			i=$((i + 1))
		done
		stop_sleepers
	done
	# The memcg OOM: 9 small tasks and the hog in a 64 MiB memcg.
	cg=/sys/fs/cgroup/oltbench_oom0
	echo +memory >/sys/fs/cgroup/cgroup.subtree_control
	mkdir -p $cg && echo 64M >$cg/memory.max
	start_sleepers "$oom_n"
	fifo=/tmp/sleepers.fifo
	rm -f $fifo && mkfifo $fifo
	$T/sleepers 9 /sys/fs/cgroup/oltbench_oom 1 >$fifo &
	small=$!
	read -r _ _ <$fifo
	rm -f $fifo
	i=0
	while [ $i -lt "$ooms" ]; do
		for cfg in 1 3 0; do
			load $cfg
			one_oom "$cfg" 0 $i "-c $cg" memcg "$oom_n"
			sleep 2
		done
		i=$((i + 1))
	done
	kill -TERM "$small" 2>/dev/null
	wait "$small" 2>/dev/null
	stop_sleepers
	rmdir $cg 2>/dev/null
	[ $fgraph = 1 ] && echo nop >$TR/current_tracer
	[ -d /sys/module/oomlens ] || insmod "$OOMLENS_KO"

fi
if section memory; then
	# 3. Memory: what the module preallocates, per parameter set.
	ko_bytes=$(stat -c %s "$OOMLENS_KO")
	echo "${BENCH_CONFIGS:-;ring_size=256;snapshot_size=64;ring_size=1024+snapshot_size=64}" | tr ";" "\n" | tr "+" " " | while IFS= read -r cfg; do
		rmmod oomlens
		# shellcheck disable=SC2086
		insmod "$OOMLENS_KO" $cfg || continue
		pre=$(awk '$1 == "prealloc_bytes" { print $2 }' "$D/stats")
		core=$(cat /sys/module/oomlens/coresize)
		echo "BENCH {\"phase\":\"memory\",\"params\":\"$cfg\",\"prealloc_bytes\":${pre:-0},\"coresize\":$core,\"ko_bytes\":$ko_bytes}"
	done
	rmmod oomlens; insmod "$OOMLENS_KO"
fi
echo "BENCH {\"phase\":\"done\"}"
