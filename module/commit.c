// SPDX-License-Identifier: GPL-2.0
/*
 * Overcommit accounting, as mm/util.c does it: the commit limit
 * (vm_commit_limit()), the committed total (vm_memory_committed()), the
 * reserves, and a re-derivation of __vm_enough_memory()'s decision for one
 * process.  This file computes; commit_file.c presents.
 *
 * mm/util.c is the same in 6.1 and 6.12 for everything used here (the
 * formula, the types of the sysctls, total_swap_pages, hugetlb_total_pages(),
 * the per-cpu vm_committed_as and mm_compute_batch()); only the warning text
 * of __vm_enough_memory() differs.  So no compat shim is needed.
 *
 * We never call __vm_enough_memory(): it adds the pages to vm_committed_as
 * before it decides (and prints a warning on failure).
 *
 * Two paths for what is not exported, chosen at load:
 *   kernel:   the sysctl variables, total_swap_pages and vm_committed_as_batch
 *             read through kallsyms, vm_commit_limit() and
 *             hugetlb_total_pages() called if their entry is ENDBR64;
 *   fallback: the /proc/sys/vm files, SwapTotal and Hugetlb of /proc/meminfo
 *             (never CommitLimit or Committed_AS: those are what we must
 *             equal), the limit and the batch recomputed with the kernel's
 *             formulas.
 * Each value says which path produced it.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/capability.h>
#include <linux/cpumask.h>
#include <linux/cred.h>
#include <linux/fs.h>
#include <linux/kernel.h>
#include <linux/mm.h>
#include <linux/mman.h>
#include <linux/pid.h>
#include <linux/sched.h>
#include <linux/sched/mm.h>
#include <linux/sched/task.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/user_namespace.h>

#include "commit.h"
#include "ksyms.h"
#include "oomlens_abi.h"
#include "procfs.h"
#include "swap.h"

/* Addresses of the kernel's own variables and functions, or NULL. */
static s32 *k_committed_as_batch __ro_after_init;
static unsigned long (*k_vm_commit_limit)(void) __ro_after_init;
static unsigned long (*k_hugetlb_total_pages)(void) __ro_after_init;

#define KB_TO_PAGES(kb) ((kb) >> (PAGE_SHIFT - 10))

/*
 * The sysctls of the accounting: the kernel's variable (kallsyms) when it
 * was found, else its /proc/sys file.  Each value says which path gave it.
 */
static const struct sysctl_input {
	const char *ksym;
	const char *proc;
	bool is_int; /* else unsigned long */
	size_t val; /* offsets in struct oomlens_commit */
	size_t src;
} sysctls[] = {
	{ "sysctl_overcommit_memory", "/proc/sys/vm/overcommit_memory", true,
	  offsetof(struct oomlens_commit, mode),
	  offsetof(struct oomlens_commit, mode_src) },
	{ "sysctl_overcommit_ratio", "/proc/sys/vm/overcommit_ratio", true,
	  offsetof(struct oomlens_commit, ratio),
	  offsetof(struct oomlens_commit, ratio_src) },
	{ "sysctl_overcommit_kbytes", "/proc/sys/vm/overcommit_kbytes", false,
	  offsetof(struct oomlens_commit, kbytes),
	  offsetof(struct oomlens_commit, kbytes_src) },
	{ "sysctl_admin_reserve_kbytes", "/proc/sys/vm/admin_reserve_kbytes",
	  false, offsetof(struct oomlens_commit, admin_kbytes),
	  offsetof(struct oomlens_commit, admin_src) },
	{ "sysctl_user_reserve_kbytes", "/proc/sys/vm/user_reserve_kbytes",
	  false, offsetof(struct oomlens_commit, user_kbytes),
	  offsetof(struct oomlens_commit, user_src) },
};

static void *k_sysctl[ARRAY_SIZE(sysctls)] __ro_after_init;

void __init oomlens_commit_init(void)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(sysctls); i++)
		k_sysctl[i] = oomlens_ksym_data(sysctls[i].ksym);
	k_committed_as_batch = oomlens_ksym_data("vm_committed_as_batch");
	k_vm_commit_limit = oomlens_ksym_func("vm_commit_limit");
	k_hugetlb_total_pages = oomlens_ksym_func("hugetlb_total_pages");
}

const char *oomlens_commit_mode_name(int mode)
{
	switch (mode) {
	case OVERCOMMIT_GUESS:
		return OOMLENS_MODE_GUESS;
	case OVERCOMMIT_ALWAYS:
		return OOMLENS_MODE_ALWAYS;
	case OVERCOMMIT_NEVER:
		return OOMLENS_MODE_NEVER;
	}
	return "unknown";
}

