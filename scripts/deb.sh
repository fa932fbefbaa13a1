#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make deb: the two Debian packages, oomlens (the reader) and oomlens-dkms
# (the module's source for DKMS), built with debhelper from a copy of the
# files git tracks, into build/deb/.  debian/changelog is made here from
# OOMLENS_VERSION (include/oomlens_abi.h), the one place the version is
# written; dkms.conf's PACKAGE_VERSION must equal it (scripts/lint/dkms.sh).
#
# usage: deb.sh   (prints the paths of the two .deb files)
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
for p in dpkg-buildpackage dh dh_dkms; do
	command -v "$p" >/dev/null || {
		echo "deb: $p is missing: run 'make deps'" >&2
		exit 1
	}
done
version=$(sed -n 's/^#define OOMLENS_VERSION[[:space:]]*"\(.*\)"$/\1/p' include/oomlens_abi.h)
[ -n "$version" ] || {
	echo "deb: no OOMLENS_VERSION in include/oomlens_abi.h" >&2
	exit 1
}
out=$top/build/deb
src=$out/oomlens-$version
rm -rf "$out"
mkdir -p "$src"
# The tracked files as they are in the work tree (a clean clone: HEAD).
git ls-files -z | tar --null -T - -cf - | tar -xf - -C "$src"
commit=$(git rev-parse --short HEAD 2>/dev/null || echo unknown)
# A fixed date: the packages of one commit are the same whenever built.
date=$(git log -1 --format=%aD 2>/dev/null || date -R)
cat >"$src/debian/changelog" <<CL
oomlens ($version) unstable; urgency=medium

  * Built from the oomlens source tree at commit $commit.

 -- oomlens developers <oomlens@example.org>  $date
CL
(cd "$src" && dpkg-buildpackage -us -uc -b --no-sign) >"$out/build.log" 2>&1 || {
	tail -n 30 "$out/build.log" >&2
	echo "deb: dpkg-buildpackage failed; log: ${out#"$top"/}/build.log" >&2
	exit 1
}
ls "$out"/oomlens_"$version"_*.deb "$out"/oomlens-dkms_"$version"_all.deb
