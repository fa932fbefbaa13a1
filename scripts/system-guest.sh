#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Build (once) the Debian 12 guest of the system test (make check-system,
# selftests/system/): a root file system made with debootstrap, with
# systemd as PID 1, both test kernels installed as Debian packages (image
# and headers: DKMS builds against them in the guest), DKMS and its
# compiler, prometheus-node-exporter and curl.  oomlens itself is not in
# it: the test installs its two .deb files with dpkg -i.
#
# Cached outside the work tree, keyed by the package list (which names the
# kernels' releases) and the recipe's number below: only the first run pays (downloads from the
# host's Debian mirror and about 5 to 10 minutes).
#
# usage: system-guest.sh [--dir]
#   Prints the cache directory, which holds:
#     rootfs.img            the guest's ext4 root file system (raw); boot
#                           it read-only or with QEMU's -snapshot
#     vmlinuz-<release>     each kernel, and its initramfs as Debian's
#     initrd.img-<release>  initramfs-tools made it in the guest
#     releases              the kernels' releases, one per line
#
# The guest: root on /dev/vda, no network, a persistent journal
# (/var/log/journal), the serial console on ttyS0.  At boot,
# oomlens-systest.service runs /mnt/systest/guest-test.sh from the
# ext4 disk labelled OOMLSYSTEST (/dev/vdb) if there is one: the test
# payload, made fresh for each run, so the image never holds a test.
#
# OOMLENS_CACHE overrides the cache directory (default /var/cache/oomlens);
# DEBIAN_MIRROR the mirror (default: the host's first deb.debian.org-style
# source, else http://deb.debian.org/debian).
set -euo pipefail

