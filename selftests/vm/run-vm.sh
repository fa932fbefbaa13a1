#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Boot one test kernel in QEMU with the oomlens module and run a job in it.
#
# usage: run-vm.sh [-k KERNEL] [-j check|run|shell] [-t TEST[,TEST...]]
#                  [-a MODULE_ARGS] [-T VM_TIMEOUT] [-m MEM_MB] [-c CMDLINE]
#                  [-o NAME]
#
#   KERNEL   6.1, 6.12, a release string, or debug / debug-int3 / debug-rt (the
#            KASAN/lockdep/kmemleak kernels of scripts/debug-kernel.sh:
#            kprobes on ftrace / int3) (default 6.12)
#   job      check: run the selftests and judge them (default);
#            run: the demo (an OOM, then the reader); shell: interactive;
#            bench: the benchmark (see scripts/bench.sh)
#   TEST     run only these tests (names as in selftests/Makefile)
#   NAME     the logs' directory, build/<release>/NAME (default: the job's
#            name): a second check run of one kernel keeps the first's
#
# Builds what the VM needs (module for that kernel, static tests and reader,
# initramfs), boots it under TCG (KVM only if /dev/kvm works), always under a
# timeout, then checks:
#   - the VM finished (no timeout, no panic before the end marker);
#   - the TAP plan is complete;
#   - the kernel log has no Oops, BUG, WARNING, lockdep, KASAN/KFENCE/UBSAN/
#     slub/kmemleak report, stall, or Call Trace outside an OOM report.
# OOMLENS_VM_ENV=K=V,K=V passes environment variables to the tests.
# For "check" it prints "<release>: N passed, N failed[, N skipped]" and
# writes the counts to OUT/summary.  Exit 0 only if everything held.
set -euo pipefail

top=$(cd "$(dirname "$0")/../.." && pwd)
kernel=6.12 job=check tests="" modargs="" vm_timeout=${OOMLENS_VM_TIMEOUT:-1500}
mem=${OOMLENS_VM_MEM:-1024} extra=""
outname=""
while getopts "k:j:t:a:T:m:c:o:h" o; do
	case "$o" in
	k) kernel=$OPTARG ;;
	j) job=$OPTARG ;;
	t) tests=$OPTARG ;;
	a) modargs=$OPTARG ;;
	T) vm_timeout=$OPTARG ;;
	m) mem=$OPTARG ;;
	c) extra=$OPTARG ;;
	o) outname=$OPTARG ;;
	*) sed -n '4,30s/^# \{0,1\}//p' "$0"; exit 1 ;;
	esac
done
case "$job" in check|run|shell|bench) ;; *) echo "run-vm.sh: unknown job '$job'" >&2; exit 1 ;; esac
case "$outname" in *[!a-z0-9-]*) echo "run-vm.sh: bad output name '$outname'" >&2; exit 1 ;; esac
case "$mem" in *[!0-9]*|"") echo "run-vm.sh: bad memory size '$mem'" >&2; exit 1 ;; esac
[ $((mem % 2)) = 0 ] || { echo "run-vm.sh: memory $mem MiB must split evenly over two nodes" >&2; exit 1; }

# shellcheck source=scripts/cache.sh
. "$top/scripts/cache.sh"
if [ "$kernel" = debug ] || [ "$kernel" = debug-int3 ] || [ "$kernel" = debug-rt ]; then
	# A debug kernel (make check-debug): built once, cached.
	kver=$("$top/scripts/debug-kernel.sh" "$kernel")
	kdir=$("$top/scripts/debug-kernel.sh" --dir "$kernel")
	vmlinuz=$kdir/bzImage
	modroot=$kdir/modules
	kdir=$kdir/src
else
	# A Debian kernel unpacked into the cache by make deps (never the
	# host's own /boot or /lib/modules).
	kver=$("$top/scripts/kernels.sh" "$kernel")
	vmlinuz=$("$top/scripts/kernels.sh" --vmlinuz "$kernel")
	kdir=$("$top/scripts/kernels.sh" --kdir "$kernel")
	modroot=$("$top/scripts/kernels.sh" --root "$kernel")
fi
out="$top/build/$kver/${outname:-$job}"
mkdir -p "$out"

make -s -C "$top" vm-artifacts KVER="$kver" KDIR="$kdir"

