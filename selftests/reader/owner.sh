#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Host test of "oomlens owner" (userspace/cgroup_owner.c): every layout of
# selftests/reader/owners.txt (systemd, Docker, Podman, containerd and
# CRI-O under both kubelet cgroup drivers, near misses) gets the owner the
# file says, the same paths under /sys/fs/cgroup too; JSON is valid and
# carries the fields; hostile paths come out escaped; bad input is refused.
# The reader is built with the sanitizers.
set -euo pipefail
# shellcheck source=scripts/host-test-lib.sh
. "$(dirname "$0")/../../scripts/host-test-lib.sh"

asan_reader owner
need jq "jq is not installed: run 'make deps'"
cases=$top/selftests/reader/owners.txt
n=0 bad=""
while IFS=$'\t' read -r path want; do
	case $path in '#'* | '') continue ;; esac
	n=$((n + 1))
	got=$("$bin" owner "$path" 2>&1 | cut -f2-) || got="exit $?: $got"
	[ "$got" = "$want" ] || bad="$bad
$path: got '$got', want '$want'"
	got=$("$bin" owner "/sys/fs/cgroup${path%/}" 2>&1 | cut -f2-) || true
	[ "$path" = / ] || [ "$got" = "$want" ] || bad="$bad
/sys/fs/cgroup$path: got '$got', want '$want'"
done <"$cases"
if [ -z "$bad" ] && [ "$n" -gt 30 ]; then
	ok "owners of $n cgroup layouts, as paths and under /sys/fs/cgroup"
else
	fail "owners of the cgroup layouts ($n cases)" "$bad"
fi

id=0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef
uid=1b2c3d4e-5f60-7182-93a4-b5c6d7e8f901
j=$("$bin" --json owner "/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod${uid//-/_}.slice/cri-containerd-$id.scope" /demo)
if jq -e --arg id "$id" --arg uid "$uid" 'length == 2 and
	.[0].kind == "kubernetes" and .[0].runtime == "containerd" and
	.[0].container_id == $id and .[0].pod_uid == $uid and
	.[0].qos_class == "burstable" and
	.[0].slice == "kubepods-burstable-pod" + ($uid | gsub("-"; "_")) + ".slice" and
	.[1].kind == "plain" and .[1].owner == "" and .[1].unit == null' <<<"$j" >/dev/null; then
	ok "JSON: kind, runtime, container_id, pod_uid, qos_class, slice"
else
	fail "JSON fields" "$j"
fi

# A unit name is whatever the cgroup's creator chose: escaped, JSON valid.
evil=$'/system.slice/\e[31mred\x07.service'
out=$("$bin" owner "$evil")
if ! grep -q $'\e' <<<"$out" && grep -qF 'systemd unit \x1b[31mred\x07.service' <<<"$out"; then
	ok "a hostile unit name is escaped"
else
	fail "hostile unit name" "$(printf '%q' "$out")"
fi
if "$bin" --json owner "$evil" | jq -e '.[0].unit | test("\u001b")' >/dev/null; then
	ok "JSON keeps it exact and valid"
else
	fail "hostile unit name in JSON"
fi
long=/$(printf 'a%.0s' $(seq 1 5000)).service
if "$bin" owner "$long" >/dev/null; then ok "a 5000-byte unit name"; else fail "a 5000-byte unit name"; fi

rc=0
out=$("$bin" owner relative/path 2>&1) || rc=$?
if [ "$rc" = 1 ] && grep -q "'relative/path' is not an absolute cgroup path" <<<"$out"; then
	ok "a relative path is refused, named"
else
	fail "relative path (rc $rc)" "$out"
fi
rc=0
out=$("$bin" owner 2>&1) || rc=$?
if [ "$rc" = 1 ] && grep -q 'no PATH given' <<<"$out"; then ok "no path: usage"; else fail "no path (rc $rc)" "$out"; fi
finish
