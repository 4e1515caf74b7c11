/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * DOC: TCP MSS clamping on the tunnels
 *
 * AWS's tunnels do no path MTU discovery, so TCP must never send segments
 * that do not fit: SYNs forwarded into or out of a tunnel get their MSS
 * option lowered to the tunnel's mss (AWS: 1379 with its template MTU of
 * 1436).  Both directions: the SYN-ACK from the VPC is clamped on its way
 * in too, so on-prem hosts also send small enough segments.
 */
#include "cgwd/mss.h"

#include <stdio.h>

void
mss_rules_write(FILE *out, const struct cgw_conf *conf)
{
	fputs("table inet cgw {}\n"
	    "flush table inet cgw\n"
	    "table inet cgw {\n"
	    "\tchain mss {\n"
	    "\t\ttype filter hook forward priority mangle; policy accept;\n",
	    out);
	for (const struct cgw_conn_conf *c = conf->conns; c; c = c->next)
		for (int k = 0; k < CGW_TUNNELS; k++) {
			const struct cgw_tunnel_conf *t = &c->tunnel[k];

			fprintf(out, "\t\toifname \"%s\" tcp flags syn / syn,rst tcp option maxseg size > %u tcp option maxseg size set %u\n",
			    t->ifname, t->mss, t->mss);
			fprintf(out, "\t\tiifname \"%s\" tcp flags syn / syn,rst tcp option maxseg size > %u tcp option maxseg size set %u\n",
			    t->ifname, t->mss, t->mss);
		}
	fputs("\t}\n}\n", out);
}
