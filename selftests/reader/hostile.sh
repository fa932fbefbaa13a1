#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Gate: strings a process or a cgroup's creator chooses never reach a
# terminal raw.  A copy of the files captured from 6.12
# (selftests/reader/captured/6.12/debugfs) gets, as the module writes them
# (raw bytes; space, tab, newline and backslash as octal escapes), comms and
# cgroup names with an OSC title sequence (ESC ] 0 ; ... BEL), a newline, a
# carriage return, a C1 CSI (U+009B), 15 bytes of invalid UTF-8, a
# backslash and a lone "-".  Then, with the reader built with ASan/UBSan:
#   - every text output (top, events, explain, stats, and an error message
#     quoting a bad value) has no C0 control byte but newline, no DEL, no C1
#     control, and is well-formed UTF-8; the strings appear escaped (\x1b,
#     \x0a, \xff, \\);
#   - every --json output parses as strict UTF-8 JSON and gives the strings
#     back (invalid bytes as U+FFFD);
#   - every --prometheus output passes promtool check metrics.
set -euo pipefail
# shellcheck source=scripts/host-test-lib.sh
. "$(dirname "$0")/../../scripts/host-test-lib.sh"

asan_reader hostile

d=$(workdir hostile)
cp -a "$top/selftests/reader/captured/6.12/debugfs" "$d/files"
f=$d/files
# The strings, as the module would write them into a file (raw bytes; a
# newline, space and backslash as octal escapes): an OSC title sequence, a
# newline, a carriage return, a C1 CSI that clears a screen, 15 bytes that
# are not UTF-8, a cgroup path with ESC [ 2 J and a backslash, a lone "-".
python3 - "$f" <<'PY' || bail fixture "could not rewrite the files"
import sys
d = sys.argv[1]
osc, nl, cr = b"\x1b]0;pwn\x07", b"a\\012b", b"x\ry"
csi, bad = b"\xc2\x9b2J", b"\xff" * 15
cg = b"/evil\x1b[2Jname\\134x"
import re
def rewrite(name, pairs):
    """pairs: (regex, replacement, count); each must match."""
    path = "%s/%s" % (d, name)
    t = open(path, "rb").read()
    for old, new, n in pairs:
        # A function, so that the bytes of @new are taken as they are.
        t, k = re.subn(old, (lambda m, new=new: new) if not callable(new) else new, t, count=n)
        if not k:
            sys.exit("%s: no %r" % (name, old))
    open(path, "wb").write(t)
def lit(b):
    return re.escape(b)
# The memcg that the captured snapshot's limited cgroup has (predict).
pred = open("%s/predict" % d, "rb").read()
m = re.search(rb"\nmemcg (/\S+) ", pred)
if not m:
    sys.exit("predict: no memcg row")
lim = m.group(1)
comms = [(lit(b"\ncomm hog\n"), b"\ncomm " + osc + b"\n", 0),
         (lit(b"\nvictim_comm hog\n"), b"\nvictim_comm " + nl + b"\n", 0),
         (lit(b"comm=hog\n"), b"comm=" + bad + b"\n", 0)]
rewrite("last", comms)  # a global OOM
rewrite("events", comms + [
    (rb"\noom_memcg /[^\n]+\n", b"\noom_memcg " + cg + b"\n", 0),
    (rb"\nvictim_memcg /[^\n]+\n", b"\nvictim_memcg " + cg + b"\n", 0)])
rewrite("tasks", [(rb"\n(\d+ \d+) hog ", lambda m: b"\n" + m.group(1) + b" " + csi + b" ", 1),
                  (lit(b" " + lim + b"\n"), b" " + cg + b"\n", 0)])
rewrite("predict", [(lit(b"\nmemcg " + lim + b" "), b"\nmemcg " + cg + b" ", 0),
                    (lit(b" hog\n"), b" " + cr + b"\n", 0), (lit(b"cap\\040hog\n"), b"\\055\n", 0)])
PY