static int read_sysctls(struct oomlens_commit *c)
{
	const struct sysctl_input *in;
	unsigned int i;
	void *val;
	int ret;

	for (i = 0; i < ARRAY_SIZE(sysctls); i++) {
		in = &sysctls[i];
		val = (char *)c + in->val;
		if (k_sysctl[i]) {
			const void *k = k_sysctl[i];

			if (in->is_int)
				*(int *)val = READ_ONCE(*(const int *)k);
			else
				*(unsigned long *)val =
					READ_ONCE(*(const unsigned long *)k);
			*(const char **)((char *)c + in->src) =
				OOMLENS_SRC_KERNEL;
			continue;
		}
		if (in->is_int)
			ret = oomlens_proc_sysctl_int(in->proc, val);
		else
			ret = oomlens_proc_sysctl_ulong(in->proc, val);
		*(const char **)((char *)c + in->src) = OOMLENS_SRC_PROCFS;
		if (ret)
			return ret;
	}
	return 0;
}

/* "Hugetlb:" of /proc/meminfo: the sum over all huge page sizes. */
static int proc_hugetlb_pages(unsigned long *pages)
{
	unsigned long kb = 0;
	int ret = oomlens_proc_meminfo_kb("Hugetlb", &kb);

	/* Absent without hugetlbfs. */
	if (ret && ret != -ENOENT)
		return ret;
	*pages = KB_TO_PAGES(kb);
	return 0;
}

/* mm_compute_batch() (mm/mm_init.c), as last run for the current mode. */
static s32 derived_batch(int mode)
{
	s32 nr = num_present_cpus();
	s32 batch = max_t(s32, nr * 2, 32);
	unsigned long ram_pages = totalram_pages();
	u64 memsized_batch;

	if (mode == OVERCOMMIT_NEVER)
		memsized_batch = min_t(u64, ram_pages / nr / 256, INT_MAX);
	else
		memsized_batch = min_t(u64, ram_pages / nr / 4, INT_MAX);
	return max_t(s32, memsized_batch, batch);
}

/**
 * oomlens_commit_read - the commit accounting now
 * @c: filled in
 *
 * Process context (the fallback reads files).  Returns 0 or -errno when a
 * fallback file cannot be read.
 */
int oomlens_commit_read(struct oomlens_commit *c)
{
	unsigned long swap;
	int ret;

	memset(c, 0, sizeof(*c));
	ret = read_sysctls(c);
	if (ret)
		return ret;

	c->totalram = totalram_pages();
	/*
	 * swap.c's total_swap_pages; its /proc path reads SwapTotal, which
	 * is total_swap_pages plus the pages of a swapoff in progress (the
	 * two are equal when none is running).
	 */
	ret = oomlens_total_swap_pages(&swap);
	if (ret)
		return ret;
	c->swap = swap;
	c->swap_src = oomlens_swap_total_src();
	if (k_hugetlb_total_pages) {
		c->hugetlb = k_hugetlb_total_pages();
		c->hugetlb_src = OOMLENS_SRC_KERNEL;
	} else {
		ret = proc_hugetlb_pages(&c->hugetlb);
		c->hugetlb_src = OOMLENS_SRC_PROCFS;
		if (ret)
			return ret;
	}

	/* vm_commit_limit(), term by term, with its types. */
	c->kbytes_branch = c->kbytes != 0;
	if (c->kbytes_branch)
		c->base = KB_TO_PAGES(c->kbytes);
	else
		c->base = (c->totalram - c->hugetlb) * c->ratio / 100;
	if (k_vm_commit_limit) {
		c->limit = k_vm_commit_limit();
		c->limit_src = OOMLENS_SRC_KERNEL;
	} else {
		c->limit = c->base + c->swap;
		c->limit_src = OOMLENS_SRC_DERIVED;
	}

	if (k_committed_as_batch) {
		c->batch = READ_ONCE(*k_committed_as_batch);
		c->batch_src = OOMLENS_SRC_KERNEL;
	} else {
		c->batch = derived_batch(c->mode);
		c->batch_src = OOMLENS_SRC_DERIVED;
	}
	c->error = (unsigned long)c->batch * num_online_cpus();

	c->admin_pages = KB_TO_PAGES(c->admin_kbytes);
	c->user_pages = KB_TO_PAGES(c->user_kbytes);

	/* Last, so that it is as fresh as possible. */
	c->committed = vm_memory_committed();
	c->headroom_root = (long)c->limit - (long)c->committed;
	c->headroom_user =
		(long)c->limit - (long)c->admin_pages - (long)c->committed;
	return 0;
}

