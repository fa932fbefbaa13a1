#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make check: the host-side tests, then the selftests in a VM for every test
# kernel; each prints its own summary, and the last line is the total:
# "N passed, N failed[, N skipped]".  Exit status 0 only if nothing failed.
#
# usage: check.sh [--host-only] [KERNEL...]   (default: 6.1 6.12; "debug"
# and "debug-int3" are the debug kernels of scripts/debug-kernel.sh)
# HOST_TESTS=0 skips the host-side tests.
# TESTS (comma separated) limits the VM selftests to those named;
# TESTS_INT3 those of the debug-int3 kernel (default: TESTS).
# --host-only (make lint): the host-side tests alone, no VM.
# The host tests that need kernel headers check the same KERNELs
# ($OOMLENS_KERNELS).
set -uo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top" || exit 2
host_only=0
if [ "${1:-}" = --host-only ]; then
	host_only=1
	shift
fi
[ $# -gt 0 ] || set -- 6.1 6.12
export OOMLENS_KERNELS="$*"

pass=0 fail=0 skip=0
add() { pass=$((pass + $1)); fail=$((fail + $2)); skip=$((skip + $3)); }

# Host-side tests: each prints its own "N passed, N failed[, N skipped]".
for t in scripts/host-tests/*.sh; do
	[ -x "$t" ] && [ "${HOST_TESTS:-1}" = 1 ] || continue
	name=$(basename "$t" .sh)
	log="$top/build/host-$name.log"
	mkdir -p "$top/build"
	"$t" >"$log" 2>&1
	rc=$?
	line=$(grep -E '^[0-9]+ passed, [0-9]+ failed' "$log" | tail -n 1)
	if [ -z "$line" ]; then
		echo "host $name: no result (exit $rc)"
		tail -n 20 "$log" | sed 's/^/  | /'
		add 0 1 0
		continue
	fi
	read -r p _ f _ s _ <<<"$(echo "$line" | tr -d ',')"
	[ "$rc" = 0 ] || { [ "${f:-0}" -gt 0 ] || f=1; grep -E 'FAIL|not ok|error|^  \| ' "$log" | head -40 | sed 's/^/  | /'; }
	echo "host $name: $line"
	add "$p" "$f" "${s:-0}"
done

[ "$host_only" = 1 ] && set --
for k in "$@"; do
	if [ "$k" = debug ] || [ "$k" = debug-int3 ]; then
		kver=$(scripts/debug-kernel.sh "$k") || { add 0 1 0; continue; }
	else
		kver=$(scripts/kernels.sh "$k") || { add 0 1 0; continue; }
	fi
	# The debug kernels say which probe mechanism the tests must see;
	# debug-int3 runs the tests of the probe handlers (TESTS_INT3).
	vm_env=${OOMLENS_VM_ENV:-} tests=${TESTS:-}
	case "$k" in
	debug) vm_env=${vm_env:+$vm_env,}OOMLENS_EXPECT_PROBES=ftrace ;;
	debug-int3)
		vm_env=${vm_env:+$vm_env,}OOMLENS_EXPECT_PROBES=int3
		tests=${TESTS_INT3:-$tests}
		;;
	esac
	rm -f "build/$kver/check/summary"
	OOMLENS_VM_ENV=$vm_env selftests/vm/run-vm.sh -k "$k" -j check ${tests:+-t "$tests"}
	if [ -f "build/$kver/check/summary" ]; then
		read -r p f s <"build/$kver/check/summary"
		add "$p" "$f" "$s"
	else
		echo "$kver: the VM run failed before any result"
		add 0 1 0
	fi
done

line="$pass passed, $fail failed"
[ "$skip" -gt 0 ] && line="$line, $skip skipped"
echo "$line"
[ "$fail" = 0 ]
