#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Take the capture blocks (selftests/test_reader_capture.sh) out of a VM's
# TAP log into files, and check them: each file has the byte count its
# begin line announced, and each .prom passes `promtool check metrics`.
#
# usage: captures.sh TAP_LOG OUT_DIR
#
# Prints "ok"/"not ok" per file and ends with "N passed, N failed" (no
# blocks: "0 passed, 0 failed").  Exit 0 only if nothing failed.
set -euo pipefail

tap=$1 out=$2
rm -rf "$out"
mkdir -p "$out"
pass=0 fail=0

# The blocks, whatever number of "# " the runners put in front.
awk -v out="$out" '
	{ line = $0; sub(/^(# )*/, "", line) }
	line ~ /^capture-begin [^ ]+ [0-9]+$/ {
		split(line, w, " ")
		name = w[2]; want[name] = w[3]
		if (name ~ /(^|\/)\.\.(\/|$)/ || name ~ /^\//) { print "bad name " name; name = ""; next }
		f = out "/" name
		d = f; sub(/\/[^\/]*$/, "", d); system("mkdir -p \"" d "\"")
		printf "" > f
		next
	}
	line ~ /^capture-end / { if (name != "") { close(f); print name, want[name] } name = ""; next }
	name != "" {
		if (line ~ /^\| /) print substr(line, 3) > f
		else if (line == "|") print "" > f
		else { print "stray " name ": " line; name = "" }
	}
' "$tap" >"$out/.index" || { echo "captures: awk failed"; echo "0 passed, 1 failed"; exit 1; }

while read -r name want; do
	case "$name" in
	bad | stray) fail=$((fail + 1)); echo "not ok capture: $name $want"; continue ;;
	esac
	got=$(wc -c <"$out/$name")
	if [ "$got" != "$want" ]; then
		fail=$((fail + 1))
		echo "not ok capture $name: $got bytes, the VM wrote $want"
		continue
	fi
	case "$name" in
	*.prom)
		if msg=$(promtool check metrics <"$out/$name" 2>&1) && [ -z "$msg" ]; then
			pass=$((pass + 1)); echo "ok promtool $name"
		else
			fail=$((fail + 1)); echo "not ok promtool $name"; echo "$msg" | sed 's/^/#   /' | head -n 20
		fi
		;;
	*) pass=$((pass + 1)); echo "ok capture $name ($got bytes)" ;;
	esac
done <"$out/.index"
echo "$pass passed, $fail failed"
[ "$fail" = 0 ]
