#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Gate: the documentation builds with sphinx-build -W (a warning is an
# error; Debian's python3-sphinx, no extension), and every debugfs file
# (OOMLENS_FILE_*) and every stats key (OOMLENS_STAT_*) named in
# include/oomlens_abi.h is documented, as ``name``, in
# Documentation/admin-guide.rst; every Prometheus metric is in
# Documentation/metrics.inc, included by the guide and the man page.
set -euo pipefail
# shellcheck source=scripts/host-test-lib.sh
. "$(dirname "$0")/../host-test-lib.sh"

out=$(workdir docs)
if ! command -v sphinx-build >/dev/null; then
	fail sphinx "sphinx-build is not installed: run 'make deps'"
elif sphinx-build -W --keep-going -n -q -b html -d "$out/doctrees" \
	Documentation "$out/html" >"$out/sphinx.log" 2>&1; then
	ok "sphinx-build -W"
else
	fail "sphinx-build -W" "warnings or errors"
	show "$out/sphinx.log"
fi

guide=Documentation/admin-guide.rst
names=$(sed -n 's/^#define OOMLENS_\(FILE\|STAT\)_[A-Z0-9_]*[[:space:]]*"\([^"]*\)".*/\2/p' include/oomlens_abi.h)
missing=""
for n in $names; do
	grep -qF "\`\`$n\`\`" "$guide" 2>/dev/null || missing="$missing $n"
done
if [ -n "$names" ] && [ -z "$missing" ]; then
	ok "every debugfs file and stats key is documented"
else
	fail "undocumented in $guide:${missing:- (no names found in the ABI header)}"
fi
# Every Prometheus metric the reader writes (a literal "oomlens_..." name
# in userspace/) is in Documentation/metrics.inc, which both the admin
# guide and the man page include.
metrics=$({ grep -ho '"oomlens_[a-z0-9_]*"' userspace/*.c || true; } | tr -d '"' | sort -u)
missing=""
for n in $metrics; do
	grep -qF "\`\`$n\`\`" Documentation/metrics.inc || missing="$missing $n"
done
if [ -n "$metrics" ] && [ -z "$missing" ]; then
	ok "every Prometheus metric is documented ($(echo "$metrics" | wc -l))"
else
	fail "metrics undocumented in Documentation/metrics.inc:${missing:- (no names found in userspace/)}"
fi
# design.rst's module table: one row per file of module/, no row for a
# file that is not there.
# shellcheck disable=SC2016 # the backquotes of reStructuredText
rows=$(sed -n '/^Module layout$/,/^Load order/s/^``\([a-z_]*\.[ch]\)``.*/\1/p' Documentation/design.rst | sort)
files=$(cd module && printf '%s\n' *.c *.h | sort)
if [ -n "$rows" ] && [ "$rows" = "$files" ]; then
	ok "design.rst's module table has one row per file of module/ ($(echo "$files" | wc -l))"
else
	fail "design.rst's module table differs from module/" \
		"$(diff <(echo "$rows") <(echo "$files") | grep '^[<>]' | tr '\n' ' ' || true)"
fi
for d in "$guide" Documentation/oomlens.rst; do
	if grep -q '^\.\. include:: metrics.inc$' "$d"; then
		ok "$d lists the metrics"
	else
		fail "$d does not include metrics.inc"
	fi
done
finish
