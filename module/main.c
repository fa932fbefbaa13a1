// SPDX-License-Identifier: GPL-2.0
/*
 * oomlens: explain what the OOM killer sees and decides.
 *
 * The module reports, under /sys/kernel/debug/oomlens/, the numbers the
 * kernel's OOM killer and overcommit accounting use.  See
 * Documentation/admin-guide.rst for the files and design.rst for where each
 * number comes from.
 *
 * Load order: resolve symbols, register the hooks, then create the files;
 * unload in reverse, so no file outlives the data behind it.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/init.h>
#include <linux/module.h>

#include "badness.h"
#include "capture.h"
#include "commit.h"
#include "event.h"
#include "files.h"
#include "ksyms.h"
#include "notifier.h"
#include "oomlens_abi.h"
#include "probes.h"
#include "swap.h"

/*
 * Every OOM the module explains is scoped by a memory cgroup or a cpuset
 * (the constraint, a candidate's eligibility, the memcg of a task), and the
 * code reads both without stubs: refuse to build rather than explain
 * wrongly.  dkms.conf says the same (BUILD_EXCLUSIVE_CONFIG).
 */
#ifndef CONFIG_MEMCG
#error "oomlens needs CONFIG_MEMCG (memory cgroups: memcg OOMs, task memcgs)"
#endif
#ifndef CONFIG_CPUSETS
#error "oomlens needs CONFIG_CPUSETS (cpuset-constrained OOMs, eligibility)"
#endif

static int __init oomlens_init(void)
{
	int ret;

	/* First: the others look their symbols up in their own init. */
	oomlens_ksyms_init();
	oomlens_swap_init();
	oomlens_badness_init();
	oomlens_commit_init();
	oomlens_capture_init();
	ret = oomlens_events_file_init();
	if (ret)
		return ret;
	ret = oomlens_events_init(oomlens_events_file_waker());
	if (ret)
		goto err_events_file;
	ret = oomlens_probes_register();
	if (ret)
		goto err_events;

	ret = oomlens_notifier_register();
	if (ret) {
		pr_err("cannot register the OOM notifier: %d\n", ret);
		goto err_probes;
	}

	oomlens_debugfs_init();
	pr_info("version %s abi %d loaded%s\n", OOMLENS_VERSION,
		OOMLENS_ABI_VERSION,
		oomlens_exported_only ? " (exported API only)" : "");
	return 0;

err_probes:
	oomlens_probes_unregister();
err_events:
	oomlens_events_exit();
err_events_file:
	oomlens_events_file_exit();
	return ret;
}

static void __exit oomlens_exit(void)
{
	oomlens_debugfs_exit();
	oomlens_notifier_unregister();
	oomlens_probes_unregister();
	oomlens_events_exit();
	/* Last: events' readers may outlive the module (events_file.c). */
	oomlens_events_file_exit();
	pr_info("unloaded\n");
}

module_init(oomlens_init);
module_exit(oomlens_exit);

MODULE_LICENSE("GPL");
MODULE_AUTHOR("oomlens developers");
/* clang-format off */
MODULE_DESCRIPTION("Explain OOM killer badness, commit accounting and OOM constraints");
/* clang-format on */
MODULE_VERSION(OOMLENS_VERSION);
