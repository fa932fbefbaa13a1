/* SPDX-License-Identifier: GPL-2.0 */
/* notifier.c: the OOM notifier (global OOMs only). */
#ifndef OOMLENS_NOTIFIER_H
#define OOMLENS_NOTIFIER_H

#include <linux/init.h>

int __init oomlens_notifier_register(void);
void oomlens_notifier_unregister(void);

#endif /* OOMLENS_NOTIFIER_H */
