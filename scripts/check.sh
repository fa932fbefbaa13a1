#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make check: the host gates, then the selftests in a VM for every test
# kernel; each prints its own summary, and the last line is the total:
# "N passed, N failed[, N skipped]".  Exit status 0 only if nothing failed.
#
# usage: check.sh [--lint | --host-only] [KERNEL...]   (default: 6.1 6.12;
# "debug", "debug-int3" and "debug-rt" are the debug kernels of scripts/debug-kernel.sh)
#   --lint       (make lint) the lint gates alone, scripts/lint/*.sh; no VM
#   --host-only  (make check-host) every host gate: the lint gates,
#                scripts/host-untouched.sh and the reader's tests,
#                selftests/reader/*.sh; no VM
# HOST_TESTS=0 skips the host gates.
# TESTS (comma separated) limits the VM selftests to those named;
# TESTS_INT3 those of the debug-int3 kernel (default: TESTS).
# STRESS=short (default) runs the stress tests on the generic kernels with
# make check's counts, $short_env below: a 250-OOM storm, 50 OOMs under
# rmmod, 30000 fuzzed writes, 150 load/unload cycles, so that make check
# fits CI's 45 minutes (on 2026-12-03 the programs' own counts, 500, 100,
# 100000 and 1000, took over 1500 s a kernel under TCG); STRESS=full runs
# the programs' own counts.  The debug kernels take theirs from make
# check-debug.
# The host gates that need kernel headers check the same KERNELs
# ($OOMLENS_KERNELS).  Each host gate writes KTAP (scripts/host-test-lib.sh)
# into build/host-<gate>.log; a gate without a plan, with fewer results
# than its plan or with a non-zero exit and no failed result counts as one
# failure.
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
host_only=0
gates="scripts/lint/*.sh scripts/host-untouched.sh selftests/reader/*.sh"
case "${1:-}" in
--lint)
	host_only=1 gates="scripts/lint/*.sh"
	shift
	;;
--host-only)
	host_only=1
	shift
	;;
esac
[ $# -gt 0 ] || set -- 6.1 6.12
case "${STRESS:-short}" in
short | full) ;;
*)
	echo "check.sh: STRESS='$STRESS': not short or full" >&2
	exit 2
	;;
esac
short_env=OOMLENS_STORM_OOMS=250,OOMLENS_RMMOD_OOMS=50,OOMLENS_FUZZ_WRITES=30000,OOMLENS_LOAD_CYCLES=150
export OOMLENS_KERNELS="$*"

pass=0 fail=0 skip=0
add() { pass=$((pass + $1)); fail=$((fail + $2)); skip=$((skip + $3)); }

# count PATTERN LOG: the lines of LOG that match.
count() { grep -cE "$1" "$2" || true; }

# One host gate: its KTAP added up, its failures shown.
host_gate() {
	local t=$1 name log rc=0 n p f s
	name=$(basename "$t" .sh)
	log="$top/build/host-$name.log"
	"$t" >"$log" 2>&1 || rc=$?
	n=$(sed -n '1{/^KTAP version 1$/!q};2s/^1\.\.\([0-9][0-9]*\)$/\1/p' "$log")
	if [ -z "$n" ]; then
		echo "host $name: no KTAP result (exit $rc)"
		tail -n 20 "$log" | sed 's/^/  | /'
		add 0 1 0
		return
	fi
	s=$(count '^ok [0-9]+ .* # SKIP' "$log")
	p=$(($(count '^ok [0-9]+ ' "$log") - s))
	f=$(count '^not ok [0-9]+ ' "$log")
	if [ $((p + f + s)) != "$n" ]; then
		echo "host $name: $((p + f + s)) results, plan 1..$n"
		f=$((f + 1))
	fi
	if [ "$rc" != 0 ] || [ "$f" -gt 0 ]; then
		[ "$f" -gt 0 ] || f=1
		# The failed results and the diagnostics after each.
		awk '/^not ok / { d = 1 } /^ok |^# Totals:/ { d = 0 }
			d && n++ < 40 { print "  | " $0 }' "$log"
	fi
	if [ "$s" = 0 ]; then
		echo "host $name: $p passed, $f failed"
	else
		echo "host $name: $p passed, $f failed, $s skipped"
	fi
	add "$p" "$f" "$s"
}

