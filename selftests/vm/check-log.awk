# SPDX-License-Identifier: GPL-2.0
#
# Scan a kernel log for reports that fail a test run.  Input: /dev/kmsg
# records ("prio,seq,usec,flags;text") or plain console lines.  Prints each
# offending line with the lines around it and exits 1 if there was any.
#
# A "Call Trace:" is expected inside the kernel's own OOM report (after
# "invoked oom-killer:") and inside an allocation failure report caused by
# the tests' OOMs ("page allocation failure:"); anywhere else it fails.
# Where the log lost records ("kmsg-dump: records lost": the reader fell
# behind a burst of OOM reports), a report's first line may be gone: then
# a trace whose next frames show the OOM report's own path (dump_header,
# out_of_memory, warn_alloc) is that report, and any other still fails.

function text(line) {
	if (line ~ /^[0-9]+,[0-9]+,[0-9]+,[^;]*;/)
		sub(/^[^;]*;/, "", line)
	return line
}

/^ [A-Z]+=/ { next }		# kmsg dictionary continuation lines

{
	t = text($0)
	sub(/\r$/, "", t)
	line[++n] = t
	if (t ~ /kmsg-dump: records lost/)
		lost = 1
	if (t ~ /invoked oom-killer:|page allocation failure:/)
		in_report = 1
	else if (t ~ /oom-kill:constraint=|Out of memory and no killable|Killed process|^Mem-Info:/)
		in_report = 0
	if (pending && t ~ /^ +(dump_header|out_of_memory|warn_alloc)\+/) {
		pending = 0
	} else if (pending && n - pending > 20) {
		badline[++nbad] = pending
		badkind[nbad] = "unexpected-call-trace"
		pending = 0
	}

	bad = ""
	if (t ~ /Oops|general protection|Kernel panic|kernel BUG|BUG:|^BUG |WARNING:/)
		bad = "crash"
	else if (t ~ /KASAN|KFENCE|UBSAN|kmemleak:.*suspected|unreferenced object|list_(add|del) corruption/)
		bad = "memory-checker"
	else if (t ~ /possible (circular|recursive) locking|INFO: |inconsistent lock state|sleeping function called from invalid context|suspicious RCU usage|bad unlock balance|DEBUG_LOCKS_WARN_ON|lock held when returning to user space|held lock freed|irq lock inversion|lockdep is turned off/)
		bad = "locking"
	else if (t ~ /soft lockup|hard LOCKUP|blocked for more than|detected stalls/)
		bad = "stall"
	else if (t ~ /Call Trace:/ && !in_report && lost)
		pending = n	# decided by its frames, above
	else if (t ~ /Call Trace:/ && !in_report)
		bad = "unexpected-call-trace"
	if (bad != "") {
		badline[++nbad] = n
		badkind[nbad] = bad
	}
}

END {
	if (pending) {
		badline[++nbad] = pending
		badkind[nbad] = "unexpected-call-trace"
	}
	if (!nbad)
		exit 0
	shown = 0
	last = 0
	for (i = 1; i <= nbad && shown < 5; i++) {
		l = badline[i]
		if (l <= last)
			continue
		# The line itself on the header too: check.sh's digest quotes it.
		printf("kernel log: %s report at line %d: %s\n", badkind[i], l,
		       substr(line[l], 1, 160))
		from = l - 5 < 1 ? 1 : l - 5
		to = l + 25 > n ? n : l + 25
		for (j = from; j <= to; j++)
			printf("  | %s\n", line[j])
		last = to
		shown++
	}
	printf("kernel log: %d offending line(s)\n", nbad)
	exit 1
}
