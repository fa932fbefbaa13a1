#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# The reader with strings chosen by processes, on the real module: hogs
# whose comm is set by prctl(PR_SET_NAME) (hog -n) to an OSC title sequence
# (ESC ] 0 ; ... BEL), a newline, a carriage return, a lone "-", a C1 CSI
# and 15 bytes of invalid UTF-8, and a memory cgroup named with ESC [ 2 J
# in which a hog with the OSC name causes a memcg OOM.  top, events and
# explain must print no C0 control byte but newline, no DEL, no C1 control
# and no byte 0xff (the only invalid byte used), and must show each string
# escaped (\x1b, \x0a, \xff); --json gives the exact strings back (jq).
# The host gate hostile.sh checks the same on fixtures, and UTF-8 and
# promtool besides.
. "$(dirname "$0")/ktap.sh"

HOG=/oomlens/tests/hog
CG=$(printf '/sys/fs/cgroup/evil\033[2Jx')

ktap_print_header
ktap_set_plan 9

pids=""
for n in '\033]0;pwn\007' 'a\012b' 'x\015y' '-' '\302\2332J' \
	'\377\377\377\377\377\377\377\377\377\377\377\377\377\377\377'; do
	"$HOG" -m 1 -n "$n" >/dev/null &
	pids="$pids $!"
done
sleep 1

# No raw control byte, DEL, C1 control (C2 80..C2 9F) or 0xff in $1.
safe() {
	all=$(printf '%s' "$1" | tr -d '\n' | wc -c)
	clean=$(printf '%s' "$1" | tr -d '\n' | tr -d '\000-\037\177\377' | wc -c)
	c1=$(printf '%s' "$1" | grep -c "$(printf '\302[\200-\237]')")
	[ "$all" = "$clean" ] && [ "$c1" = 0 ]
}
# $1 holds every fixed string after it.
shows() {
	o=$1
	shift
	for s in "$@"; do
		printf '%s' "$o" | grep -qF -- "$s" || { ktap_print_msg "not shown: $s"; return 1; }
	done
}

out=$(oomlens top -n 0 2>&1)
ktap_check "top: no raw control byte" safe "$out"
ktap_check "top: the names escaped" shows "$out" '\x1b]0;pwn\x07' 'a\x0ab' 'x\x0dy' \
	'\xc2\x9b2J' '\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff'
json=$(oomlens --json top -n 0 2>&1)
n=$(printf '%s' "$json" | jq '[.tasks[] | select(.comm == "\u001b]0;pwn\u0007" or .comm == "a\nb" or .comm == "x\ry" or .comm == "-" or .comm == "\u009b2J")] | length')
ktap_check "top --json: the names exactly (5 of them)" test "$n" = 5

# A memcg OOM in the cgroup with ESC in its name, by a hog with the OSC name.
echo +memory >/sys/fs/cgroup/cgroup.subtree_control 2>/dev/null
rmdir "$CG" 2>/dev/null
mkdir "$CG" && echo 16M >"$CG/memory.max" && echo 0 >"$CG/memory.swap.max"
"$HOG" -c "$CG" -n '\033]0;pwn\007' >/dev/null 2>&1
ktap_print_msg "the memcg OOM's hog exited with $?"
sleep 1

out=$(oomlens events 2>&1)
ktap_check "events: no raw control byte" safe "$out"
ktap_check "events: comm and cgroup escaped" shows "$out" '\x1b]0;pwn\x07' '/evil\x1b[2Jx'
out=$(oomlens explain 2>&1)
ktap_check "explain: no raw control byte" safe "$out"
ktap_check "explain: comm and cgroup escaped" shows "$out" '\x1b]0;pwn\x07' '/evil\x1b[2Jx'
json=$(oomlens --json explain 2>&1)
got=$(printf '%s' "$json" | jq -r '[.victim_comm, .oom_memcg] | @json')
ktap_print_msg "explain --json: $got"
ktap_check "explain --json: the exact strings" test "$got" = '["\u001b]0;pwn\u0007","/evil\u001b[2Jx"]'
out=$(oomlens top --cgroup "$(printf 'x\033[2J')" 2>&1)
ktap_check "an error quoting a bad argument escapes it" shows "$out" 'x\x1b[2J'

# shellcheck disable=SC2086
kill -9 $pids 2>/dev/null
wait 2>/dev/null
rmdir "$CG" 2>/dev/null
ktap_finished