if [ "${HOST_TESTS:-1}" = 1 ]; then
	mkdir -p "$top/build"
	for t in $gates; do
		[ -x "$t" ] || continue
		host_gate "$t"
	done
fi

# A VM run's verdict is the summary it writes, not its exit status.
summary() { # release logs-directory
	if [ -f "build/$1/$2/summary" ]; then
		read -r p f s <"build/$1/$2/summary" || true
		add "$p" "$f" "$s"
	else
		echo "$1: the VM run ($2) failed before any result"
		add 0 1 0
	fi
}
own_boot=$(sed -n 's/^TEST_PROGS_OWN_BOOT := //p' selftests/Makefile)

[ "$host_only" = 1 ] && set --
for k in "$@"; do
	rm -f "build/vm-$k.log"
	if [ "$k" = debug ] || [ "$k" = debug-int3 ] || [ "$k" = debug-rt ]; then
		kver=$(scripts/debug-kernel.sh "$k") || { add 0 1 0; continue; }
	else
		kver=$(scripts/kernels.sh "$k") || { add 0 1 0; continue; }
	fi
	# The debug kernels say which probe mechanism the tests must see;
	# debug-int3 runs the tests of the probe handlers (TESTS_INT3).
	vm_env=${OOMLENS_VM_ENV:-} tests=${TESTS:-}
	# The generic kernels get make check's stress counts (see the header)
	# unless STRESS=full; OOMLENS_VM_ENV, later in the list the VM
	# exports, overrides either.
	case "$k" in
	debug | debug-rt) vm_env=${vm_env:+$vm_env,}OOMLENS_EXPECT_PROBES=ftrace ;;
	debug-int3)
		vm_env=${vm_env:+$vm_env,}OOMLENS_EXPECT_PROBES=int3
		tests=${TESTS_INT3:-$tests}
		;;
	*) [ "${STRESS:-short}" = full ] || vm_env=$short_env${vm_env:+,$vm_env} ;;
	esac
	# Those of their own boot are not run in this one.
	if [ -n "$tests" ]; then
		for t in $own_boot; do
			tests=$(echo ",$tests," | sed "s/,$t,/,/g; s/^,//; s/,\$//")
		done
	fi
	rm -f "build/$kver/check/summary"
	if [ -n "${TESTS:-}" ] && [ -z "$tests" ]; then
		: # only tests of their own boot were asked for
	else
		OOMLENS_VM_ENV=$vm_env selftests/vm/run-vm.sh -k "$k" -j check ${tests:+-t "$tests"} |
			tee "build/vm-$k.log" || true
		summary "$kver" check
	fi
	# The tests that need a boot of their own (selftests/Makefile
	# TEST_PROGS_OWN_BOOT), each in a VM of its own, on the generic
	# kernels, when the whole suite or that test was asked for.
	case "$k" in debug | debug-int3 | debug-rt) continue ;; esac
	for t in $own_boot; do
		case ",${TESTS:-$t}," in *",$t,"*) ;; *) continue ;; esac
		name=${t%.sh}
		name=check-${name#test_}
		name=${name//_/-}
		rm -f "build/$kver/$name/summary"
		OOMLENS_VM_ENV=$vm_env selftests/vm/run-vm.sh -k "$k" -j check \
			-o "$name" -t "$t" | tee -a "build/vm-$k.log" || true
		summary "$kver" "$name"
	done
done

# A digest of what failed, last but the total: a CI log shown by its tail
# still says which test, and the kernel's first words on a crash.
if [ "$fail" -gt 0 ]; then
	for k in "$@"; do
		[ -f "build/vm-$k.log" ] || continue
		grep -E '^vm: .*(FAILED:|did not reach|timed out|plan incomplete|qemu exited)|^kernel log: [a-z-]+ report at line' \
			"build/vm-$k.log" | head -n 6 | cut -c 1-200 | sed "s/^/digest $k: /"
	done
fi

line="$pass passed, $fail failed"
[ "$skip" -gt 0 ] && line="$line, $skip skipped"
echo "$line"
[ "$fail" = 0 ]
