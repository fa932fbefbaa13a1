#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make bench: boot the default test kernel with 2 GiB and measure, side by
# side in one VM run, what oomlens costs (selftests/bench/bench.sh):
#   1. reading `tasks` once vs. a /proc scan ranking the same processes;
#   2. the kernel's OOM handling time with the module loaded vs. not, with
#      oom_dump_tasks 0 and 1; the module's own hook time; its snapshot vs.
#      the kernel's dump_tasks;
#   1b. reading predict with 200 limited memcgs and 2000 processes vs.
#      reading tasks;
#   3. per-task cost at N = 1000, 5000, 10000;
#   4. preallocated memory and module size.
# Prints a table and writes build/bench/results.json.  TCG absolute times
# are not real-hardware times: only the ratios are comparable.
#
# usage: bench.sh [KERNEL]   (default 6.12); BENCH_* variables as in
# selftests/bench/bench.sh are passed through.  BENCH_REPORT_ONLY=1 reprints
# the report from the last run's build/bench/vm.log without booting.
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
kernel=${1:-6.12}
kver=$("$top/scripts/kernels.sh" "$kernel")
out="$top/build/bench"
mkdir -p "$out"

envs=""
for v in BENCH_NS BENCH_ROUNDS BENCH_OOMS BENCH_OOM_N BENCH_CONFIGS BENCH_PREDICT_MEMCGS BENCH_PREDICT_N BENCH_SECTIONS; do
	[ -n "${!v:-}" ] && envs="${envs:+$envs,}$v=${!v}"
done
if [ -z "${BENCH_REPORT_ONLY:-}" ]; then
	OOMLENS_VM_ENV="$envs" OOMLENS_VM_MEM=2048 \
		"$top/selftests/vm/run-vm.sh" -k "$kver" -j bench -T 1500 -c "loglevel=1" >"$out/vm.log" 2>&1 || {
		cat "$out/vm.log"
		echo "bench: the VM run failed"
		exit 1
	}
fi
sed -n 's/^BENCH //p' "$out/vm.log" | jq -s . >"$out/raw.json"
jq -e 'map(select(.phase == "done")) | length == 1' "$out/raw.json" >/dev/null || {
	echo "bench: incomplete run; see $out/vm.log"
	exit 1
}

jq --arg date "$(date -u +%Y-%m-%d)" '
def median: sort | if length == 0 then null elif length % 2 == 1 then .[length / 2 | floor]
	else (.[length / 2 - 1] + .[length / 2]) / 2 end;
def ratio(a; b): if (a == null or b == null or b == 0) then null else (a / b * 100 | round) / 100 end;
(map(select(.phase == "info"))[0]) as $info |
(map(select(.phase == "read")) | map({n, rows, procs,
	oomlens_ms: (.median_oomlens_ns / 1e6), procscan_ms: (.median_procscan_ns / 1e6),
	ratio: ratio(.median_procscan_ns; .median_oomlens_ns),
	oomlens_ns_per_task: (.median_oomlens_ns / .rows | round),
	procscan_ns_per_task: (.median_procscan_ns / .procs | round)})) as $read |
(map(select(.phase == "predict")) | map({n, memcgs, rows, tasks_rows: .other_rows,
	predict_ms: (.median_oomlens_ns / 1e6), tasks_ms: (.median_other_ns / 1e6),
	ratio: ratio(.median_oomlens_ns; .median_other_ns)})) as $predict |
