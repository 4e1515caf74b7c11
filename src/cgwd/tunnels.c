/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * DOC: tunnels: from configuration to runtime state
 *
 * Builds one struct tunnel per configured tunnel, reconciles their XFRM
 * interfaces with the kernel, and keeps the UP/DOWN state the way AWS's
 * console shows it.  The interface is administratively up only while the
 * tunnel's CHILD_SA is installed: a dead tunnel then takes its connected
 * route and its BGP session down at once, instead of after a hold timer.
 */
#include "cgwd/cgwd.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>

#include "cgwd/loop.h"
#include "cgwd/tunnel_if.h"
#include "lib/log.h"
#include "lib/xalloc.h"

int
tunnels_build(struct cgwd *d)
{
	size_t n = 0, i = 0;

	for (struct cgw_conn_conf *c = d->conf->conns; c; c = c->next)
		n += CGW_TUNNELS;
	d->tunnels = xcalloc(n, sizeof(*d->tunnels));
	for (struct cgw_conn_conf *c = d->conf->conns; c; c = c->next)
		for (int k = 0; k < CGW_TUNNELS; k++, i++) {
			struct tunnel *t = &d->tunnels[i];

			t->conn = c;
			t->conf = &c->tunnel[k];
			_Static_assert(CGW_CONN_ID_MAX + sizeof("-1") <=
			    sizeof(t->name), "a tunnel's name holds its id");
			snprintf(t->name, sizeof(t->name), "%s-%u", c->id,
			    t->conf->index);
			t->if_id = tunnel_if_id(t->conf->ifname);
			t->last_change = time(NULL);
			snprintf(t->details, sizeof(t->details),
			    "IPSEC IS DOWN: waiting for charon");
		}
	d->n_tunnels = n;
	for (struct cgw_conn_conf *c = d->conf->conns; c; c = c->next)
		if (c->routing == CGW_ROUTING_BGP && !d->frr_off)
			d->frr_enabled = true;
	for (i = 0; i < n; i++)
		d->tunnels[i].bgp_tracked = d->frr_enabled;
	return 0;
}

/* Reconciles one tunnel's interface with up (1, 0, or -1: as found);
 * the ifindex, or -errno (logged, and in the tunnel's details). */
static int
reconcile(struct cgwd *d, struct tunnel *t, int up, int *changes)
{
	struct tunnel_if_want w = {
		.ifname = t->conf->ifname,
		.if_id = t->if_id,
		.parent = d->conf->box.outside_interface,
		.mtu = t->conf->mtu,
		.inside = { t->conf->inside_local, 30 },
		.up = up,
	};
	int r = tunnel_if_reconcile(d->kernel, &w, changes);
	char op[64];

	snprintf(op, sizeof(op), "set up interface %s", t->conf->ifname);
	tunnel_kernel_answer(d, t, r, KERNEL_OBJ_LINK, op);
	if (r < 0)
		snprintf(t->details, sizeof(t->details),
		    "IPSEC IS DOWN: cannot set up interface %s (%s)",
		    t->conf->ifname, strerror(-r));
	return r;
}

void
tunnel_kernel_answer(struct cgwd *d, struct tunnel *t, int r,
    enum kernel_obj obj, const char *op)
{
	const char *outside = d->conf->box.outside_interface;
	struct kernel_link l;

	if (r >= 0) {
		/* what was refused is put right by a success on the same kind
		 * of object (a route, or the interface) */
		if (!t->diag.kernel_op[0] || t->diag.kernel_obj != (int)obj)
			return;
		log_info(LOG_KNL, "%s: the kernel takes cgw's changes again (it had refused to %s)",
		    t->name, t->diag.kernel_op);
		t->diag.kernel_op[0] = '\0';
		t->diag.outside_if_missing = false;
		return;
	}
	/* logged once, not at every retry */
	if (strcmp(t->diag.kernel_op, op) != 0 || t->diag.kernel_err != r)
		log_errno(LOG_KNL, r, "%s: %s", t->name, op);
	snprintf(t->diag.kernel_op, sizeof(t->diag.kernel_op), "%s", op);
	t->diag.kernel_obj = (int)obj;
	t->diag.kernel_err = r;
	t->diag.outside_if_missing = outside &&
	    d->kernel->ops->link_get(d->kernel, outside, &l) == -ENODEV;
}

void
tunnels_apply_kernel(struct cgwd *d)
{
	for (size_t i = 0; i < d->n_tunnels; i++) {
		struct tunnel *t = &d->tunnels[i];
		/* Before charon reports, leave the admin state as found: a
		 * restarted cgwd must not cut traffic. */
		int up = t->ifindex ? t->child_up : -1, changes = 0, r;

		if ((r = reconcile(d, t, up, &changes)) < 0)
			continue;
		t->ifindex = r;
		if (up >= 0)
			t->link_up = up;
		else {
			struct kernel_link l;

			t->link_up = d->kernel->ops->link_get(d->kernel,
			    t->conf->ifname, &l) == 0 && l.up;
		}
		log_info(LOG_KNL, "%s: interface %s if_id %u: %s", t->name,
		    t->conf->ifname, t->if_id,
		    changes ? "configured" : "adopted unchanged");
	}
}

