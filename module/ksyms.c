// SPDX-License-Identifier: GPL-2.0
/*
 * Symbols the kernel does not export, found at load time, and whether they
 * may be used.
 *
 * kallsyms_lookup_name() itself stopped being exported in 5.7; a kprobe on it
 * tells us its address.  Every caller of this file must have a fallback that
 * uses exported API only, and must say in its output which path it took.
 *
 * Functions are only handed out if an indirect call to them is safe.  With
 * CONFIG_X86_KERNEL_IBT an indirect call must land on an ENDBR64; objtool
 * "seals" (poisons the ENDBR of) functions whose address is never taken, and
 * calling such a function through a pointer raises #CP and kills the
 * machine.  So we read the first instruction and refuse anything that is not
 * ENDBR64.  QEMU TCG does not emulate IBT, so this check is the only thing
 * standing between a sealed function and a crash on real hardware.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/kprobes.h>
#include <linux/moduleparam.h>
#include <linux/seq_file.h>
#include <linux/string.h>
#include <linux/uaccess.h>

#include "ksyms.h"
#include "oomlens_abi.h"

enum ksym_state {
	KSYM_KERNEL, /* found and usable */
	KSYM_MISSING, /* not in kallsyms */
	KSYM_NO_LOOKUP, /* not looked up: kallsyms_lookup_name unusable */
	KSYM_NO_ENDBR, /* function whose entry is not ENDBR64 */
	KSYM_EXPORTED_ONLY, /* not looked up: exported_only=1 */
	KSYM_NR
};

static const char *const ksym_state_name[] = {
	[KSYM_KERNEL] = OOMLENS_KSYM_KERNEL,
	[KSYM_MISSING] = OOMLENS_KSYM_MISSING,
	[KSYM_NO_LOOKUP] = OOMLENS_KSYM_NO_LOOKUP,
	[KSYM_NO_ENDBR] = OOMLENS_KSYM_NO_ENDBR,
	[KSYM_EXPORTED_ONLY] = OOMLENS_KSYM_EXPORTED_ONLY,
};

static_assert(ARRAY_SIZE(ksym_state_name) == KSYM_NR);

bool oomlens_exported_only;
module_param_named(exported_only, oomlens_exported_only, bool, 0444);
/* clang-format off */
MODULE_PARM_DESC(exported_only,
		 "Use exported kernel API only: never call or read a symbol found through kallsyms (default: N)");
/* clang-format on */

#define OOMLENS_MAX_KSYMS 32

static struct {
	const char *name;
	enum ksym_state state;
} ksym_log[OOMLENS_MAX_KSYMS];
static unsigned int ksym_count;

static unsigned long (*lookup_name)(const char *name) __ro_after_init;

/* ENDBR64 is f3 0f 1e fa; read as a little-endian u32. */
#define OOMLENS_ENDBR64 0xfa1e0ff3U
#define ENDBR64_SIZE 4

static bool __init callable_indirectly(void *addr)
{
#ifdef CONFIG_X86_KERNEL_IBT
	u32 insn;

	if (copy_from_kernel_nofault(&insn, addr, sizeof(insn)))
		return false;
	return insn == OOMLENS_ENDBR64;
#else
	return true;
#endif
}

/*
 * One entry per symbol: a symbol looked up twice (total_swap_pages by the
 * swap and the commit code) must not give "stats" the same key twice.
 */
static void __init ksym_record(const char *name, enum ksym_state state)
{
	unsigned int i;

	for (i = 0; i < ksym_count; i++) {
		if (!strcmp(ksym_log[i].name, name)) {
			ksym_log[i].state = state;
			return;
		}
	}
	if (ksym_count < OOMLENS_MAX_KSYMS) {
		ksym_log[ksym_count].name = name;
		ksym_log[ksym_count].state = state;
		ksym_count++;
	}
}

static void *__init ksym_lookup(const char *name, bool func)
{
	void *addr;

	if (oomlens_exported_only) {
		ksym_record(name, KSYM_EXPORTED_ONLY);
		return NULL;
	}
	if (!lookup_name) {
		ksym_record(name, KSYM_NO_LOOKUP);
		return NULL;
	}
	addr = (void *)lookup_name(name);
	if (!addr) {
		ksym_record(name, KSYM_MISSING);
		return NULL;
	}
	if (func && !callable_indirectly(addr)) {
		pr_info("%s is not safe to call indirectly (no ENDBR64); using the fallback\n",
			name);
		ksym_record(name, KSYM_NO_ENDBR);
		return NULL;
	}
	ksym_record(name, KSYM_KERNEL);
	return addr;
}

/**
 * oomlens_ksym_func - address of a non-exported function, if it is safe to call
 * @name: the symbol
 *
 * Call only at module init.  Returns NULL when the caller must use its
 * fallback; the reason is shown in the "stats" file.
 */
void *__init oomlens_ksym_func(const char *name)
{
	return ksym_lookup(name, true);
}

/**
 * oomlens_ksym_data - address of a non-exported variable
 * @name: the symbol
 *
 * Call only at module init.  Returns NULL when the caller must use its
 * fallback.
 */
void *__init oomlens_ksym_data(const char *name)
{
	return ksym_lookup(name, false);
}

void __init oomlens_ksyms_init(void)
{
	struct kprobe kp = { .symbol_name = "kallsyms_lookup_name" };
	void *addr;

	if (oomlens_exported_only)
		return;
	if (register_kprobe(&kp)) {
		pr_info("kallsyms_lookup_name not found; exported API only\n");
		ksym_record(kp.symbol_name, KSYM_MISSING);
		return;
	}
	addr = kp.addr;
	unregister_kprobe(&kp);
	/*
	 * On an IBT kernel a kprobe on a function entry is placed after its
	 * ENDBR64 (arch_adjust_kprobe_addr()), so kp.addr is symbol + 4 when
	 * the function starts with one.
	 */
	if (IS_ENABLED(CONFIG_X86_KERNEL_IBT) &&
	    callable_indirectly((u8 *)addr - ENDBR64_SIZE))
		addr = (u8 *)addr - ENDBR64_SIZE;
	if (!callable_indirectly(addr)) {
		/*
		 * Debian 6.12 seals it: objtool found no indirect caller,
		 * so its ENDBR64 is poisoned at boot, with or without IBT
		 * in the CPU.  Every symbol then takes its fallback.
		 */
		pr_info("kallsyms_lookup_name has no ENDBR64; exported API only\n");
		ksym_record(kp.symbol_name, KSYM_NO_ENDBR);
		return;
	}
	ksym_record(kp.symbol_name, KSYM_KERNEL);
	lookup_name = addr;
}

/* One "ksym_<name> <state>" line per symbol looked up. */
void oomlens_ksyms_show(struct seq_file *m)
{
	unsigned int i;

	for (i = 0; i < ksym_count; i++)
		seq_printf(m, "%s%s %s\n", OOMLENS_STAT_KSYM_PREFIX,
			   ksym_log[i].name,
			   ksym_state_name[ksym_log[i].state]);
}
