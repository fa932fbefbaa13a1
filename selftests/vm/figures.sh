#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The stress and fuzz figures of a VM check run, one line each, from the
# "# figure: NAME: VALUE" lines the tests print (olt_figure in C,
# ktap_figure in shell, init for kmemleak) and the kernel log: load/unload
# cycles, the OOM
# storm, rmmod during a storm, opens racing unload, fuzzed writes, kmemleak
# and the count of reports (KASAN, KFENCE, UBSAN, kmemleak, lockdep, slub,
# oops, stall) the log checker found.  A figure whose test did not run says so.
#
# usage: figures.sh OUT KVER   (OUT: the run's log directory)
set -euo pipefail

out=$1 kver=$2
top=$(cd "$(dirname "$0")/../.." && pwd)
tap=$out/tap.txt

# The VALUE of the first "# figure: NAME: VALUE" line (under any number of
# the runners' "# " prefixes); $2 if there is none.
fig() {
	local name=$1 none=${2:-not run} l
	l=$(awk -v p="figure: $name: " '{ sub(/^(# )+/, "") }
		index($0, p) == 1 { print substr($0, length(p) + 1); exit }' "$tap" 2>/dev/null || true)
	echo "vm: $kver figures: $name: ${l:-$none}"
}

fig "load/unload"
fig "reader loops"
fig "OOM storm"
fig "OOM storm, kernel"
fig "OOM storm, module"
fig "rmmod during storm"
fig "fuzzed writes"
fig "fuzzed writes, outcome"
fig "open/unload race"
fig "open/unload race, outcome"
fig "probes in NMI context"
fig "kmemleak" "not in this kernel"
# As run-vm.sh judges the log: the streamed records, and the console only
# when they are clean (both hold the same report; counting both doubled it).
offending() {
	[ -f "$1" ] || return 0
	tr -d '\r' <"$1" | awk -f "$top/selftests/vm/check-log.awk" |
		sed -n 's/^kernel log: \([0-9]*\) offending line(s)$/\1/p' || true
}
reports=$(offending "$out/kmsg.log")
[ "${reports:-0}" -gt 0 ] || reports=$(offending "$out/console.log")
echo "vm: $kver figures: reports found: ${reports:-0} (offending log lines)"
