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

#include "oomlens.h"
#include "oomlens_abi.h"

/* Addresses of the kernel's own variables and functions, or NULL. */
static int *k_overcommit_memory;
static int *k_overcommit_ratio;
static unsigned long *k_overcommit_kbytes;
static unsigned long *k_admin_reserve_kbytes;
static unsigned long *k_user_reserve_kbytes;
static s32 *k_committed_as_batch;
static unsigned long (*k_vm_commit_limit)(void);
static unsigned long (*k_hugetlb_total_pages)(void);

#define KB_TO_PAGES(kb) ((kb) >> (PAGE_SHIFT - 10))

int oomlens_commit_init(void)
{
	k_overcommit_memory = oomlens_ksym_data("sysctl_overcommit_memory");
	k_overcommit_ratio = oomlens_ksym_data("sysctl_overcommit_ratio");
	k_overcommit_kbytes = oomlens_ksym_data("sysctl_overcommit_kbytes");
	k_admin_reserve_kbytes =
		oomlens_ksym_data("sysctl_admin_reserve_kbytes");
	k_user_reserve_kbytes = oomlens_ksym_data("sysctl_user_reserve_kbytes");
	k_committed_as_batch = oomlens_ksym_data("vm_committed_as_batch");
	k_vm_commit_limit = oomlens_ksym_func("vm_commit_limit");
	k_hugetlb_total_pages = oomlens_ksym_func("hugetlb_total_pages");
	return 0;
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

/*
 * The fallback's reads: a whole /proc file into buf (NUL-terminated), in
 * the reader's process context and mount namespace.
 */
static int read_proc_file(const char *path, char *buf, size_t size)
{
	struct file *f = filp_open(path, O_RDONLY, 0);
	size_t len = 0;
	loff_t pos = 0;
	ssize_t n;

	if (IS_ERR(f))
		return PTR_ERR(f);
	while (len < size - 1) {
		n = kernel_read(f, buf + len, size - 1 - len, &pos);
		if (n < 0) {
			filp_close(f, NULL);
			return n;
		}
		if (!n)
			break;
		len += n;
	}
	filp_close(f, NULL);
	buf[len] = '\0';
	return 0;
}

/* One decimal value from a /proc/sys file. */
static int read_sysctl_ulong(const char *path, unsigned long *v)
{
	char buf[32];
	int ret = read_proc_file(path, buf, sizeof(buf));

	if (ret)
		return ret;
	return kstrtoul(strim(buf), 10, v);
}

static int read_sysctl_int(const char *path, int *v)
{
	char buf[32];
	int ret = read_proc_file(path, buf, sizeof(buf));

	if (ret)
		return ret;
	return kstrtoint(strim(buf), 10, v);
}

/* "Key:   <n> kB" of /proc/meminfo, in kB; -ENOENT if absent. */
static int meminfo_kb(const char *text, const char *key, unsigned long *kb)
{
	size_t kl = strlen(key);
	const char *p = text;
	char num[24];
	size_t i;

	while (p && *p) {
		if (!strncmp(p, key, kl) && p[kl] == ':') {
			p = skip_spaces(p + kl + 1);
			for (i = 0;
			     i < sizeof(num) - 1 && p[i] >= '0' && p[i] <= '9';
			     i++)
				num[i] = p[i];
			num[i] = '\0';
			return kstrtoul(num, 10, kb);
		}
		p = strchr(p, '\n');
		if (p)
			p++;
	}
	return -ENOENT;
}

#define MEMINFO_BUF_SIZE 8192

static int read_meminfo(struct oomlens_commit *c, bool want_swap,
			bool want_hugetlb)
{
	unsigned long kb;
	char *buf;
	int ret;

	if (!want_swap && !want_hugetlb)
		return 0;
	buf = kmalloc(MEMINFO_BUF_SIZE, GFP_KERNEL);
	if (!buf)
		return -ENOMEM;
	ret = read_proc_file("/proc/meminfo", buf, MEMINFO_BUF_SIZE);
	if (ret)
		goto out;
	if (want_swap) {
		/*
		 * SwapTotal is total_swap_pages plus the pages of a swapoff
		 * in progress; the two are equal when none is running.
		 */
		ret = meminfo_kb(buf, "SwapTotal", &kb);
		if (ret)
			goto out;
		c->swap = KB_TO_PAGES(kb);
		c->swap_src = OOMLENS_SRC_PROCFS;
	}
	if (want_hugetlb) {
		/* Sum over all huge page sizes; absent without hugetlbfs. */
		ret = meminfo_kb(buf, "Hugetlb", &kb);
		if (ret == -ENOENT) {
			kb = 0;
			ret = 0;
		}
		if (ret)
			goto out;
		c->hugetlb = KB_TO_PAGES(kb);
		c->hugetlb_src = OOMLENS_SRC_PROCFS;
	}
out:
	kfree(buf);
	return ret;
}

static int read_sysctls(struct oomlens_commit *c)
{
	int ret = 0;

	if (k_overcommit_memory) {
		c->mode = READ_ONCE(*k_overcommit_memory);
		c->mode_src = OOMLENS_SRC_KERNEL;
	} else {
		ret = read_sysctl_int("/proc/sys/vm/overcommit_memory",
				      &c->mode);
		c->mode_src = OOMLENS_SRC_PROCFS;
	}
	if (ret)
		return ret;
	if (k_overcommit_ratio) {
		c->ratio = READ_ONCE(*k_overcommit_ratio);
		c->ratio_src = OOMLENS_SRC_KERNEL;
	} else {
		ret = read_sysctl_int("/proc/sys/vm/overcommit_ratio",
				      &c->ratio);
		c->ratio_src = OOMLENS_SRC_PROCFS;
	}
	if (ret)
		return ret;
	if (k_overcommit_kbytes) {
		c->kbytes = READ_ONCE(*k_overcommit_kbytes);
		c->kbytes_src = OOMLENS_SRC_KERNEL;
	} else {
		ret = read_sysctl_ulong("/proc/sys/vm/overcommit_kbytes",
					&c->kbytes);
		c->kbytes_src = OOMLENS_SRC_PROCFS;
	}
	if (ret)
		return ret;
	if (k_admin_reserve_kbytes) {
		c->admin_kbytes = READ_ONCE(*k_admin_reserve_kbytes);
		c->admin_src = OOMLENS_SRC_KERNEL;
	} else {
		ret = read_sysctl_ulong("/proc/sys/vm/admin_reserve_kbytes",
					&c->admin_kbytes);
		c->admin_src = OOMLENS_SRC_PROCFS;
	}
	if (ret)
		return ret;
	if (k_user_reserve_kbytes) {
		c->user_kbytes = READ_ONCE(*k_user_reserve_kbytes);
		c->user_src = OOMLENS_SRC_KERNEL;
	} else {
		ret = read_sysctl_ulong("/proc/sys/vm/user_reserve_kbytes",
					&c->user_kbytes);
		c->user_src = OOMLENS_SRC_PROCFS;
	}
	return ret;
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
	bool swap_known;
	int ret;

	memset(c, 0, sizeof(*c));
	ret = read_sysctls(c);
	if (ret)
		return ret;

	c->totalram = totalram_pages();
	/* swap.c looked total_swap_pages up; only its /proc path differs. */
	swap_known = oomlens_total_swap_pages_nosleep(&c->swap);
	if (swap_known)
		c->swap_src = OOMLENS_SRC_KERNEL;
	if (k_hugetlb_total_pages) {
		c->hugetlb = k_hugetlb_total_pages();
		c->hugetlb_src = OOMLENS_SRC_KERNEL;
	}
	ret = read_meminfo(c, !swap_known, !k_hugetlb_total_pages);
	if (ret)
		return ret;

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
