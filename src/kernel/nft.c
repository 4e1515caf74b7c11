/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * DOC: nftables, through libnftables
 *
 * The one ruleset cgw owns ("table inet cgw") is replaced as a whole in a
 * single transaction: the table is created if missing, flushed and
 * refilled atomically, so packets never see it half-built.
 */
#include "kernel/nl.h"

#include <errno.h>
#include <nftables/libnftables.h>
#include <stdio.h>
#include <string.h>

int
nft_apply(struct kernel *k, const char *ruleset, char *err, size_t errlen)
{
	struct nft_ctx *ctx = nft_ctx_new(NFT_CTX_DEFAULT);
	int r;

	(void)k;
	if (!ctx)
		return -ENOMEM;
	nft_ctx_buffer_output(ctx);
	nft_ctx_buffer_error(ctx);
	r = nft_run_cmd_from_buffer(ctx, ruleset);
	if (r != 0 && err)
		snprintf(err, errlen, "%s", nft_ctx_get_error_buffer(ctx));
	nft_ctx_free(ctx);
	return r ? -EINVAL : 0;
}
