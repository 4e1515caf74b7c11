/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * DOC: TCP MSS clamping on the tunnels (nftables rules, as text)
 */
#ifndef CGW_MSS_H
#define CGW_MSS_H

#include <stdio.h>

#include "conf/conf.h"

/* The whole "table inet cgw" as an nft script (replaces what was there). */
void mss_rules_write(FILE *out, const struct cgw_conf *conf);

#endif
