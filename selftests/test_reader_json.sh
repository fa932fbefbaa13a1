#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Every subcommand's --json parses with jq, and its numbers are the debugfs
# files' and, where the kernel is the oracle, the kernel's:
#   - on one snapshot of the files (so that reader and files see the same
#     moment): stats, commit, top (tasks and predict), events and explain,
#     number by number;
#   - live: a sleeping task's oom_score and oom_score_adj against
#     /proc/<pid>/{oom_score,oom_score_adj}, its rss against statm's (within
#     the per-cpu counters' batch, see below); CommitLimit and
#     Committed_AS of /proc/meminfo against commit's (Committed_AS read
#     before and after the reader, within the per-cpu counter's error plus
#     1 MiB: each reading process, awk then oomlens, counts its own
#     commitment);
#   - the --prometheus samples carry the same numbers as --json.
. "$(dirname "$0")/ktap.sh"

PATH=/oomlens/bin:/oomlens/tests:$PATH
dir=/sys/kernel/debug/oomlens
cg=/sys/fs/cgroup/oltjson
tmp=/tmp/reader-json
snap=$tmp/debugfs

ktap_print_header
command -v jq >/dev/null || {
	echo "1..0 # SKIP jq is not in the VM"
	exit "$KSFT_SKIP"
}
ktap_set_plan 11

cleanup() {
	[ -n "${h1:-}" ] && kill -9 "$h1" "$h2" 2>/dev/null
	wait 2>/dev/null
	rmdir "$cg" 2>/dev/null
	rm -rf "$tmp"
}
trap cleanup EXIT
mkdir -p "$snap"

# An OOM event of our own (the test must not depend on the others'), and
# two sleeping tasks of known size and oom_score_adj.
echo +memory >/sys/fs/cgroup/cgroup.subtree_control
rmdir "$cg" 2>/dev/null
mkdir "$cg" && echo 16M >"$cg/memory.max" && echo 0 >"$cg/memory.swap.max"
hog -c "$cg"
ktap_print_msg "memcg OOM: hog exited with status $?"
hog -m 8 -a 500 >"$tmp/r1" &
h1=$!
hog -m 3 -c "$cg" >"$tmp/r2" &
h2=$!
sleep 1

for f in version stats events tasks predict commit; do
	cat "$dir/$f" >"$snap/$f"
done
ol() { oomlens --debugfs "$snap" "$@"; }

# same NAME FILE_A FILE_B: the two sorted line sets are equal (and not empty).
same() {
	sort "$2" >"$2.s"
	sort "$3" >"$3.s"
	if [ -s "$2.s" ] && diff "$2.s" "$3.s" >"$tmp/diff"; then
		ktap_test_pass "$1 ($(wc -l <"$2.s") values)"
	else
		ktap_print_msg "$1: json (<) vs debugfs (>):"
		sed 's/^/#   /' "$tmp/diff" | head -n 20
		ktap_test_fail "$1"
	fi
}

# stats: every key, number or word.
ol --json stats | jq -r 'to_entries[] | "\(.key) \(.value)"' >"$tmp/a"
same "stats --json equals the stats file" "$tmp/a" "$snap/stats"

# commit: every number the JSON shares with the file (page_size excepted).
page=$(ol --json commit | jq -r .page_size)
ol --json commit | jq -r 'to_entries[] | select(.value | type == "number") | "\(.key) \(.value)"' |
	grep -v '^page_size ' >"$tmp/a"
awk 'NR == FNR { k[$1] = 1; next } ($1 in k)' "$tmp/a" "$snap/commit" >"$tmp/b"
same "commit --json equals the commit file" "$tmp/a" "$tmp/b"

# top: every task, every numeric column (sizes back to pages).
ol --json top -n 0 | jq -r --argjson p "$page" '.tasks[] |
	"\(.pid) \(.uid) \(.rss_bytes / $p) \(.swap_bytes / $p) \(.pgtables_bytes / $p) \(.oom_score_adj) \(.points // "-") \(.oom_score) \(.state)"' >"$tmp/a"
awk 'NR > 1 { print $1, $2, $4, $5, $6, $7, $8, $9, $10 }' "$snap/tasks" >"$tmp/b"
same "top --json tasks equal the tasks file" "$tmp/a" "$tmp/b"

ol --json top -n 0 | jq -r '.predict[] |
	"\(.scope) \(.totalpages) \(.result) \(.pid // "-") \(.points // "-")"' >"$tmp/a"
awk 'NR > 1 { print $1, $3, $4, $5, $6 }' "$snap/predict" >"$tmp/b"
same "top --json predictions equal the predict file" "$tmp/a" "$tmp/b"

# events: every numeric key and every candidate of every event (null, not
# read, is 0 in the file, with read=0).
ol --json events | jq -r '. as $e | to_entries[] |
	select(.key != "seq" and (.value | type == "number")) | "\($e.seq) \(.key) \(.value)"' >"$tmp/a"
awk '$1 == "event" { s = $2; next } $1 == "candidates" || $1 == "cand" || $1 == "end" { next }
	$2 ~ /^-?[0-9]+$/ && $1 != "comm" && $1 != "victim_comm" { print s, $1, $2 }' "$snap/events" >"$tmp/b"
same "events --json numbers equal the events file" "$tmp/a" "$tmp/b"

