/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Fuzz target: nf_tables notifications as cgwd's watch of its MSS clamp
 * table reads them (src/kernel/nft_watch.c).  The kernel's messages are an
 * outside part's: whatever they hold, the decoder neither crashes nor
 * reads past them, and what it reports is terminated.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "kernel/nft_watch.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct nft_watch_state s = { 0 };
	/* an exact-size copy, so ASan sees any read past the end */
	uint8_t *copy = malloc(size ? size : 1);

	if (!copy)
		return 0;
	memcpy(copy, data, size);
	nft_watch_feed(&s, copy, size, 1);
	if (strnlen(s.proc, sizeof(s.proc)) == sizeof(s.proc))
		abort();
	if (s.changed && s.pid == 1)
		abort();	/* our own commit reported */
	free(copy);
	return 0;
}