# --- initramfs -------------------------------------------------------------
stage="$top/build/$kver/initramfs"
rm -rf "$stage"
mkdir -p "$stage"/{bin,dev,proc,sys,etc,tmp,root,oomlens/bin,oomlens/tests,oomlens/kmod}
cp /bin/busybox "$stage/bin/busybox"
ln -s busybox "$stage/bin/sh"
install -m 0755 "$top/selftests/vm/init" "$stage/init"
install -m 0755 "$top/selftests/vm/run-tests" "$top/build/tests/kmsg-dump" "$stage/oomlens/bin/"
install -m 0755 "$top/build/userspace/oomlens-static" "$stage/oomlens/bin/oomlens"
install -m 0755 "$top/selftests/vm/demo.sh" "$stage/oomlens/demo.sh"
install -m 0755 "$top/selftests/bench/bench.sh" "$stage/oomlens/bench.sh"
install -m 0644 "$top/build/$kver/mod/oomlens.ko" "$stage/oomlens/oomlens.ko"
cp -a "$top/build/tests/." "$stage/oomlens/tests/"
# jq for the tests that parse the reader's --json (test_reader_json.sh):
# the host's binary with its shared libraries at the same paths.
if [ -x /usr/bin/jq ]; then
	mkdir -p "$stage/usr/bin"
	cp /usr/bin/jq "$stage/usr/bin/jq"
	for lib in $(ldd /usr/bin/jq | awk '$2 == "=>" && $3 ~ /^\// { print $3 } $1 ~ /^\// { print $1 }'); do
		mkdir -p "$stage$(dirname "$lib")"
		cp -L "$lib" "$stage$lib"
	done
fi
printf 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/:/bin/false\n' >"$stage/etc/passwd"
printf 'root:x:0:\nnogroup:x:65534:\n' >"$stage/etc/group"

# Kernel modules the tests use (zram for swap), with their dependencies,
# decompressed so busybox insmod can load them, named in load order.
modorder=()
add_mod() {
	local name=$1 dep
	for dep in $(/sbin/modinfo -b "$modroot" -k "$kver" -F depends "$name" 2>/dev/null | tr ',' ' '); do
		add_mod "$dep"
	done
	case " ${modorder[*]:-} " in *" $name "*) return ;; esac
	modorder+=("$name")
}
# The kernel modules the tests need (and their dependencies), if built.
needed_mods="zram"
for m in $needed_mods; do
	/sbin/modinfo -b "$modroot" -k "$kver" -n "$m" >/dev/null 2>&1 || continue
	add_mod "$m"
done
i=0
for m in "${modorder[@]:-}"; do
	[ -n "$m" ] || continue
	f=$(/sbin/modinfo -b "$modroot" -k "$kver" -n "$m")
	dst="$stage/oomlens/kmod/$(printf %02d $i)-$m.ko"
	case "$f" in
	*.ko.xz) xz -dc "$f" >"$dst" ;;
	*.ko.zst) zstd -dqc "$f" >"$dst" ;;
	*.ko.gz) gzip -dc "$f" >"$dst" ;;
	*builtin*) continue ;;
	*) cp "$f" "$dst" ;;
	esac
	i=$((i + 1))
done

(cd "$stage" && find . -print0 | cpio --quiet -o -0 -H newc | gzip -1) >"$out/initramfs.cpio.gz"

# --- boot ------------------------------------------------------------------
accel=tcg
if [ -n "${OOMLENS_KVM:-}" ] && [ -w /dev/kvm ]; then
	accel=kvm
fi
half=$((mem / 2))
# Only errors reach the serial console (loglevel=4): a flood there (each
# OOM's report and call trace at KERN_WARNING, hundreds of OOMs in the
# storms) is written with interrupts off, slowly under TCG, and on 6.12-rt
# made the kernel disable the UART's interrupt ("irq 4: nobody cared") and
# the guest stall.  The tests and the log judge read the whole log from
# /dev/kmsg (kmsg-dump, its own port); a crash's own lines (KERN_ALERT,
# KERN_EMERG) and "reboot: Power down" still reach the console.
append="console=ttyS0 loglevel=4 panic=-1 oops=panic log_buf_len=16M"
# RCU's stall timeout is 21 s on Debian's kernels; a TCG guest whose vCPU
# threads the host does not run for that long (a loaded 2-core host) gets
# "rcu_preempt kthread starved ... All QSes seen" reports that are the
# host's doing.  60 s still catches a real stall, which never ends.
append="$append slub_debug=FZPU rcupdate.rcu_cpu_stall_timeout=60 oomlens.job=$job"
[ -n "$tests" ] && append="$append oomlens.tests=$tests"
[ -n "$modargs" ] && append="$append oomlens.args=$(echo "$modargs" | tr ' ' ',')"
[ -n "${OOMLENS_TEST_TIMEOUT:-}" ] && append="$append oomlens.timeout=$OOMLENS_TEST_TIMEOUT"
[ -n "${OOMLENS_VM_ENV:-}" ] && append="$append oomlens.env=$OOMLENS_VM_ENV"
# The debug kernels boot with 4-level paging.  QEMU's "-cpu max" offers
# LA57, and in about one boot of three the KASAN kernel reported a
# wild-memory-access in do_raw_spin_lock() from handle_edge_irq() during
# identify_cpu(), 2.5 ms into boot, at an address of the 5-level direct
# map (ff11...); the report disables lockdep for the rest of the run.
# Debian's kernels keep 5-level paging where the CPU has it.
case "$kernel" in debug*) append="$append no5lvl" ;; esac
[ -n "$extra" ] && append="$append $extra"

