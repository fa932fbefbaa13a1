#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# The module loads and unloads cleanly, creates its debugfs directory with
# root-only files, and removes it on unload.  The files are those the ABI
# names (include/oomlens_abi.h, OOMLENS_FILE_*: abi_files, made at build time).
. "$(dirname "$0")/ktap.sh"

dir=/sys/kernel/debug/oomlens
files=$(cat "$(dirname "$0")/abi_files") || exit 1
stat_of() { awk -v k="$1" '$1 == k { print $2 }' "$dir/stats"; }

ktap_print_header
ktap_set_plan 11

ktap_check "module is loaded" test -d /sys/module/oomlens
ktap_check "debugfs directory exists" test -d "$dir"

missing=""
for f in $files; do [ -f "$dir/$f" ] || missing="$missing $f"; done
[ -z "$missing" ] || ktap_print_msg "missing:$missing"
ktap_check "every file the ABI names exists" test -n "$files" -a -z "$missing"

# Root-only: owner root, no permission bits for group or others.
loose=""
for f in "$dir"/*; do
	perm=$(stat -c '%a %u' "$f")
	case "$perm" in
	400\ 0 | 600\ 0 | 200\ 0) ;;
	*) loose="$loose $(basename "$f")=$perm" ;;
	esac
done
[ -z "$loose" ] || ktap_print_msg "not root-only:$loose"
ktap_check "every file is root-only" test -z "$loose"

# The OOM probes: attached, with mark_oom_victim counting kills, on every
# kernel; on PREEMPT_RT the candidates' rows have points only, said in
# stats (design.rst, "PREEMPT_RT").
states="$(stat_of probe_out_of_memory) $(stat_of probe_oom_kill_process) $(stat_of probe___oom_kill_process) $(stat_of probe_mark_oom_victim)"
ktap_print_msg "probes: $states; refused: $(stat_of probe_refused); kills by $(stat_of events_kills_counted_by); events_path $(stat_of events_path); components $(stat_of candidates_components)"
ktap_check "the four OOM probes are attached, none refused" \
	test "$states" = "attached attached attached attached" -a \
	"$(stat_of probe_refused)" = - -a "$(stat_of events_path)" = probes
ktap_check "kills are counted as the kernel counts them" \
	test "$(stat_of events_kills_counted_by)" = mark_oom_victim -a \
	"$(stat_of probe_kill_nmissed)" = 0
if uname -v | grep -q PREEMPT_RT; then
	ktap_check "PREEMPT_RT: the rows' components are not read, stats says so" \
		test "$(stat_of candidates_components)" = preempt_rt
else
	ktap_check "the rows' components are read at the kill" \
		test "$(stat_of candidates_components)" = read
fi

# The _source keys say what the older _path keys say, in the one
# vocabulary of include/oomlens_abi.h (OOMLENS_SRC_*).
src_of() { case "$1" in kernel) echo kernel ;; proc) echo procfs ;; formula) echo derived ;; probes) echo kernel ;; notifier) echo derived ;; *) echo "?$1" ;; esac; }
ktap_print_msg "sources: badness $(stat_of badness_source) swap_total $(stat_of swap_total_source) swappiness $(stat_of swappiness_source) events $(stat_of events_source)"
ktap_check "each _source key agrees with its older _path key" \
	test "$(stat_of badness_source)" = "$(src_of "$(stat_of badness_path)")" -a \
	"$(stat_of swap_total_source)" = "$(src_of "$(stat_of swap_total_path)")" -a \
	"$(stat_of swappiness_source)" = "$(src_of "$(stat_of swappiness_path)")" -a \
	"$(stat_of events_source)" = "$(src_of "$(stat_of events_path)")"

ktap_check "rmmod succeeds" rmmod oomlens
ktap_check "debugfs directory gone after rmmod" test ! -e "$dir"
insmod "$OOMLENS_KO"
ktap_check "insmod again gives a readable version" grep -q '^oomlens ' "$dir/version"

ktap_finished
