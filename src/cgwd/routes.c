/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * DOC: cgwctl show routes and show bgp
 *
 * show routes is read from the kernel at the moment it is asked (a
 * netlink dump of the main table), not from what cgwd or bgpd believe:
 * every route whose next hop is one of the tunnels' interfaces, ECMP
 * next hops one per line.  The other direction, what AWS is told, comes
 * from bgpd's adj-rib-out of each neighbor, read when asked, next to the
 * model (the on-prem prefixes on every tunnel that is not shut, plus
 * their more-specifics where the tunnel pulls the return path): each line
 * says whether bgpd sends it, and what bgpd sends beyond the model is
 * listed too.
 */
#include "cgwd/cgwd.h"

#include <linux/rtnetlink.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cgwd/frr_conf.h"
#include "lib/log.h"
#include "lib/xalloc.h"

#define ROUTES_MAX 4096

static const char *
proto_name(uint8_t p, char *buf, size_t len)
{
	switch (p) {
	case RTPROT_KERNEL: return "connected";
	case RTPROT_BOOT: return "boot";
	case RTPROT_STATIC: return "static";
	case RTPROT_CGW: return "cgw";
	case 11: return "zebra";	/* RTPROT_ZEBRA */
	case 186: return "bgp";		/* RTPROT_BGP */
	default:
		snprintf(buf, len, "proto-%u", p);
		return buf;
	}
}

static const struct tunnel *
tunnel_by_ifindex(const struct cgwd *d, int ifindex)
{
	for (size_t i = 0; i < d->n_tunnels; i++)
		if (d->tunnels[i].ifindex && d->tunnels[i].ifindex == ifindex)
			return &d->tunnels[i];
	return NULL;
}

static void
route_of(const struct tunnel *t, uint32_t dir, struct cgw_msg_route *m)
{
	memset(m, 0, sizeof(*m));
	m->dir = dir;
	snprintf(m->connection, sizeof(m->connection), "%s", t->conn->id);
	m->index = t->conf->index;
	snprintf(m->ifname, sizeof(m->ifname), "%s", t->conf->ifname);
}

static int
send_adv(const struct tunnel *t, const struct cgw_prefix *p, uint32_t bgpd,
    struct msgout *q, uint32_t seq)
{
	struct cgw_msg_route m;

	route_of(t, CGW_ROUTE_ADVERTISED, &m);
	m.prefix = p->addr.v4.s_addr;
	m.plen = p->len;
	m.bgpd = bgpd;
	snprintf(m.protocol, sizeof(m.protocol), "bgp");
	return msgout_put(q, CGW_MSG_ROUTE, seq, &m, sizeof(m));
}

/* What the model says AWS is told over t (the on-prem prefixes unless the
 * tunnel is shut, with their more-specifics while it pulls the return
 * path), each as bgpd's adj-rib-out has it; then what bgpd advertises
 * beyond that. */
static int
send_advertised(struct cgwd *d, const struct tunnel *t, struct msgout *q,
    uint32_t seq)
{
	const struct cgw_box_conf *box = &d->conf->box;
	const struct frr_adj_out *adj = t->adj_out_read ? &t->adj_out : NULL;
	struct cgw_prefix *want;
	struct frr_adj_line *lines;
	size_t n_want = 0, n;
	int r = 0;

	if (t->conn->routing != CGW_ROUTING_BGP)
		return 0;
	want = xcalloc(box->n_advertise * 3 + 1, sizeof(*want));
	for (size_t i = 0; i < box->n_advertise && !t->shut; i++) {
		want[n_want++] = box->advertise[i];
		if (t->pull_return && frr_more_specifics(&box->advertise[i], &want[n_want]))
			n_want += 2;
	}
	lines = xcalloc(n_want + (adj ? adj->n : 0) + 1, sizeof(*lines));
	n = frr_adj_compare(want, n_want, adj, lines);
	for (size_t i = 0; i < n && r >= 0; i++)
		r = send_adv(t, &lines[i].prefix, lines[i].bgpd, q, seq);
	free(lines);
	free(want);
	return r;
}

