#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Take what the test rig needs out of Debian packages into the cache
# (scripts/cache.sh) without installing them: `apt-get download` and
# `dpkg-deb -x`, never dpkg -i.  A kernel unpacked this way leaves no file
# under /boot or /lib/modules, no GRUB entry, no initramfs and no package in
# dpkg's database; a tool taken out of a package that ships a service never
# has that service enabled or started.
#
# usage: unpack.sh kernel ALIAS...     the image, headers and kbuild packages
#                                      of a test kernel (6.1, 6.12)
#        unpack.sh tool PACKAGE BIN... the named programs of PACKAGE, linked
#                                      into $OOMLENS_CACHE/bin
#
# Each is keyed by package name and version: a directory that is ready for
# the version apt offers is kept (no network access), a newer version is
# unpacked beside it and the alias moves to it.  What the headers need to
# run (gcc-12 or linux-compiler-gcc-12-x86, an empty package that pulls it
# in; pahole, ...) and is only a tool is installed with apt-get;
# linux-image-*, linux-base and any other kernel package never are.
# Prints one line per package it downloads and per kernel or tool it makes
# ready; the host's /boot and /lib/modules are not touched (scripts/deps.sh
# checks that, and scripts/host-untouched.sh judges it).
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck source=scripts/cache.sh
. "$top/scripts/cache.sh"

die() { echo "unpack: $*" >&2; exit 1; }

# "PACKAGE VERSION" of what apt would install for PACKAGE (a metapackage's
# single linux-image dependency when FOLLOW=1).
candidate() {
	local pkg=$1 follow=${2:-0} v
	v=$(apt-cache show --no-all-versions "$pkg" 2>/dev/null | sed -n 's/^Version: //p' | head -n 1)
	[ -n "$v" ] || return 1
	if [ "$follow" = 1 ]; then
		apt-cache show --no-all-versions "$pkg" 2>/dev/null |
			sed -n 's/^Depends: \(linux-image-[^ ,]*\) (= \([^)]*\)).*/\1 \2/p' | head -n 1
	else
		echo "$pkg $v"
	fi
}

# The first alternative of each dependency of PACKAGE=VERSION, one per line,
# as "NAME" or "NAME=VERSION" when pinned with "=".
depends() {
	apt-cache show "$1=$2" 2>/dev/null | sed -n 's/^Depends: //p' | head -n 1 |
		tr ',' '\n' | sed -e 's/|.*//' -e 's/^ *//' -e 's/ *$//' |
		sed -n -e 's/^\([^ ]*\) (= \([^)]*\))$/\1=\2/p' -e 's/^\([^ ]*\)\( (.*)\)\{0,1\}$/\1/p' |
		sed 's/:any$//' | sort -u
}