/* Someone changed a tunnel's interface (or deleted it): put back what
 * cgwd wants, as it wants it now, and say what was repaired.  Returns how
 * many changes were put back, or -errno. */
static int
tunnel_repair(struct cgwd *d, struct tunnel *t)
{
	int up = t->child_up && !t->link_hold_down, changes = 0, r;

	if ((r = reconcile(d, t, up, &changes)) < 0)
		return r;
	t->link_up = up;
	if (r != t->ifindex) {
		/* created anew: the probe socket was bound to the old one */
		t->ifindex = r;
		health_probe_reset(d, t);
	}
	if (changes)
		log_warn(LOG_KNL, "%s: interface %s was changed outside cgw "
		    "(%d change%s put back)", t->name, t->conf->ifname,
		    changes, changes == 1 ? "" : "s");
	return changes;
}

static void
kernel_changed(void *arg, const struct kernel_change *c)
{
	struct cgwd *d = arg;
	const struct cgw_prefix deleted = { .family = AF_INET,
	    .addr.v4 = c->route.dst, .len = c->route.plen };

	for (size_t i = 0; i < d->n_tunnels; i++) {
		struct tunnel *t = &d->tunnels[i];

		if (c->what != KERNEL_CHANGE_ROUTE_DEL) {
			if (t->ifindex == c->ifindex)
				t->kernel_dirty = true;
		} else if (c->route.protocol == RTPROT_CGW && t->conf->index == 1 &&
		    t->conn->routing == CGW_ROUTING_STATIC &&
		    cgw_prefix_in(t->conn->static_routes, t->conn->n_static_routes,
		    &deleted)) {
			/* ours (the protocol says so) and still wanted */
			char a[CGW_ADDRSTRLEN];

			log_warn(LOG_KNL, "%s: route %s was deleted outside cgw: putting it back",
			    t->conn->id, cgw_prefix_str(&deleted, a));
			t->routes_dirty = true;
		}
	}
}

static void
monitor_readable(void *arg, int fd, uint32_t events)
{
	struct cgwd *d = arg;
	int r;

	(void)fd;
	(void)events;
	r = kernel_monitor_read(d->monitor, kernel_changed, d);
	if (r == -ENOBUFS)
		log_warn(LOG_KNL, "kernel notifications lost: checking every interface and route");
	else if (r < 0)
		log_errno(LOG_KNL, r, "kernel notifications");
	for (size_t i = 0; i < d->n_tunnels; i++) {
		struct tunnel *t = &d->tunnels[i];

		if (t->kernel_dirty || r == -ENOBUFS) {
			t->kernel_dirty = false;
			/* a link set down took the routes through it along */
			if (tunnel_repair(d, t) > 0 || r == -ENOBUFS)
				d->tunnels[t->conn_idx * CGW_TUNNELS].routes_dirty = true;
		}
	}
	for (size_t i = 0; i < d->n_tunnels; i += CGW_TUNNELS) {
		struct tunnel *t = &d->tunnels[i];

		if (!t->routes_dirty)
			continue;
		t->routes_dirty = false;
		health_static_routes(d, t->conn_idx);
	}
}

/* Every second: what the kernel refused is tried again, so a box put
 * right (an interface renamed back, say) works again by itself. */
void
tunnels_retry_refused(struct cgwd *d)
{
	for (size_t i = 0; i < d->n_tunnels; i++) {
		struct tunnel *t = &d->tunnels[i];

		if (!t->diag.kernel_op[0])
			continue;
		/* a repaired link lost its routes too */
		if (t->diag.kernel_obj == KERNEL_OBJ_ROUTE || tunnel_repair(d, t) >= 0)
			health_static_routes(d, t->conn_idx);
	}
}

int
tunnels_monitor_start(struct cgwd *d)
{
	int r = 0;

	if (!(d->monitor = kernel_monitor_open(&r)))
		return log_errno(LOG_KNL, r, "kernel notifications");
	return loop_add_fd(d->loop, kernel_monitor_fd(d->monitor), EPOLLIN,
	    monitor_readable, d);
}

struct tunnel *
tunnel_by_name(struct cgwd *d, const char *name)
{
	for (size_t i = 0; i < d->n_tunnels; i++)
		if (strcmp(d->tunnels[i].name, name) == 0)
			return &d->tunnels[i];
	return NULL;
}

struct tunnel *
tunnel_lookup(struct cgwd *d, const char *what)
{
	struct tunnel *t = tunnel_by_name(d, what);

	if (t)
		return t;
	for (size_t i = 0; i < d->n_tunnels; i++) {
		t = &d->tunnels[i];
		if (strcmp(t->conf->ifname, what) == 0)
			return t;
	}
	/* A bare index names a tunnel of the only connection. */
	if ((strcmp(what, "1") == 0 || strcmp(what, "2") == 0) &&
	    d->n_tunnels == CGW_TUNNELS)
		return &d->tunnels[what[0] - '1'];
	return NULL;
}

