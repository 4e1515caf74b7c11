/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * DOC: kernel handle lifetime (either implementation)
 */
#include "kernel/kernel.h"

#include <stddef.h>

struct kernel *
kernel_free(struct kernel *k)
{
	if (k)
		k->ops->destroy(k);
	return NULL;
}