int
routes_send(struct cgwd *d, struct msgout *q, uint32_t seq)
{
	struct kernel_route4 *rs = xcalloc(ROUTES_MAX, sizeof(*rs));
	int n = d->kernel->ops->route4_list(d->kernel, rs, ROUTES_MAX);
	struct cgw_msg_route m;
	char buf[16];
	int r = 0;

	/* answered without them: the advertised side is still true */
	if (n < 0)
		log_errno(LOG_CTL, n, "reading the kernel's routes");
	for (int i = 0; i < n; i++) {
		const struct tunnel *t = tunnel_by_ifindex(d, rs[i].ifindex);

		if (!t)
			continue;
		route_of(t, CGW_ROUTE_TO_AWS, &m);
		m.prefix = rs[i].dst.s_addr;
		m.plen = rs[i].plen;
		snprintf(m.protocol, sizeof(m.protocol), "%s",
		    proto_name(rs[i].protocol, buf, sizeof(buf)));
		m.metric = rs[i].metric;
		m.ecmp = rs[i].multipath;
		if ((r = msgout_put(q, CGW_MSG_ROUTE, seq, &m, sizeof(m))) < 0)
			goto out;
	}
	for (size_t i = 0; i < d->n_tunnels; i++)
		if ((r = send_advertised(d, &d->tunnels[i], q, seq)) < 0)
			goto out;
	r = msgout_put(q, CGW_MSG_END, seq, NULL, 0);
out:
	free(rs);
	return r;	/* < 0: the answer could not be queued whole */
}

int
bgp_neighbors_send(struct cgwd *d, struct msgout *q, uint32_t seq)
{
	struct cgw_msg_bgp_neighbor m;

	for (size_t i = 0; i < d->n_tunnels; i++) {
		const struct tunnel *t = &d->tunnels[i];

		if (t->conn->routing != CGW_ROUTING_BGP)
			continue;
		memset(&m, 0, sizeof(m));
		snprintf(m.connection, sizeof(m.connection), "%s", t->conn->id);
		m.index = t->conf->index;
		snprintf(m.ifname, sizeof(m.ifname), "%s", t->conf->ifname);
		m.neighbor = t->conf->inside_remote.s_addr;
		m.remote_as = t->conf->aws_asn;
		m.local_as = tunnel_local_asn(d, t);
		snprintf(m.state, sizeof(m.state), "%s", t->bgp_seen ?
		    t->bgp_state : d->frr_off ? "not-driven" : "-");
		m.uptime_s = t->bgp_up ? (uint32_t)(t->bgp_uptime_ms / 1000) : 0;
		m.routes_received = t->routes_received;
		m.routes_sent = t->routes_sent;
		m.prefix_limit = (uint32_t)frr_prefix_limit(t->conn);
		m.usable = t->usable;
		m.pulling = t->pull_return;
		if (d->frr_refused.at)
			snprintf(m.last_error, sizeof(m.last_error),
			    "bgpd refused cgw's %.28s: %.44s",
			    d->frr_refused.cmd, d->frr_refused.answer);
		/* bgpd keeps the reason of the last reset for good ("Waiting
		 * for peer OPEN" on a session that is fine): an error only
		 * while the session is not up */
		else if (!t->bgp_up && (t->diag.bgp_reason[0] || t->diag.bgp_reset[0]))
			snprintf(m.last_error, sizeof(m.last_error), "%.24s%s%.64s",
			    t->diag.bgp_reset, t->diag.bgp_reason[0] ? ": " : "",
			    t->diag.bgp_reason);
		if (msgout_put(q, CGW_MSG_BGP_NEIGHBOR, seq, &m, sizeof(m)) < 0)
			return -1;
	}
	return msgout_put(q, CGW_MSG_END, seq, NULL, 0);
}
