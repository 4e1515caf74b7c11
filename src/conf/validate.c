/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * DOC: configuration validator
 *
 * Every rule AWS imposes on a VPN connection (Site-to-Site VPN user guide,
 * "Tunnel options") and every rule cgw needs to run it, checked on the
 * whole model at once.  Each violation is reported with the file:line of
 * the block it is in, what is wrong, and what AWS accepts, so an operator
 * fixes a file in one pass instead of discovering one rule per AWS timeout.
 */
#include "conf/conf.h"

#include <arpa/inet.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "lib/xalloc.h"

struct vctx {
	struct cgw_diag *diag;
	const struct cgw_conf *conf;
};

static void
err(struct vctx *v, const struct cgw_where *w, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void
err(struct vctx *v, const struct cgw_where *w, const char *fmt, ...)
{
	va_list ap;
	char *msg;

	va_start(ap, fmt);
	if (vasprintf(&msg, fmt, ap) < 0)
		xoom();
	va_end(ap);
	cgw_diag_add(v->diag, w->file, w->line, "%s", msg);
	free(msg);
}

/* AWS: "The following CIDR blocks are reserved and cannot be used". */
static const char *const reserved_inside[] = {
	"169.254.0.0/30", "169.254.1.0/30", "169.254.2.0/30",
	"169.254.3.0/30", "169.254.4.0/30", "169.254.5.0/30",
	"169.254.169.252/30",
};

static bool
amazon_asn_ok(uint32_t asn)
{
	/* Private ranges AWS accepts for the Amazon side, and the public
	 * ASNs older virtual private gateways still use. */
	return (asn >= 64512 && asn <= 65534) ||
	    (asn >= 4200000000u && asn <= 4294967294u) ||
	    asn == 7224 || asn == 9059 || asn == 10124 || asn == 17493;
}

static bool
dh_ok(unsigned int g, int phase)
{
	return g == 2 || (g >= 14 && g <= 24) || (phase == 2 && g == 5);
}

static bool
is_gcm(enum cgw_encr e)
{
	return e == CGW_ENCR_AES128_GCM16 || e == CGW_ENCR_AES256_GCM16;
}

static void
check_psk(struct vctx *v, const struct cgw_tunnel_conf *t)
{
	size_t len;

	if (!t->psk) {
		err(v, &t->where, "tunnel %u: psk missing (the tunnel's pre-shared key from the AWS configuration)",
		    t->index);
		return;
	}
	len = strlen(t->psk);
	/* Never echo the key: say what is wrong with it. */
	if (len < 8 || len > 64)
		err(v, &t->where, "tunnel %u: psk has %zu characters; AWS requires 8 to 64",
		    t->index, len);
	if (strspn(t->psk, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._") != len)
		err(v, &t->where, "tunnel %u: psk contains a character other than letters, digits, '.' and '_', which AWS does not accept",
		    t->index);
	if (t->psk[0] == '0')
		err(v, &t->where, "tunnel %u: psk starts with '0', which AWS does not accept",
		    t->index);
}

static void
check_inside(struct vctx *v, const struct cgw_tunnel_conf *t)
{
	char a[CGW_ADDRSTRLEN], b[CGW_ADDRSTRLEN];
	struct cgw_prefix ll;
	uint32_t net;

	if (!t->inside.family) {
		err(v, &t->where, "tunnel %u: inside missing (the /30 inside 169.254.0.0/16 from the AWS configuration)",
		    t->index);
		return;
	}
	cgw_prefix_parse("169.254.0.0/16", &ll, false);
	if (t->inside.family != AF_INET || t->inside.len != 30 ||
	    !cgw_prefix_overlap(&t->inside, &ll)) {
		err(v, &t->where, "tunnel %u: inside %s is not a /30 inside 169.254.0.0/16, as AWS requires",
		    t->index, cgw_prefix_str(&t->inside, a));
		return;
	}
	for (size_t i = 0; i < sizeof(reserved_inside) / sizeof(*reserved_inside); i++) {
		struct cgw_prefix r;

		cgw_prefix_parse(reserved_inside[i], &r, false);
		if (cgw_prefix_equal(&r, &t->inside))
			err(v, &t->where, "tunnel %u: inside %s is reserved by AWS; choose another /30 in 169.254.0.0/16",
			    t->index, reserved_inside[i]);
	}
	net = cgw_addr4_host(t->inside.addr.v4);
	if (cgw_addr4_host(t->inside_local) != net + 2)
		err(v, &t->where, "tunnel %u: inside-local %s must be the second address of %s (%s); AWS uses the first",
		    t->index, cgw_addr4_str(t->inside_local, a),
		    cgw_prefix_str(&t->inside, b),
		    cgw_addr4_str(cgw_addr4_from_host(net + 2), a));
	if (cgw_addr4_host(t->inside_remote) != net + 1)
		err(v, &t->where, "tunnel %u: inside-remote %s must be the first address of %s (%s), AWS's side",
		    t->index, cgw_addr4_str(t->inside_remote, a),
		    cgw_prefix_str(&t->inside, b),
		    cgw_addr4_str(cgw_addr4_from_host(net + 1), a));
}

static void
check_proposals(struct vctx *v, const struct cgw_tunnel_conf *t)
{
	const struct cgw_proposal *p1 = &t->phase1, *p2 = &t->phase2;
	unsigned int u = t->index;

	if (t->ike_version != 1 && t->ike_version != 2)
		err(v, &t->where, "tunnel %u: ike-version %u (expected 1 or 2)",
		    u, t->ike_version);
	if (!p1->encr)
		err(v, &t->where, "tunnel %u: phase1 encryption missing", u);
	if (!p1->integ)
		err(v, &t->where, "tunnel %u: phase1 integrity missing (with AES-GCM it is the PRF: sha1, sha256, sha384 or sha512)",
		    u);
	if (t->ike_version == 1 && is_gcm(p1->encr))
		err(v, &t->where, "tunnel %u: phase1 %s needs IKEv2; with ike-version 1 use aes128 or aes256",
		    u, cgw_encr_name(p1->encr));
	if (!dh_ok(p1->dh_group, 1))
		err(v, &t->where, "tunnel %u: phase1 dh-group %u is not one AWS accepts (2, 14-24)",
		    u, p1->dh_group);
	if (!p2->encr)
		err(v, &t->where, "tunnel %u: phase2 encryption missing", u);
	if (is_gcm(p2->encr) && p2->integ)
		err(v, &t->where, "tunnel %u: phase2 %s authenticates by itself: set integrity none",
		    u, cgw_encr_name(p2->encr));
	if (p2->encr && !is_gcm(p2->encr) && !p2->integ)
		err(v, &t->where, "tunnel %u: phase2 %s needs an integrity algorithm (sha1, sha256, sha384 or sha512)",
		    u, cgw_encr_name(p2->encr));
	if (!dh_ok(p2->dh_group, 2))
		err(v, &t->where, "tunnel %u: phase2 pfs-group %u is not one AWS accepts (2, 5, 14-24; AWS always uses PFS)",
		    u, p2->dh_group);
}

static void
check_timers(struct vctx *v, const struct cgw_tunnel_conf *t)
{
	unsigned int u = t->index, p1 = t->phase1.lifetime, p2 = t->phase2.lifetime;

	if (p1 < 900 || p1 > 28800)
		err(v, &t->where, "tunnel %u: phase1 lifetime %u s is outside AWS's 900-28800", u, p1);
	if (p2 < 900 || p2 > 3600)
		err(v, &t->where, "tunnel %u: phase2 lifetime %u s is outside AWS's 900-3600", u, p2);
	if (p2 >= p1)
		err(v, &t->where, "tunnel %u: phase2 lifetime %u s must be shorter than phase1 lifetime %u s",
		    u, p2, p1);
	if (t->rekey_margin < 60 || t->rekey_margin > p2 / 2)
		err(v, &t->where, "tunnel %u: rekey margin %u s is outside AWS's 60 to half the phase2 lifetime (%u)",
		    u, t->rekey_margin, p2 / 2);
	if (t->rekey_fuzz > 100)
		err(v, &t->where, "tunnel %u: rekey fuzz %u%% is outside 0-100", u, t->rekey_fuzz);
	if (t->replay_window < 64 || t->replay_window > 2048)
		err(v, &t->where, "tunnel %u: replay-window %u is outside AWS's 64-2048", u,
		    t->replay_window);
	if (t->dpd_timeout < 30)
		err(v, &t->where, "tunnel %u: dpd timeout %u s is below AWS's minimum of 30", u,
		    t->dpd_timeout);
	if (t->dpd_delay < 1 || t->dpd_delay >= t->dpd_timeout)
		err(v, &t->where, "tunnel %u: dpd delay %u s must be at least 1 and below the timeout (%u s)",
		    u, t->dpd_delay, t->dpd_timeout);
	/* add = wait for AWS to initiate, which AWS does only with IKEv2. */
	if (t->startup == CGW_STARTUP_ADD && t->ike_version != 2)
		err(v, &t->where, "tunnel %u: startup add waits for AWS to initiate, which AWS does only with IKEv2; use startup start (cgw initiates)",
		    u);
	if (t->mtu < 576 || t->mtu > 1446)
		err(v, &t->where, "tunnel %u: mtu %u is outside 576-1446 (1446 is AWS's maximum, with AES-GCM)",
		    u, t->mtu);
	if (t->mss < 536 || t->mss + 40 > t->mtu)
		err(v, &t->where, "tunnel %u: mss %u must be at least 536 and at most mtu - 40 (%u)",
		    u, t->mss, t->mtu >= 40 ? t->mtu - 40 : 0);
}

static void
check_bgp(struct vctx *v, const struct cgw_conn_conf *c,
    const struct cgw_tunnel_conf *t, uint32_t local_asn)
{
	unsigned int u = t->index;

	if (!amazon_asn_ok(t->aws_asn))
		err(v, &t->where, "tunnel %u: bgp remote-asn %u is not an Amazon-side ASN (64512-65534, 4200000000-4294967294, or 7224)",
		    u, t->aws_asn);
	if (local_asn && local_asn == t->aws_asn)
		err(v, &t->where, "tunnel %u: the local ASN %u equals AWS's: eBGP needs different ASNs",
		    u, local_asn);
	if (t->bgp_hold != 0 && (t->bgp_hold < 3 || t->bgp_hold > 65535))
		err(v, &t->where, "tunnel %u: bgp hold %u is not 0 or 3-65535", u, t->bgp_hold);
	if (t->bgp_keepalive < 1 || (t->bgp_hold && t->bgp_keepalive >= t->bgp_hold))
		err(v, &t->where, "tunnel %u: bgp keepalive %u must be at least 1 and below hold %u",
		    u, t->bgp_keepalive, t->bgp_hold);
	(void)c;
}

static bool
tunnel_unconfigured(const struct cgw_tunnel_conf *t)
{
	return !cgw_addr4_is_set(t->aws_outside) && !t->psk && !t->inside.family;
}

static bool
ifname_ok(const char *s)
{
	if (!*s || strcmp(s, ".") == 0 || strcmp(s, "..") == 0)
		return false;
	for (; *s; s++)
		if (*s == '/' || *s == ':' || *s <= ' ' || *s >= 0x7f)
			return false;
	return true;
}

static void
check_tunnel(struct vctx *v, const struct cgw_conn_conf *c,
    const struct cgw_tunnel_conf *t, uint32_t local_asn)
{
	char a[CGW_ADDRSTRLEN];

	if (tunnel_unconfigured(t)) {
		err(v, &c->where, "connection %s: tunnel %u is not configured; AWS always provides two tunnels and replaces their endpoints one at a time, so configure both",
		    c->id, t->index);
		return;
	}
	if (!cgw_addr4_is_set(t->aws_outside))
		err(v, &t->where, "tunnel %u: aws-outside missing (the AWS endpoint's outside address)",
		    t->index);
	if (!cgw_addr4_is_set(t->cgw_outside))
		err(v, &t->where, "tunnel %u: cgw-outside missing (the customer gateway address AWS knows)",
		    t->index);
	if (cgw_addr4_is_set(t->aws_outside) &&
	    t->aws_outside.s_addr == t->local_address.s_addr)
		err(v, &t->where, "tunnel %u: aws-outside %s is the box's own address",
		    t->index, cgw_addr4_str(t->aws_outside, a));
	if (!ifname_ok(t->ifname))
		err(v, &t->where, "tunnel %u: interface \"%s\" is not a valid interface name",
		    t->index, t->ifname);
	check_psk(v, t);
	check_inside(v, t);
	check_proposals(v, t);
	check_timers(v, t);
	if (c->routing == CGW_ROUTING_BGP)
		check_bgp(v, c, t, local_asn);
}

static bool
id_ok(const char *id)
{
	size_t n = strlen(id);

	return n > 0 && n <= CGW_CONN_ID_MAX &&
	    strspn(id, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-") == n;
}

static void
check_conn(struct vctx *v, const struct cgw_conn_conf *c)
{
	uint32_t local_asn = c->local_asn ? c->local_asn : v->conf->box.local_asn;
	const struct cgw_tunnel_conf *t1 = &c->tunnel[0], *t2 = &c->tunnel[1];
	char a[CGW_ADDRSTRLEN];

	if (!id_ok(c->id))
		err(v, &c->where, "connection \"%s\": the id must be 1-%d letters, digits, '.', '_' or '-' (e.g. vpn-0123456789abcdef0)",
		    c->id, CGW_CONN_ID_MAX);
	if (c->routing == CGW_ROUTING_STATIC && c->n_static_routes == 0)
		err(v, &c->where, "connection %s: routing static needs at least one static-route: the VPC prefixes to route through the tunnels, which AWS's files do not carry (cgwctl import -r PREFIX adds them)",
		    c->id);
	if (c->routing == CGW_ROUTING_BGP && c->n_static_routes)
		err(v, &c->where, "connection %s: static-route is only for routing static; with bgp the VPC prefixes are learned",
		    c->id);
	if (c->routing == CGW_ROUTING_STATIC && c->policy == CGW_POLICY_ACTIVE_STANDBY)
		err(v, &c->where, "connection %s: policy active-standby steers BGP; with routing static cgw already routes over one tunnel at a time (tunnel 1 while it works): remove the policy line",
		    c->id);
	if (c->routing == CGW_ROUTING_BGP && !local_asn)
		err(v, &c->where, "connection %s: no local ASN: set local-asn here or in the gateway block (the customer gateway's BGP ASN in AWS)",
		    c->id);
	if (local_asn && (local_asn == 23456 || local_asn == 4294967295u))
		err(v, &c->where, "connection %s: local ASN %u is reserved", c->id, local_asn);
	for (int i = 0; i < CGW_TUNNELS; i++)
		check_tunnel(v, c, &c->tunnel[i], local_asn);
	if (cgw_addr4_is_set(t1->aws_outside) &&
	    t1->aws_outside.s_addr == t2->aws_outside.s_addr)
		err(v, &t2->where, "tunnel 2: aws-outside %s is tunnel 1's too; AWS's two tunnels end on two endpoints",
		    cgw_addr4_str(t2->aws_outside, a));
}

/* What must be unique on the box: connection ids, interface names, inside
 * /30s, and the (local address, AWS endpoint) pairs IKE tells tunnels
 * apart by.  Each clash is reported once, at the later of the two. */
static void
check_unique(struct vctx *v)
{
	const struct cgw_conn_conf *a, *b;
	struct { const struct cgw_conn_conf *c; const struct cgw_tunnel_conf *t; } *all;
	size_t n = 0, cap = 0;
	char s[CGW_ADDRSTRLEN];

	for (a = v->conf->conns; a; a = a->next) {
		for (b = v->conf->conns; b != a; b = b->next)
			if (strcmp(a->id, b->id) == 0)
				err(v, &a->where, "connection %s is defined twice (first at %s:%d)",
				    a->id, b->where.file ? b->where.file : "?",
				    b->where.line);
		cap += CGW_TUNNELS;
	}
	all = xcalloc(cap, sizeof(*all));
	for (a = v->conf->conns; a; a = a->next)
		for (int i = 0; i < CGW_TUNNELS; i++)
			if (!tunnel_unconfigured(&a->tunnel[i])) {
				all[n].c = a;
				all[n++].t = &a->tunnel[i];
			}
	for (size_t j = 0; j < n; j++) {
		const struct cgw_tunnel_conf *t = all[j].t;

		for (size_t i = 0; i < j; i++) {
			const struct cgw_tunnel_conf *u = all[i].t;
			const char *other = all[i].c->id;

			if (strcmp(t->ifname, u->ifname) == 0)
				err(v, &t->where, "tunnel %u: interface %s is also used by %s tunnel %u",
				    t->index, t->ifname, other, u->index);
			if (t->inside.family && u->inside.family &&
			    cgw_prefix_overlap(&t->inside, &u->inside))
				err(v, &t->where, "tunnel %u: inside %s overlaps %s tunnel %u's",
				    t->index, cgw_prefix_str(&t->inside, s),
				    other, u->index);
			/* Within a connection check_conn() already said it. */
			if (all[i].c != all[j].c &&
			    cgw_addr4_is_set(t->aws_outside) &&
			    t->aws_outside.s_addr == u->aws_outside.s_addr &&
			    t->local_address.s_addr == u->local_address.s_addr)
				err(v, &t->where, "tunnel %u: aws-outside %s from the same local address is also %s tunnel %u",
				    t->index, cgw_addr4_str(t->aws_outside, s),
				    other, u->index);
		}
	}
	free(all);
}

static void
check_box(struct vctx *v)
{
	const struct cgw_box_conf *box = &v->conf->box;
	const struct cgw_conn_conf *c;
	size_t limit = 1000;
	char s[CGW_ADDRSTRLEN];
	struct in_addr a4;

	if (!box->present)
		return;
	if (box->local_asn == 0 || box->local_asn == 23456 ||
	    box->local_asn == 4294967295u)
		err(v, &box->where, "gateway: local-asn %u is not a usable AS number (1-4294967294, not 23456)",
		    box->local_asn);
	if (box->probe_interval_ms < 20 || box->probe_interval_ms > 10000)
		err(v, &box->where, "gateway: failover probe-interval %u ms is outside 20-10000",
		    box->probe_interval_ms);
	if (box->probe_misses < 1 || box->probe_misses > 100)
		err(v, &box->where, "gateway: failover probe-misses %u is outside 1-100",
		    box->probe_misses);
	if (box->ecmp < 1 || box->ecmp > CGW_MAX_ECMP)
		err(v, &box->where, "gateway: ecmp %u is outside 1-%d (1: one path per prefix, no ECMP)",
		    box->ecmp, CGW_MAX_ECMP);
	if (box->holddown_s > 3600)
		err(v, &box->where, "gateway: failover hold-down %u s is above 3600",
		    box->holddown_s);
	if (box->metrics_port > 65535)
		err(v, &box->where, "gateway: metrics port %u is not a TCP port (1-65535)",
		    box->metrics_port);
	if (box->metrics_listen && !box->metrics_port)
		err(v, &box->where, "gateway: metrics listen without a port: add \"port N\" (e.g. metrics listen %s port 9560)",
		    box->metrics_listen);
	if (box->metrics_listen && inet_pton(AF_INET, box->metrics_listen, &a4) != 1)
		err(v, &box->where, "gateway: metrics listen %s is not an IPv4 address (expected e.g. 192.0.2.1; 0.0.0.0 for every address)",
		    box->metrics_listen);
	if (!box->outside_interface)
		err(v, &box->where, "gateway: outside-interface missing (the interface facing the internet, e.g. eth0)");
	else if (strlen(box->outside_interface) >= 16 ||
	    strpbrk(box->outside_interface, "/ \t") || !box->outside_interface[0])
		err(v, &box->where, "gateway: outside-interface \"%s\" is no interface name (at most 15 characters, no '/' or spaces)",
		    box->outside_interface);
	for (c = v->conf->conns; c; c = c->next)
		if (c->gateway == CGW_GW_VGW)
			limit = 100;
	/* AWS tears the BGP session down above its prefix limit; during a
	 * failover cgw also announces two more-specifics per prefix. */
	if (box->n_advertise * 3 > limit)
		err(v, &box->where, "gateway: %zu advertised prefixes (and two failover more-specifics for each) exceed AWS's limit of %zu per BGP session: at most %zu prefixes",
		    box->n_advertise, limit, limit / 3);
	for (size_t i = 0; i < box->n_advertise; i++)
		for (c = v->conf->conns; c; c = c->next)
			for (size_t j = 0; j < c->n_static_routes; j++)
				if (cgw_prefix_overlap(&box->advertise[i], &c->static_routes[j]))
					err(v, &box->where, "gateway: advertise %s overlaps %s's static-route: on-prem and VPC prefixes must differ",
					    cgw_prefix_str(&box->advertise[i], s), c->id);
}

static bool
addr_in(const struct cgw_prefix *list, size_t n, struct in_addr a)
{
	struct cgw_prefix host = { .family = AF_INET, .addr.v4 = a, .len = 32 };

	for (size_t i = 0; i < n; i++)
		if (cgw_prefix_overlap(&list[i], &host))
			return true;
	return false;
}

static bool
link_local(struct in_addr a)
{
	return (cgw_addr4_host(a) >> 16) == 0xa9fe;	/* 169.254/16 */
}

/* The dns block: unbound's queries must leave from an address AWS routes
 * back over the tunnels (one of the advertised prefixes) to addresses on
 * the VPC's side of them. */
/* Where a statement of the dns block is: its own line when the parser
 * noted one, else the block's. */
static struct cgw_where
dns_at(const struct cgw_dns_conf *dns, const int *lines, size_t i)
{
	struct cgw_where w = dns->where;

	if (lines && lines[i])
		w.line = lines[i];
	return w;
}

static void
check_dns(struct vctx *v)
{
	const struct cgw_dns_conf *dns = &v->conf->dns;
	const struct cgw_box_conf *box = &v->conf->box;
	const struct cgw_conn_conf *c;
	bool all_static = v->conf->conns != NULL;
	char s[CGW_ADDRSTRLEN];
	struct cgw_where w;

	if (!dns->present)
		return;
	if (!box->present) {
		err(v, &dns->where, "dns: needs the gateway block (its advertised prefixes hold the source address)");
		return;
	}
	if (dns->n_endpoints == 0)
		err(v, &dns->where, "dns: no endpoint: add the IP addresses of the Route 53 Resolver inbound endpoint (endpoint 10.2.0.53, one line each)");
	else if (dns->n_endpoints > CGW_DNS_ENDPOINTS_MAX)
		err(v, (w = dns_at(dns, dns->endpoint_line, CGW_DNS_ENDPOINTS_MAX), &w),
		    "dns: %zu endpoints: an inbound endpoint has at most %d addresses",
		    dns->n_endpoints, CGW_DNS_ENDPOINTS_MAX);
	if (dns->n_zones == 0)
		err(v, &dns->where, "dns: no zone: add the zones to resolve in the VPC (zone corp.example, one line each)");
	else if (dns->n_zones > CGW_DNS_ZONES_MAX)
		err(v, &dns->where, "dns: %zu zones: at most %d (zone . forwards every name to the VPC)",
		    dns->n_zones, CGW_DNS_ZONES_MAX);
	if (!cgw_addr4_is_set(dns->source))
		err(v, &dns->where, "dns: source missing: the on-prem address unbound's queries leave from (one of the advertised prefixes, e.g. the box's LAN address)");
	else if (!addr_in(box->advertise, box->n_advertise, dns->source))
		err(v, (w = dns_at(dns, &dns->source_line, 0), &w), "dns: source %s is in none of the advertised prefixes: AWS has no route back to it over the tunnels (use an address of the box in an advertised prefix)",
		    cgw_addr4_str(dns->source, s));
	for (c = v->conf->conns; c; c = c->next)
		all_static &= c->routing == CGW_ROUTING_STATIC;
	for (size_t i = 0; i < dns->n_endpoints; i++) {
		struct in_addr e = dns->endpoints[i];
		bool routed = false;

		cgw_addr4_str(e, s);
		w = dns_at(dns, dns->endpoint_line, i);
		if (link_local(e) || addr_in(box->advertise, box->n_advertise, e)) {
			err(v, &w, "dns: endpoint %s is not in the VPC (it is %s): use the inbound endpoint's IP addresses",
			    s, link_local(e) ? "a tunnel inside address" : "in an advertised on-prem prefix");
			continue;
		}
		/* BGP learns the VPC's prefixes at run time; static
		 * connections say them here. */
		for (c = v->conf->conns; c; c = c->next)
			routed |= addr_in(c->static_routes, c->n_static_routes, e);
		if (all_static && !routed)
			err(v, &w, "dns: endpoint %s is in no connection's static-route: its queries would not go through the tunnels",
			    s);
	}
	for (size_t i = 0; i < dns->n_listen; i++)
		if ((cgw_addr4_host(dns->listen[i]) >> 24) == 127)
			err(v, (w = dns_at(dns, dns->listen_line, i), &w), "dns: listen %s: unbound always listens on 127.0.0.1 with a dns block; name the box's LAN address",
			    cgw_addr4_str(dns->listen[i], s));
		else if (link_local(dns->listen[i]))
			err(v, (w = dns_at(dns, dns->listen_line, i), &w), "dns: listen %s is a link-local address: listen on the box's LAN address",
			    cgw_addr4_str(dns->listen[i], s));
	for (size_t i = 0; i < dns->n_allow; i++)
		if (dns->allow[i].len == 0)
			err(v, (w = dns_at(dns, dns->allow_line, i), &w), "dns: allow %s lets anyone use the resolver: name the on-prem prefixes",
			    cgw_prefix_str(&dns->allow[i], s));
}

/* cgw runs one BGP instance in bgpd, so one local ASN for every BGP
 * connection: with two, bgpd would speak one of them to every AWS
 * session, and the other connection's would stay down (Bad Peer AS). */
static void
check_one_asn(struct vctx *v)
{
	const struct cgw_conn_conf *first = NULL;
	uint32_t asn = 0;

	for (const struct cgw_conn_conf *c = v->conf->conns; c; c = c->next) {
		uint32_t a = c->local_asn ? c->local_asn : v->conf->box.local_asn;

		if (c->routing != CGW_ROUTING_BGP || !a)
			continue;
		if (!first) {
			first = c;
			asn = a;
		} else if (a != asn) {
			err(v, &c->where, "connection %s: local ASN %u, but connection %s (%s:%d) has %u: cgw speaks one local ASN on all BGP sessions; give the customer gateways in AWS one ASN and set it once, as the gateway's local-asn",
			    c->id, a, first->id,
			    first->where.file ? first->where.file : "?",
			    first->where.line, asn);
		}
	}
}

void
cgw_conf_validate(struct cgw_conf *conf, struct cgw_diag *diag)
{
	struct vctx v = { .diag = diag, .conf = conf };

	check_box(&v);
	for (const struct cgw_conn_conf *c = conf->conns; c; c = c->next)
		check_conn(&v, c);
	check_unique(&v);
	check_one_asn(&v);
	check_dns(&v);
}
