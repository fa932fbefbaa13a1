#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Host-side tests of the reader: its parsers and formatters against fixture
# files (selftests/reader/fixtures), including damaged ones, built with
# AddressSanitizer and UBSan so a crash or an overflow fails the case.
# Prints "ok"/"not ok" per case and ends with "N passed, N failed".
set -uo pipefail

top=$(cd "$(dirname "$0")/../.." && pwd)
bin="$top/build/reader-asan/oomlens"
mkdir -p "$(dirname "$bin")"
if ! make -s -C "$top/userspace" CFLAGS="-O1 -g -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer" \
	OUT="$bin" asan >/dev/null; then
	echo "reader: build with sanitizers failed"
	echo "0 passed, 1 failed"
	exit 1
fi

export ASAN_OPTIONS=detect_leaks=1:abort_on_error=0:exitcode=99
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1:exitcode=98
fixtures="$top/selftests/reader/fixtures"
pass=0 fail=0 n=0
while IFS= read -r line; do
	case "$line" in '#'* | '') continue ;; esac
	IFS='|' read -r rc re dir args <<<"$line"
	rc=$(echo "$rc" | xargs)
	re=$(echo "$re" | sed 's/^ *//; s/ *$//')
	dir=$(echo "$dir" | xargs)
	args=$(echo "$args" | sed 's/^ *//; s/ *$//')
	n=$((n + 1))
	d="$fixtures/$dir"
	[ "$dir" = - ] && d="$top/build/no-such-dir/oomlens"
	# shellcheck disable=SC2086
	out=$(OOMLENS_DEBUGFS= "$bin" --debugfs "$d" $args 2>&1)
	got=$?
	if [ "$got" = "$rc" ] && grep -qE -- "$re" <<<"$out"; then
		pass=$((pass + 1))
		echo "ok $n oomlens --debugfs $dir $args"
	else
		fail=$((fail + 1))
		echo "not ok $n oomlens --debugfs $dir $args: exit $got (want $rc), output must match /$re/:"
		echo "$out" | sed 's/^/#   /' | head -n 20
	fi
done <"$top/selftests/reader/cases"
echo "$pass passed, $fail failed"
[ "$fail" = 0 ]
