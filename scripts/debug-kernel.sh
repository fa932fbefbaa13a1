#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Build (once) a debug test kernel from Debian's linux-source-6.12 with
# selftests/config-debug and the flavour's fragment, cached outside the work
# tree and keyed by both fragments and the source package version: only the
# first run pays.
#
# usage: debug-kernel.sh [--dir] [debug|debug-int3|debug-rt]
#   debug       (default) kprobes on ftrace, like Debian's kernels
#               (selftests/config-debug-ftrace): what production runs;
#   debug-int3  no function tracer (selftests/config-debug-int3): every
#               kprobe is an int3 breakpoint and its handlers run in NMI
#               context, which the module must also be correct in;
#   debug-rt    PREEMPT_RT with kprobes on ftrace (selftests/config-debug-rt):
#               where spinlock_t sleeps, what Debian's -rt flavour runs.
#
# Prints the release string of the cached kernel on stdout (each flavour
# has its own CONFIG_LOCALVERSION), or with --dir its cache directory: the
# kernel is <dir>/bzImage, its build tree (KDIR for the module) <dir>/src,
# its modules under <dir>/modules/lib/modules/.
#
# OOMLENS_CACHE overrides the cache directory (default /var/cache/oomlens).
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
print=release
if [ "${1:-}" = --dir ]; then
	print=dir
	shift
fi
flavour=${1:-debug}
case "$flavour" in
debug) frag=$top/selftests/config-debug-ftrace ;;
debug-int3) frag=$top/selftests/config-debug-int3 ;;
debug-rt) frag=$top/selftests/config-debug-rt ;;
*) echo "debug-kernel: unknown flavour '$flavour' (debug, debug-int3 or debug-rt)" >&2; exit 1 ;;
esac
cache=${OOMLENS_CACHE:-/var/cache/oomlens}
tar=/usr/src/linux-source-6.12.tar.xz
[ -f "$tar" ] || { echo "debug-kernel: $tar missing: run make deps" >&2; exit 1; }
srcver=$(dpkg-query -W -f='${Version}' linux-source-6.12)
key=$flavour-6.12-$( (echo "$srcver"; cat "$top/selftests/config-debug" "$frag") |
	sha256sum | cut -c1-16)
dir=$cache/$key
# Both fragments, merged in this order (the flavour's last), are what the
# .config must show.
fragments() { cat "$top/selftests/config-debug" "$frag"; }
log=$cache/$key.build.log

done_() {
	if [ "$print" = dir ]; then echo "$dir"; else cat "$dir/ready"; fi
	exit 0
}
[ -f "$dir/ready" ] && done_

mkdir -p "$cache"
exec 9>"$cache/.lock"
flock 9
[ -f "$dir/ready" ] && done_

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
		scripts/kconfig/merge_config.sh -m .config "$top/selftests/config-debug" "$frag" || return 1
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
		done < <(fragments)
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
done_
