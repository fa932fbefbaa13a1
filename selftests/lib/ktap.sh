#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# TAP output for the shell selftests: the kernel's own
# tools/testing/selftests/kselftest/ktap_helpers.sh (extracted at build
# time, installed next to the tests) and oomlens's additions to it.  Source
# this, call ktap_print_header, ktap_set_plan N, one ktap_check or
# ktap_test_* per case, then ktap_finished: it exits 0 only when every
# planned case ran and none failed.

# shellcheck source=/dev/null
. "$(dirname "$0")/ktap_helpers.sh"

# ktap_check NAME CMD...: pass if CMD succeeds.  As ktap_test_result, but
# CMD's words are passed as they are (ktap_test_result splits them again).
ktap_check() {
	name=$1
	shift
	if "$@"; then ktap_test_pass "$name"; else ktap_test_fail "$name"; fi
}

# ktap_figure NAME VALUE...: a figure for the VM run's summary
# (vm/figures.sh reads only these lines).
ktap_figure() {
	name=$1
	shift
	echo "# figure: $name: $*"
}
