#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Gate: commit --check under kernel lockdown says why it cannot ask.  Under
# lockdown (integrity or confidentiality) debugfs refuses to open writable
# files with EPERM, so the what-if cannot be written; the other commands
# still read.  Faked on the host in a private mount namespace (the host is
# not touched): a commit_check file that refuses writes with EPERM (chattr
# +i), and a lockdown file saying "[integrity]" over /sys/kernel/security.
# Without lockdown the same EPERM is reported as it is.
set -euo pipefail
# shellcheck source=scripts/host-test-lib.sh
. "$(dirname "$0")/../../scripts/host-test-lib.sh"

reader
d=$(mktemp -d)
# shellcheck disable=SC2016 # expanded at exit
at_exit 'chattr -i "$d/commit_check" 2>/dev/null; rm -rf "$d"'
cp "$top/selftests/reader/captured/6.12/debugfs/"* "$d/"
: >"$d/commit_check"
if ! chattr +i "$d/commit_check" 2>/dev/null; then
	skip lockdown "chattr +i does not work on $(df --output=fstype "$d" | tail -n 1)"
	finish
fi

# under LOCKDOWN NAME WANT: commit --check in a private mount namespace
# whose /sys/kernel/security/lockdown says LOCKDOWN prints WANT and exits 2.
under() {
	local out want="$3
rc=2"
	# shellcheck disable=SC2016 # the inner shell's arguments
	out=$(unshare -m --propagation private sh -c '
	mount -t tmpfs oltlockdown /sys/kernel/security || exit 99
	echo "$3" >/sys/kernel/security/lockdown
	"$1" --debugfs "$2" commit --check 1 4K 2>&1
	echo "rc=$?"' _ "$bin" "$d" "$1" || true)
	case "$out" in
	*rc=99*) skip lockdown "cannot mount a tmpfs in a private mount namespace" ;;
	"$want") ok "$2" ;;
	*) fail "${2%%:*}" "$out" ;;
	esac
}
under "none [integrity] confidentiality" \
	"commit --check under lockdown: one line, says lockdown refuses the write (exit 2)" \
	"oomlens: commit --check: the kernel is locked down (lockdown [integrity]): lockdown refuses writes to debugfs files, so the what-if cannot be asked; the other commands still read"
# Not locked down: the same EPERM, said once as it is.
under "[none] integrity confidentiality" \
	"commit --check, EPERM without lockdown: said once (exit 2)" \
	"oomlens: $d/commit_check: Operation not permitted"
if out=$("$bin" --debugfs "$d" commit 2>&1); then ok "commit still reads"; else fail "commit" "$out"; fi
finish