/*
 * The cap_sys_admin that security_vm_enough_memory_mm() passes to
 * __vm_enough_memory(): 1 unless an LSM's vm_enough_memory hook says 0.
 * The capability module's hook (cap_vm_enough_memory()) asks cap_capable()
 * for CAP_SYS_ADMIN in the initial user namespace, which for that target is
 * exactly "the cred is in the initial user namespace and has the capability
 * in its effective set" (the walk up the namespaces ends there).  It does
 * not ask security_capable(): AppArmor's and the other LSMs' capable hooks
 * are not consulted, so a root task whose AppArmor profile denies
 * sys_admin still gets the admin reserve (has_capability_noaudit() would
 * say no).  Of the other LSMs SELinux has a vm_enough_memory hook, a
 * policy check of CAP_SYS_ADMIN that this does not see (Debian's kernels
 * do not enable SELinux unless booted with security=selinux), and a BPF
 * LSM program may attach to the hook: the admin guide says so.
 */
static bool task_cap_sys_admin(struct task_struct *t)
{
	const struct cred *cred;
	bool cap;

	/*
	 * The hook asks about current_cred(), the subjective credentials of
	 * the task that maps: t->cred, not __task_cred()'s objective ones
	 * (they differ only inside an override_creds() section).
	 */
	rcu_read_lock();
	cred = rcu_dereference(t->cred);
	cap = cred->user_ns == &init_user_ns &&
	      cap_raised(cred->cap_effective, CAP_SYS_ADMIN);
	rcu_read_unlock();
	return cap;
}

/**
 * oomlens_commit_check - would __vm_enough_memory() accept @bytes for @pid?
 * @pid: a pid in the caller's namespace, 0 for the caller
 * @bytes: size of a mapping; accounted in pages, rounded up like mmap()
 * @r: the answer with every term
 *
 * Re-derives the decision of __vm_enough_memory(mm, pages, cap_sys_admin)
 * without calling it.  That function first adds the pages to
 * vm_committed_as, then (OVERCOMMIT_NEVER) compares the counter's global
 * part with the allowance: so the request passes iff
 * committed + pages < allowed.  The global part lags the exact total
 * (vm_memory_committed()) by less than the batch on each CPU; the verdict is
 * marked exact unless committed + pages lies within that error of the
 * allowance.
 *
 * Returns 0, -ESRCH (no such process), -EINVAL (@bytes too large) or an
 * error of oomlens_commit_read().
 */
int oomlens_commit_check(pid_t pid, u64 bytes, struct oomlens_commit_check *r)
{
	struct task_struct *t;
	struct mm_struct *mm;
	long reserve;
	int ret;

	if (bytes > ULONG_MAX - PAGE_SIZE + 1)
		return -EINVAL;
	memset(r, 0, sizeof(*r));
	if (pid) {
		/*
		 * find_get_pid() holds RCU across the lookup and takes a
		 * reference: a struct pid is freed by call_rcu() when its
		 * task exits, find_vpid() alone would race with that.
		 */
		struct pid *p = find_get_pid(pid);

		t = get_pid_task(p, PIDTYPE_PID);
		put_pid(p);
	} else {
		t = current;
		get_task_struct(t);
	}
	if (!t)
		return -ESRCH;
	r->pid = task_pid_vnr(t);
	r->bytes = bytes;
	r->pages = DIV_ROUND_UP((unsigned long)bytes, PAGE_SIZE);
	r->cap_sys_admin = task_cap_sys_admin(t);
	mm = get_task_mm(t);
	put_task_struct(t);
	if (mm) {
		r->has_mm = true;
		r->total_vm = READ_ONCE(mm->total_vm);
		mmput(mm);
	}

	ret = oomlens_commit_read(&r->c);
	if (ret)
		return ret;

	r->guess_max = r->c.totalram + r->c.swap;
	r->allowed = r->c.limit;
	if (!r->cap_sys_admin) {
		r->admin_applied = true;
		r->allowed -= r->c.admin_pages;
	}
	if (r->has_mm) {
		reserve = r->c.user_pages;
		r->user_applied = min_t(long, r->total_vm / 32, reserve);
		r->allowed -= r->user_applied;
	}
	r->committed_after = (long)r->c.committed + (long)r->pages;

	if (r->c.mode == OVERCOMMIT_ALWAYS) {
		r->rule = OOMLENS_MODE_ALWAYS;
		r->allow = true;
		r->exact = true;
	} else if (r->c.mode == OVERCOMMIT_GUESS) {
		r->rule = OOMLENS_MODE_GUESS;
		r->allow = !(r->pages > r->guess_max);
		r->exact = true;
	} else {
		r->rule = OOMLENS_MODE_NEVER;
		r->allow = r->committed_after < r->allowed;
		r->exact = r->committed_after + (long)r->c.error <=
				   r->allowed ||
			   r->committed_after - (long)r->c.error >= r->allowed;
	}
	return 0;
}
