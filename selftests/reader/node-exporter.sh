#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Gate: the real consumer.  Debian's prometheus-node-exporter (unpacked into
# the cache by make deps, never installed, so no service) runs on loopback
# with only its textfile collector, pointed at a directory holding what
# "oomlens --prometheus all" wrote for the files captured from each test
# kernel (selftests/reader/captured/<kernel>/debugfs).  Scraped over HTTP:
#   - node_textfile_scrape_error is 0 (node_exporter drops a whole file it
#     cannot parse, silently but for this metric);
#   - every oomlens family of the file is in the scrape, with its type and
#     as many series;
#   - values survive: oomlens_oom_invocations_total and
#     oomlens_events_kills_total equal the captured stats file's
#     oom_invocations and events_kills, oomlens_commit_limit_bytes the
#     captured commit file's commit_limit_kb times 1024.
# The subcommands' outputs concatenated are scraped the same way: no family
# may be written by two of them.  "oomlens export" writes the textfile
# directory itself: its file is scraped too (oomlens_up 1, no per-task
# series but with --tasks, no temporary file left), and with the module
# unreadable it still writes oomlens_up 0 and exits 2.  The example alert
# rules pass "promtool check rules" and name only metrics the export has.
set -euo pipefail
# shellcheck source=scripts/host-test-lib.sh
. "$(dirname "$0")/../../scripts/host-test-lib.sh"

ne=$(command -v prometheus-node-exporter) ||
	bail node_exporter "prometheus-node-exporter is not in the cache: run 'make deps'"
reader
pid=""
at_exit 'stop_ne'

# Start node_exporter on a free loopback port for directory $1; sets $url.
start_ne() {
	local port
	for _ in 1 2 3 4 5; do
		port=$((20000 + RANDOM % 20000))
		"$ne" --web.listen-address="127.0.0.1:$port" --collector.disable-defaults \
			--collector.textfile --collector.textfile.directory="$1" \
			>"$tmp/ne.log" 2>&1 &
		pid=$!
		url="http://127.0.0.1:$port/metrics"
		for _ in $(seq 50); do
			curl -fs "$url" >/dev/null 2>&1 && return 0
			kill -0 "$pid" 2>/dev/null || break
			sleep 0.1
		done
		stop_ne
	done
	return 1
}

stop_ne() {
	[ -z "$pid" ] || { kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null; } || true
	pid=""
}

# Value of the first sample of metric $1 (no labels) in exposition file $2.
value() { awk -v m="$1" '$1 == m { print $2; exit }' "$2"; }

