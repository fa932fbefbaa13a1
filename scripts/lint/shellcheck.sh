#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Gate: every host script is shellcheck clean (Debian's shellcheck, every
# severity, sourced files followed) and keeps the one "set" policy of the
# host scripts: a program starts with "#!/bin/bash" and its first command
# is "set -euo pipefail"; a library (no "#!", a "# shellcheck shell="
# line) is sourced and takes its caller's options.  The host scripts:
# scripts/**/*.sh (the gates of make lint among them), the reader's host
# tests selftests/reader/*.sh, the host side of the VM rig (the bash
# scripts of selftests/vm/: run-vm.sh, captures.sh, figures.sh), the
# system test's selftests/system/*.sh and .ci/run, found at run time so new
# ones are checked too.  What runs in the busybox guest (selftests/*.sh,
# selftests/vm/init, run-tests, demo.sh) is not a host script.  The system
# test's guest side (selftests/system/guest-*.sh, bash in the Debian guest)
# is shellcheck clean but runs every case after a failure: "set -uo
# pipefail", without -e.
set -euo pipefail
# shellcheck source=scripts/host-test-lib.sh
. "$(dirname "$0")/../host-test-lib.sh"

need shellcheck "shellcheck is not installed: run 'make deps'"

# policy FILE: why FILE breaks the set policy, or nothing.
policy() {
	local first want
	if [ "$(head -c 2 "$1")" != '#!' ]; then
		grep -q '^# shellcheck shell=' "$1" || echo "no #! and no '# shellcheck shell=' line"
		return 0
	fi
	[ "$(head -n 1 "$1")" = '#!/bin/bash' ] || { echo "not #!/bin/bash"; return 0; }
	first=$(grep -v -m 1 -E '^[[:space:]]*(#|$)' "$1" || true)
	case "$1" in
	selftests/system/guest-*.sh) want='set -uo pipefail' ;;
	*) want='set -euo pipefail' ;;
	esac
	[ "$first" = "$want" ] || echo "first command is '$first', not '$want'"
}

vm_host=$(grep -l -m 1 '^#!/bin/bash' selftests/vm/*.sh || true)
for f in $({ find scripts selftests/reader selftests/system -name '*.sh' -type f; echo "$vm_host"; echo .ci/run; } | sort); do
	why=$(policy "$f")
	if [ -n "$why" ]; then
		fail "$f: set policy" "$why"
	elif shellcheck -x "$f" >"$tmp/sc.log" 2>&1; then
		ok "$f"
	else
		fail "$f" "shellcheck"
		show "$tmp/sc.log"
	fi
done
finish
