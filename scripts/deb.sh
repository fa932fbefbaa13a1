#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make deb: the two Debian packages, oomlens (the reader) and oomlens-dkms
# (the module's source for DKMS), built with debhelper from a copy of the
# files git tracks, into build/deb/.  debian/changelog is made here from
# OOMLENS_VERSION (include/oomlens_abi.h), the one place the version is
# written; dkms.conf's PACKAGE_VERSION must equal it (scripts/lint/dkms.sh).
#
# usage: deb.sh [--local SUFFIX] [--out DIR]
#   Prints the paths of the two .deb files.
#   --local SUFFIX  version OOMLENS_VERSION+SUFFIX (a local rebuild, newer
#                   than the version it is built from: the system test's
#                   upgrade), written into the copy's include/oomlens_abi.h
#                   and dkms.conf, so the module says it too
#   --out DIR       build in DIR (default build/deb; emptied first, so it
#                   must be under build/, or empty)
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
suffix="" out=$top/build/deb
while [ $# -gt 0 ]; do
	case "$1" in
	--local)
		suffix=${2:-}
		case "$suffix" in
		"" | *[!a-z0-9.]*)
			echo "deb: --local needs a suffix of lower-case letters, digits and dots, not '$suffix'" >&2
			exit 1
			;;
		esac
		shift 2
		;;
	--out)
		out=${2:?deb: --out needs a directory}
		# It is emptied: only a directory of build/ or an empty one.
		case "$(realpath -m "$out")/" in
		"$top"/build/*) ;;
		*)
			if [ -d "$out" ] && [ -n "$(ls -A "$out")" ]; then
				echo "deb: --out '$out' is not under build/ and not empty: not emptying it" >&2
				exit 1
			fi
			;;
		esac
		shift 2
		;;
	*)
		echo "deb: unknown argument '$1' (--local SUFFIX, --out DIR)" >&2
		exit 1
		;;
	esac
done
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
base=$version
[ -z "$suffix" ] || version=$version+$suffix
src=$out/oomlens-$version
rm -rf "$out"
mkdir -p "$src"
# The tracked files as they are in the work tree (a clean clone: HEAD).
git ls-files -z | tar --null -T - -cf - | tar -xf - -C "$src"
if [ -n "$suffix" ]; then
	sed -i "s/^\(#define OOMLENS_VERSION[[:space:]]*\)\"$base\"$/\1\"$version\"/" \
		"$src/include/oomlens_abi.h"
	sed -i "s/^PACKAGE_VERSION=\"$base\"$/PACKAGE_VERSION=\"$version\"/" "$src/dkms.conf"
	if ! grep -q "^PACKAGE_VERSION=\"$version\"$" "$src/dkms.conf" ||
		! grep -q "OOMLENS_VERSION[[:space:]]*\"$version\"$" "$src/include/oomlens_abi.h"; then
		echo "deb: could not write version $version into the copy" >&2
		exit 1
	fi
fi
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
