#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The reader's parsers under libFuzzer (selftests/fuzz/): build every target
# with clang, libFuzzer, ASan and UBSan; replay every input kept in
# selftests/fuzz/regressions/<target>/; then fuzz each target for its share
# of FUZZ_SECONDS (default 60, for all targets together), from the seeds in
# selftests/fuzz/corpus/<target>/ and, for stats, the reader's fixture
# files (selftests/reader/fixtures/*/stats).  A crash, a leak, a sanitizer
# report or a timeout fails the target.
#
# Crash inputs go to build/fuzz/artifacts/<target>/; with FUZZ_KEEP=1
# (make fuzz) to selftests/fuzz/regressions/<target>/, to be committed as
# regression fixtures.  The corpus grown by a run is kept in
# build/fuzz/corpus/<target>/ and reused by the next.
set -euo pipefail
# shellcheck source=scripts/host-test-lib.sh
. "$(dirname "$0")/../../scripts/host-test-lib.sh"

targets="tasks predict commit check events stats"
secs=${FUZZ_SECONDS:-60}
bin=$top/build/fuzz/bin
work=$top/build/fuzz
fixtures=$top/selftests/reader/fixtures
ntargets=$(echo "$targets" | wc -w)
per=$((secs / ntargets))
[ "$per" -gt 0 ] || per=1

mkdir -p "$work"
if ! make -s -C "$top/selftests/fuzz" BUILD="$top/build" >"$work.build.log" 2>&1; then
	fail "build" "clang -fsanitize=fuzzer (libclang-rt-14-dev, make deps)"
	show "$work.build.log"
	finish
fi

# Seeds for stats from the fixtures: each file as plain, --json and
# --prometheus input, and with its own version file (flag 4, 0xff between).
stats_seeds() {
	local d=$work/seeds/stats f name m
	rm -rf "$d"
	mkdir -p "$d"
	for f in "$fixtures"/*/stats; do
		name=$(basename "$(dirname "$f")")
		for m in 0 1 2; do
			# shellcheck disable=SC2059 # the byte \$m, in octal
			{ printf "\\$m"; cat "$f"; } >"$d/$name.$m"
		done
		if [ -f "$(dirname "$f")/version" ]; then
			{ printf '\4'; cat "$(dirname "$f")/version"; printf '\377'; cat "$f"; } >"$d/$name.version"
		fi
	done
	echo "$d"
}

for t in $targets; do
	log=$work/$t.log
	regs=("$top"/selftests/fuzz/regressions/"$t"/*)
	if [ -e "${regs[0]}" ]; then
		if "$bin/fuzz_$t" -close_fd_mask=3 "${regs[@]}" >"$log" 2>&1; then
			ok "$t: ${#regs[@]} regression inputs replayed"
		else
			fail "$t: regression inputs" "$(grep -m1 -E 'ERROR|SUMMARY|Running' "$log")"
			show "$log"
		fi
	fi

	art=$work/artifacts/$t
	[ "${FUZZ_KEEP:-0}" = 1 ] && art=$top/selftests/fuzz/regressions/$t
	mkdir -p "$art" "$work/corpus/$t"
	# A target without hand-written seeds has no directory in git (stats
	# takes its seeds from the reader's fixtures).
	seeds=()
	[ -d "$top/selftests/fuzz/corpus/$t" ] && seeds+=("$top/selftests/fuzz/corpus/$t")
	[ "$t" = stats ] && seeds+=("$(stats_seeds)")
	[ -e "${regs[0]}" ] && seeds+=("$top/selftests/fuzz/regressions/$t")
	rc=0
	"$bin/fuzz_$t" -max_total_time="$per" -close_fd_mask=3 -timeout=10 \
		-rss_limit_mb=2048 -max_len=16384 -print_final_stats=1 \
		-artifact_prefix="$art/" "$work/corpus/$t" "${seeds[@]}" >"$log" 2>&1 || rc=$?
	runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
	if [ "$rc" = 0 ]; then
		ok "$t: fuzzed ${per}s, ${runs:-?} inputs"
	else
		# shellcheck disable=SC2012 # a name for a person to look at
		fail "$t: fuzzing (exit $rc)" "crash input in ${art#"$top"/}/: $(ls -t "$art" | head -n 1)"
		{ grep -E -A12 'ERROR: |runtime error|SUMMARY' "$log" || true; } | show
	fi
done
finish
