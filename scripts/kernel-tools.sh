#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Extract the kernel's own code-quality tools from the linux-source-6.12
# package into build/kernel-tools/ (once; nothing from the kernel tree is
# kept in this repository) and print that directory:
#
#   scripts/checkpatch.pl, scripts/spelling.txt, scripts/const_structs.checkpatch
#   .clang-format
#
# usage: kernel-tools.sh    (KSRC_TAR overrides the tarball)
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
tar=${KSRC_TAR:-/usr/src/linux-source-6.12.tar.xz}
dir="$top/build/kernel-tools"
stamp="$dir/.stamp"

if [ -f "$stamp" ] && [ "$stamp" -nt "$tar" ]; then
	echo "$dir"
	exit 0
fi
if [ ! -f "$tar" ]; then
	echo "kernel-tools.sh: $tar missing: run 'make deps'" >&2
	exit 1
fi
top_dir=$(basename "$tar" .tar.xz)
tmp="$dir.tmp.$$"
rm -rf "$tmp"
mkdir -p "$tmp"
trap 'rm -rf "$tmp"' EXIT
tar -xJf "$tar" -C "$tmp" --strip-components=1 \
	"$top_dir/.clang-format" \
	"$top_dir/scripts/checkpatch.pl" \
	"$top_dir/scripts/spelling.txt" \
	"$top_dir/scripts/const_structs.checkpatch"
rm -rf "$dir"
mv "$tmp" "$dir"
touch "$stamp"
echo "$dir"