# Families (name type count) of an exposition.
families() {
	awk '/^# TYPE oomlens_/ { t[$3] = $4 }
	     /^oomlens_/ { n = $1; sub(/\{.*/, "", n); c[n]++ }
	     END { for (f in t) print f, t[f], c[f] + 0 }' "$1" | sort
}

# scrape NAME FILE: serve exposition FILE, scrape it into $scraped (empty
# if the scrape failed).
scrape() {
	local where=$1 file=$2 d=$tmp/dir
	scraped=""
	rm -rf "$d" && mkdir -p "$d"
	cp "$file" "$d/oomlens.prom"
	if ! start_ne "$d"; then
		fail "$where: node_exporter did not start" "$(tail -n 3 "$tmp/ne.log")"
		return
	fi
	curl -fs "$url" >"$tmp/scrape" || true
	stop_ne
	err=$(value node_textfile_scrape_error "$tmp/scrape")
	if [ "$err" = 0 ]; then
		ok "$where: node_textfile_scrape_error 0"
	else
		fail "$where: node_textfile_scrape_error ${err:-missing}" \
			"$(grep -i 'textfile\|error' "$tmp/ne.log" | tail -n 3)"
		return
	fi
	if diff <(families "$file") <(families "$tmp/scrape") >"$tmp/fam.diff"; then
		ok "$where: all $(families "$file" | wc -l) oomlens families scraped, same types and series"
	else
		fail "$where: families differ (file < > scrape)" "$(head -n 10 "$tmp/fam.diff")"
	fi
	scraped=$tmp/scrape
}

for d in "$top"/selftests/reader/captured/*/debugfs; do
	[ -d "$d" ] || continue
	k=$(basename "$(dirname "$d")")
	if ! "$bin" --debugfs "$d" --prometheus all >"$tmp/all.prom" 2>"$tmp/err"; then
		fail "$k: oomlens --prometheus all" "$(head -n 3 "$tmp/err")"
		continue
	fi
	scrape "$k: all" "$tmp/all.prom"
	s=$scraped
	[ -n "$s" ] || continue
	inv=$(awk '$1 == "oom_invocations" { print $2 }' "$d/stats")
	kills=$(awk '$1 == "events_kills" { print $2 }' "$d/stats")
	lim=$(awk '$1 == "commit_limit_kb" { print $2 * 1024 }' "$d/commit")
	got_inv=$(value oomlens_oom_invocations_total "$s")
	got_kills=$(value oomlens_events_kills_total "$s")
	got_lim=$(value oomlens_commit_limit_bytes "$s" | awk '{ printf "%.0f", $1 }')
	if [ -n "$inv" ] && [ "$got_inv" = "$inv" ] && [ "${got_kills:-}" = "${kills:-}" ] &&
		[ -n "$lim" ] && [ "$got_lim" = "$lim" ]; then
		ok "$k: scraped values equal the captured files (invocations $inv, kills ${kills:-none}, commit limit $lim B)"
	else
		fail "$k: scraped values differ" "invocations $got_inv vs $inv, kills ${got_kills:-} vs ${kills:-}, limit $got_lim vs $lim"
	fi
	# The parts, concatenated: still one family each.
	parts_ok=1
	for c in stats events commit top; do
		"$bin" --debugfs "$d" --prometheus "$c" 2>>"$tmp/err" || parts_ok=0
	done >"$tmp/parts.prom"
	if [ "$parts_ok" = 1 ]; then
		scrape "$k: stats+events+commit+top concatenated" "$tmp/parts.prom"
	else
		fail "$k: a part of stats+events+commit+top failed" "$(head -n 3 "$tmp/err")"
	fi

	# oomlens export, as oomlens-export.timer runs it.
	ed=$tmp/export
	rm -rf "$ed" && mkdir -p "$ed"
	if "$bin" --debugfs "$d" export --dir "$ed" 2>"$tmp/err" &&
		[ "$(ls -A "$ed")" = oomlens.prom ]; then
		ok "$k: export wrote $ed/oomlens.prom and nothing else"
	else
		fail "$k: export" "$(ls -A "$ed"; head -n 3 "$tmp/err")"
		continue
	fi
	cp "$ed/oomlens.prom" "$tmp/export.prom"
	scrape "$k: export" "$tmp/export.prom"
	s=$scraped
	if [ -n "$s" ] && [ "$(value oomlens_up "$s")" = 1 ] &&
		! grep -q '^oomlens_task_' "$s"; then
		ok "$k: export: oomlens_up 1, no per-task series"
	else
		fail "$k: export: oomlens_up or per-task series" "$(grep -c '^oomlens_task_' "$tmp/export.prom") task series, up $(value oomlens_up "$tmp/export.prom")"
	fi
	"$bin" --debugfs "$d" export --dir "$ed" --tasks
	rows=$(awk 'NR > 1' "$d/tasks" | wc -l)
	if [ "$(grep -c '^oomlens_task_oom_score{' "$ed/oomlens.prom")" = "$rows" ]; then
		ok "$k: export --tasks: one series per process ($rows)"
	else
		fail "$k: export --tasks" "$(grep -c '^oomlens_task_oom_score{' "$ed/oomlens.prom") oom_score series for $rows tasks"
	fi
	grep -o 'oomlens_[a-z_]*' "$top/userspace/prometheus/oomlens-alerts.yml" | sort -u |
		while read -r m; do
			grep -q "^# TYPE $m " "$tmp/export.prom" || echo "$m"
		done >"$tmp/unknown"
	if [ ! -s "$tmp/unknown" ]; then
		ok "$k: the alert rules name only metrics of the export"
	else
		fail "$k: the alert rules name metrics the export does not have" "$(cat "$tmp/unknown")"
	fi
done

ed=$tmp/export
rm -rf "$ed" && mkdir -p "$ed"
rc=0
"$bin" --debugfs "$tmp/no-module" export --dir "$ed" 2>"$tmp/err" || rc=$?
if [ "$rc" = 2 ] && [ "$(value oomlens_up "$ed/oomlens.prom")" = 0 ] &&
	[ "$(grep -c '^oomlens_' "$ed/oomlens.prom")" = 2 ]; then
	ok "export without a module: oomlens_up 0 (and the time) written, exit 2"
else
	fail "export without a module (rc $rc)" "$(cat "$ed/oomlens.prom" 2>&1; cat "$tmp/err")"
fi
cp "$ed/oomlens.prom" "$tmp/down.prom"
scrape "export without a module" "$tmp/down.prom"
rc=0
"$bin" export --dir "$tmp/no-such-dir" 2>"$tmp/err" || rc=$?
if [ "$rc" = 1 ] && grep -q "not a directory: '$tmp/no-such-dir'" "$tmp/err"; then
	ok "export to a missing directory: exit 1, named"
else
	fail "export to a missing directory (rc $rc)" "$(cat "$tmp/err")"
fi
promtool=$(command -v promtool || true)
if [ -z "$promtool" ]; then
	fail "promtool check rules" "promtool is not in the cache: run 'make deps'"
elif "$promtool" check rules "$top/userspace/prometheus/oomlens-alerts.yml" >"$tmp/rules.log" 2>&1; then
	ok "promtool check rules: $(grep -o '[0-9]* rules found' "$tmp/rules.log")"
else
	fail "promtool check rules" "$(cat "$tmp/rules.log")"
fi
finish
