# SPDX-License-Identifier: GPL-2.0
#
# Count the results of one VM's TAP output (the in-VM runner's format).
# Each test program counts its own test cases from its kselftest "Totals"
# line; a program without one counts as one case.  A program that failed
# (crash, timeout, non-zero exit) counts at least one failure even if its
# own totals say otherwise.  Prints "PASS FAIL SKIP PLANNED SEEN".

/^1\.\.[0-9]+$/ && !plan { plan = substr($0, 4) + 0; next }

/^# # Totals: / {
	split("", kv)
	for (i = 3; i <= NF; i++) {
		split($i, f, ":")
		kv[f[1]] = f[2] + 0
	}
	tp = kv["pass"] + kv["xfail"]
	tf = kv["fail"] + kv["xpass"] + kv["error"]
	ts = kv["skip"]
	have = 1
	next
}

/^(not )?ok [0-9]+ / {
	seen++
	ok = ($1 == "ok")
	skip = ($0 ~ /# SKIP/)
	if (have) {
		if (!ok && tf == 0)
			tf = 1
		pass += tp; fail += tf; sk += ts
	} else if (skip) {
		sk++
	} else if (ok) {
		pass++
	} else {
		fail++
	}
	have = 0; tp = tf = ts = 0
	next
}

END { printf("%d %d %d %d %d\n", pass, fail, sk, plan, seen) }
