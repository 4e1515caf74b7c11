/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * DOC: cgw's part of the FRR configuration, as text (see frr_conf.h)
 */
#include "cgwd/frr_conf.h"

#include <arpa/inet.h>
#include <string.h>

bool
frr_more_specifics(const struct cgw_prefix *p, struct cgw_prefix out[2])
{
	uint32_t net;

	if (p->family != AF_INET || p->len >= 32)
		return false;
	net = cgw_addr4_host(p->addr.v4);
	out[0] = *p;
	out[0].len = p->len + 1;
	out[1] = out[0];
	out[1].addr.v4 = cgw_addr4_from_host(net | (1u << (31 - p->len)));
	return true;
}

size_t
frr_prefix_limit(const struct cgw_conn_conf *c)
{
	return c->gateway == CGW_GW_TGW ? 1000 : 100;
}

static void
write_prefix_lists(FILE *out, const struct cgw_box_conf *box)
{
	char a[CGW_ADDRSTRLEN];
	unsigned int seq = 5;

	/* Entries are replaced in place by sequence number, never deleted
	 * first: a missing list would let the more-specifics out
	 * everywhere for a moment. */
	for (size_t i = 0; i < box->n_advertise; i++) {
		struct cgw_prefix half[2];

		if (!frr_more_specifics(&box->advertise[i], half))
			continue;
		for (int k = 0; k < 2; k++, seq += 5)
			fprintf(out, "ip prefix-list CGW-MORE-SPECIFIC seq %u permit %s\n",
			    seq, cgw_prefix_str(&half[k], a));
	}
	if (seq == 5)	/* an empty list would match everything */
		fputs("ip prefix-list CGW-MORE-SPECIFIC seq 5 deny any\n", out);
	seq = 5;
	for (size_t i = 0; i < box->n_advertise; i++, seq += 5)
		fprintf(out, "ip prefix-list CGW-ON-PREM seq %u permit %s\n", seq,
		    cgw_prefix_str(&box->advertise[i], a));
	if (seq == 5)
		fputs("ip prefix-list CGW-ON-PREM seq 5 deny any\n", out);
	/* Matches nothing: what a route-map entry not in use matches. */
	fputs("ip prefix-list CGW-NONE seq 5 deny any\n", out);
}

/* The entries that make a tunnel's routes less preferred (a standby's,
 * or one in its hold-down): what entry 15 matches and the inbound local
 * preference, both rewritten in place; with asn, entry 15's prepend too
 * (it never changes, so only a whole write has it). */
static void
write_depref(FILE *out, const char *ifname, bool standby, uint32_t asn)
{
	fprintf(out, "route-map CGW-OUT-%s permit 15\n", ifname);
	fprintf(out, " match ip address prefix-list %s\n",
	    standby ? "CGW-ON-PREM" : "CGW-NONE");
	if (asn) {
		fputs(" set as-path prepend", out);
		for (int i = 0; i < CGW_STANDBY_PREPEND; i++)
			fprintf(out, " %u", asn);
		fputc('\n', out);
	}
	fputs("exit\n", out);
	fprintf(out, "route-map CGW-IN-%s permit 10\n", ifname);
	fprintf(out, " set local-preference %u\n",
	    standby ? CGW_STANDBY_LOCAL_PREF : 100);
	fputs("exit\n", out);
}

/* Outbound policy of one tunnel: the on-prem prefixes, and their
 * more-specifics only while pulling; nothing else.
 * FRR changes an entry's permit/deny in place, so the route-map is never
 * missing (a missing one would deny everything).
 * Entry 10 is the failover's (frr_policy_write flips it); entry 15 is the
 * routing policy's: on a standby tunnel it matches the on-prem prefixes
 * and prepends the AS path, elsewhere it matches nothing.  Its match is
 * replaced in place, so a change of policy (reload) needs no delete
 * command.  The more-specifics never get the prepend: when they are
 * announced they must win. */
static void
write_route_map(FILE *out, const char *ifname, bool pull, bool standby,
    uint32_t asn)
{
	fprintf(out, "route-map CGW-OUT-%s %s 10\n", ifname,
	    pull ? "permit" : "deny");
	fputs(" match ip address prefix-list CGW-MORE-SPECIFIC\n", out);
	fputs("exit\n", out);
	write_depref(out, ifname, standby, asn);
	/* Only the on-prem prefixes: never AWS's own routes back to AWS
	 * (they would count against its prefix limit). */
	fprintf(out, "route-map CGW-OUT-%s permit 20\n", ifname);
	fputs(" match ip address prefix-list CGW-ON-PREM\n", out);
	fputs("exit\n", out);
	/* Inbound (CGW-IN, in write_depref): everything AWS sends, the
	 * standby's made less preferred; always set, so a policy change
	 * rewrites the value in place. */
}

