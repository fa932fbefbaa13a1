# shellcheck shell=bash
# SPDX-License-Identifier: GPL-2.0
#
# Sourced by every host gate (scripts/lint/*.sh, scripts/host-untouched.sh,
# selftests/reader/*.sh), which starts with "set -euo pipefail".  A gate
# calls ok/fail/skip once per thing it checks (a file, a kernel, a case) and
# ends with "finish".  Its output is KTAP (Documentation/dev-tools/ktap.rst),
# the format of the VM selftests:
#
#   KTAP version 1
#   1..N
#   ok 1 NAME
#   not ok 2 NAME
#   # why, and the gate's own output, as diagnostic lines
#   ok 3 NAME # SKIP reason
#   # Totals: pass:P fail:F xfail:0 xpass:0 skip:S error:0
#
# The plan must follow the version line and a gate learns N as it goes, so
# the results and everything the gate prints are held in a file and
# written, numbered, by finish.  A gate that stops early (set -e, exit) is
# written all the same, with one more "not ok" that says where it stopped:
# a gate that cannot run to its end fails.  scripts/check.sh adds the
# gates' results up.
#
#   ok NAME            one check passed
#   fail NAME [WHY]    one check failed; WHY and the gate's own output explain
#   skip NAME WHY      one check could not run here
#   bail NAME WHY      fail NAME WHY, and finish: the gate cannot go on
#   finish             writes the KTAP and exits, 1 if any check failed
#   at_exit CMD        run CMD (eval) when the gate exits, before finish
#                      writes (a gate's own "trap ... EXIT" would replace
#                      the library's)
#   show [FILE...]     FILE (or stdin) indented, at most 40 lines
#   $tmp               a temporary directory of the gate's, removed at exit
#   workdir NAME       a fresh build/host/NAME/ kept for a look afterwards
#   reader             build the reader (userspace/oomlens) and set $bin
#   asan_reader NAME   build the reader with ASan/UBSan into
#                      build/reader-asan-NAME/oomlens and set $bin to it
#   need CMD WHY       bail unless CMD is on PATH
#   promtool_clean F   promtool check metrics finds nothing in file F (else
#                      its words are in $promtool_msg)
#   test_kernels       the kernel releases to check: $OOMLENS_KERNELS (set by
#                      check.sh from KERNELS) or all test kernels; each
#                      resolves with scripts/kernels.sh (--kdir: its headers)
#   module_copy K GATE a fresh copy of the module's sources for kernel K
#
# $top is the repository, and the working directory.

top=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$top" || exit 2
# The cache of unpacked kernels and tools (promtool) that make deps fills.
# shellcheck source=scripts/cache.sh
. "$top/scripts/cache.sh"

# Results are lines starting with a GS byte (\035) in the held output;
# finish numbers them and makes every other line a diagnostic.
_ktap_mark=$'\035'
_ktap_buf=$(mktemp)
_ktap_done=0
tmp=$(mktemp -d)
_ktap_at_exit=()
exec 3>&1 4>&2 5>"$_ktap_buf" 1>&5 2>&5

_ktap_name() { local n=${1//$'\n'/ }; printf '%s' "${n//#/\\#}"; }
_ktap_diag() { [ -z "${1:-}" ] || printf '%s\n' "$1" | sed 's/^/# /' >&5; }

ok() { printf '%sok %s\n' "$_ktap_mark" "$(_ktap_name "$1")" >&5; }
fail() {
	printf '%snot ok %s\n' "$_ktap_mark" "$(_ktap_name "$1")" >&5
	_ktap_diag "${2:-}"
}
skip() { printf '%sok %s # SKIP %s\n' "$_ktap_mark" "$(_ktap_name "$1")" "$(_ktap_name "$2")" >&5; }
bail() {
	fail "$@"
	finish
}

# The KTAP of the held output, to the gate's stdout.  A result after
# output that did not end its line still counts.
_ktap_write() {
	local n
	exec 1>&3 2>&4
	n=$(grep -c "$_ktap_mark" "$_ktap_buf" || true)
	echo "KTAP version 1"
	echo "1..$n"
	awk -v m="$_ktap_mark" '
		(k = index($0, m)) > 1 { print "# " substr($0, 1, k - 1); $0 = substr($0, k); k = 1 }
		k == 1 {
			r = substr($0, 2)
			i++
			if (r ~ /^not ok /) { f++; sub(/^not ok /, "not ok " i " ", r) }
			else { if (r ~ / # SKIP /) s++; else p++; sub(/^ok /, "ok " i " ", r) }
			print r
			next
		}
		/^#/ { print; next }
		{ print "# " $0 }
		END {
			printf "# Totals: pass:%d fail:%d xfail:0 xpass:0 skip:%d error:0\n", p, f, s
			exit (f > 0)
		}' "$_ktap_buf"
}

finish() {
	_ktap_done=1
	exit 0
}

# On any exit: the gate's cleanups, then the KTAP; the exit status is 1
# if a check failed or the gate stopped before finish.
_ktap_exit() {
	local rc=$? c
	set +e
	for c in "${_ktap_at_exit[@]}"; do eval "$c"; done
	rm -rf "$tmp"
	if [ "$_ktap_done" != 1 ]; then
		fail "$(basename "$0" .sh) ran to its end" \
			"stopped with exit $rc${_ktap_err:+ at line $_ktap_err}"
	fi
	exec 5>&-
	_ktap_write
	rc=$?
	rm -f "$_ktap_buf"
	exit "$rc"
}
trap _ktap_exit EXIT
# Where set -e stopped the gate (errtrace: in functions too).
set -o errtrace
trap '_ktap_err="$LINENO: $BASH_COMMAND"' ERR

at_exit() { _ktap_at_exit+=("$1"); }

# Show a tool's output indented, at most 40 lines of it (reads all of it:
# no SIGPIPE for the writer).
show() { awk 'NR <= 40 { print "  | " $0 }' "$@"; }

workdir() {
	local d="$top/build/host/$1"

	rm -rf "$d"
	mkdir -p "$d"
	echo "$d"
}

need() {
	command -v "$1" >/dev/null || bail "$1" "$2"
}

# shellcheck disable=SC2086
test_kernels() { "$top/scripts/kernels.sh" ${OOMLENS_KERNELS:-}; }

# A fresh copy of the module's sources for one kernel and one gate, so that
# gates and kernels never share objects: prints the directory.
module_copy() {
	local d="$top/build/lint/$1/$2"

	rm -rf "$d"
	mkdir -p "$d"
	cp -a "$top/Kbuild" "$top/module" "$top/include" "$d/"
	echo "$d"
}

# The reader as make builds it: $bin.
reader() {
	bin=$top/userspace/oomlens
	make -s -C "$top/userspace" >/dev/null || bail "reader build" "the reader does not build"
}

# The reader built with AddressSanitizer and UBSan, for the gates that feed
# it hostile or unusual files: $bin, with the sanitizers set to fail.
asan_reader() {
	bin=$top/build/reader-asan-$1/oomlens
	mkdir -p "$(dirname "$bin")"
	make -s -C "$top/userspace" CFLAGS="-O1 -g -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer" \
		OUT="$bin" asan >/dev/null || bail build "the reader does not build with sanitizers"
	export ASAN_OPTIONS=detect_leaks=1:abort_on_error=0:exitcode=99
	export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1:exitcode=98
}

promtool_clean() {
	promtool_msg=$(promtool check metrics <"$1" 2>&1) && [ -z "$promtool_msg" ]
}
