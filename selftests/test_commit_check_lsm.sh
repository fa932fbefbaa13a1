#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# commit_check asks what the kernel asks.  security_vm_enough_memory_mm()
# gives __vm_enough_memory() cap_sys_admin from the capability module's
# vm_enough_memory hook, cap_capable(), which AppArmor does not mediate: a
# root task whose AppArmor profile denies sys_admin still gets the admin
# reserve.  With a profile that denies it (loaded with apparmor_parser,
# which the VM has from the cache), mode 2 (never) and an admin reserve of
# 256 MiB, the confined task maps a size halfway between the headroom with
# and without the reserve: the kernel lets it, and commit_check must say
# cap_sys_admin true and allow (has_capability_noaudit(), which asks every
# LSM, said false and deny).  Skipped where AppArmor or the parser is
# missing.
. "$(dirname "$0")/ktap.sh"

hog=/oomlens/tests/hog
aa=/sys/kernel/security/apparmor
prof=/tmp/oltnoadmin.profile
vm=/proc/sys/vm

ktap_print_header
ktap_set_plan 5

[ -d "$aa" ] || mount -t securityfs securityfs /sys/kernel/security 2>/dev/null
skip_all() {
	ktap_print_msg "$1"
	for t in "profile loaded" "the profile denies CAP_SYS_ADMIN (sethostname)" \
		"the task runs confined" "the kernel gives the confined root the admin reserve" \
		"commit_check says what the kernel did"; do
		ktap_test_skip "$t"
	done
	ktap_finished
}
command -v apparmor_parser >/dev/null || skip_all "no apparmor_parser in the VM (make deps unpacks it)"
[ -f "$aa/profiles" ] || skip_all "AppArmor is not enabled in this kernel"

cat >"$prof" <<'EOF'
profile oltnoadmin {
  capability,
  deny capability sys_admin,
  /** rwlkmix,
  signal,
}
EOF
apparmor_parser -r "$prof" >/tmp/aa.out 2>&1
sed 's/^/# apparmor_parser: /' /tmp/aa.out
ktap_check "profile loaded" grep -q '^oltnoadmin (enforce)' "$aa/profiles"

confined() { # CMD...: run it under the profile
	sh -c 'echo "exec oltnoadmin" >/proc/self/attr/apparmor/exec 2>/dev/null ||
		echo "exec oltnoadmin" >/proc/self/attr/exec; exec "$@"' _ "$@"
}
old_host=$(hostname)
confined hostname oltnoadmin-test 2>/dev/null
rc=$?
hostname "$old_host"
ktap_check "the profile denies CAP_SYS_ADMIN (sethostname)" test "$rc" != 0

mode=$(cat $vm/overcommit_memory)
admin=$(cat $vm/admin_reserve_kbytes)
echo 2 >$vm/overcommit_memory
echo 262144 >$vm/admin_reserve_kbytes
root=$(oomlens --json commit | jq .headroom_root_pages)
user=$(oomlens --json commit | jq .headroom_user_pages)
size=$(((root + user) / 2 * 4096))
ktap_print_msg "headroom $root pages with the admin reserve, $user without: mapping $size bytes"

confined "$hog" -M "$size" >/tmp/aa.map &
pid=$!
for _ in $(seq 50); do
	grep -q '^State:.*T' /proc/$pid/status 2>/dev/null && break
	sleep 0.1
done
label=$(cat /proc/$pid/attr/current 2>/dev/null)
ktap_print_msg "pid $pid: $label"
ktap_check "the task runs confined" test "$label" = "oltnoadmin (enforce)"
oomlens --json commit --check "$pid" "$size" >/tmp/aa.check 2>&1
kill -CONT "$pid"
wait "$pid"
rc=$?
echo "$mode" >$vm/overcommit_memory
echo "$admin" >$vm/admin_reserve_kbytes
apparmor_parser -R "$prof" >/dev/null 2>&1
ktap_print_msg "kernel: $(cat /tmp/aa.map) (exit $rc); commit_check: $(jq -c '{cap_sys_admin, admin_reserve_applied, allowed_pages, committed_after_pages, verdict}' /tmp/aa.check 2>&1)"
ktap_check "the kernel gives the confined root the admin reserve" test "$rc" = 0
ktap_check "commit_check says what the kernel did" \
	sh -c "jq -e '.cap_sys_admin == true and .verdict == \"allow\"' /tmp/aa.check >/dev/null"

ktap_finished
