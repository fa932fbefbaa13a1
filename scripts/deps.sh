#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# What oomlens needs to build and test, and nothing that changes how the
# host boots or what it runs:
#   - tools, installed with apt-get (only those missing): each is just a
#     program, none ships a service (scripts/host-untouched.sh
#     checks every one);
#   - the test kernels (Debian's image, headers and kbuild packages) and
#     promtool (from the "prometheus" package, which would start a server)
#     and node_exporter (prometheus-node-exporter, the same: a service),
#     unpacked into the cache by scripts/unpack.sh, never installed.
# It prints what it installs and what it unpacks.  Idempotent: a second run
# installs and unpacks nothing and makes no network access.
#
# Run as root, it records the host's state before and after
# (build/host-state/: /boot, /lib/modules, the installed kernel packages, the
# enabled and the running services) and says if anything changed.
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck source=scripts/cache.sh
. "$top/scripts/cache.sh"

TOOLS="
build-essential
make
gcc
libc6-dev
kmod
cpio
gzip
xz-utils
zstd
busybox-static
jq
bc
bison
flex
libelf-dev
libssl-dev
pahole
qemu-system-x86
linux-source-6.12
perl
sparse
clang-format
shellcheck
clang
libclang-rt-14-dev
python3-sphinx
python3-jsonschema
dkms
debootstrap
e2fsprogs
openssl
dpkg-dev
debhelper
dh-dkms
lintian
"
# Taken out of their packages into $OOMLENS_CACHE/bin: PACKAGE:PROGRAM.
UNPACKED_TOOLS="prometheus:promtool prometheus-node-exporter:prometheus-node-exporter"

enabled_services() {
	find /etc/systemd/system /etc/rc[0-6S].d -mindepth 1 \( -type l -o -type f \) \
		-printf '%p\n' 2>/dev/null | sort
}

# Is the service behind link or unit file $1 one of Debian's base system?
base_service() {
	local owner
	owner=$(dpkg -S "$(readlink -f "$1")" 2>/dev/null | cut -d: -f1)
	[ -n "$owner" ] || return 1
	case "$(dpkg-query -W -f='${Priority}' "$owner" 2>/dev/null)" in
	required | important) return 0 ;;
	esac
	return 1
}

# The host's state that the rig must not change, one line per fact.
host_state() {
	local u
	set +e
	echo "# /boot"
	find /boot -xdev -printf '%p %y %s %T@\n' 2>/dev/null | sort
	echo "# /lib/modules"
	find /lib/modules/ -maxdepth 1 -mindepth 1 -printf '%p\n' 2>/dev/null | sort
	echo "# kernel and prometheus packages"
	dpkg-query -W -f='${db:Status-Status} ${Package} ${Version}\n' \
		'linux-image-*' 'linux-headers-*' 'linux-modules-*' 'prometheus*' 2>/dev/null |
		sed -n 's/^installed //p' | sort
	# A link whose script belongs to Debian's base system (priority
	# required or important, which every Debian host has: kmod's
	# boot-time module loading, when a minimal image lacked it) is not
	# counted; base_services() lists those.
	echo "# enabled services"
	enabled_services | while read -r u; do
		base_service "$u" || echo "$u"
	done
	echo "# running services"
	if [ -d /run/systemd/system ] && command -v systemctl >/dev/null; then
		systemctl list-units --type=service,socket,timer --state=running,listening,waiting \
			--no-legend --plain 2>/dev/null | awk '{ print $1 }' | sort
	else
		echo "(no systemd: init is $(cat /proc/1/comm))"
		for u in /var/run/*.pid /run/*.pid; do
			[ -f "$u" ] && echo "$u"
		done | sort
	fi
	set -e
}

state=$top/build/host-state
if [ "$(id -u)" = 0 ]; then
	mkdir -p "$state"
	host_state >"$state/before"
	echo "$TOOLS" | sed '/^$/d' >"$state/tools"
fi

missing=""
for p in $TOOLS; do
	status=$(dpkg-query -W -f='${db:Status-Status}' "$p" 2>/dev/null || true)
	[ "$status" = installed ] || missing="$missing $p"
done
unpacked=1
for k in $KERNEL_ALIASES; do
	scripts/kernels.sh "$k" >/dev/null 2>&1 || unpacked=0
done
for t in $UNPACKED_TOOLS; do
	[ -x "$OOMLENS_CACHE/bin/${t#*:}" ] || unpacked=0
done

if [ "$(id -u)" != 0 ]; then
	if [ -n "$missing" ] || [ "$unpacked" = 0 ]; then
		echo "deps: missing:${missing:- (none)}; kernels or tools not in $OOMLENS_CACHE; run 'make deps' as root" >&2
		exit 1
	fi
	echo "deps: all packages present; kernels and tools unpacked in $OOMLENS_CACHE"
	exit 0
fi

export DEBIAN_FRONTEND=noninteractive
updated=0
if [ -n "$missing" ]; then
	echo "deps: installing:$missing"
	apt-get update -qq
	updated=1
	# shellcheck disable=SC2086
	apt-get install -y -qq --no-install-recommends $missing 2>&1 >/dev/null |
		grep -v '^debconf: delaying package configuration' || true
	for p in $missing; do
		status=$(dpkg-query -W -f='${db:Status-Status}' "$p" 2>/dev/null || true)
		[ "$status" = installed ] || { echo "deps: $p did not install" >&2; exit 1; }
	done
fi
# The kernels and unpacked tools follow what apt offers; without package
# lists (a fresh machine) fetch them once.
if [ "$updated" = 0 ] && ! apt-cache show --no-all-versions linux-image-amd64 >/dev/null 2>&1; then
	apt-get update -qq
fi
# shellcheck disable=SC2086
scripts/unpack.sh kernel $KERNEL_ALIASES
for t in $UNPACKED_TOOLS; do
	scripts/unpack.sh tool "${t%%:*}" "${t#*:}"
done

host_state >"$state/after"
if ! diff -u "$state/before" "$state/after" >"$state/diff"; then
	echo "deps: the host's boot files, kernel packages or services changed (build/host-state/diff):" >&2
	sed 's/^/  | /' "$state/diff" | head -n 20 >&2
	exit 1
fi
if [ -z "$missing" ] && [ "$unpacked" = 1 ]; then
	echo "deps: all packages present; kernels and tools unpacked in $OOMLENS_CACHE"
else
	echo "deps: done; kernels $(scripts/kernels.sh | tr '\n' ' ')unpacked in $kcache;" \
		"/boot, /lib/modules and the services unchanged"
fi
