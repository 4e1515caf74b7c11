/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * DOC: unbound's part of the dns block
 *
 * What cgwd writes into unbound's configuration directory (Debian's
 * unbound.conf includes every .conf file in unbound.conf.d): where unbound listens, who
 * may ask, the address its queries leave from, and one forward-zone per
 * zone to the inbound endpoint's addresses.  Pure: text in, text out.
 */
#ifndef CGW_UNBOUND_CONF_H
#define CGW_UNBOUND_CONF_H

#include <stdbool.h>
#include <stddef.h>

#include "conf/conf.h"

/* The file's text (malloc'd).  Every endpoint is listed: the file is what
 * unbound starts with; dns.c takes dead ones out at run time. */
char *unbound_conf_render(const struct cgw_conf *conf);
/* "forward_add [+i] ZONE A1 A2 ..." for the endpoints whose live[i] is set;
 * none set: "forward_add [+i] ZONE NOWHERE" (a forward zone needs an
 * address; the caller decides which live[] to pass). */
char *unbound_forward_cmd(const struct cgw_dns_conf *dns, size_t zone,
    const bool *live, const char *nowhere);

#endif
