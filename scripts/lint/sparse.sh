#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Gate: sparse (make C=2, Debian's "sparse") reports nothing on the module,
# for every test kernel's headers.  C=2 checks every source file whether or
# not it needs recompiling.
set -euo pipefail
# shellcheck source=scripts/host-test-lib.sh
. "$(dirname "$0")/../host-test-lib.sh"

need sparse "sparse is not installed: run 'make deps'"
kernels=$(test_kernels) || bail sparse "test kernels not installed"
for kver in $kernels; do
	kdir=$(scripts/kernels.sh --kdir "$kver")
	d=$(module_copy "$kver" sparse)
	rc=0
	make -s -C "$kdir" M="$d" C=2 CHECK=sparse modules >"$d/sparse.log" 2>&1 || rc=$?
	grep -v '^Skipping BTF generation' "$d/sparse.log" >"$d/report.log" || true
	if [ "$rc" != 0 ]; then
		fail "sparse $kver" "the build failed"
		show "$d/report.log"
	elif grep -qE 'warning:|error:' "$d/report.log"; then
		fail "sparse $kver" "sparse is not silent"
		show "$d/report.log"
	else
		ok "sparse $kver"
	fi
done
finish