# Download PACKAGE[=VERSION]... into directory DIR.
download() {
	local dir=$1
	shift
	echo "unpack: downloading $*" >&2
	# apt drops to its own user to download: let it write there.
	id _apt >/dev/null 2>&1 && chown _apt "$dir"
	(
		cd "$dir" || exit 1
		apt-get download -q=2 "$@" 2>&1 | grep -v 'unsandboxed as root' || true
	)
	ls "$dir"/*.deb >/dev/null 2>&1 || die "download of $* failed"
}

need_tools() {
	local missing="" p st
	for p in "$@"; do
		st=$(dpkg-query -W -f='${db:Status-Status}' "$p" 2>/dev/null || true)
		[ "$st" = installed ] || missing="$missing $p"
	done
	[ -z "$missing" ] && return 0
	echo "unpack: installing tools the kernel headers run:$missing" >&2
	# shellcheck disable=SC2086
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $missing 2>&1 >/dev/null |
		grep -v "^debconf: delaying package configuration" || true
}

unpack_kernel() {
	local alias=$1 meta img ver rel dir tmp queue p pv dep tools="" seen=" "
	meta=$(kernel_meta "$alias") || die "unknown kernel alias '$alias' (known: $KERNEL_ALIASES $KERNEL_ALIASES_EXTRA)"
	read -r img ver < <(candidate "$meta" 1) || true
	if [ -z "${img:-}" ]; then
		# No package lists (a fresh machine) or no such package: keep a
		# ready cache as it is, else this is an error.
		if [ -L "$kcache/$alias" ] && [ -f "$kcache/$(readlink "$kcache/$alias")/ready" ]; then
			return 0
		fi
		die "apt knows no $meta: run apt-get update"
	fi
	rel=${img#linux-image-}
	dir=$kcache/${img}_$ver
	if [ -f "$dir/ready" ]; then
		ln -sfn "${img}_$ver" "$kcache/$alias"
		return 0
	fi
	echo "unpack: kernel $alias: $img $ver into $dir" >&2
	rm -rf "$dir"
	tmp=$dir/debs
	mkdir -p "$tmp" "$dir/root"
	# The image, then the headers and what they pull in of the kernel's
	# own packages (common headers, kbuild); everything else they depend
	# on is a tool.
	queue=("$img=$ver" "linux-headers-$rel=$ver")
	while [ ${#queue[@]} -gt 0 ]; do
		pv=${queue[0]}
		queue=("${queue[@]:1}")
		p=${pv%%=*}
		case "$seen" in *" $p "*) continue ;; esac
		seen="$seen$p "
		case "$pv" in
		*=*) ;;
		*) pv="$p=$(candidate "$p" | cut -d' ' -f2)" ;;
		esac
		download "$tmp" "$pv"
		[ "$p" = "$img" ] && continue
		while read -r dep; do
			[ -n "$dep" ] || continue
			case "${dep%%=*}" in
			linux-headers-* | linux-kbuild-*) queue+=("$dep") ;;
			linux-image-* | linux-base) ;;
			*) tools="$tools ${dep%%=*}" ;;
			esac
		done < <(depends "$p" "${pv#*=}")
	done
	# shellcheck disable=SC2086
	need_tools $tools
	for deb in "$tmp"/*.deb; do
		dpkg-deb -x "$deb" "$dir/root"
	done
	rm -rf "$tmp"
	fixup_kernel "$dir/root" "$rel"
	echo "$rel" >"$dir/release"
	echo "$ver" >"$dir/version"
	touch "$dir/ready"
	ln -sfn "${img}_$ver" "$kcache/$alias"
	echo "unpack: kernel $alias ready: $rel" >&2
}

# The packages assume they live at /: point what they say of /usr/src and
# /lib/modules at the unpacked tree, and index the modules (depmod runs at
# install time, which never happens here).
fixup_kernel() {
	local root=$1 rel=$2 hdr mk l
	[ -f "$root/boot/vmlinuz-$rel" ] || die "no boot/vmlinuz-$rel in the image package"
	if [ ! -d "$root/lib/modules/$rel" ] && [ -d "$root/usr/lib/modules/$rel" ]; then
		mkdir -p "$root/lib/modules"
		ln -s "../../usr/lib/modules/$rel" "$root/lib/modules/$rel"
	fi
	hdr=$root/usr/src/linux-headers-$rel
	mk=$hdr/Makefile
	[ -f "$mk" ] || die "no usr/src/linux-headers-$rel/Makefile in the headers package"
	sed -i "s|^include /usr/src/|include $root/usr/src/|" "$mk"
	grep -q "^include $root/usr/src/" "$mk" || die "$mk: no include of the common headers to relocate"
	for l in build source; do
		[ -L "$root/lib/modules/$rel/$l" ] || continue
		ln -sfn "$root$(readlink "$root/lib/modules/$rel/$l")" "$root/lib/modules/$rel/$l"
	done
	depmod -b "$root" "$rel"
	# What the rig relies on: the module builds against these headers.
	[ -e "$hdr/scripts/Makefile.modpost" ] || [ -e "$hdr/scripts/mod/modpost" ] ||
		die "$hdr/scripts does not resolve (kbuild package missing?)"
}

unpack_tool() {
	local pkg=$1 img ver dir b
	shift
	read -r img ver < <(candidate "$pkg") || true
	if [ -z "${img:-}" ]; then
		for b in "$@"; do
			[ -x "$OOMLENS_CACHE/bin/$b" ] || die "apt knows no $pkg: run apt-get update"
		done
		return 0
	fi
	dir=$OOMLENS_CACHE/tools/${pkg}_$ver
	if [ ! -f "$dir/ready" ]; then
		echo "unpack: tool $pkg $ver into $dir (not installed: its service never exists)" >&2
		rm -rf "$dir"
		mkdir -p "$dir/debs"
		download "$dir/debs" "$pkg=$ver"
		dpkg-deb -x "$dir/debs"/*.deb "$dir/root"
		rm -rf "$dir/debs"
		touch "$dir/ready"
	fi
	mkdir -p "$OOMLENS_CACHE/bin"
	for b in "$@"; do
		local where=""
		for d in usr/bin usr/sbin bin sbin; do
			[ -x "$dir/root/$d/$b" ] && { where=$d; break; }
		done
		[ -n "$where" ] || die "$pkg has no $b in usr/bin, usr/sbin, bin or sbin"
		ln -sfn "$dir/root/$where/$b" "$OOMLENS_CACHE/bin/$b"
	done
}

[ $# -ge 2 ] || die "usage: unpack.sh kernel ALIAS... | unpack.sh tool PACKAGE BIN..."
mkdir -p "$kcache"
exec 8>"$kcache/.lock"
flock 8
case "$1" in
kernel)
	shift
	for a in "$@"; do
		unpack_kernel "$a"
	done
	;;
tool)
	shift
	unpack_tool "$@"
	;;
*) die "unknown command '$1'" ;;
esac
