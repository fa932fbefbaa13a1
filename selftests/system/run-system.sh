#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make check-system: oomlens installed from its Debian packages in a real
# Debian 12 guest (scripts/system-guest.sh: debootstrap, systemd as PID 1,
# Debian's kernels and headers, DKMS, prometheus-node-exporter), booted
# under QEMU, three boots per kernel: guest-test.sh says what each checks.
#
# usage: run-system.sh [KERNEL...]   (default: 6.1 6.12)
#
# Per kernel it prints the guest's TAP, judges it (the whole plan ran, the
# end marker came, the kernel log of every boot has no report outside an
# OOM's, as selftests/vm/check-log.awk judges the VM tests' logs) and
# prints "system <release>: N passed, N failed"; at the end one line
# "N passed, N failed".  Logs: build/system/<release>/.
set -euo pipefail

# All of it in main(), read by bash before it runs: an edit of this file
# during a run (20 to 90 minutes) cannot change what runs.
main() {
top=$(cd "$(dirname "$0")/../.." && pwd)
# shellcheck source=scripts/cache.sh
. "$top/scripts/cache.sh"
kernels=${*:-$KERNEL_ALIASES}
timeout=${OOMLENS_SYSTEM_TIMEOUT:-5400}

guest=$("$top/scripts/system-guest.sh")
work=$top/build/system
mkdir -p "$work"

# The payload: the packages of this tree, twice (the upgrade installs a
# newer version over the first), the hog and the test.
pay=$work/payload
rm -rf "$pay"
mkdir -p "$pay/v1" "$pay/v2"
echo "system: building the packages (make deb, twice)"
debs=$("$top/scripts/deb.sh" --out "$work/deb-v1")
cp "$(echo "$debs" | grep '/oomlens-dkms_')" "$pay/v1/oomlens-dkms.deb"
cp "$(echo "$debs" | grep '/oomlens_')" "$pay/v1/oomlens.deb"
debs=$("$top/scripts/deb.sh" --local systest2 --out "$work/deb-v2")
cp "$(echo "$debs" | grep '/oomlens-dkms_')" "$pay/v2/oomlens-dkms.deb"
cp "$(echo "$debs" | grep '/oomlens_')" "$pay/v2/oomlens.deb"
dpkg-deb -f "$pay/v1/oomlens.deb" Version >"$pay/version1"
dpkg-deb -f "$pay/v2/oomlens.deb" Version >"$pay/version2"
make -s -C "$top/selftests" BUILD="$top/build" >/dev/null
install -m 0755 "$top/build/tests/hog" "$pay/hog"
install -m 0755 "$top/selftests/system/guest-test.sh" "$pay/guest-test.sh"
abi=$top/include/oomlens_abi.h
sed -n 's/^#define OOMLENS_JOURNAL_MSGID_OOM[[:space:]]*"\(.*\)"$/\1/p' "$abi" >"$pay/msgid_oom"
sed -n 's/^#define OOMLENS_JOURNAL_MSGID_LOST[[:space:]]*"\(.*\)"$/\1/p' "$abi" >"$pay/msgid_lost"
if [ ! -s "$pay/msgid_oom" ] || [ ! -s "$pay/msgid_lost" ]; then
	echo "system: no journal MESSAGE_IDs in $abi" >&2
	exit 1
fi

total_pass=0 total_fail=0
for k in $kernels; do
	rel=$("$top/scripts/kernels.sh" "$k")
	out=$work/$rel
	rm -rf "$out"
	mkdir -p "$out"
	mkfs.ext4 -q -F -L OOMLSYSTEST -d "$pay" "$out/payload.img" 64M
	append="root=/dev/vda rw console=ttyS0 loglevel=4 panic=-1"
	append="$append rcupdate.rcu_cpu_stall_timeout=60 systemd.show_status=0"
	echo "system: $rel: booting the guest (logs in ${out#"$top"/}/)"
	start=$(date +%s)
	rc=0
	# No -no-reboot: the guest reboots twice in one QEMU, its root file
	# system's writes kept in QEMU's snapshot until it powers off.
	timeout -k 10 "$timeout" qemu-system-x86_64 -accel tcg -cpu max -m 1024 -smp 2 \
		-display none -monitor none -nodefaults -nic none \
		-kernel "$guest/vmlinuz-$rel" -initrd "$guest/initrd.img-$rel" -append "$append" \
		-drive "file=$guest/rootfs.img,format=raw,if=virtio,snapshot=on" \
		-drive "file=$out/payload.img,format=raw,if=virtio" \
		-serial "file:$out/console.log" -serial "file:$out/tap.log" \
		-serial "file:$out/klog.log" </dev/null 2>"$out/qemu.err" || rc=$?
	elapsed=$(($(date +%s) - start))
	touch "$out"/{console,tap,klog}.log
	tr -d '\r' <"$out/tap.log" >"$out/tap.txt"
	# The guest's journal of each boot, from the payload disk (its ext4
	# journal replayed first: a guest powered off by force may not have
	# written it back).
	mkdir -p "$out/logs"
	e2fsck -fy "$out/payload.img" >"$out/payload-fsck.log" 2>&1 || true
	for b in 1 2 3; do
		debugfs -R "dump /logs/boot$b.journal $out/logs/boot$b.journal" "$out/payload.img" >/dev/null 2>&1 || true
	done
	tr -d '\r' <"$out/klog.log" >"$out/klog.txt"
	sed 's/^/  /' "$out/tap.txt"
	pass=$(grep -c '^ok ' "$out/tap.txt" || true)
	fail=$(grep -c '^not ok ' "$out/tap.txt" || true)
	plan=$(sed -n 's/^1\.\.\([0-9]*\)$/\1/p' "$out/tap.txt" | head -n 1)
	if [ "$rc" = 124 ] || [ "$rc" = 137 ]; then
		echo "system: $rel: timed out after ${timeout}s; the console's end:"
		tail -n 30 "$out/console.log" | sed 's/^/  | /'
		fail=$((fail + 1))
	elif [ "$rc" != 0 ]; then
		echo "system: $rel: qemu exited with $rc:"
		tail -n 20 "$out/qemu.err" | sed 's/^/  | /'
		fail=$((fail + 1))
	fi
	if [ -z "$plan" ] || [ $((pass + $(grep -c '^not ok ' "$out/tap.txt" || true))) != "$plan" ] ||
		! grep -qx 'OOMLENS-SYSTEST-DONE' "$out/tap.txt"; then
		echo "system: $rel: the plan (${plan:-none}) did not complete"
		fail=$((fail + 1))
	fi
	if ! awk -f "$top/selftests/vm/check-log.awk" "$out/klog.txt" >"$out/klog-reports.txt"; then
		echo "system: $rel: the kernel reported errors:"
		head -n 40 "$out/klog-reports.txt" | sed 's/^/  | /'
		fail=$((fail + 1))
	fi
	echo "system $rel: $pass passed, $fail failed (${elapsed}s)"
	total_pass=$((total_pass + pass))
	total_fail=$((total_fail + fail))
done
echo "$total_pass passed, $total_fail failed"
[ "$total_fail" = 0 ]
}

main "$@"
exit
