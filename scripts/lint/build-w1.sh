#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Gate: the module builds with W=1 without a warning for every test kernel's
# headers (the VM build enforces the same; this says so before any VM boots),
# and the reader builds with -Wall -Wextra -Werror.
set -euo pipefail
# shellcheck source=scripts/host-test-lib.sh
. "$(dirname "$0")/../host-test-lib.sh"

kernels=$(test_kernels) || bail build "test kernels not installed"
for kver in $kernels; do
	kdir=$(scripts/kernels.sh --kdir "$kver")
	d=$(module_copy "$kver" w1)
	rc=0
	make -s -C "$kdir" M="$d" W=1 modules >"$d/build.log" 2>&1 || rc=$?
	grep -v '^Skipping BTF generation' "$d/build.log" >"$d/report.log" || true
	if [ "$rc" != 0 ] || [ ! -f "$d/oomlens.ko" ]; then
		fail "module W=1 $kver" "the build failed"
		show "$d/report.log"
	elif grep -qE 'warning:|error:' "$d/report.log"; then
		fail "module W=1 $kver" "warnings"
		show "$d/report.log"
	else
		ok "module W=1 $kver"
	fi
done

# The reader, built by userspace/Makefile (static, as for the VM, into a
# directory of its own); its compiler command must carry the three flags.
d=$top/build/lint/reader
rm -rf "$d"
mkdir -p "$d"
# MAKEFLAGS from a parent "make -s" would hide the command line checked here.
rc=0
MAKEFLAGS='' make -B -C userspace static BUILD="$d" >"$d/build.log" 2>&1 || rc=$?
cmd=$(grep -E '^(cc|gcc|\$\(CC\)|[^ ]*gcc[^ ]*) ' "$d/build.log" | head -n 1 || true)
missing=""
for flag in -Wall -Wextra -Werror; do
	case " $cmd " in *" $flag "*) ;; *) missing="$missing $flag" ;; esac
done
if [ "$rc" != 0 ] || grep -qE 'warning:|error:' "$d/build.log"; then
	fail "reader -Wall -Wextra -Werror" "the build failed or warned"
	show "$d/build.log"
elif [ -n "$missing" ]; then
	fail "reader -Wall -Wextra -Werror" "userspace/Makefile lost$missing"
	show "$d/build.log"
else
	ok "reader -Wall -Wextra -Werror"
fi
finish
