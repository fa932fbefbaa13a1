#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Gate: the reader accepts what a newer module of the same ABI major writes
# (the ABI grows by addition; DKMS upgrades the module without the reader).
# A copy of the files captured from 6.12 gets, in events and last: a key
# the ABI does not define before the first key, in the middle and before
# "candidates"; a new outcome value; a candidate field before comm.  Then:
#   - events, explain and their --json read it (exit 0); text shows the
#     events as before; JSON passes the new key through with its value;
#   - in tasks a new column and two columns swapped, in predict new first
#     and last columns: top and its --json print what they print without;
#   - in stats the lifetime counts with a new kind and outcome word, and
#     keys the ABI does not define: --prometheus events counts the new words
#     under their own labels, --prometheus stats writes the new number as
#     an untyped sample and the new word as an info metric; both pass
#     promtool;
#   - a known key out of order is still refused, naming the line, and a
#     different ABI major is still refused.
set -euo pipefail
# shellcheck source=scripts/host-test-lib.sh
. "$(dirname "$0")/../../scripts/host-test-lib.sh"

asan_reader future

d=$(workdir future)
src=$top/selftests/reader/captured/6.12/debugfs
cp -a "$src" "$d/now"
cp -a "$src" "$d/new"
python3 - "$d/new" <<'PY' || bail fixture "could not write the newer module's files"
import re, sys
d = sys.argv[1]
for name in ("events", "last"):
    path = "%s/%s" % (d, name)
    t = open(path).read()
    t = re.sub(r"^(event \d+)\n", r"\1\nfuture_first 1\n", t, flags=re.M)
    t = re.sub(r"^(order .*)\n", r"\1\nfuture_middle some words here\n", t, flags=re.M)
    t = re.sub(r"^(candidates \d+)\n", r"future_last -\n\1\n", t, flags=re.M)
    t = re.sub(r"^(cand \d+ .*) comm=", r"\1 memcg_id=4242 comm=", t, flags=re.M)
    if name == "events":
        t = t.replace("\noutcome killed\n", "\noutcome future_outcome\n", 1)
    open(path, "w").write(t)
# tasks: a new column after rss, pid and uid swapped; predict: a new
# column first and one last.
def table(name, edit):
    path = "%s/%s" % (d, name)
    rows = [l.split(" ") for l in open(path).read().splitlines()]
    open(path, "w").write("".join(" ".join(edit(r, i)) + "\n" for i, r in enumerate(rows)))
# stats: new words of the lifetime event counts (a kind, an outcome), and
# keys the ABI does not define (a number and a word).
with open("%s/stats" % d, "a") as f:
    f.write("events_kind_future_kind 2\nevents_outcome_future_outcome 1\n"
            "future_things 7\nfuture_word yes\ntasks 5\nksym_future_symbol kernel\n")
table("tasks", lambda r, i: [r[1], r[0]] + r[2:4] + ["future_col" if i == 0 else "7"] + r[4:])
table("predict", lambda r, i: ["future_a" if i == 0 else "x"] + r + ["future_b" if i == 0 else "-"])
PY

run() { # run DIR OUT ARGS...
	local dir=$1 out=$2
	shift 2
	"$bin" --debugfs "$dir" "$@" >"$out" 2>&1
}

# Text: the same as from today's module, but for the new outcome value.
for cmd in events "explain 1" explain "top -n 0" "--json top -n 0"; do
	o=$d/$(echo "$cmd" | tr ' ' _)
	# shellcheck disable=SC2086
	run "$d/now" "$o.now" $cmd || true
	# shellcheck disable=SC2086
	if ! run "$d/new" "$o.new" $cmd; then
		fail "text $cmd" "the reader failed on a newer module's files"
		show "$o.new"
	elif ! diff <(sed 's/future_outcome: an outcome this reader does not know (a newer module)/killed: a victim was sent SIGKILL/; s/future_outcome/killed/' "$o.new") "$o.now" >"$o.diff"; then
		fail "text $cmd" "differs from the same events without the additions"
		show "$o.diff"
	else
		ok "text $cmd"
	fi
done