void
tunnel_refresh_details(struct tunnel *t)
{
	bool bgp = t->conn->routing == CGW_ROUTING_BGP && t->bgp_tracked;
	bool was = t->up;

	if (!t->child_up)
		t->up = false;	/* details keep the IPsec cause */
	else if (!bgp) {
		t->up = true;
		snprintf(t->details, sizeof(t->details), "IPSEC IS UP");
	} else if (t->bgp_up) {
		t->up = true;
		snprintf(t->details, sizeof(t->details), "%u BGP ROUTES",
		    t->routes_received);
	} else {
		/* AWS shows such a tunnel DOWN: no routes go over it. */
		t->up = false;
		snprintf(t->details, sizeof(t->details),
		    "IPSEC IS UP, BGP %s", t->bgp_seen ? t->bgp_state :
		    "not configured in FRR");
	}
	if (t->up != was) {
		t->last_change = time(NULL);
		log_info(LOG_HM, "%s: %s: %s", t->name, t->up ? "UP" : "DOWN",
		    t->details);
		if (t->d)
			event_note(t->d, t, t->up ? "tunnel-up" : "tunnel-down",
			    "%s", t->details);
	}
}

void
tunnel_set_state(struct cgwd *d, struct tunnel *t, bool child_up,
    const char *why)
{
	bool was_child = t->child_up;

	if (child_up && t->inherited_until) {
		t->inherited_until = 0;
		health_replacing(d, t, false);
	} else if (!child_up && t->inherited_until &&
	    time(NULL) < t->inherited_until)
		return;		/* the old SAs still carry it; probes judge */
	t->child_up = child_up;
	if (why)
		snprintf(t->details, sizeof(t->details), "%s", why);
	tunnel_refresh_details(t);
	if (child_up == was_child)
		return;
	if (child_up)
		t->diag.ipsec_up_at = time(NULL);
	/* The interface follows the CHILD_SA (without it the connected
	 * /30 goes and bgpd drops the session at once), and failover
	 * judges: both at the settle of this wake-up (health.c). */
	health_child(d, t);
}

uint32_t
tunnel_bgp_wait_s(const struct tunnel *t, time_t now)
{
	time_t since = t->diag.ipsec_up_at > t->diag.bgp_down_at ?
	    t->diag.ipsec_up_at : t->diag.bgp_down_at;

	return t->child_up && !t->bgp_up && since && now > since ?
	    (uint32_t)(now - since) : 0;
}

uint32_t
tunnel_local_asn(const struct cgwd *d, const struct tunnel *t)
{
	return t->conn->local_asn ? t->conn->local_asn : d->conf->box.local_asn;
}

void
tunnel_fill_status(const struct tunnel *t, struct cgw_msg_tunnel_status *st)
{
	memset(st, 0, sizeof(*st));
	snprintf(st->connection, sizeof(st->connection), "%s", t->conn->id);
	st->index = t->conf->index;
	snprintf(st->ifname, sizeof(st->ifname), "%s", t->conf->ifname);
	st->aws_outside = t->conf->aws_outside.s_addr;
	st->cgw_outside = t->conf->cgw_outside.s_addr;
	st->inside_net = t->conf->inside.addr.v4.s_addr;
	st->up = t->up;
	st->ipsec_up = t->child_up;
	st->bgp = t->conn->routing == CGW_ROUTING_BGP;
	snprintf(st->bgp_state, sizeof(st->bgp_state), "%s", t->bgp_state);
	st->bgp_uptime_s = (uint32_t)(t->bgp_uptime_ms / 1000);
	st->routes_received = t->routes_received;
	st->routes_sent = t->routes_sent;
	st->usable = t->usable;
	st->pulling = t->pull_return;
	st->probe_rtt_us = t->probe.rtt_us;
	st->probe_loss_pct = probe_loss_pct(&t->probe);
	if (st->bgp && t->conn->policy == CGW_POLICY_ACTIVE_STANDBY)
		snprintf(st->role, sizeof(st->role), "%s",
		    t->conf->index == t->conn->preferred_tunnel ? "active" :
		    "standby");
	st->last_change = (uint64_t)t->last_change;
	snprintf(st->details, sizeof(st->details), "%s", t->details);
	/* Still in use though its probes fail: say so where it is looked at
	 * first, not only in diagnose. */
	if (t->d && t->d->fo && t->usable) {
		const struct fo_tunnel *ft =
		    &t->d->fo[t->conn_idx].t[t->conf->index - 1];

		if (ft->probes_filtered || ft->probes_failing) {
			size_t n = strlen(st->details);

			snprintf(st->details + n, sizeof(st->details) - n, ", %s",
			    ft->probes_filtered ? "PROBES FILTERED" :
			    "PROBES UNANSWERED");
		}
	}
	/* The box's own fault, on every tunnel it affects (diagnose says
	 * what nftables answered). */
	if (t->d && t->d->clamp.refused[0]) {
		size_t n = strlen(st->details);

		snprintf(st->details + n, sizeof(st->details) - n,
		    ", NO MSS CLAMP");
	}
	if (t->have_sa)
		st->sa = t->sa;
}
