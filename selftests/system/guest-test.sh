#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The system test, inside the Debian guest (scripts/system-guest.sh): run by
# oomlens-systest.service at every boot from the payload disk that
# selftests/system/run-system.sh made, in three boots:
#
#   boot 1  dpkg -i the two packages of make deb (version V1); DKMS builds
#           the module for the running and the newest installed kernel; the
#           units are enabled, and the recorder's start loaded the module.
#           Reboot.
#   boot 2  systemd-modules-load loaded the module at boot and the recorder
#           runs.  A memcg OOM (a systemd service with MemoryMax) and a
#           global OOM: each is in the journal once, equal to the kernel's
#           own oom-kill line.  The recorder is restarted, and the next OOM
#           is its only new entry.  The packages are upgraded to V2;
#           "modprobe -r oomlens" succeeds under the recorder, the new
#           module loads, the same recorder process reads on, and the next
#           OOM is written once.  The exporter's fresh metrics, scraped from
#           prometheus-node-exporter over HTTP.  No unit failed, the
#           recorder never restarted by itself.  Reboot.
#   boot 3  the module of V2 loaded at boot; the persistent journal still
#           has boot 2's OOMs, a new OOM (seq 1 of a new boot) is written
#           once, no event twice, and no "lost" entry was ever written.
#
# TAP goes to the second serial port, the kernel log of each boot to the
# third; run-system.sh judges both.  State across boots: /var/lib/systest.
set -uo pipefail

pay=/mnt/systest
state=/var/lib/systest
tap=/dev/ttyS1
klog=/dev/ttyS2
msgid_oom=$(cat "$pay/msgid_oom")
msgid_lost=$(cat "$pay/msgid_lost")
v1=$(cat "$pay/version1")
v2=$(cat "$pay/version2")
PLAN=34
mkdir -p "$state"
boot=$(($(cat "$state/boot" 2>/dev/null || echo 0) + 1))
echo "$boot" >"$state/boot"
n=$(cat "$state/n" 2>/dev/null || echo 0)

out() { echo "$*" >"$tap"; }
# ok NAME CMD...: one TAP case.
ok() {
	local name=$1
	shift
	n=$((n + 1))
	echo "$n" >"$state/n"
	if "$@" >"$state/last.out" 2>&1; then
		out "ok $n $name"
	else
		out "not ok $n $name"
		sed 's/^/# /' "$state/last.out" | tail -n 20 >"$tap"
	fi
}
# skip NAME REASON: a case that does not apply here.
skip() {
	n=$((n + 1))
	echo "$n" >"$state/n"
	out "ok $n $1 # SKIP $2"
}
diag() { out "# $*"; }
# The end of a boot: its kernel log to the third port, its whole journal
# onto the payload disk (run-system.sh copies it out: logs/boot<N>.journal).
finish() {
	diag "boot $boot: kernel log follows on the third port"
	dmesg >"$klog"
	echo "OOMLENS-SYSTEST-BOOT-END $boot" >"$klog"
	mkdir -p "$pay/logs"
	journalctl -b 0 -o short-monotonic --no-pager >"$pay/logs/boot$boot.journal" 2>&1
	sync
}
# Waits up to $2 seconds for $1 (a command) to succeed.
wait_for() {
	local _
	for _ in $(seq 1 "$2"); do
		eval "$1" >/dev/null 2>&1 && return 0
		sleep 1
	done
	eval "$1"
}

# The journal's OOM entries (one JSON object per line).
oom_entries() { journalctl -o json --no-pager MESSAGE_ID="$msgid_oom"; }
count_oom() { oom_entries | grep -c . || true; }
# The kernel's own oom-kill line for the victim named $1, this boot.
kernel_kill_line() { journalctl -k -b 0 --no-pager -o cat | grep "^oom-kill:.*,task=$1,"; }

# Cause an OOM whose victim is the hog named $1; $2... how (run as is).
oom_of() {
	local name=$1
	shift
	diag "OOM: $*"
	"$@" >"$state/oom.out" 2>&1
	diag "exit status $?: $(tail -n 3 "$state/oom.out" | tr '\n' ' ')"
	wait_for "kernel_kill_line $name" 60 >/dev/null
}

