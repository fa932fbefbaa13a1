#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The reader on files captured from real kernels (selftests/reader/captured/
# <kernel>/, from selftests/test_reader_capture.sh via "make fixtures"),
# built with AddressSanitizer and UBSan:
#   - every subcommand, as a table, --json and --prometheus, prints exactly
#     what the reader printed in the VM on the same files; --json parses
#     with jq;
#   - damaged copies of each file, made here from the captured one (cut in
#     the middle of a line at three points, its first two lines swapped,
#     its second and third lines swapped, garbage bytes in it, its first
#     line removed, emptied, a 1 MiB line in it, a NUL byte in it), make
#     every subcommand that reads the file exit 2 with one message naming
#     the file and a line, with nothing on stdout, and no sanitizer report.
# Not damaged where the damage leaves a valid file: "stats" is a set of
# keys in no fixed order, so swapping or removing its lines is not an error;
# an empty "events" file is "no event yet"; "version" has one line, nothing
# to swap; the order of the predictions of two cgroups is not checked.
# "last" is not read by the reader.
set -euo pipefail
# shellcheck source=scripts/host-test-lib.sh
. "$(dirname "$0")/../../scripts/host-test-lib.sh"

asan_reader captured
export OOMLENS_DEBUGFS=''
# Times are local: the VM has no zone file (UTC), so neither here.
export TZ=UTC

# Which commands read which file.
readers() {
	case "$1" in
	version) echo "stats|commit|top|--prometheus all" ;;
	stats) echo "stats|--json stats|--prometheus stats|--prometheus events|--prometheus all" ;;
	events) echo "events|--json events|--prometheus events|explain|--json explain|--prometheus all" ;;
	tasks | predict) echo "top|--json top|--prometheus top|--prometheus all" ;;
	commit) echo "commit|--json commit|--prometheus commit|--prometheus all" ;;
	esac
}

# damage SRC DST VARIANT: write a damaged copy of SRC; fails if the variant
# does not apply to a file this short.
damage() {
	python3 - "$1" "$2" "$3" <<'PY'
import sys
src, dst, how = sys.argv[1:]
b = open(src, "rb").read()
lines = b.split(b"\n")[:-1]
def midline(frac):
    p = max(1, int(len(b) * frac))
    while p < len(b) and (b[p - 1:p] == b"\n" or b[p:p + 1] == b"\n"):
        p += 1
    return b[:p] if p < len(b) - 1 else None
at = 1 if len(lines) > 1 else 0
out = None
if how.startswith("cut"):
    out = midline(int(how[3:]) / 100)
elif how == "swap" and len(lines) > 1:
    lines[0], lines[1] = lines[1], lines[0]
    out = b"\n".join(lines) + b"\n"
elif how == "swaprows" and len(lines) > 2:
    lines[1], lines[2] = lines[2], lines[1]
    out = b"\n".join(lines) + b"\n"
elif how == "garbage":
    lines[at] = b"\x01\xfe\xff#garbage\x7f" + lines[at]
    out = b"\n".join(lines) + b"\n"
elif how == "nohead":
    out = b"\n".join(lines[1:]) + b"\n" if len(lines) > 1 else b""
elif how == "empty":
    out = b""
elif how == "huge":
    lines.insert(at, b"x" * (1 << 20))
    out = b"\n".join(lines) + b"\n"
elif how == "nul":
    p = len(b) // 2
    out = b[:p] + b"\0" + b[p + 1:]
if out is None:
    sys.exit(1)
open(dst, "wb").write(out)
PY
}

variants="cut25 cut50 cut90 swap swaprows garbage nohead empty huge nul"
applies() { # FILE VARIANT
	case "$1:$2" in
	stats:swap | stats:swaprows | stats:nohead | events:empty | version:swap* | predict:swaprows) return 1 ;;
	esac
}

