#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The stress and fuzz figures of a VM check run, one line each, from the
# tests' own TAP comments and the kernel log: load/unload cycles, the OOM
# storm, rmmod during a storm, opens racing unload, fuzzed writes, kmemleak
# and the count of reports (KASAN, KFENCE, UBSAN, kmemleak, lockdep, slub,
# oops, stall) the log checker found.  A figure whose test did not run says so.
#
# usage: figures.sh OUT KVER   (OUT: the run's log directory)
set -uo pipefail

out=$1 kver=$2
top=$(cd "$(dirname "$0")/../.." && pwd)
tap=$out/tap.txt

# The text of the first TAP comment matching $2, after its test's prefix;
# $3 if there is none.
fig() {
	local name=$1 re=$2 none=${3:-not run} l
	l=$(grep -m1 -E "$re" "$tap" 2>/dev/null |
		sed -E 's/^(# )+//; s/^[a-z_]+\.c:[0-9]+:[a-z_]+://
			s/^(storm|kernel|module|kmemleak|figure: nmi context): //')
	echo "vm: $kver figures: $name: ${l:-$none}"
}

fig "load/unload" ' cycles, rmmod refused while a file was open'
fig "reader loops" 'reader loops completed: '
fig "OOM storm" 'mixed_storm:storm: '
fig "OOM storm, kernel" 'mixed_storm:kernel: '
fig "OOM storm, module" 'mixed_storm:module: '
fig "rmmod during storm" 'rmmod_during_storm:[0-9]+ OOM hogs'
fig "fuzzed writes" 'commit_check: [0-9]+ writes'
fig "fuzzed writes, outcome" 'commit_check:applied: [0-9]+; mismatches'
fig "open/unload race" 'open_race:[0-9]+ s: unloaded and reloaded'
fig "open/unload race, outcome" 'open_race:opens: [0-9]+ succeeded'
fig "probes in NMI context" 'figure: nmi context: '
fig "kmemleak" '^# kmemleak: ' "not in this kernel"
# As run-vm.sh judges the log: the streamed records, and the console only
# when they are clean (both hold the same report; counting both doubled it).
offending() {
	[ -f "$1" ] || return 0
	tr -d '\r' <"$1" | awk -f "$top/selftests/vm/check-log.awk" |
		sed -n 's/^kernel log: \([0-9]*\) offending line(s)$/\1/p'
}
reports=$(offending "$out/kmsg.log")
[ "${reports:-0}" -gt 0 ] || reports=$(offending "$out/console.log")
echo "vm: $kver figures: reports found: ${reports:-0} (offending log lines)"