qemu=(qemu-system-x86_64 -accel "$accel" -cpu max -m "$mem"
      -smp "2,sockets=2,cores=1,threads=1"
      -object "memory-backend-ram,id=m0,size=${half}M" -numa "node,nodeid=0,cpus=0,memdev=m0"
      -object "memory-backend-ram,id=m1,size=${half}M" -numa "node,nodeid=1,cpus=1,memdev=m1"
      -no-reboot -display none -monitor none -nodefaults
      -kernel "$vmlinuz" -initrd "$out/initramfs.cpio.gz" -append "$append")

rm -f "$out"/{console,tap,kmsg}.log
if [ "$job" = shell ]; then
	exec "${qemu[@]}" -serial stdio -serial "file:$out/tap.log" -serial "file:$out/kmsg.log"
fi

echo "vm: $kver job=$job accel=$accel mem=${mem}M, logs in ${out#"$top"/}/"
start=$(date +%s)
rc=0
timeout -k 10 "$vm_timeout" "${qemu[@]}" -serial "file:$out/console.log" \
	-serial "file:$out/tap.log" -serial "file:$out/kmsg.log" </dev/null || rc=$?
elapsed=$(($(date +%s) - start))
touch "$out"/{console,tap,kmsg}.log
tr -d '\r' <"$out/tap.log" >"$out/tap.txt"

fail=0
if [ "$rc" = 124 ] || [ "$rc" = 137 ]; then
	echo "vm: $kver timed out after ${vm_timeout}s; last console lines:"
	tail -n 30 "$out/console.log" | sed 's/^/  | /'
	fail=1
elif [ "$rc" != 0 ]; then
	echo "vm: qemu exited with $rc"
	fail=1
fi
# The end marker, written by the VM's init just before it powers off.  The
# serial port has lost it once (2026-11-30, 6.1, a complete run): when it
# is missing, the kernel's own "reboot: Power down" on the console, which
# only init's poweroff prints (a panic ends the VM without it), is taken
# instead, and said; a check job must still have its whole TAP plan.
if ! grep -q '^OOMLENS-VM-DONE' "$out/tap.txt"; then
	if [ "$rc" = 0 ] && tr -d '\r' <"$out/console.log" | grep -q 'reboot: Power down$'; then
		echo "vm: $kver: the end marker was lost on the serial port; the VM powered off from init"
	else
		echo "vm: $kver did not reach the end of its job (crash, panic or timeout)"
		fail=1
	fi
fi

if [ "$job" = run ] || [ "$job" = bench ]; then
	sed -e '/^OOMLENS-VM-DONE/d' "$out/tap.txt"
fi

# The kernel log: the streamed records, and the console for what the
# streamer could not send before a crash.
logfail=0
awk -f "$top/selftests/vm/check-log.awk" "$out/kmsg.log" || logfail=1
if [ "$logfail" = 0 ]; then
	tr -d '\r' <"$out/console.log" | awk -f "$top/selftests/vm/check-log.awk" || logfail=1
fi
[ "$logfail" = 0 ] || fail=1

if [ "$job" = check ]; then
	read -r pass nfail skip plan seen < <(awk -f "$top/selftests/vm/tap-summary.awk" "$out/tap.txt")
	if [ "$plan" = 0 ] || [ "$seen" != "$plan" ]; then
		echo "vm: $kver TAP plan incomplete: planned $plan, saw $seen results"
		grep -E '^(not )?ok ' "$out/tap.txt" | sed 's/^/  /' || true
		tail -n 20 "$out/tap.txt" | sed 's/^/  | /'
		fail=1
	fi
	grep -E '^not ok ' "$out/tap.txt" | while read -r l; do
		name=${l#*selftests: oomlens: }
		name=${name%% *}
		echo "vm: $kver FAILED: $l"
		# The failing test's own lines.
		awk -v t="$name" '$0 == "# selftests: oomlens: " t { on = 1; next }
			on && /^(not )?ok / { exit } on && /not ok|FAIL|fail|Expected|error|mismatch/ { print "  | " $0 }' \
			"$out/tap.txt" | head -n 40
	done || true
	# The reader's captures (test_reader_capture.sh): out into files,
	# each .prom through promtool, each counted.
	if grep -q 'capture-begin ' "$out/tap.txt"; then
		"$top/selftests/vm/captures.sh" "$out/tap.txt" "$out/captured" >"$out/captures.log" 2>&1 || true
		read -r cp _ cf _ < <(tail -n 1 "$out/captures.log" | tr -d ',')
		grep '^not ok' "$out/captures.log" | sed "s/^/vm: $kver /" || true
		echo "vm: $kver captures: $cp passed, $cf failed (in ${out#"$top"/}/captured/)"
		pass=$((pass + ${cp:-0}))
		nfail=$((nfail + ${cf:-1}))
	fi
	# The stress and fuzz figures, and the reports found (must be 0).
	"$top/selftests/vm/figures.sh" "$out" "$kver" || true
	if [ "$fail" = 1 ] && [ "$nfail" = 0 ]; then
		nfail=1	# the run itself failed: count it
	fi
	s="$kver: $pass passed, $nfail failed"
	[ "$skip" -gt 0 ] && s="$s, $skip skipped"
	echo "$s (${elapsed}s)"
	echo "$pass $nfail $skip" >"$out/summary"
fi
exit "$fail"