# check_recorded NAME CONSTRAINT: the kernel's oom-kill line for the hog
# NAME, and exactly one journal entry of the recorder with its pid, whose
# fields equal the line's.
check_recorded() {
	local name=$1 constraint=$2 line pid memcg entries e
	line=$(kernel_kill_line "$name" | tail -n 1)
	[ -n "$line" ] || { echo "no oom-kill line for $name"; return 1; }
	echo "kernel: $line"
	pid=$(echo "$line" | sed -n 's/.*,pid=\([0-9]*\),.*/\1/p')
	memcg=$(echo "$line" | sed -n 's/.*,oom_memcg=\([^,]*\),.*/\1/p')
	wait_for "[ \$(oom_entries | jq -r 'select(.OOMLENS_VICTIM_PID == \"$pid\")' | jq -s length) -ge 1 ]" 60
	entries=$(oom_entries | jq -c "select(.OOMLENS_VICTIM_PID == \"$pid\" and .OOMLENS_VICTIM_COMM == \"$name\")")
	[ "$(echo "$entries" | grep -c .)" = 1 ] || {
		echo "journal entries for pid $pid ($name): $(echo "$entries" | grep -c .)"
		echo "$entries"
		return 1
	}
	e=$entries
	echo "journal: $(echo "$e" | jq -r .MESSAGE)"
	[ "$(echo "$e" | jq -r .OOMLENS_CONSTRAINT)" = "$constraint" ] || { echo "constraint differs"; return 1; }
	if [ "$constraint" = CONSTRAINT_MEMCG ]; then
		[ "$(echo "$e" | jq -r .OOMLENS_OOM_MEMCG)" = "$memcg" ] || { echo "oom_memcg differs from $memcg"; return 1; }
		echo "$e" | jq -r .OOMLENS_VICTIM_MEMCG_OWNER | grep -qF "systemd unit systest-hog-$name.service" ||
			{ echo "victim_memcg_owner does not name the unit"; return 1; }
	else
		[ "$(echo "$e" | jq -r .OOMLENS_OOM_MEMCG)" = - ] || { echo "a global OOM with an oom_memcg"; return 1; }
	fi
	echo "$line" | grep -qF ",task_memcg=$(echo "$e" | jq -r .OOMLENS_VICTIM_MEMCG)," ||
		{ echo "victim_memcg differs from the kernel's task_memcg"; return 1; }
}

# Every recorded OOM is there once: no (boot id, seq) twice.
no_doubles() {
	local d
	d=$(oom_entries | jq -r '"\(.OOMLENS_BOOT_ID) \(.OOMLENS_SEQ) \(.OOMLENS_TIME_BOOT_NS)"' | sort | uniq -d)
	[ -z "$d" ] || { echo "doubled: $d"; return 1; }
}
count_is() {
	local c
	sleep 3
	c=$(count_oom)
	echo "journal: $c OOM entries, expected $1"
	[ "$c" = "$1" ]
}
memcg_oom() { oom_of "$1" systemd-run --quiet --wait --unit="systest-hog-$1" \
	-p MemoryMax=32M -p MemorySwapMax=0 "$pay/hog" -n "$1"; }
# In a unit of its own, as the memcg OOM's hog: systemd stops the unit
# whose process the kernel killed (OOMPolicy=stop), which must not be this
# test's.
global_oom() { oom_of "$1" systemd-run --quiet --wait --unit="systest-hog-$1" \
	"$pay/hog" -a 1000 -n "$1"; }
