#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make fixtures: refresh selftests/reader/captured/<kernel>/ from a VM run of
# selftests/test_reader_capture.sh on each kernel: the raw debugfs files
# (debugfs/, a directory "oomlens --debugfs" reads) and the reader's output
# on them (<command>.txt, .json, .prom), which selftests/reader/
# captured.sh and prometheus.sh check.
#
# usage: capture-fixtures.sh [--no-run] [KERNEL...]   (default: 6.1 6.12)
#   --no-run   take the captures of the last check run instead of booting
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
# shellcheck source=scripts/cache.sh
. "$top/scripts/cache.sh"
run=1
if [ "${1:-}" = --no-run ]; then
	run=0
	shift
fi
[ $# -gt 0 ] || set -- 6.1 6.12

for k in "$@"; do
	kver=$(scripts/kernels.sh "$k")
	src="build/$kver/check/captured"
	if [ "$run" = 1 ]; then
		selftests/vm/run-vm.sh -k "$k" -j check -t test_reader_capture.sh ||
			{ echo "fixtures: the VM run on $kver failed; nothing copied" >&2; exit 1; }
	fi
	[ -d "$src/debugfs" ] || { echo "fixtures: no captures in $src (run without --no-run)" >&2; exit 1; }
	if ! selftests/vm/captures.sh "build/$kver/check/tap.txt" "$src" >/dev/null; then
		echo "fixtures: the captures of $kver do not check out: see selftests/vm/captures.sh" >&2
		exit 1
	fi
	dst="selftests/reader/captured/$k"
	rm -rf "$dst"
	mkdir -p "$dst"
	cp -r "$src/debugfs" "$dst/"
	cp "$src"/*.txt "$src"/*.json "$src"/*.prom "$dst/"
	echo "fixtures: $dst from $kver ($(find "$dst" -type f | wc -l) files)"
done
