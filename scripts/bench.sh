#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make bench: boot the default test kernel with 2 GiB and measure, side by
# side in one VM run, what oomlens costs (selftests/bench/bench.sh):
#   1. reading `tasks` once vs. a /proc scan ranking the same processes;
#   2. out_of_memory()'s time with the module loaded (defaults, observe=0,
#      snapshot_size=0) vs. not, global OOMs at 1000, 5000 and 10000
#      processes and a memcg OOM of 10 processes beside 5000; the module's
#      own hook time; the walk vs. the kernel's dump_tasks;
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
for v in BENCH_NS BENCH_ROUNDS BENCH_OOMS BENCH_OOM_N BENCH_OOM_NS BENCH_CONFIGS BENCH_PREDICT_MEMCGS BENCH_PREDICT_N BENCH_SECTIONS; do
	[ -n "${!v:-}" ] && envs="${envs:+$envs,}$v=${!v}"
done
if [ -z "${BENCH_REPORT_ONLY:-}" ]; then
	OOMLENS_VM_ENV="$envs" OOMLENS_VM_MEM=2048 \
		"$top/selftests/vm/run-vm.sh" -k "$kver" -j bench -T 3000 -c "loglevel=1" >"$out/vm.log" 2>&1 || {
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
(map(select(.phase == "oom")) | map(.scope //= "global")) as $oom |
([$oom[] | {scope, n, loaded, oom_dump_tasks}] | unique) as $keys |
($keys | map(. as $k | [$oom[] | select(.scope == $k.scope and .n == $k.n and
	.loaded == $k.loaded and .oom_dump_tasks == $k.oom_dump_tasks)] as $g | $k + {
	out_of_memory_us: ([$g[] | select((.out_of_memory_us // -1) >= 0) | .out_of_memory_us] | median),
	out_of_memory_calls: ([$g[] | .out_of_memory_calls // 0] | median),
	kernel_oom_us: ([$g[] | .kernel_oom_us] | median),
	dump_tasks_us: ([$g[] | select(.dump_tasks_us >= 0) | .dump_tasks_us] | median),
	module_ns: ([$g[] | [to_entries[] | select(.key | test("^(notifier|probe)_total_ns$")) | .value] | add // 0] | median),
	snapshot_ns: ([$g[] | [to_entries[] | select(.key | test("snapshot.*_total_ns$")) | .value] | add] | map(select(. != null)) | median),
	count: ($g | length)})) as $oomsum0 |
($oomsum0 | map(. as $w | ([$oomsum0[] | select(.scope == $w.scope and .n == $w.n and
	.oom_dump_tasks == $w.oom_dump_tasks and .loaded == 0) | .out_of_memory_us][0]) as $base |
	$w + {unloaded_us: $base, ratio: (if $w.loaded == 0 then null else ratio($w.out_of_memory_us; $base) end)})) as $oomsum |
(map(select(.phase == "memory"))) as $mem |
{date: $date, kernel: $info.kernel, cpus: $info.cpus, mem_kb: $info.mem_kb,
 note: "QEMU TCG: absolute times are not real-hardware times; only ratios are comparable",
 read: $read, predict: $predict, oom: $oomsum,
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
echo "2. out_of_memory() per OOM, module loaded vs not (median of $(jq -r '.oom[0].count' "$r") OOMs each, the configurations interleaved)"
echo "   loaded: 1 defaults (candidates from the kernel's oom_badness() calls), 3 observe=0 (the walk),"
echo "   2 snapshot_size=0 (no candidates' table), 0 not loaded; scope memcg: a 10-process memcg beside N processes"
echo "   out_of_memory us: function_graph tracer, summed over the OOM's calls; module ns: oomlens's own hooks"
printf '%7s %6s %7s %5s %17s %6s %8s %13s %15s %13s\n' scope N loaded dump "out_of_memory us" calls ratio "module ns" "dump_tasks us" "snapshot ns"
jq -r '.oom[] | [.scope, .n, .loaded, .oom_dump_tasks, (.out_of_memory_us // "-"), .out_of_memory_calls, (.ratio // "-"), (.module_ns // "-"), (.dump_tasks_us // "-"), (.snapshot_ns // "-")] | @tsv' "$r" |
	while IFS=$'\t' read -r sc n l d f c ra m dt s; do printf '%7s %6s %7s %5s %17s %6s %8s %13s %15s %13s\n' "$sc" "$n" "$l" "$d" "$f" "$c" "$ra" "$m" "$dt" "$s"; done
echo "   ratio: out_of_memory us over the same scope, N and dump with the module not loaded"
echo
echo "4. Memory"
jq -r '.memory[] | "   params \"" + .params + "\": prealloc " + (.prealloc_bytes|tostring) + " B, module core " + (.coresize|tostring) + " B, .ko " + (.ko_bytes|tostring) + " B"' "$r"
echo
echo "Targets:"
jq -r '
def verdict(ok): if ok == null then "n/a" elif ok then "met" else "MISSED" end;
([.read[] | select(.n == 5000) | .ratio][0]) as $r5 |
(.read | map(.oomlens_ns_per_task)) as $pt |
"   tasks read >= 50x faster than /proc at 5000: " + ($r5|tostring) + "x: " + verdict(if $r5 == null then null else $r5 >= 50 end),
(.oom[] | select(.loaded != 0 and .oom_dump_tasks == 0) |
 "   out_of_memory() <= 5% longer, " + .scope + " N=" + (.n|tostring) + " loaded=" + (.loaded|tostring) + ": " +
 ((.out_of_memory_us // "-")|tostring) + " vs " + ((.unloaded_us // "-")|tostring) + " us, " +
 (if .ratio == null then "n/a" else ((((.ratio - 1) * 1000) | round) / 10 | tostring) + "%: " + verdict(.ratio <= 1.05) end)),
"   per-task read cost flat within 2x, 1000..10000: " + ($pt|map(tostring)|join(" / ")) + " ns: " + verdict(if ($pt|length) < 2 then null else (($pt|max) <= 2 * ($pt|min)) end),
"   default prealloc <= 2 MiB: " + ((.memory[0].prealloc_bytes // null)|tostring) + " B: " + verdict(if .memory[0] == null then null else .memory[0].prealloc_bytes <= 2097152 end),
"   the walk (observe=0) cheaper than dump_tasks: " + verdict(
	([.oom[] | select(.loaded == 3) | .snapshot_ns][0]) as $s |
	([.oom[] | select(.loaded == 1 and .oom_dump_tasks == 1) | .dump_tasks_us][0]) as $d |
	if ($s == null or $d == null) then null else $s / 1000 < $d end)' "$r"
echo
echo "results: ${r#"$top"/}"
