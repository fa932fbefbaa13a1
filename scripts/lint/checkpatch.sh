#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Gate: checkpatch.pl --strict clean (0 errors, 0 warnings, 0 checks) on every
# module/*.[ch] and include/*.h file, found at run time so new files are
# checked too.  checkpatch.pl comes from linux-source-6.12, extracted into
# build/kernel-tools/ by scripts/kernel-tools.sh.
set -euo pipefail
# shellcheck source=scripts/host-test-lib.sh
. "$(dirname "$0")/../host-test-lib.sh"

tools=$(scripts/kernel-tools.sh) || bail checkpatch "cannot extract checkpatch.pl"
out=build/lint/checkpatch
mkdir -p "$out"

for f in $(find module include -type f -name '*.[ch]' | sort); do
	log="$out/$(echo "$f" | tr / _).log"
	rc=0
	perl "$tools/scripts/checkpatch.pl" --strict --no-tree --no-summary \
		--terse --show-types -f "$f" >"$log" 2>&1 || rc=$?
	if [ "$rc" = 0 ] && [ ! -s "$log" ]; then
		ok "$f"
	else
		fail "$f" "checkpatch --strict (fix, or see Documentation/testing.rst)"
		show "$log"
	fi
done
finish
