#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# TAP output for shell selftests, in the kselftest format (as
# tools/testing/selftests/kselftest/ktap_helpers.sh): source it, call
# ktap_print_header, ktap_set_plan N, one ktap_test_* per case, then
# ktap_finished (prints the totals and exits 0, or 1 if any case failed).

KTAP_TESTNO=1
KTAP_PASS=0
KTAP_FAIL=0
KTAP_SKIP=0
KSFT_SKIP=4

ktap_print_header() { echo "TAP version 13"; }
ktap_set_plan() { echo "1..$1"; }
ktap_print_msg() { echo "# $*"; }
ktap_test_pass() { echo "ok $KTAP_TESTNO $*"; KTAP_TESTNO=$((KTAP_TESTNO + 1)); KTAP_PASS=$((KTAP_PASS + 1)); }
ktap_test_fail() { echo "not ok $KTAP_TESTNO $*"; KTAP_TESTNO=$((KTAP_TESTNO + 1)); KTAP_FAIL=$((KTAP_FAIL + 1)); }
ktap_test_skip() { echo "ok $KTAP_TESTNO $* # SKIP"; KTAP_TESTNO=$((KTAP_TESTNO + 1)); KTAP_SKIP=$((KTAP_SKIP + 1)); }

# ktap_check NAME CMD...: pass if CMD succeeds.
ktap_check() {
	name=$1
	shift
	if "$@"; then ktap_test_pass "$name"; else ktap_test_fail "$name"; fi
}

ktap_finished() {
	echo "# Totals: pass:$KTAP_PASS fail:$KTAP_FAIL xfail:0 xpass:0 skip:$KTAP_SKIP error:0"
	[ "$KTAP_FAIL" = 0 ] || exit 1
	exit 0
}