module_version() { cat /sys/module/oomlens/version; }
recorder_pid() { systemctl show -P MainPID oomlens-record.service; }
# The recorder holds the events file open.
recorder_holds_events() {
	local p fd
	p=$(recorder_pid)
	[ "$p" -gt 0 ] || return 1
	for fd in /proc/"$p"/fd/*; do
		[ "$(readlink "$fd")" = /sys/kernel/debug/oomlens/events ] && return 0
	done
	return 1
}
# Debian's DKMS builds a module at install for the running kernel and the
# newest installed one (dkms' common.postinst; autoinstall_all_kernels in
# /etc/dkms/framework.conf for all), and for each kernel installed later.
newest_kernel() { find /lib/modules -mindepth 1 -maxdepth 1 -printf '%f\n' | sort -V | tail -n 1; }
dkms_for() { dkms status oomlens -k "$2" | grep -F "oomlens/$1, $2, x86_64: installed"; }
dkms_has() { dkms_for "$1" "$(uname -r)"; }
version_is() { [ "$(module_version)" = "$1" ]; }
module_loaded_is() { wait_for "[ -e /sys/module/oomlens ]" 120 && version_is "$1"; }
# systemd-modules-load runs before journald: its lines reach the journal
# through the kernel's log, under its SYSLOG_IDENTIFIER, not its unit.
modules_load_loaded() {
	journalctl -b 0 -o cat --no-pager -t systemd-modules-load
	journalctl -b 0 -o cat --no-pager -t systemd-modules-load | grep -x "Inserted module 'oomlens'"
}
dkms_replaced() {
	dkms status oomlens
	dkms_has "$2" && dkms_for "$2" "$(newest_kernel)" && ! dkms status oomlens | grep -F "oomlens/$1,"
}
packages_are() {
	dpkg-query -W -f '${Package} ${Version}\n' oomlens oomlens-dkms
	[ "$(dpkg-query -W -f '${Version} ' oomlens oomlens-dkms)" = "$1 $1 " ]
}
both_enabled() {
	systemctl is-enabled oomlens-record.service && systemctl is-enabled oomlens-export.timer
}
recorder_nrestarts() { systemctl show -P NRestarts oomlens-record.service; }
# The recorder that held events before the reload holds it after: the same
# process (saved in $state/recorder.pid), never restarted by systemd.
same_recorder() {
	echo "recorder pid $(recorder_pid) (before: $(cat "$state/recorder.pid")), restarts $(recorder_nrestarts)"
	[ "$(recorder_pid)" = "$(cat "$state/recorder.pid")" ] && [ "$(recorder_nrestarts)" = 0 ] &&
		recorder_holds_events
}
# No unit failed this boot (the hogs' units fail by design: their process
# was killed), and the recorder never needed systemd to restart it.
no_failed_units() {
	systemctl reset-failed 'systest-hog-*' 2>/dev/null
	systemctl --failed --no-legend --plain
	[ -z "$(systemctl --failed --no-legend --plain)" ] && [ "$(recorder_nrestarts)" = 0 ]
}
modprobe_is() { modprobe oomlens && version_is "$1"; }
no_lost() { [ -z "$(journalctl -o cat --no-pager MESSAGE_ID="$msgid_lost")" ]; }
# The textfile is removed first: what is scraped was written now.
export_scrape() {
	rm -f /var/lib/prometheus/node-exporter/oomlens.prom
	systemctl start oomlens-export.service &&
		[ -s /var/lib/prometheus/node-exporter/oomlens.prom ] &&
		wait_for "systemctl is-active prometheus-node-exporter.service" 60 &&
		wait_for "curl -sf http://localhost:9100/metrics >$state/metrics" 60
}
metric() { awk -v m="$1" '$1 == m { print $2 }' "$state/metrics"; }
metrics_are() {
	grep -E '^(oomlens_up|node_textfile_scrape_error|oomlens_oom_events_by_constraint_total)' "$state/metrics"
	[ "$(metric oomlens_up)" = 1 ] && [ "$(metric node_textfile_scrape_error)" = 0 ] &&
		[ "$(metric 'oomlens_oom_events_by_constraint_total{constraint="CONSTRAINT_MEMCG"}')" = 1 ] &&
		[ "$(metric 'oomlens_oom_events_by_constraint_total{constraint="CONSTRAINT_NONE"}')" = 0 ]
}

# A boot that has not finished in 40 minutes is stuck (the longest, boot 2
# on 6.1, has DKMS build the module twice: about 20): say what ran, keep
# its journal, and power off (run-system.sh then reports the plan cut
# short).
watchdog() {
	sleep 2400
	diag "boot $boot: still running after 2400 s; processes:"
	ps -eo pid,stat,wchan:24,etimes,args | sed 's/^/# /' >"$tap"
	mkdir -p "$pay/logs"
	journalctl -b 0 -o short-monotonic --no-pager >"$pay/logs/boot$boot.journal" 2>&1
	sync
	mount -o remount,ro "$pay"
	systemctl poweroff --force --force
}
watchdog &

case "$boot" in
1)
	out "TAP version 13"
	out "1..$PLAN"
	diag "boot 1: kernel $(uname -r); install oomlens $v1"
	ok "dpkg -i oomlens-dkms and oomlens $v1" \
		dpkg -i "$pay/v1/oomlens-dkms.deb" "$pay/v1/oomlens.deb"
	ok "dkms built oomlens $v1 for the running kernel" dkms_has "$v1"
	if [ "$(newest_kernel)" = "$(uname -r)" ]; then
		skip "dkms built it for the newest installed kernel" "the running kernel is the newest"
	else
		ok "dkms built it for the newest installed kernel, $(newest_kernel)" \
			dkms_for "$v1" "$(newest_kernel)"
	fi
	ok "oomlens-record.service and oomlens-export.timer are enabled" both_enabled
	ok "the recorder's start loaded the module $v1, no reboot needed" module_loaded_is "$v1"
	ok "the recorder holds events open" \
		wait_for "systemctl is-active oomlens-record.service && recorder_holds_events" 60
	finish
	systemctl reboot
	;;
2)
	diag "boot 2: kernel $(uname -r)"
	ok "systemd-modules-load loaded oomlens at boot" modules_load_loaded
	ok "the module loaded is $v1" version_is "$v1"
	ok "oomlens-record.service is active and holds events open" \
		wait_for "systemctl is-active oomlens-record.service && recorder_holds_events" 60
	memcg_oom systest-memcg1
	ok "a memcg OOM is in the journal once, as the kernel reported it" \
		check_recorded systest-memcg1 CONSTRAINT_MEMCG
	global_oom systest-global
	ok "a global OOM is in the journal once, as the kernel reported it" \
		check_recorded systest-global CONSTRAINT_NONE
	ok "restart the recorder" systemctl restart oomlens-record.service
	ok "after the restart the recorder holds events again" \
		wait_for recorder_holds_events 60
	# The recorder reads the ring in order: had it written the two
	# earlier events again, they would be in the journal before this one.
	memcg_oom systest-marker
	ok "an OOM after the restart is in the journal once" \
		check_recorded systest-marker CONSTRAINT_MEMCG
	ok "the restarted recorder wrote nothing else: 3 entries" count_is 3
	diag "upgrade to $v2 with the recorder running (pid $(recorder_pid))"
	ok "dpkg -i oomlens-dkms and oomlens $v2, the recorder running" \
		dpkg -i "$pay/v2/oomlens-dkms.deb" "$pay/v2/oomlens.deb"
	ok "both packages are $v2" packages_are "$v2"
	ok "dkms replaced $v1 by $v2" dkms_replaced "$v1" "$v2"
	ok "the recorder (restarted by the upgrade) holds events open" \
		wait_for recorder_holds_events 60
	recorder_pid >"$state/recorder.pid"
	ok "modprobe -r oomlens succeeds under the recorder" modprobe -r oomlens
	ok "modprobe oomlens loads $v2" modprobe_is "$v2"
	ok "the same recorder process read on from the new module" \
		wait_for same_recorder 60
	memcg_oom systest-memcg2
	ok "the first OOM after the reload is in the journal once" \
		check_recorded systest-memcg2 CONSTRAINT_MEMCG
	ok "export the metrics now, then scrape node_exporter over HTTP" export_scrape
	ok "node_exporter: oomlens_up 1, node_textfile_scrape_error 0, since the reload one MEMCG OOM and no other" \
		metrics_are
	ok "no unit failed, the recorder never restarted by itself" no_failed_units
	finish
	systemctl reboot
	;;
3)
	diag "boot 3: kernel $(uname -r)"
	ok "the module loaded at boot is $v2" version_is "$v2"
	ok "the recorder runs again after the reboot" \
		wait_for "systemctl is-active oomlens-record.service && recorder_holds_events" 60
	ok "the persistent journal kept boot 2's four OOMs" count_is 4
	memcg_oom systest-memcg3
	ok "an OOM after the reboot (its seq starts again) is in the journal once" \
		check_recorded systest-memcg3 CONSTRAINT_MEMCG
	ok "five OOMs in the journal" count_is 5
	ok "no (boot, seq, time) twice" no_doubles
	ok "no 'lost' entry: nothing was missed" no_lost
	ok "no unit failed, the recorder never restarted by itself" no_failed_units
	[ "$n" = "$PLAN" ] || diag "ran $n cases of a plan of $PLAN"
	# What a person would look at first, if anything failed.
	journalctl -o short-monotonic --no-pager MESSAGE_ID="$msgid_oom" |
		sed 's/^/# journal: /' >"$tap"
	finish
	echo "OOMLENS-SYSTEST-DONE" >"$tap"
	systemctl poweroff
	;;
*)
	diag "boot $boot: unexpected; powering off"
	systemctl poweroff
	;;
esac
