#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# The reader's "top" on the real module: it runs, shows every process the
# kernel has (as many rows as /proc has processes, give or take the ones
# born or gone meanwhile), shows pid 1 as init, marks as the global victim a
# process whose /proc/<pid>/oom_score is the highest on the system (a hog
# with oom_score_adj 1000, so that the shell's own growth cannot tie it),
# and rejects bad option values with exit 1.
. "$(dirname "$0")/ktap.sh"

ktap_print_header
ktap_set_plan 5

/oomlens/tests/hog -m 1 -a 1000 >/dev/null &
hog=$!
sleep 1

# --all: init and the kernel threads too (hidden by default in the table).
out=$(oomlens top -n 0 --sort pid --all 2>&1)
rc=$?
[ "$rc" = 0 ] || ktap_print_msg "$out"
ktap_check "top runs" test "$rc" = 0

first=$(printf '%s\n' "$out" | awk '$1 ~ /^[0-9]+$/ { print $1, $(NF-1); exit }')
ktap_check "pid 1 is shown first, as init" test "$first" = "1 init"

rows=$(printf '%s\n' "$out" | awk '$1 ~ /^[*M]*[0-9]+$/ || ($1 ~ /^[*M]+$/ && $2 ~ /^[0-9]+$/)' | wc -l)
procs=$(ls -d /proc/[0-9]* | wc -l)
diff=$((rows - procs))
ktap_print_msg "top shows $rows processes, /proc has $procs"
ktap_check "one row per process" test "${diff#-}" -le 3

victim=$(printf '%s\n' "$out" | awk '/^\*/ { sub(/^\*M?/, ""); print $1; exit }')
best=0
for f in /proc/[0-9]*/oom_score; do
	s=$(cat "$f" 2>/dev/null) || continue
	[ "$s" -gt "$best" ] && best=$s
done
vs=$(cat "/proc/$victim/oom_score" 2>/dev/null)
ktap_print_msg "marked victim $victim (hog $hog), oom_score $vs, highest $best"
ktap_check "the marked victim has the highest oom_score" test "$vs" = "$best" -a "$victim" = "$hog"
kill -9 "$hog"
wait "$hog" 2>/dev/null

err=$(oomlens top -n x 2>&1)
rc=$?
ktap_check "bad -n exits 1 naming the value" test "$rc" = 1 -a -n "$(echo "$err" | grep "'x'")"

ktap_finished
