#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# insmod/rmmod cycles while readers loop over every oomlens file and the
# reader program, and a follower ("oomlens events --follow") holds events
# open all along: the files vanish and come back under them.  An rmmod
# while a reader holds a file open fails with EAGAIN (the open file pins the
# module; events does not): that is the clean failure, retried and
# counted.  Readers must get clean errors (an exit status, never a signal);
# the follower must still be there at the end, having said each time the
# module went and came back; the kernel must not oops (the rig checks the
# log); the module must load fine at the end.
#
# OOMLENS_LOAD_CYCLES overrides the number of cycles (default 1000).
. "$(dirname "$0")/ktap.sh"

cycles=${OOMLENS_LOAD_CYCLES:-1000}
case "$cycles" in
"" | *[!0-9]*)
	echo "OOMLENS_LOAD_CYCLES='$cycles': not a number of cycles" >&2
	exit 2
	;;
esac
dir=/sys/kernel/debug/oomlens
work=/tmp/stress-load.$$
mkdir -p "$work"
files=$(ls "$dir")

reader() {	# $1: id; loop until $work/stop exists, record bad exits
	while [ ! -e "$work/stop" ]; do
		for f in $files; do
			cat "$dir/$f" >/dev/null 2>&1
			rc=$?
			[ $rc -gt 128 ] && echo "cat $f: signal $((rc - 128))" >>"$work/bad.$1"
		done
		/oomlens/bin/oomlens stats >/dev/null 2>&1
		rc=$?
		case $rc in 0 | 2) ;; *) echo "oomlens stats: exit $rc" >>"$work/bad.$1" ;; esac
		echo x >>"$work/loops.$1"
	done
}

ktap_print_header
ktap_set_plan 6

# The follower first, while the module is there: it starts only on a
# loaded module, then outlives its unloads.
/oomlens/bin/oomlens events --follow >/dev/null 2>"$work/follow.err" &
follower=$!
sleep 1
for i in 1 2 3 4; do reader $i & done

fails=0 busy=0 i=0
while [ $i -lt "$cycles" ]; do
	tries=0
	until err=$(rmmod oomlens 2>&1); do
		case "$err" in
		*"temporarily unavailable"*) busy=$((busy + 1)) ;;
		*) echo "$err" >>"$work/rmmod.err"; fails=$((fails + 1)); break ;;
		esac
		tries=$((tries + 1))
		if [ $tries -ge 1000 ]; then
			echo "rmmod busy 1000 times in a row" >>"$work/rmmod.err"
			fails=$((fails + 1))
			break
		fi
	done
	insmod "$OOMLENS_KO" 2>>"$work/insmod.err" || fails=$((fails + 1))
	i=$((i + 1))
done
touch "$work/stop"
sleep 2	# the follower finds the module loaded again
kill -0 "$follower" 2>/dev/null
alive=$?
kill "$follower" 2>/dev/null
wait

ktap_figure "load/unload" "$cycles cycles, rmmod refused while a file was open (EAGAIN, retried): $busy, other failures: $fails"
[ "$fails" = 0 ] || head -n 5 "$work"/*.err | sed 's/^/# /'
ktap_check "every rmmod and insmod succeeded" test "$fails" = 0

loops=$(cat "$work"/loops.* 2>/dev/null | wc -l)
ktap_figure "reader loops" "reader loops completed: $loops"
ktap_check "readers ran during the cycles" test "$loops" -gt 4

bad=$(cat "$work"/bad.* 2>/dev/null)
[ -z "$bad" ] || echo "$bad" | head -n 10 | sed 's/^/# /'
ktap_check "readers only ever got clean errors" test -z "$bad"

ktap_check "module loaded and readable afterwards" grep -q '^oomlens ' "$dir/version"

gone=$(grep -c 'the module was unloaded' "$work/follow.err")
back=$(grep -c 'the module is back' "$work/follow.err")
ktap_figure "follower" "events --follow across the cycles: saw the module go $gone times, come back $back times"
ktap_check "the follower outlived every unload" test "$alive" = 0 -a "$gone" -ge 1
other=$(grep -v 'the module was unloaded\|the module is back' "$work/follow.err" | head -n 5)
[ -z "$other" ] || echo "$other" | sed 's/^/# /'
ktap_check "... and came back each time it saw it go" test "$back" = "$gone" -a -z "$other"
rm -rf "$work"
ktap_finished
