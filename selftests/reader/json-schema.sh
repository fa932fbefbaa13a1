#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Gate: every --json output of the reader validates against its JSON Schema
# (Documentation/schemas/<command>.schema.json, draft 2020-12) with Debian's
# python3-jsonschema (make deps installs it): the outputs captured in the
# VMs (selftests/reader/captured/<kernel>/*.json, commit-check.json
# included), the reader's output on the files captured there and on the
# hand-made fixtures.  Each schema must itself be a valid schema.  A type
# that changes with the value (a nodemask "1" printed as a number) fails.
set -euo pipefail
# shellcheck source=scripts/host-test-lib.sh
. "$(dirname "$0")/../../scripts/host-test-lib.sh"

py=/usr/bin/python3
if ! "$py" -c 'import jsonschema' 2>/dev/null; then
	bail jsonschema "python3-jsonschema is not installed: run 'make deps'"
fi
reader
schemas="$top/Documentation/schemas"

# validate SCHEMA FILE NAME [lines]: one JSON document, or JSON Lines.
validate() {
	local out
	if out=$("$py" - "$schemas/$1.schema.json" "$2" "${4:-}" 2>&1 <<'PY'
import json, sys, jsonschema
schema = json.load(open(sys.argv[1]))
jsonschema.Draft202012Validator.check_schema(schema)
v = jsonschema.Draft202012Validator(schema)
text = open(sys.argv[2]).read()
docs = [json.loads(l) for l in text.splitlines() if l.strip()] if sys.argv[3] else [json.loads(text)]
if not docs:
    sys.exit("no document")
bad = 0
for i, d in enumerate(docs):
    for e in v.iter_errors(d):
        bad += 1
        if bad <= 5:
            print("document %d: %s: %s" % (i + 1, "/".join(map(str, e.absolute_path)) or "(top)", e.message))
sys.exit(1 if bad else 0)
PY
	); then
		ok "$3"
	else
		fail "$3" "$(echo "$out" | head -n 5 | tr '\n' ' ')"
	fi
}

for s in "$schemas"/*.schema.json; do
	if "$py" -c 'import json, sys, jsonschema; jsonschema.Draft202012Validator.check_schema(json.load(open(sys.argv[1])))' "$s" 2>"$tmp/err"; then
		ok "$(basename "$s") is a valid draft 2020-12 schema"
	else
		fail "$(basename "$s")" "$(head -n 3 "$tmp/err")"
	fi
done

for k in "$top"/selftests/reader/captured/*/; do
	kn=$(basename "$k")
	for c in stats events explain top commit commit-check; do
		f="$k/$c.json"
		[ -f "$f" ] || { [ "$c" = commit-check ] && continue; fail "$kn: no captured $c.json"; continue; }
		validate "$c" "$f" "$kn: captured $c.json" "$([ "$c" = events ] && echo lines)"
	done
done
for d in "$top"/selftests/reader/captured/*/debugfs "$top/selftests/reader/fixtures/good"; do
	[ -d "$d" ] || continue
	where=${d#"$top"/selftests/reader/}
	for c in stats events explain top commit; do
		"$bin" --debugfs "$d" --json "$c" >"$tmp/out.json" 2>"$tmp/err" || {
			[ "$where" = fixtures/good ] && [ ! -f "$d/events" ] && continue
			fail "$where: oomlens --json $c" "$(head -n 2 "$tmp/err")"
			continue
		}
		validate "$c" "$tmp/out.json" "$where: oomlens --json $c" "$([ "$c" = events ] && echo lines)"
	done
done
# A nodemask that looks like a number ("1": a MEMORY_POLICY OOM bound to
# node 1) is still a string, and a comm of digits too.
nm=$tmp/nodemask
cp -a "$top/selftests/reader/captured/6.12/debugfs" "$nm"
sed -i 's/^nodemask (null)$/nodemask 1/; s/^comm hog$/comm 1234/' "$nm/events"
if "$bin" --debugfs "$nm" --json events >"$tmp/nm.json" 2>"$tmp/err"; then
	validate events "$tmp/nm.json" "nodemask 1 and comm 1234 stay strings" lines
else
	fail "nodemask 1: oomlens --json events" "$(head -n 2 "$tmp/err")"
fi
finish
