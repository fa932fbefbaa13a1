#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Gate: the module's files depend on each other without a cycle, and
# Documentation/design.rst draws that graph.  The graph is computed from
# the built objects (nm): A depends on B when A.o uses a symbol B.o
# defines.  Built for the 6.12 kernel like the VM runs' module.
set -euo pipefail
# shellcheck source=scripts/host-test-lib.sh
. "$(dirname "$0")/../host-test-lib.sh"

if ! kver=$(scripts/kernels.sh 6.12) || ! kdir=$(scripts/kernels.sh --kdir 6.12); then
	bail module-graph "no 6.12 headers (make deps)"
fi
make -s vm-artifacts KVER="$kver" KDIR="$kdir" >/dev/null 2>&1 ||
	bail module-graph "the module does not build for $kver"
objs=build/$kver/mod/module
out=build/lint/module-graph
mkdir -p "$out"
for o in "$objs"/*.o; do
	nm "$o" | awk -v f="$(basename "$o" .o)" '
		$1 ~ /^[0-9a-f]+$/ && $2 ~ /^[TDRB]$/ { print "D", f, $3 }
		$1 == "U" { print "U", f, $2 }'
done >"$out/symbols"
awk '$1 == "D" { def[$3] = $2; next }
	{ use[NR] = $2 " " $3 }
	END { for (i in use) { split(use[i], a, " ")
		if ((a[2] in def) && def[a[2]] != a[1]) print a[1], def[a[2]] } }' \
	"$out/symbols" | sort -u >"$out/edges"
if [ -s "$out/edges" ] && tsort "$out/edges" >/dev/null 2>"$out/tsort.log"; then
	ok "the module's dependency graph has no cycle ($(wc -l <"$out/edges") edges)"
else
	fail "the module's dependency graph has a cycle" "$(cat "$out/tsort.log")"
fi
awk '{ d[$1] = d[$1] " " $2 } END { for (k in d) print k ":" d[k] }' \
	"$out/edges" | sort >"$out/graph"
sed -n '/^Dependencies$/,/^Load order/s/^   \([a-z_]*: .*\)$/\1/p' \
	Documentation/design.rst >"$out/drawn"
if diff -u "$out/drawn" "$out/graph" >"$out/diff"; then
	ok "design.rst draws the module's dependency graph"
else
	fail "design.rst's dependency graph differs from the objects' (- drawn, + built)"
	show "$out/diff"
fi
finish
