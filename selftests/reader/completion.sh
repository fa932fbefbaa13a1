#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Gate: "make install" puts the reader, its man page and its bash completion
# under DESTDIR, and the completion completes: subcommands, each one's
# options, --sort and --output values, after global options too.  Bash's
# own completion loader is not needed (it is used when present).
set -euo pipefail
# shellcheck source=scripts/host-test-lib.sh
. "$(dirname "$0")/../../scripts/host-test-lib.sh"

dest=$tmp/dest
log=$tmp/install.log
if make -s -C "$top" install DESTDIR="$dest" PREFIX=/usr >"$log" 2>&1; then
	ok "make install DESTDIR=..."
else
	fail "make install" "$(tail -n 3 "$log")"
fi
for f in usr/sbin/oomlens usr/share/man/man8/oomlens.8 usr/share/bash-completion/completions/oomlens; do
	if [ -s "$dest/$f" ]; then ok "installed /$f"; else fail "not installed: /$f"; fi
done
comp=$dest/usr/share/bash-completion/completions/oomlens
[ -f "$comp" ] || comp=$top/userspace/completion/oomlens

# complete WORDS... -> the candidates, sorted, on one line
complete_words() {
	bash --norc --noprofile -c '
		. "$1"; shift
		COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1))
		_oomlens
		printf "%s\n" "${COMPREPLY[@]}" | sort | tr "\n" " "' _ "$comp" "$@" || true
}
expect() { # NAME WANT WORDS...
	local name=$1 want=$2 got
	shift 2
	got=$(complete_words "$@")
	if [ "$got" = "$want" ]; then ok "$name"; else fail "$name" "got '$got', want '$want'"; fi
}
expect "subcommands" "top " oomlens to
expect "after a global option" "all " oomlens --prometheus a
expect "top's options" "--sort " oomlens top --so
expect "--sort values" "score swap " oomlens top --sort s
expect "--output values" "PGTABLES PID POINTS " oomlens top -o P
expect "commit's --check" "--check " oomlens commit --ch
expect "events' options" "--follow " oomlens events --fo
finish