static uint32_t
bgp_asn(const struct cgw_conf *conf)
{
	uint32_t asn = conf->box.local_asn;

	for (const struct cgw_conn_conf *c = conf->conns; c; c = c->next)
		if (c->routing == CGW_ROUTING_BGP && c->local_asn)
			asn = c->local_asn;	/* one bgpd instance, one ASN */
	return asn;
}

/* Soft clears: with the route-map delay timer off, a policy change
 * reaches a neighbor only when its updates are re-sent (out), or the
 * routes kept from it are re-read (in).  Out for every session not shut;
 * in for all of them (all_in: a whole write, the inbound policy may have
 * changed) or for those whose hold-down began or ended (its local
 * preference) - never on the failover path otherwise. */
static void
write_soft_clears(FILE *out, const struct cgw_conf *conf,
    const struct frr_policy *pol, bool all_in)
{
	char a[CGW_ADDRSTRLEN];
	size_t i = 0;

	fputs("end\n", out);
	for (const struct cgw_conn_conf *c = conf->conns; c; c = c->next)
		for (int k = 0; k < CGW_TUNNELS; k++, i++)
			if (c->routing == CGW_ROUTING_BGP && !(pol && pol[i].shut == 1))
				fprintf(out, "clear bgp ipv4 unicast %s soft out\n",
				    cgw_addr4_str(c->tunnel[k].inside_remote, a));
	i = 0;
	for (const struct cgw_conn_conf *c = conf->conns; c; c = c->next)
		for (int k = 0; k < CGW_TUNNELS; k++, i++)
			if (c->routing == CGW_ROUTING_BGP && !(pol && pol[i].shut == 1) &&
			    (all_in || (pol && pol[i].held_changed)))
				fprintf(out, "clear bgp ipv4 unicast %s soft in\n",
				    cgw_addr4_str(c->tunnel[k].inside_remote, a));
}

void
frr_policy_write(FILE *out, const struct cgw_conf *conf,
    const struct frr_policy *pol)
{
	char a[CGW_ADDRSTRLEN];
	size_t i = 0;

	fputs("configure terminal\n", out);
	/* The return path first: it is what AWS is waiting for. */
	for (const struct cgw_conn_conf *c = conf->conns; c; c = c->next)
		for (int k = 0; k < CGW_TUNNELS; k++, i++)
			if (c->routing == CGW_ROUTING_BGP && pol[i].pull >= 0)
				fprintf(out, "route-map CGW-OUT-%s %s 10\nexit\n",
				    c->tunnel[k].ifname, pol[i].pull ? "permit" : "deny");
	i = 0;
	for (const struct cgw_conn_conf *c = conf->conns; c; c = c->next)
		for (int k = 0; k < CGW_TUNNELS; k++, i++)
			if (c->routing == CGW_ROUTING_BGP && pol[i].held_changed)
				write_depref(out, c->tunnel[k].ifname,
				    cgw_conn_standby(c) == k || pol[i].held, 0);
	fprintf(out, "router bgp %u\n", bgp_asn(conf));
	i = 0;
	for (const struct cgw_conn_conf *c = conf->conns; c; c = c->next)
		for (int k = 0; k < CGW_TUNNELS; k++, i++)
			if (c->routing == CGW_ROUTING_BGP && pol[i].shut >= 0)
				fprintf(out, " %sneighbor %s shutdown\n",
				    pol[i].shut ? "" : "no ",
				    cgw_addr4_str(c->tunnel[k].inside_remote, a));
	fputs("exit\n", out);
	write_soft_clears(out, conf, pol, false);
}

