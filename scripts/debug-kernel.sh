#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Build (once) the debug test kernel from Debian's linux-source-6.12 with
# selftests/config-debug, cached outside the work tree and keyed by the
# config fragment and the source package version: only the first run pays.
#
# Prints the release string of the cached kernel on stdout; the kernel is
# <cache>/<key>/bzImage, its build tree (KDIR for the module)
# <cache>/<key>/src, its modules under <cache>/<key>/modules/lib/modules/.
#
# OOMLENS_CACHE overrides the cache directory (default /var/cache/oomlens).
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
cache=${OOMLENS_CACHE:-/var/cache/oomlens}
tar=/usr/src/linux-source-6.12.tar.xz
[ -f "$tar" ] || { echo "debug-kernel: $tar missing: run make deps" >&2; exit 1; }
srcver=$(dpkg-query -W -f='${Version}' linux-source-6.12)
key=debug-6.12-$( (echo "$srcver"; cat "$top/selftests/config-debug") | sha256sum | cut -c1-16)
dir=$cache/$key
log=$cache/$key.build.log

if [ -f "$dir/ready" ]; then
	cat "$dir/ready"
	exit 0
fi

mkdir -p "$cache"
exec 9>"$cache/.lock"
flock 9
if [ -f "$dir/ready" ]; then cat "$dir/ready"; exit 0; fi

start=$(date +%s)
# A build that was interrupted (machine stopped, ^C) resumes where it
# stopped: the tree is kept once configured, and make redoes only what is
# missing.  Anything else (no tree, a tree from another key) starts over.
if [ -f "$dir/configured" ] && [ -f "$dir/src/.config" ]; then
	echo "debug-kernel: resuming the build of $key (log: $log)" >&2
	cd "$dir/src"
	configure() { :; }
else
	echo "debug-kernel: building $key (first run only; log: $log)" >&2
	rm -rf "$dir"
	mkdir -p "$dir"
	tar -xJf "$tar" -C "$dir"
	mv "$dir/linux-source-6.12" "$dir/src"
	cd "$dir/src"
	configure() {
		make defconfig || return 1
		make kvm_guest.config || return 1
		scripts/kconfig/merge_config.sh -m .config "$top/selftests/config-debug" || return 1
		make olddefconfig || return 1
		# Every line of the fragment must have survived olddefconfig.
		local missing=0 l
		while IFS= read -r l; do
			case "$l" in
			CONFIG_*=n)
				! grep -q "^${l%=n}=[ym]" .config || { echo "not applied: $l"; missing=1; } ;;
			CONFIG_*)
				grep -qx "$l" .config || { echo "not applied: $l"; missing=1; } ;;
			esac
		done <"$top/selftests/config-debug"
		[ "$missing" = 0 ] || return 1
		touch "$dir/configured"
	}
fi
build() {
	configure || return 1
	make -j"$(nproc)" bzImage modules || return 1
	make INSTALL_MOD_PATH="$dir/modules" modules_install || return 1
}
if ! build >>"$log" 2>&1; then
	echo "debug-kernel: build failed; last lines of $log:" >&2
	tail -n 30 "$log" >&2
	exit 1
fi
cp arch/x86/boot/bzImage "$dir/bzImage"
rel=$(make -s kernelrelease)
echo "debug-kernel: built $rel in $(($(date +%s) - start)) s" >&2
echo "$rel" >"$dir/ready"
cat "$dir/ready"