# JSON: the new keys passed through, the new value as it is.
o=$d/events.json
if ! run "$d/new" "$o" --json events; then
	fail "json events" "the reader failed"
	show "$o"
else
	why=$(python3 - "$o" <<'PY'
import json, sys
evs = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
e = evs[0]
if e.get("future_first") != 1 or e.get("future_middle") != "some words here" \
        or e.get("future_last") is not None or "future_last" not in e:
    print("new keys not passed through: %r" % {k: e.get(k) for k in ("future_first", "future_middle", "future_last")})
elif not any(x.get("outcome") == "future_outcome" for x in evs):
    print("the new outcome is not shown as it is")
elif any(c.get("pid") is None for x in evs for c in x["candidates"]):
    print("a candidate lost its fields")
PY
)
	if [ -n "$why" ]; then fail "json events" "$why"; else ok "json events"; fi
fi

# Prometheus: the new outcome counted under its own label.
o=$d/events.prom
if ! run "$d/new" "$o" --prometheus events; then
	fail "prometheus events" "the reader failed"
	show "$o"
elif ! grep -q '^oomlens_oom_events_by_outcome_total{outcome="future_outcome"} 1$' "$o" ||
	! grep -q '^oomlens_oom_events_by_kind_total{kind="future_kind"} 2$' "$o"; then
	fail "prometheus events" "no counter for outcome future_outcome or kind future_kind"
	show "$o"
elif promtool_clean "$o"; then
	ok "prometheus events: the new outcome counted, promtool clean"
else
	fail "prometheus events" "promtool: $promtool_msg"
fi

# Prometheus stats: a key this reader does not know, under its own name
# (oomlens_stats_: "tasks 5" must not take top's oomlens_tasks), and a
# ksym_ line away from the others still in the one oomlens_ksym_info.
if ! run "$d/new" "$d/all.prom" --prometheus all; then
	fail "prometheus all" "the reader failed on the newer module's files"
	show "$d/all.prom"
elif promtool_clean "$d/all.prom" && grep -q '^oomlens_stats_tasks 5$' "$d/all.prom" &&
	grep -q '^oomlens_ksym_info{symbol="future_symbol",state="kernel"} 1$' "$d/all.prom"; then
	ok "prometheus all: unknown keys kept apart from other commands' families"
else
	fail "prometheus all" "${promtool_msg:-unknown keys not kept apart}"
fi
o=$d/stats.prom
if ! run "$d/new" "$o" --prometheus stats; then
	fail "prometheus stats" "the reader failed"
	show "$o"
elif ! grep -q '^# TYPE oomlens_stats_future_things untyped$' "$o" ||
	! grep -q '^oomlens_stats_future_things 7$' "$o" ||
	! grep -q '^oomlens_stats_future_word_info{value="yes"} 1$' "$o" ||
	grep -q '^oomlens_events_kind_' "$o"; then
	fail "prometheus stats" "new keys not written as untyped and info metrics, or event counts written twice"
	show "$o"
elif promtool_clean "$o"; then
	ok "prometheus stats: new keys kept, promtool clean"
else
	fail "prometheus stats" "promtool: $promtool_msg"
fi

# Still refused: a known key out of order, another ABI major.
cp -a "$d/new" "$d/swapped"
python3 - "$d/swapped/events" <<'PY'
import sys
p = sys.argv[1]
t = open(p).read()
open(p, "w").write(t.replace("kind memcg\nsource probes\n", "source probes\nkind memcg\n", 1))
PY
# refused NAME DIR REGEX: the reader refuses DIR's events with a message
# matching REGEX.
refused() {
	local o=$d/$1.out
	if run "$2" "$o" events; then
		fail "$1" "accepted"
	elif grep -qE -- "$3" "$o"; then
		ok "$1 refused"
	else
		fail "$1" "unclear message"
		show "$o"
	fi
}
refused "known key out of order" "$d/swapped" "events: line [0-9]+: expected 'kind <value>'"
cp -a "$d/new" "$d/major"
sed -i 's/ abi [0-9]*$/ abi 99/' "$d/major/version"
refused "ABI major 99" "$d/major" "speaks ABI 99"
finish