(map(select(.phase == "oom"))) as $oom |
[ [1, 0], [2, 0], [0, 0], [1, 1], [2, 1], [0, 1] ] as $cfgs |
($cfgs | map(. as [$l, $d] | {loaded: $l, oom_dump_tasks: $d,
	kernel_oom_us: ([$oom[] | select(.loaded == $l and .oom_dump_tasks == $d) | .kernel_oom_us] | median),
	out_of_memory_us: ([$oom[] | select(.loaded == $l and .oom_dump_tasks == $d and (.out_of_memory_us // -1) >= 0) | .out_of_memory_us] | median),
	out_of_memory_calls: ([$oom[] | select(.loaded == $l and .oom_dump_tasks == $d) | .out_of_memory_calls // 0] | median),
	dump_tasks_us: ([$oom[] | select(.loaded == $l and .oom_dump_tasks == $d and .dump_tasks_us >= 0) | .dump_tasks_us] | median),
	module_ns: ([$oom[] | select(.loaded == $l and .oom_dump_tasks == $d) |
		[to_entries[] | select(.key | test("^(notifier|probe)_total_ns$")) | .value] | add // 0] | median),
	snapshot_ns: ([$oom[] | select(.loaded == $l and .oom_dump_tasks == $d) |
		[to_entries[] | select(.key | test("snapshot.*_total_ns$")) | .value] | add] | map(select(. != null)) | median),
	count: ([$oom[] | select(.loaded == $l and .oom_dump_tasks == $d)] | length)})) as $oomsum |
(map(select(.phase == "memory"))) as $mem |
{date: $date, kernel: $info.kernel, cpus: $info.cpus, mem_kb: $info.mem_kb,
 note: "QEMU TCG: absolute times are not real-hardware times; only ratios are comparable",
 read: $read, predict: $predict, oom: $oomsum,
 fn_ratio_dump0: ratio(($oomsum[] | select(.loaded == 1 and .oom_dump_tasks == 0) | .out_of_memory_us);
	($oomsum[] | select(.loaded == 0 and .oom_dump_tasks == 0) | .out_of_memory_us)),
 fn_ratio_nosnap_dump0: ratio(($oomsum[] | select(.loaded == 2 and .oom_dump_tasks == 0) | .out_of_memory_us);
	($oomsum[] | select(.loaded == 0 and .oom_dump_tasks == 0) | .out_of_memory_us)),
 fn_ratio_dump1: ratio(($oomsum[] | select(.loaded == 1 and .oom_dump_tasks == 1) | .out_of_memory_us);
	($oomsum[] | select(.loaded == 0 and .oom_dump_tasks == 1) | .out_of_memory_us)),
 oom_ratio_dump0: ratio(($oomsum[] | select(.loaded == 1 and .oom_dump_tasks == 0) | .kernel_oom_us);
	($oomsum[] | select(.loaded == 0 and .oom_dump_tasks == 0) | .kernel_oom_us)),
 oom_ratio_dump1: ratio(($oomsum[] | select(.loaded == 1 and .oom_dump_tasks == 1) | .kernel_oom_us);
	($oomsum[] | select(.loaded == 0 and .oom_dump_tasks == 1) | .kernel_oom_us)),
 memory: $mem, raw: .}' "$out/raw.json" >"$out/results.json"

r=$out/results.json
echo "oomlens benchmark, $(jq -r '.date + ", kernel " + .kernel + ", " + (.cpus|tostring) + " vCPUs, " + ((.mem_kb/1024)|floor|tostring) + " MiB"' "$r")"
echo "(QEMU TCG: absolute times are not real-hardware times; compare the ratios)"
echo
echo "1+3. Ranking every process: read 'tasks' once vs. a /proc scan (median of $(jq -r '[.raw[] | select(.phase=="read") | .oomlens_ns | length][0] // 0' "$r") interleaved runs)"
jq -r '.raw[] | select(.phase == "error") | "   error at N=" + (.n|tostring) + ": " + .what' "$r"
printf '%8s %8s %12s %12s %8s %14s %14s\n' N rows "oomlens ms" "/proc ms" ratio "oomlens ns/task" "/proc ns/task"
jq -r '.read[] | [.n, .rows, (.oomlens_ms*100|round/100), (.procscan_ms*100|round/100), .ratio, .oomlens_ns_per_task, .procscan_ns_per_task] | @tsv' "$r" |
	while IFS=$'\t' read -r n rows a b ra pa pb; do printf '%8s %8s %12s %12s %7sx %14s %14s\n' "$n" "$rows" "$a" "$b" "$ra" "$pa" "$pb"; done
echo
echo "1b. Reading 'predict' with many limited memcgs vs reading 'tasks' (the same processes; median, interleaved)"
printf '%8s %8s %13s %12s %12s %8s\n' N memcgs "predict rows" "predict ms" "tasks ms" ratio
jq -r '.predict[] | [.n, .memcgs, .rows, (.predict_ms*100|round/100), (.tasks_ms*100|round/100), .ratio] | @tsv' "$r" |
	while IFS=$'\t' read -r n m rows a b ra; do printf '%8s %8s %13s %12s %12s %7sx\n' "$n" "$m" "$rows" "$a" "$b" "$ra"; done
echo
echo "2. One global OOM with $(jq -r '[.raw[] | select(.phase=="oom") | .n][0]' "$r") processes (median of $(jq -r '.oom[0].count' "$r") OOMs each, the six configurations interleaved)"
echo "   loaded: 1 defaults (snapshot_size=16), 2 snapshot_size=0 (no candidates' table), 0 not loaded"
echo "   out_of_memory us: time in out_of_memory() per OOM (function_graph tracer, summed over its calls);"
echo "   log span us: 'invoked oom-killer' to 'Killed process' in the kernel log; module ns: oomlens's own hooks"
printf '%7s %5s %17s %6s %13s %15s %13s %13s\n' loaded dump "out_of_memory us" calls "log span us" "dump_tasks us" "module ns" "snapshot ns"
jq -r '.oom[] | [.loaded, .oom_dump_tasks, (.out_of_memory_us // "-"), .out_of_memory_calls, .kernel_oom_us, (.dump_tasks_us // "-"), (.module_ns // "-"), (.snapshot_ns // "-")] | @tsv' "$r" |
	while IFS=$'\t' read -r l d f c k dt m s; do printf '%7s %5s %17s %6s %13s %15s %13s %13s\n' "$l" "$d" "$f" "$c" "$k" "$dt" "$m" "$s"; done
echo "   out_of_memory() with/without module: $(jq -r '.fn_ratio_dump0' "$r")x (oom_dump_tasks=0), $(jq -r '.fn_ratio_dump1' "$r")x (oom_dump_tasks=1);"
echo "   with snapshot_size=0: $(jq -r '.fn_ratio_nosnap_dump0' "$r")x (oom_dump_tasks=0)"
echo "   log span with/without module: $(jq -r '.oom_ratio_dump0' "$r")x (dump 0), $(jq -r '.oom_ratio_dump1' "$r")x (dump 1);"
echo "   the span starts in oom_kill_process(), after select_bad_process() and after oomlens's"
echo "   snapshot, so it cannot show the module's cost; out_of_memory() can."
echo
echo "4. Memory"
jq -r '.memory[] | "   params \"" + .params + "\": prealloc " + (.prealloc_bytes|tostring) + " B, module core " + (.coresize|tostring) + " B, .ko " + (.ko_bytes|tostring) + " B"' "$r"
echo
echo "Targets:"
jq -r '
def verdict(ok): if ok == null then "n/a" elif ok then "met" else "MISSED" end;
([.read[] | select(.n == 5000) | .ratio][0]) as $r5 |
(.read | map(.oomlens_ns_per_task)) as $pt |
"   tasks read >= 20x faster than /proc at 5000: " + ($r5|tostring) + "x: " + verdict(if $r5 == null then null else $r5 >= 20 end),
(([.oom[] | select(.loaded == 1 and .oom_dump_tasks == 0) | .out_of_memory_us][0]) as $with |
 ([.oom[] | select(.loaded == 0 and .oom_dump_tasks == 0) | .out_of_memory_us][0]) as $without |
 ([.oom[] | select(.loaded == 1 and .oom_dump_tasks == 0) | .module_ns][0]) as $m |
 "   module adds <= 5% to out_of_memory() (dump 0): " + ($with|tostring) + " vs " + ($without|tostring) + " us, " +
 (if ($with == null or $without == null or $without == 0) then "n/a (out_of_memory() not timed)" else
  (((($with / $without) - 1) * 1000 | round) / 10 | tostring) + "% (module'"'"'s own hooks " +
  ((($m // 0) / 1000) | floor | tostring) + " us = " + ((($m // 0) / 10 / $with | round) | tostring) + "% of the loaded call): " +
  verdict($with <= 1.05 * $without) end)),
(([.oom[] | select(.loaded == 2 and .oom_dump_tasks == 0) | .out_of_memory_us][0]) as $with |
 ([.oom[] | select(.loaded == 0 and .oom_dump_tasks == 0) | .out_of_memory_us][0]) as $without |
 "   ... with snapshot_size=0 (events, no candidates'"'"' table): " + ($with|tostring) + " vs " + ($without|tostring) + " us, " +
 (if ($with == null or $without == null or $without == 0) then "n/a" else
  (((($with / $without) - 1) * 1000 | round) / 10 | tostring) + "%: " + verdict($with <= 1.05 * $without) end)),
"   per-task read cost flat within 2x, 1000..10000: " + ($pt|map(tostring)|join(" / ")) + " ns: " + verdict(if ($pt|length) < 2 then null else (($pt|max) <= 2 * ($pt|min)) end),
"   default prealloc <= 2 MiB: " + ((.memory[0].prealloc_bytes // null)|tostring) + " B: " + verdict(if .memory[0] == null then null else .memory[0].prealloc_bytes <= 2097152 end),
"   snapshot cheaper than dump_tasks: " + verdict(
	([.oom[] | select(.loaded == 1 and .oom_dump_tasks == 1) | .snapshot_ns][0]) as $s |
	([.oom[] | select(.loaded == 1 and .oom_dump_tasks == 1) | .dump_tasks_us][0]) as $d |
	if ($s == null or $d == null) then null else $s / 1000 < $d end)' "$r"
echo
echo "results: ${r#"$top"/}"
