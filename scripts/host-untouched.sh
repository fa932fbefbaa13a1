#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Gate: make deps (run by make check and make run before anything else)
# left the host as it was: nothing new boots, nothing new runs.
#   - the host's state scripts/deps.sh recorded before and after its work
#     (build/host-state/: /boot, /lib/modules, installed kernel and
#     prometheus packages, enabled services, running services) is the same;
#   - no tool package deps.sh installs ships a service (systemd unit or
#     init script), but those of Debian's base system (priority required or
#     important: kmod's boot-time init script), which every Debian host has;
#   - every test kernel is the one unpacked in the cache, and the host has
#     no /boot/vmlinuz-<release>, /lib/modules/<release> or linux-image
#     package of it; promtool is the cache's.
set -euo pipefail
# shellcheck source=scripts/host-test-lib.sh
. "$(dirname "$0")/host-test-lib.sh"

state=$top/build/host-state
if [ ! -f "$state/before" ] || [ ! -f "$state/after" ]; then
	skip "host state" "make deps has not run as root here (build/host-state/ missing)"
elif diff -u "$state/before" "$state/after" >"$state/gate.diff"; then
	ok "make deps left /boot, /lib/modules, kernel packages and services as they were"
else
	fail "make deps changed the host"
	show "$state/gate.diff"
fi

if [ -f "$state/tools" ]; then
	services=""
	while read -r p; do
		[ -n "$p" ] || continue
		case "$(dpkg-query -W -f='${Priority}' "$p" 2>/dev/null)" in
		required | important) continue ;;
		esac
		s=$(dpkg -L "$p" 2>/dev/null |
			grep -E '^(/usr)?/lib/systemd/system/[^/]+\.(service|socket|timer)$|^/etc/init\.d/' |
			tr '\n' ' ' || true)
		[ -z "$s" ] || services="$services $p:($s)"
	done <"$state/tools"
	if [ -z "$services" ]; then
		ok "no tool make deps installs ships a service ($(wc -l <"$state/tools") packages)"
	else
		fail "tools that ship a service:$services"
	fi
fi

for k in ${OOMLENS_KERNELS:-$KERNEL_ALIASES}; do
	rel=$(scripts/kernels.sh "$k" 2>&1) || { fail "kernel $k" "$rel"; continue; }
	img=$(scripts/kernels.sh --vmlinuz "$k")
	pkg=$(dpkg-query -W -f='${db:Status-Status}' "linux-image-$rel" 2>/dev/null || true)
	case "$img" in
	"$OOMLENS_CACHE"/*) ;;
	*) fail "kernel $k" "boots $img, outside $OOMLENS_CACHE"; continue ;;
	esac
	if [ ! -f "$img" ]; then
		fail "kernel $k" "$img missing"
	elif [ -e "/boot/vmlinuz-$rel" ] || [ -e "/lib/modules/$rel" ] || [ "$pkg" = installed ]; then
		fail "kernel $k" "$rel is installed on the host (/boot, /lib/modules or dpkg)"
	else
		ok "kernel $k ($rel) unpacked in the cache, not installed"
	fi
done

p=$(command -v promtool || true)
case "$p" in
"$OOMLENS_CACHE"/bin/promtool) ok "promtool is the cache's ($(readlink "$p"))" ;;
*) fail promtool "'${p:-not found}' is not $OOMLENS_CACHE/bin/promtool" ;;
esac
finish
