#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Host-side tests of the reader: its parsers and formatters against fixture
# files (selftests/reader/fixtures), including damaged ones, built with
# AddressSanitizer and UBSan so a crash or an overflow fails the case.
set -euo pipefail
# shellcheck source=scripts/host-test-lib.sh
. "$(dirname "$0")/../../scripts/host-test-lib.sh"

asan_reader cases
fixtures="$top/selftests/reader/fixtures"
while IFS= read -r line; do
	case "$line" in '#'* | '') continue ;; esac
	IFS='|' read -r rc re dir args <<<"$line"
	rc=$(echo "$rc" | xargs)
	re=$(echo "$re" | sed 's/^ *//; s/ *$//')
	dir=$(echo "$dir" | xargs)
	args=$(echo "$args" | sed 's/^ *//; s/ *$//')
	d="$fixtures/$dir"
	[ "$dir" != - ] || d="$top/build/no-such-dir/oomlens"
	got=0
	# shellcheck disable=SC2086
	out=$(OOMLENS_DEBUGFS='' "$bin" --debugfs "$d" $args 2>&1) || got=$?
	if [ "$got" = "$rc" ] && grep -qE -- "$re" <<<"$out"; then
		ok "oomlens --debugfs $dir $args"
	else
		fail "oomlens --debugfs $dir $args: exit $got (want $rc), output must match /$re/:" \
			"$(echo "$out" | head -n 20)"
	fi
done <"$top/selftests/reader/cases"
finish
