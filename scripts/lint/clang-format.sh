#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Gate: every C file under module/, include/, userspace/ and selftests/ is
# formatted as the kernel's .clang-format (from linux-source-6.12, extracted
# into build/kernel-tools/) says.  A check, not a reformat: "make format"
# rewrites the files.  Regions between "/* clang-format off */" and
# "/* clang-format on */" are exempt; Documentation/testing.rst lists them
# and says why.
set -euo pipefail
# shellcheck source=scripts/host-test-lib.sh
. "$(dirname "$0")/../host-test-lib.sh"

need clang-format "clang-format is not installed: run 'make deps'"
tools=$(scripts/kernel-tools.sh) || bail clang-format "cannot extract .clang-format"
style="--style=file:$tools/.clang-format"

for f in $(scripts/format-files.sh); do
	if clang-format "$style" --dry-run -Werror "$f" >/dev/null 2>&1; then
		ok "$f"
	else
		fail "$f" "not formatted as the kernel's .clang-format says (make format)"
		{ clang-format "$style" "$f" | diff -u "$f" - || true; } | show -
	fi
done
finish
