#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Fixtures from a real kernel: after a memory cgroup OOM and a global OOM,
# with a sleeping task in a limited cgroup and one whose name holds a space,
# dump every debugfs file the reader reads, raw, and the reader's output for
# every subcommand (table, --json, --prometheus) on that same snapshot, into
# the TAP log as delimited blocks:
#
#   # capture-begin NAME BYTES
#   # | <each line of the content>
#   # capture-end NAME
#
# (run-tests adds one more "# " in front).  On the host, run-vm.sh takes
# them out into build/<kver>/check/captured/ (selftests/vm/captures.sh) and
# runs promtool on the .prom ones; "make fixtures" commits them under
# selftests/reader/captured/<kernel>/.
. "$(dirname "$0")/ktap.sh"

PATH=/oomlens/bin:/oomlens/tests:$PATH
dir=/sys/kernel/debug/oomlens
cg=/sys/fs/cgroup/oltcap
snap=/tmp/capture/debugfs
out=/tmp/capture/out
files="version stats events last tasks predict commit"

ktap_print_header
ktap_set_plan 5

cleanup() {
	[ -n "${sleeper:-}" ] && kill -9 "$sleeper" 2>/dev/null
	[ -n "${spaced:-}" ] && kill -9 "$spaced" 2>/dev/null
	wait 2>/dev/null
	echo "$overcommit" >/proc/sys/vm/overcommit_memory
	rmdir "$cg" 2>/dev/null
	rm -rf /tmp/capture "/tmp/cap hog"
}
overcommit=$(cat /proc/sys/vm/overcommit_memory)
trap cleanup EXIT

capture() { # NAME FILE
	echo "# capture-begin $1 $(wc -c <"$2")"
	sed 's/^/# | /' "$2"
	echo "# capture-end $1"
}

echo +memory >/sys/fs/cgroup/cgroup.subtree_control
rmdir "$cg" 2>/dev/null
mkdir "$cg" && echo 16M >"$cg/memory.max" && echo 0 >"$cg/memory.swap.max"

before=$(awk '$1 == "events_last_seq" { print $2 }' "$dir/stats")
hog -c "$cg"
rc=$?
ktap_print_msg "memcg OOM: hog exited with status $rc"
ktap_check "a memcg OOM killed the hog" test "$rc" = 137

echo 1 >/proc/sys/vm/overcommit_memory
hog -a 1000
rc=$?
echo "$overcommit" >/proc/sys/vm/overcommit_memory
ktap_print_msg "global OOM: hog exited with status $rc"
ktap_check "a global OOM killed the hog" test "$rc" = 137

# What stays for the snapshot: a task in the limited cgroup (a memcg
# prediction with a victim) and one whose comm needs escaping.
hog -m 4 -c "$cg" >/tmp/capture.ready &
sleeper=$!
cp /oomlens/tests/hog "/tmp/cap hog"
"/tmp/cap hog" -m 2 -a 300 >/tmp/capture.ready2 &
spaced=$!
sleep 1

kinds=$(awk -v b="$before" '$1 == "event" { s = $2 } $1 == "kind" && s > b { print $2 }' "$dir/events" | sort -u | tr '\n' ' ')
ktap_print_msg "kinds of the new events: $kinds"
ktap_check "events holds both OOMs" test "$kinds" = "global memcg "

mkdir -p "$snap" "$out"
for f in $files; do
	cat "$dir/$f" >"$snap/$f"
done

bad=""
run() { # NAME ARGS...: the reader on the snapshot
	n=$1
	shift
	oomlens --debugfs "$snap" "$@" >"$out/$n" 2>"$out/$n.err" || {
		bad="$bad $n"
		sed 's/^/# /' "$out/$n.err"
	}
}
for c in stats events explain top commit; do
	run "$c.txt" "$c"
	run "$c.json" --json "$c"
done
for c in stats events top commit all; do
	run "$c.prom" --prometheus "$c"
done
# commit --check writes commit_check: the live module, not the snapshot
# (its JSON is checked against its schema on the host).
oomlens --json commit --check $$ 1M >"$out/commit-check.json" 2>"$out/commit-check.json.err" || {
	bad="$bad commit-check.json"
	sed 's/^/# /' "$out/commit-check.json.err"
}
ktap_check "every subcommand runs on the snapshot" test -z "$bad"

jqbad=""
if command -v jq >/dev/null; then
	for f in "$out"/*.json; do
		jq -e . "$f" >/dev/null 2>&1 || jqbad="$jqbad $(basename "$f")"
	done
	ktap_check "every --json output parses with jq" test -z "$jqbad"
else
	ktap_test_skip "every --json output parses with jq (no jq)"
fi

for f in $files; do
	capture "debugfs/$f" "$snap/$f"
done
for f in "$out"/*.txt "$out"/*.json "$out"/*.prom; do
	capture "$(basename "$f")" "$f"
done
ktap_finished