# check_text NAME FILE [NEEDLE...]: FILE is safe for a terminal and holds
# every NEEDLE (a fixed string).
check_text() {
	local name=$1 out=$2 n why
	shift 2
	why=$(python3 - "$out" <<'PY'
import re, sys
b = open(sys.argv[1], "rb").read()
try:
    t = b.decode("utf-8")
except UnicodeDecodeError as e:
    print("not UTF-8 at byte %d" % e.start); sys.exit()
m = re.search("[\x00-\x09\x0b-\x1f\x7f-\x9f]", t)
if m:
    print("raw control U+%04X at %d" % (ord(m.group()), m.start()))
PY
)
	if [ -n "$why" ]; then
		fail "$name" "$why"
		return
	fi
	for n in "$@"; do
		grep -qF -- "$n" "$out" || { fail "$name" "'$n' not shown"; show "$out"; return; }
	done
	ok "$name"
}

run() { # run OUT ARGS...: the reader on the hostile files
	local out=$1
	shift
	"$bin" --debugfs "$f" "$@" >"$out" 2>&1
}

for cmd in "top -n 0" "events" "explain 1" "explain" "stats"; do
	out=$d/$(echo "$cmd" | tr ' ' _).txt
	# shellcheck disable=SC2086
	if ! run "$out" $cmd; then
		fail "text $cmd" "the reader failed"
		show "$out"
		continue
	fi
	case "$cmd" in
	top*) check_text "text $cmd" "$out" '\xc2\x9b2J' '/evil\x1b[2Jname\\x' '\x0d' ;;
	events) check_text "text $cmd" "$out" '\x1b]0;pwn\x07' 'a\x0ab' '/evil\x1b[2Jname\\x' ;;
	"explain 1") check_text "text $cmd" "$out" '\x1b]0;pwn\x07' 'a\x0ab' "$(printf '\\xff%.0s' $(seq 15))" ;;
	*) check_text "text $cmd" "$out" ;;
	esac
done

# An error message quoting a bad value: a --cgroup argument with ESC.
out=$d/error.txt
run "$out" top --cgroup "$(printf 'x\033[2J')" || true
check_text "error message" "$out" 'x\x1b[2J'

# JSON: strict UTF-8, valid, the strings given back.
for cmd in "top -n 0" "events" "explain 1"; do
	out=$d/$(echo "$cmd" | tr ' ' _).json
	# shellcheck disable=SC2086
	if ! run "$out" --json $cmd; then
		fail "json $cmd" "the reader failed"
		show "$out"
		continue
	fi
	why=$(python3 - "$out" "$cmd" <<'PY'
import json, sys
path, cmd = sys.argv[1], sys.argv[2]
try:
    docs = [json.loads(l) for l in open(path, "rb").read().decode("utf-8").splitlines() if l.strip()]
except Exception as e:
    print("not strict UTF-8 JSON: %s" % e); sys.exit()
s = json.dumps(docs, ensure_ascii=False)
want = {"top -n 0": ["\u009b2J", "/evil\x1b[2Jname\\x"],
        "events": ["\x1b]0;pwn\x07", "a\nb", "\ufffd" * 15, "/evil\x1b[2Jname\\x"],
        "explain 1": ["\x1b]0;pwn\x07", "a\nb", "\ufffd" * 15]}[cmd]
def strings(o):
    if isinstance(o, str): yield o
    elif isinstance(o, dict):
        for v in o.values(): yield from strings(v)
    elif isinstance(o, list):
        for v in o: yield from strings(v)
got = set(strings(docs))
for w in want:
    if w not in got:
        print("string %r not in the output" % w)
        break
PY
)
	if [ -n "$why" ]; then fail "json $cmd" "$why"; else ok "json $cmd"; fi
done

# Prometheus: what node_exporter and promtool accept.
for cmd in "top" "events" "stats"; do
	out=$d/$cmd.prom
	if ! run "$out" --prometheus $cmd; then
		fail "prometheus $cmd" "the reader failed"
		show "$out"
	elif promtool_clean "$out"; then
		ok "prometheus $cmd"
	else
		fail "prometheus $cmd" "promtool: $promtool_msg"
	fi
done
finish
