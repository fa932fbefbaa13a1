# SPDX-License-Identifier: GPL-2.0
#
# The call graph of the probe handlers, from `objdump -dr` of the module.
# Prints "ext <callee> <first caller>" for every function outside the
# module reachable from a root (-v roots="a b c"), and "indirect <caller>"
# for each indirect call on the way (retpoline thunks included).  A call or
# jump is either a relocation on a call/jmp instruction (across objects)
# or a direct "call <addr> <func>" to the start of a function (within one).
# An instruction with a relocation shows its unrelocated target (the next
# address), so a relocation replaces the direct target of its instruction.
function add(from, to) {
	if (to == "" || to == from)
		return
	if (!((from, to) in edge)) {
		edge[from, to] = 1
		out[from] = out[from] " " to
	}
}
function flush() {
	if (pend != "")
		add(fn, pend)
	pend = ""
}
/^[0-9a-f]+ <[^>]+>:$/ {
	flush()
	fn = $2
	gsub(/[<>:]/, "", fn)
	defined[fn] = 1
	last = ""
	next
}
/^ +[0-9a-f]+:\t/ {
	# an instruction line: address, bytes, mnemonic and operands
	flush()
	n = split($0, f, "\t")
	ins = (n >= 3) ? f[3] : ""
	split(ins, w, " ")
	last = w[1]
	if (last == "call" && ins ~ /\*/)
		indirect[fn] = 1
	if ((last == "call" || last == "jmp") && match(ins, /<[^>+]+>$/))
		pend = substr(ins, RSTART + 1, RLENGTH - 2)
	next
}
/R_X86_64_(PLT32|PC32)/ && (last == "call" || last == "jmp") {
	t = $NF
	sub(/[-+]0x[0-9a-f]+$/, "", t)
	pend = ""
	if (t ~ /^__x86_indirect_thunk_/)
		indirect[fn] = 1
	else if (t == ".text.unlikely")
		# a jump into the function's cold part (gcc's <fn>.cold)
		add(fn, fn ".cold")
	else
		add(fn, t)
	last = ""
}
END {
	flush()
	nr = split(roots, q, " ")
	for (i = 1; i <= nr; i++) {
		seen[q[i]] = 1
		via[q[i]] = q[i]
	}
	for (i = 1; i <= nr; i++) {
		f0 = q[i]
		if (!(f0 in defined)) {
			print "missing", f0
			continue
		}
		if (f0 in indirect)
			print "indirect", f0
		m = split(out[f0], c, " ")
		for (j = 1; j <= m; j++) {
			t = c[j]
			if (t in seen)
				continue
			seen[t] = 1
			via[t] = f0
			if (t in defined)
				q[++nr] = t
			else
				print "ext", t, f0
		}
	}
}
