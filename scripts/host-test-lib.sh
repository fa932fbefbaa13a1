# SPDX-License-Identifier: GPL-2.0
#
# Sourced by scripts/host-tests/*.sh: counting and the closing line that
# scripts/check.sh adds up.  A gate calls ok/fail once per thing it checks
# (a file, a kernel) and ends with "finish".
#
#   ok NAME            one check passed
#   fail NAME [WHY]    one check failed; WHY and the gate's own output explain
#   skip NAME WHY      one check could not run here
#   finish             prints "N passed, N failed[, N skipped]", exit 1 on failure
#   asan_reader NAME   build the reader with ASan/UBSan into
#                      build/reader-asan-NAME/oomlens and set $bin to it
#                      (a gate that cannot build it fails and stops)
#   promtool_clean F   promtool check metrics finds nothing in file F (else
#                      its words are in $promtool_msg)
#   test_kernels       the kernel releases to check: $OOMLENS_KERNELS (set by
#                      check.sh from KERNELS) or all test kernels; each
#                      resolves with scripts/kernels.sh (--kdir: its headers)

top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top" || exit 2
# The cache of unpacked kernels and tools (promtool) that make deps fills.
# shellcheck source=scripts/cache.sh
. "$top/scripts/cache.sh"
_pass=0 _fail=0 _skip=0

ok() { _pass=$((_pass + 1)); echo "ok: $1"; }
fail() { _fail=$((_fail + 1)); echo "FAIL: $1${2:+: $2}"; }
skip() { _skip=$((_skip + 1)); echo "SKIP: $1: $2"; }

finish() {
	line="$_pass passed, $_fail failed"
	[ "$_skip" -gt 0 ] && line="$line, $_skip skipped"
	echo "$line"
	[ "$_fail" = 0 ]
}

# shellcheck disable=SC2086
test_kernels() { "$top/scripts/kernels.sh" ${OOMLENS_KERNELS:-}; }

# Show a tool's output indented, at most 40 lines of it.
show() { sed 's/^/  | /' "$@" | head -n 40; }

# A fresh copy of the module's sources for one kernel and one gate, so that
# gates and kernels never share objects: prints the directory.
module_copy() {
	local d="$top/build/lint/$1/$2"

	rm -rf "$d"
	mkdir -p "$d"
	cp -a "$top/Kbuild" "$top/module" "$top/include" "$d/"
	echo "$d"
}

# The reader built with AddressSanitizer and UBSan, for the gates that feed
# it hostile or unusual files: $bin, with the sanitizers set to fail.
asan_reader() {
	bin=$top/build/reader-asan-$1/oomlens
	if ! make -s -C "$top/userspace" CFLAGS="-O1 -g -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer" \
		OUT="$bin" asan >/dev/null; then
		fail build "the reader does not build with sanitizers"
		finish
		exit
	fi
	export ASAN_OPTIONS=detect_leaks=1:exitcode=99 UBSAN_OPTIONS=halt_on_error=1:exitcode=98
}

promtool_clean() {
	promtool_msg=$(promtool check metrics <"$1" 2>&1) && [ -z "$promtool_msg" ]
}
