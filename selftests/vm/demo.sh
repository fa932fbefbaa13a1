#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# make run: cause a memcg OOM and a global OOM in the VM and show what
# oomlens recorded, next to what the kernel logged.
export PATH=/oomlens/bin:/oomlens/tests:$PATH

echo "== oomlens --version"
oomlens --version

echo
echo "== a memory cgroup OOM: 'hog' in /sys/fs/cgroup/demo with memory.max=32M"
mkdir -p /sys/fs/cgroup/demo
echo +memory >/sys/fs/cgroup/cgroup.subtree_control
echo 32M >/sys/fs/cgroup/demo/memory.max
echo 0 >/sys/fs/cgroup/demo/memory.swap.max 2>/dev/null
hog -c /sys/fs/cgroup/demo
echo "hog exited with status $? (137 = SIGKILL)"
grep oom_kill /sys/fs/cgroup/demo/memory.events

echo
echo "== a global OOM: overcommit_memory=1, 'hog' touching memory until killed"
echo 1 >/proc/sys/vm/overcommit_memory
hog -a 1000
echo "hog exited with status $? (137 = SIGKILL)"
echo 0 >/proc/sys/vm/overcommit_memory

echo
echo "== what the kernel logged"
kmsg-dump | sed 's/^[^;]*;//' | grep -E 'invoked oom-killer|oom-kill:constraint|Killed process'

echo
echo "== oomlens stats"
oomlens stats

echo
echo "== oomlens commit (the commit limit, spelled out), and a what-if"
oomlens commit
echo 2 >/proc/sys/vm/overcommit_memory
oomlens commit --check 1 64M
echo 0 >/proc/sys/vm/overcommit_memory
echo "== oomlens events"
oomlens events

echo
echo "== oomlens explain (the newest event)"
oomlens explain