kernels=0
for k in "$top"/selftests/reader/captured/*/; do
	[ -d "$k/debugfs" ] || continue
	kernels=$((kernels + 1))
	kn=$(basename "$k")
	fx="$k/debugfs"

	# The captured outputs, reproduced.
	for c in stats events explain top commit all; do
		for fmt in txt json prom; do
			exp="$k/$c.$fmt"
			case "$fmt" in
			txt) args=$c ;;
			json) args="--json $c" ;;
			prom) args="--prometheus $c" ;;
			esac
			[ "$c.$fmt" = explain.prom ] && continue
			[ "$c" = all ] && [ "$fmt" != prom ] && continue
			name="$kn: oomlens $args"
			if [ ! -f "$exp" ]; then
				fail "$name" "no captured $c.$fmt"
				continue
			fi
			rc=0
			# shellcheck disable=SC2086
			"$bin" --debugfs "$fx" $args >"$tmp/out" 2>"$tmp/err" || rc=$?
			if [ "$rc" != 0 ]; then
				fail "$name" "exit $rc"
				show "$tmp/err"
			elif ! cmp -s "$tmp/out" "$exp"; then
				fail "$name" "differs from the VM's output"
				{ diff "$exp" "$tmp/out" || true; } | show
			elif [ "$fmt" = json ] && ! jq -e . "$tmp/out" >/dev/null 2>&1; then
				fail "$name" "jq cannot parse it"
			else
				ok "$name"
			fi
		done
	done
	rc=0
	"$bin" --debugfs "$fx" --prometheus explain >"$tmp/out" 2>"$tmp/err" || rc=$?
	if [ "$rc" = 1 ] && [ ! -s "$tmp/out" ] && grep -q 'explain: --prometheus is not supported' "$tmp/err"; then
		ok "$kn: explain --prometheus refused (exit 1)"
	else
		fail "$kn: explain --prometheus refused" "exit $rc"
	fi

	# Damaged files.
	for f in version stats events tasks predict commit; do
		for v in $variants; do
			applies "$f" "$v" || continue
			d="$tmp/$f-$v"
			rm -rf "$d"
			cp -r "$fx" "$d"
			if ! damage "$fx/$f" "$d/$f" "$v"; then
				fail "$kn: $f $v" "could not make the damaged file"
				continue
			fi
			IFS='|' read -ra cmds <<<"$(readers "$f")"
			for args in "${cmds[@]}"; do
				name="$kn: $f $v: oomlens $args"
				rc=0
				# shellcheck disable=SC2086
				"$bin" --debugfs "$d" $args >"$tmp/out" 2>"$tmp/err" || rc=$?
				if [ "$rc" = 2 ] && [ ! -s "$tmp/out" ] &&
				   grep -qE "/$f(: | ).*line" "$tmp/err" &&
				   [ "$(wc -l <"$tmp/err")" = 1 ]; then
					ok "$name"
				else
					fail "$name" "exit $rc (want 2, one message naming $f and a line, no output)"
					head -c 2000 "$tmp/err" | show
					head -c 300 "$tmp/out" | show
				fi
			done
		done
	done
done
[ "$kernels" -gt 0 ] || fail "captured fixtures" "none in selftests/reader/captured/: run make fixtures"

# The keys of an event, counted on the module's own output, with every
# candidates' memcg slot used: a reader of 0.1.0 refuses an event with more
# than 64 (its OL_EV_MAX_KEYS), so the module must stay within that.
max=$(sed -n 's/^#define OOMLENS_EV_CAND_MEMCGS_MAX[[:space:]]*\([0-9]*\).*/\1/p' "$top/include/oomlens_abi.h")
for ev in "$top"/selftests/reader/captured/*/debugfs/events; do
	[ -s "$ev" ] || continue
	worst=$(awk -v max="$max" '
		$1 == "event" { keys = 0; memcgs = 0; next }
		$1 == "candidates_memcgs" && $2 ~ /^[0-9]+$/ { memcgs = $2 }
		$1 == "candidates" { n = keys - memcgs + max; if (n > worst) worst = n; keys = -1 }
		keys >= 0 && $1 != "cand" && $1 != "end" { keys++ }
		END { print worst + 0 }' "$ev")
	k=${ev#"$top"/selftests/reader/captured/}
	k=${k%%/*}
	if [ "$worst" -gt 0 ] && [ "$worst" -le 64 ]; then
		ok "$k: an event has at most $worst keys with $max memcg paths (a 0.1.0 reader takes 64)"
	else
		fail "$k: an event would have $worst keys with $max memcg paths: a 0.1.0 reader takes 64"
	fi
done
finish
