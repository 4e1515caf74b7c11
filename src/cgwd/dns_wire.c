/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * DOC: DNS messages, through libldns (see dns_wire.h)
 */
#include "cgwd/dns_wire.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <ldns/ldns.h>

int
dns_wire_query(const char *name, enum dns_qtype type, uint16_t id,
    uint8_t *buf, size_t len)
{
	ldns_pkt *q = NULL;
	uint8_t *wire = NULL;
	size_t n = 0;
	int r;

	if (ldns_pkt_query_new_frm_str(&q, name,
	    type == DNS_Q_SOA ? LDNS_RR_TYPE_SOA : LDNS_RR_TYPE_A,
	    LDNS_RR_CLASS_IN, LDNS_RD) != LDNS_STATUS_OK)
		return -EINVAL;
	ldns_pkt_set_id(q, id);
	if (ldns_pkt2wire(&wire, q, &n) != LDNS_STATUS_OK)
		r = -EINVAL;
	else if (n > len)
		r = -ENOSPC;
	else {
		memcpy(buf, wire, n);
		r = (int)n;
	}
	free(wire);
	ldns_pkt_free(q);
	return r;
}

int
dns_wire_reply(const uint8_t *buf, size_t len, uint16_t id,
    struct dns_reply *r)
{
	ldns_pkt *p = NULL;
	const ldns_rr_list *an;
	ldns_lookup_table *lt;

	memset(r, 0, sizeof(*r));
	if (ldns_wire2pkt(&p, buf, len) != LDNS_STATUS_OK)
		return -EBADMSG;
	if (!ldns_pkt_qr(p)) {
		ldns_pkt_free(p);
		return -EBADMSG;	/* a query, not an answer */
	}
	if (ldns_pkt_id(p) != id) {
		ldns_pkt_free(p);
		return -ESRCH;
	}
	r->rcode = ldns_pkt_get_rcode(p);
	lt = ldns_lookup_by_id(ldns_rcodes, r->rcode);
	snprintf(r->rcode_name, sizeof(r->rcode_name), "%s",
	    lt ? lt->name : "RCODE?");
	an = ldns_pkt_answer(p);
	r->answers = an ? (unsigned int)ldns_rr_list_rr_count(an) : 0;
	if (r->answers) {
		const ldns_rr *rr = ldns_rr_list_rr(an, 0);
		char *s = ldns_rr_rd_count(rr) ?
		    ldns_rdf2str(ldns_rr_rdf(rr, 0)) : NULL;

		if (s)
			snprintf(r->first, sizeof(r->first), "%s", s);
		free(s);
	}
	ldns_pkt_free(p);
	return 0;
}