# (memcg: the file names the event's cand_memcg_<i> by index, JSON the
# path; 0 is null.)
ol --json events | jq -r '.seq as $s | .candidates[] |
	"\($s) \(.rank) pid=\(.pid) uid=\(.uid) adj=\(.adj) points=\(.points) score=\(.score) rss=\(.rss_pages // 0) swap=\(.swap_pages // 0) pgtables=\(.pgtables_pages // 0) read=\(if .components_read then 1 else 0 end) start_ns=\(.start_ns) memcg=\(.memcg // "-")"' >"$tmp/a"
awk '$1 == "event" { s = $2; split("", m) }
	$1 ~ /^cand_memcg_[0-9]+$/ { m[substr($1, 12)] = $2 }
	$1 == "cand" {
		for (i = 2; i < NF; i++)
			if ($i ~ /^memcg=/) {
				k = substr($i, 7)
				$i = "memcg=" (k == 0 ? "-" : m[k])
			}
		$NF = ""; sub(/ $/, ""); $1 = s; print
	}' "$snap/events" >"$tmp/b"
same "events --json candidates equal the events file" "$tmp/a" "$tmp/b"

# explain: the newest event, the same object as its events line.
ol --json explain | jq -c 'del(.constraint_explained)' >"$tmp/a"
ol --json events | tail -n 1 | jq -c . >"$tmp/b"
same "explain --json is the newest event" "$tmp/a" "$tmp/b"

# The kernel as the oracle, live.
# rss: what oom_badness() counts is get_mm_rss(), which since 6.2 reads
# per-cpu counters without their per-cpu parts, while /proc/<pid>/statm may
# sum them exactly (6.12): the two may differ by up to the three counters'
# (file, anon, shmem) batch, max(32, 2 * CPUs) pages, on each CPU.
ncpu=$(nproc)
batch=$((2 * ncpu > 32 ? 2 * ncpu : 32))
slack=$((3 * batch * ncpu))
oomlens --json top -n 0 >"$tmp/top.json"
bad=""
for p in $h1 $h2 1; do
	set -- $(jq -r --argjson p "$p" --argjson ps "$page" '.tasks[] | select(.pid == $p) |
		"\(.oom_score) \(.oom_score_adj) \(.rss_bytes / $ps)"' "$tmp/top.json")
	k_score=$(cat /proc/$p/oom_score) k_adj=$(cat /proc/$p/oom_score_adj)
	k_rss=$(awk '{ print $2 }' /proc/$p/statm)
	ktap_print_msg "pid $p: oom_score $1/$k_score, oom_score_adj $2/$k_adj, rss $3/$k_rss pages (reader/kernel; rss within $slack)"
	d=$(($3 - k_rss))
	[ "$1" = "$k_score" ] && [ "$2" = "$k_adj" ] && [ "${d#-}" -le "$slack" ] || bad="$bad $p"
done
ktap_check "oom_score and oom_score_adj equal /proc, rss statm's, for sleeping tasks" test -z "$bad"

meminfo() { awk -v k="$1:" '$1 == k { print $2 }' /proc/meminfo; }
c0=$(meminfo Committed_AS)
oomlens --json commit >"$tmp/commit.json"
c1=$(meminfo Committed_AS)
limit=$(meminfo CommitLimit)
set -- $(jq -r '"\(.commit_limit_kb) \(.committed_kb) \(.committed_error_pages * .page_size / 1024)"' "$tmp/commit.json")
ktap_print_msg "CommitLimit $limit kB, reader $1; Committed_AS $c0..$c1 kB, reader $2 (error $3 kB)"
ktap_check "commit_limit_kb equals CommitLimit" test "$1" = "$limit"
lo=$((c0 < c1 ? c0 : c1)) hi=$((c0 > c1 ? c0 : c1))
ktap_check "committed_kb is Committed_AS within the counter's error" \
	test "$2" -ge $((lo - $3 - 1024)) -a "$2" -le $((hi + $3 + 1024))

# --prometheus carries the --json numbers.
pv() { awk -v m="$1" '$1 == m { print $2 }' "$tmp/prom"; }
ol --prometheus commit >"$tmp/prom"
a="$(pv oomlens_commit_limit_bytes) $(pv 'oomlens_commit_headroom_bytes{privilege="user"}')"
b=$(ol --json commit | jq -r '"\(.commit_limit_pages * .page_size) \(.headroom_user_pages * .page_size)"')
# The OOM event counts are the module's lifetime counts (stats), which
# never go down; the ring's last seq is stats'.
ol --prometheus events >"$tmp/prom"
a="$a $(pv 'oomlens_oom_events_by_constraint_total{constraint="CONSTRAINT_MEMCG"}')"
b="$b $(awk '$1 == "events_constraint_memcg" { print $2 }' "$snap/stats")"
ol --prometheus stats >"$tmp/prom"
a="$a $(pv oomlens_events_last_seq)"
b="$b $(awk '$1 == "events_last_seq" { print $2 }' "$snap/stats")"
ol --prometheus top -n 1 >"$tmp/prom"
a="$a $(grep '^oomlens_task_badness_points{' "$tmp/prom" | awk '{ print $2 }')"
b="$b $(ol --json top -n 1 | jq -r '.tasks[0].points')"
ktap_print_msg "prometheus: $a; json: $b"
ktap_check "--prometheus has the --json numbers" test "$a" = "$b"

ktap_finished
