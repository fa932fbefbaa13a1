#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The reader's --prometheus output passes `promtool check metrics` (Debian
# package prometheus, installed by make deps), for every command that has
# one, on the fixture files (selftests/reader/fixtures) and on output
# captured from the VM (selftests/reader/captured/*.prom, if any).
# Ends with "N passed, N failed".
set -uo pipefail

top=$(cd "$(dirname "$0")/../.." && pwd)
make -s -C "$top/userspace" >/dev/null || { echo "0 passed, 1 failed"; exit 1; }
bin="$top/userspace/oomlens"
fx="$top/selftests/reader/fixtures"
pass=0 fail=0

check() {	# $1 name; stdin: exposition
	local out
	if out=$(promtool check metrics 2>&1) && [ -z "$out" ]; then
		pass=$((pass + 1)); echo "ok $1"
	else
		fail=$((fail + 1)); echo "not ok $1"; echo "$out" | sed 's/^/#   /' | head -n 20
	fi
}

command -v promtool >/dev/null || { echo "promtool missing: run make deps"; echo "0 passed, 1 failed"; exit 1; }

# Every subcommand that accepts --prometheus, on the good fixture.
while read -r args; do
	[ -n "$args" ] || continue
	# shellcheck disable=SC2086
	o=$("$bin" --debugfs "$fx/good" --prometheus $args 2>&1) || {
		fail=$((fail + 1)); echo "not ok oomlens --prometheus $args: exit $?"; echo "$o" | head -5; continue; }
	[ -n "$o" ] || { fail=$((fail + 1)); echo "not ok oomlens --prometheus $args: no output"; continue; }
	check "oomlens --prometheus $args" <<<"$o"
done <"$top/selftests/reader/prometheus-commands"

for f in "$top"/selftests/reader/captured/*.prom; do
	[ -f "$f" ] || continue
	check "captured $(basename "$f")" <"$f"
done
echo "$pass passed, $fail failed"
[ "$fail" = 0 ]
