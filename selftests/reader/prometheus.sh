#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The reader's --prometheus output passes `promtool check metrics` (Debian
# package prometheus, installed by make deps), for every command that has
# one, on the fixture files (selftests/reader/fixtures), on strings that
# need every escape, on the files captured from the VMs
# (selftests/reader/captured/<kernel>/debugfs) and on the reader's output
# captured there (selftests/reader/captured/<kernel>/*.prom).
set -euo pipefail
# shellcheck source=scripts/host-test-lib.sh
. "$(dirname "$0")/../../scripts/host-test-lib.sh"

need promtool "promtool missing: run make deps"
reader
fx="$top/selftests/reader/fixtures"

check() { # $1 name, $2 exposition file
	if promtool_clean "$2"; then
		ok "$1"
	else
		fail "$1" "$(echo "$promtool_msg" | head -n 20)"
	fi
}

# Every subcommand that accepts --prometheus (prometheus-commands), on each
# fixture directory that has the files it reads: the hand-made good one,
# one whose strings need every escape, and those captured from the VMs.
esc=$tmp/escapes
mkdir "$esc"
out=$tmp/out
cp "$fx/good/version" "$esc/"
{
	echo "pid uid comm rss swapents pgtables adj points score state memcg"
	echo '1 0 init 400 0 7 0 - 0 init /'
	printf '%s\n' '7 0 q"uo\134te\012nl\377\376 100 0 1 0 101 667 killable /a\040b/"c"' \
		'8 0 caf\303\251 100 0 1 0 101 667 killable /\134x'
} >"$esc/tasks"
printf '%s\n' "scope cgroup totalpages result pid points comm" \
	"global / 1000 victim 7 101 q\"uo\\134te\\012nl\\377\\376" \
	"memcg /a\\040b/\"c\" 100 victim 7 101 q\"uo\\134te" >"$esc/predict"

needs() { # ARGS...: the files the command reads
	case "$1" in
	stats) echo version stats ;;
	commit) echo version commit ;;
	top) echo version tasks predict ;;
	events) echo version events stats ;;
	all) echo version stats events commit tasks predict ;;
	esac
}
for d in "$fx/good" "$esc" "$top"/selftests/reader/captured/*/debugfs; do
	[ -d "$d" ] || continue
	where=${d#"$top"/selftests/reader/}
	[ "$d" = "$esc" ] && where="escapes"
	while read -r args; do
		[ -n "$args" ] || continue
		have=1
		# shellcheck disable=SC2086
		for f in $(needs $args); do [ -f "$d/$f" ] || have=0; done
		[ "$have" = 1 ] || continue
		rc=0
		# shellcheck disable=SC2086
		"$bin" --debugfs "$d" --prometheus $args >"$out" 2>&1 || rc=$?
		if [ "$rc" != 0 ]; then
			fail "$where: oomlens --prometheus $args: exit $rc" "$(head -n 5 "$out")"
		elif [ ! -s "$out" ]; then
			fail "$where: oomlens --prometheus $args: no output"
		else
			check "$where: oomlens --prometheus $args" "$out"
		fi
	done <"$top/selftests/reader/prometheus-commands"
done

for f in "$top"/selftests/reader/captured/*/*.prom; do
	[ -f "$f" ] || continue
	check "captured ${f#"$top"/selftests/reader/captured/}" "$f"
done
finish
