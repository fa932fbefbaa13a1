#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Gate: every kernel function the probe handlers can reach, and every
# indirect call on the way, is one of scripts/lint/handler-calls.allow,
# reviewed there for the handlers' context (preemption disabled, NMI for
# int3 probes); and every line there is still reachable.  The call graph
# comes from the built module (objdump -dr: calls and tail calls, within
# and across objects; handler-calls.awk), for every test kernel.  It is an
# over-approximation: a callee on a path a handler never takes is listed.
# Prints the locks beyond the module's own raw spinlocks ("lock" lines).
set -euo pipefail
# shellcheck source=scripts/host-test-lib.sh
. "$(dirname "$0")/../host-test-lib.sh"

roots="oom_entry oom_return kill_entry kill_task_entry mark_entry badness_entry badness_return"
allow=scripts/lint/handler-calls.allow
need objdump "objdump is not installed (binutils)"
kernels=$(test_kernels) || bail handler-calls "test kernels not installed"
out=build/lint/handler-calls
mkdir -p "$out"
grep -v '^#' "$allow" | awk 'NF { print $1 }' | sort -u >"$out/allowed"
: >"$out/reached.all"
for kver in $kernels; do
	kdir=$(scripts/kernels.sh --kdir "$kver")
	if ! make -s vm-artifacts KVER="$kver" KDIR="$kdir" >"$out/build-$kver.log" 2>&1; then
		fail "handler-calls $kver" "the module does not build"
		continue
	fi
	objdump -dr "build/$kver/mod/oomlens.ko" >"$out/$kver.dis"
	awk -v roots="$roots" -f scripts/lint/handler-calls.awk "$out/$kver.dis" |
		sort >"$out/$kver.calls"
	awk '$1 == "ext" { print $2 } $1 == "indirect" { print "indirect:" $2 }' \
		"$out/$kver.calls" | sort -u >"$out/$kver.reached"
	cat "$out/$kver.reached" >>"$out/reached.all"
	missing=$(awk '$1 == "missing" { print $2 }' "$out/$kver.calls")
	new=$(comm -23 "$out/$kver.reached" "$out/allowed")
	if [ -n "$missing" ]; then
		fail "handler-calls $kver" "handlers not found in the module: $missing"
	elif [ -n "$new" ]; then
		fail "handler-calls $kver" "reachable from the handlers, not reviewed in $allow:
$(grep -F -w -f <(echo "${new//indirect:/}") "$out/$kver.calls")"
	else
		ok "handler-calls $kver: $(wc -l <"$out/$kver.reached") callees and indirect calls, all reviewed"
	fi
done
sort -u "$out/reached.all" -o "$out/reached.all"
stale=$(comm -13 "$out/reached.all" "$out/allowed")
if [ -n "$stale" ]; then
	fail "handler-calls: every line of $allow is reachable" "no longer reached: $stale"
else
	ok "handler-calls: every line of $allow is reachable"
fi
locks=$(grep -v '^#' "$allow" | awk '$2 == "lock" { print $1 }' | tr '\n' ' ')
echo "# locks beyond the module's raw spinlocks: ${locks:-none}"
finish