size_t
frr_conf_write(FILE *out, const struct cgw_conf *conf,
    const struct frr_policy *pol)
{
	const struct cgw_box_conf *box = &conf->box;
	char a[CGW_ADDRSTRLEN];
	size_t i = 0, per_session;

	fputs("configure terminal\n", out);
	write_prefix_lists(out, box);
	for (const struct cgw_conn_conf *c = conf->conns; c; c = c->next)
		for (int k = 0; k < CGW_TUNNELS; k++, i++) {
			if (c->routing != CGW_ROUTING_BGP)
				continue;
			write_route_map(out, c->tunnel[k].ifname,
			    pol && pol[i].pull > 0, cgw_conn_standby(c) == k ||
			    (pol && pol[i].held), bgp_asn(conf));
		}
	fprintf(out, "route-map %s permit 10\nexit\n", FRR_NET_ROUTE_MAP);
	fputs("bgp route-map delay-timer 0\n", out);
	fprintf(out, "router bgp %u\n", bgp_asn(conf));
	if (cgw_addr4_is_set(box->router_id))
		fprintf(out, " bgp router-id %s\n", cgw_addr4_str(box->router_id, a));
	fputs(" no bgp ebgp-requires-policy\n", out);
	fputs(" no bgp network import-check\n", out);
	fputs(" bgp log-neighbor-changes\n", out);
	/* A session that comes up is sent its routes after this long
	 * (bgpd's default, 1 s, waits for more peers to share the update):
	 * with few sessions it is only a second of the return path lost
	 * after every recovery. */
	fprintf(out, " coalesce-time %u\n", FRR_COALESCE_MS);
	i = 0;
	for (const struct cgw_conn_conf *c = conf->conns; c; c = c->next) {
		for (int k = 0; k < CGW_TUNNELS; k++, i++) {
			const struct cgw_tunnel_conf *t = &c->tunnel[k];
			const char *n = cgw_addr4_str(t->inside_remote, a);

			if (c->routing != CGW_ROUTING_BGP)
				continue;
			fprintf(out, " neighbor %s remote-as %u\n", n, t->aws_asn);
			fprintf(out, " neighbor %s description cgw %s-%u\n", n,
			    c->id, t->index);
			fprintf(out, " neighbor %s timers %u %u\n", n,
			    t->bgp_keepalive, t->bgp_hold);
			fprintf(out, " neighbor %s timers connect 1\n", n);
			if (pol && pol[i].shut >= 0)
				fprintf(out, " %sneighbor %s shutdown\n",
				    pol[i].shut ? "" : "no ", n);
		}
	}
	fputs(" address-family ipv4 unicast\n", out);
	/* Always explicit: bgpd's own default is ECMP over as many paths
	 * as it was built for; cgw's is one path unless asked. */
	fprintf(out, "  maximum-paths %u\n", box->ecmp ? box->ecmp : 1);
	for (size_t p = 0; p < box->n_advertise; p++) {
		struct cgw_prefix half[2];

		fprintf(out, "  network %s route-map %s\n",
		    cgw_prefix_str(&box->advertise[p], a), FRR_NET_ROUTE_MAP);
		if (frr_more_specifics(&box->advertise[p], half))
			for (int k = 0; k < 2; k++)
				fprintf(out, "  network %s route-map %s\n",
				    cgw_prefix_str(&half[k], a),
				    FRR_NET_ROUTE_MAP);
	}
	for (const struct cgw_conn_conf *c = conf->conns; c; c = c->next) {
		if (c->routing != CGW_ROUTING_BGP)
			continue;
		for (int k = 0; k < CGW_TUNNELS; k++) {
			const char *n = cgw_addr4_str(c->tunnel[k].inside_remote, a);

			fprintf(out, "  neighbor %s activate\n", n);
			/* AWS's few routes kept as received: a change of the
			 * inbound policy is re-applied locally (soft in),
			 * never by a route refresh, which bgpd would also
			 * send to a session not yet established. */
			fprintf(out, "  neighbor %s soft-reconfiguration inbound\n", n);
			fprintf(out, "  neighbor %s route-map CGW-IN-%s in\n", n,
			    c->tunnel[k].ifname);
			fprintf(out, "  neighbor %s route-map CGW-OUT-%s out\n", n,
			    c->tunnel[k].ifname);
		}
	}
	fputs(" exit-address-family\n", out);
	fputs("exit\n", out);
	write_soft_clears(out, conf, pol, true);
	/* Normal times: the prefixes; pulling: twice as many. */
	per_session = box->n_advertise;
	for (size_t t = 0; pol && t < i; t++)
		if (pol[t].pull > 0)
			per_session = box->n_advertise * 3;
	return per_session;
}