# All of it in main(), read by bash before it runs: an edit of this file
# while it builds (5 to 10 minutes, as root) cannot change what runs.
main() {
top=$(cd "$(dirname "$0")/.." && pwd)
[ "${1:-}" = --dir ] && shift
# shellcheck source=scripts/cache.sh
. "$top/scripts/cache.sh"
for p in debootstrap mkfs.ext4 chroot; do
	command -v "$p" >/dev/null || {
		echo "system-guest: $p is missing: run 'make deps'" >&2
		exit 1
	}
done
[ "$(id -u)" = 0 ] || {
	echo "system-guest: debootstrap needs root" >&2
	exit 1
}

releases=""
for k in $KERNEL_ALIASES; do
	rel=$("$top/scripts/kernels.sh" "$k") || {
		echo "system-guest: kernel $k is not unpacked: run 'make deps'" >&2
		exit 1
	}
	releases="$releases $rel"
done
releases=${releases# }
# What the guest has besides debootstrap's minimal base: what a Debian
# server running oomlens from its packages would have (dbus: systemd-run
# and the units' transient cgroups need the system bus; e2fsprogs: a
# Debian server's file system tools, absent from minbase).
packages="systemd-sysv dbus udev kmod procps e2fsprogs initramfs-tools zstd
dkms make gcc libc6-dev
libsmartcols1 libsystemd0
prometheus-node-exporter curl jq"
for rel in $releases; do
	packages="$packages linux-image-$rel linux-headers-$rel"
done
# shellcheck disable=SC2086 # split the list into names
packages=$(printf '%s\n' $packages | sort -u | tr '\n' ' ')
packages=${packages% }

mirror=${DEBIAN_MIRROR:-}
if [ -z "$mirror" ]; then
	# The first deb822 stanza or one-line source for bookworm itself.
	mirror=$(cat /etc/apt/sources.list.d/*.sources 2>/dev/null |
		awk '/^URIs:/ { u = $2 } /^Suites:/ { for (i = 2; i <= NF; i++) if ($i == "bookworm") b = 1 }
		     /^$/ { if (b && u ~ /^http/) { print u; exit } u = ""; b = 0 }
		     END { if (b && u ~ /^http/) print u }' | head -n 1 || true)
	[ -n "$mirror" ] || mirror=$(awk '$1 == "deb" && $2 ~ /^http/ && $3 == "bookworm" { print $2; exit }' \
		/etc/apt/sources.list 2>/dev/null || true)
	[ -n "$mirror" ] || mirror=http://deb.debian.org/debian
fi
mirror=${mirror%/}
security=${DEBIAN_SECURITY_MIRROR:-${mirror%/debian}/debian-security}

# Bump when a step below changes what the image holds: with the package
# list, it is the cache key (editing a comment here rebuilds nothing).
recipe=1
key=guest-bookworm-$(echo "$recipe $packages" | sha256sum | cut -c1-16)
dir=$OOMLENS_CACHE/$key
if [ -f "$dir/ready" ]; then
	echo "$dir"
	exit 0
fi
mkdir -p "$OOMLENS_CACHE"
exec 9>"$OOMLENS_CACHE/.guest.lock"
flock 9
if [ -f "$dir/ready" ]; then
	echo "$dir"
	exit 0
fi

log=$OOMLENS_CACHE/$key.build.log
echo "system-guest: building $key (first run only; log: $log)" >&2
start=$(date +%s)
trap unmount_under_all EXIT
remove "$dir"
root=$dir/root
mkdir -p "$root"
: >"$log"

debootstrap --variant=minbase --include=systemd-sysv,ca-certificates \
	bookworm "$root" "$mirror" >>"$log" 2>&1 || fail "debootstrap failed"

cat >"$root/etc/apt/sources.list" <<EOF
deb $mirror bookworm main
deb $mirror bookworm-updates main
deb $security bookworm-security main
EOF
# No service starts inside the chroot (the host's are never touched).
printf '#!/bin/sh\nexit 101\n' >"$root/usr/sbin/policy-rc.d"
chmod 0755 "$root/usr/sbin/policy-rc.d"
for m in proc sys dev dev/pts; do
	mkdir -p "$root/$m"
	mount --bind "/$m" "$root/$m"
done
in_root() { chroot "$root" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin \
	DEBIAN_FRONTEND=noninteractive LC_ALL=C "$@"; }
# shellcheck disable=SC2086 # a list of package names
{
	in_root apt-get update &&
		in_root apt-get install -y --no-install-recommends $packages
} >>"$log" 2>&1 || fail "apt-get install in the guest failed"
in_root apt-get clean >>"$log" 2>&1
unmount_under "$root"
rm -f "$root/usr/sbin/policy-rc.d"

# The guest's configuration.
echo oomlens-guest >"$root/etc/hostname"
printf '/dev/vda / ext4 defaults,errors=remount-ro 0 1\n' >"$root/etc/fstab"
mkdir -p "$root/var/log/journal" "$root/mnt/systest" "$root/var/lib/prometheus/node-exporter"
# root logs in on the console without a password (make check-system's
# guest is a throw-away; the image is booted with -snapshot).
sed -i 's/^root:[^:]*:/root::/' "$root/etc/shadow"
# Nothing on a timer that would compete with the test under TCG.
for t in apt-daily.timer apt-daily-upgrade.timer dpkg-db-backup.timer \
	e2scrub_all.timer fstrim.timer man-db.timer; do
	ln -sf /dev/null "$root/etc/systemd/system/$t"
done
cat >"$root/usr/local/sbin/oomlens-systest" <<'EOF'
#!/bin/sh
# Run the system test's payload (the disk labelled OOMLSYSTEST), if any.
dev=/dev/disk/by-label/OOMLSYSTEST
[ -e "$dev" ] || exit 0
mountpoint -q /mnt/systest || mount "$dev" /mnt/systest || exit 1
exec /bin/bash /mnt/systest/guest-test.sh
EOF
chmod 0755 "$root/usr/local/sbin/oomlens-systest"
cat >"$root/etc/systemd/system/oomlens-systest.service" <<'EOF'
[Unit]
Description=oomlens system test payload
After=multi-user.target
Wants=multi-user.target

[Service]
Type=oneshot
ExecStart=/usr/local/sbin/oomlens-systest
StandardOutput=journal+console
TimeoutStartSec=infinity

[Install]
WantedBy=default.target
EOF
mkdir -p "$root/etc/systemd/system/default.target.wants"
ln -sf /etc/systemd/system/oomlens-systest.service \
	"$root/etc/systemd/system/default.target.wants/oomlens-systest.service"

for rel in $releases; do
	if [ ! -f "$root/boot/vmlinuz-$rel" ] || [ ! -f "$root/boot/initrd.img-$rel" ]; then
		fail "the guest has no /boot/vmlinuz-$rel or initrd.img-$rel"
	fi
	cp "$root/boot/vmlinuz-$rel" "$root/boot/initrd.img-$rel" "$dir/"
done
echo "$releases" | tr ' ' '\n' >"$dir/releases"
size_mb=$(($(du -sm "$root" | cut -f1) + 1536))
mkfs.ext4 -q -F -L oomlens-root -d "$root" "$dir/rootfs.img" "${size_mb}M" >>"$log" 2>&1 ||
	fail "mkfs.ext4 -d failed"
remove "$root"
echo "$packages" >"$dir/packages"
touch "$dir/ready"
# An image of another key (an older package list or recipe) is not used
# again: about 3 GB each.
for old in "$OOMLENS_CACHE"/guest-bookworm-*; do
	case "$old" in "$dir" | "$dir".*) continue ;; esac
	remove "$old"
done
echo "system-guest: built $key in $(($(date +%s) - start)) s" >&2
echo "$dir"
}

# The chroot's bind mounts of the host's /proc, /sys, /dev (and /dev/pts)
# under $1, deepest first: a build killed with SIGKILL leaves them, and
# removing the tree through them would delete the host's device nodes.
unmount_under() {
	local m
	for m in $(findmnt -rn -o TARGET | awk -v d="$1" 'index($0, d "/") == 1' | sort -r); do
		umount "$m" 2>/dev/null || umount -l "$m"
	done
}
# shellcheck disable=SC2317 # the EXIT trap calls it
unmount_under_all() { [ -z "${dir:-}" ] || unmount_under "$dir"; }
# rm -rf, never across a mount point (nor into one left mounted).
remove() {
	[ -e "$1" ] || return 0
	unmount_under "$1"
	rm -rf --one-file-system "$1"
}
fail() {
	echo "system-guest: $1; the log's end:" >&2
	tail -n 25 "$log" >&2
	exit 1
}

main "$@"
exit
