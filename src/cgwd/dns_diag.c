/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * DOC: diagnose dns NAME (see dns_diag.h)
 */
#include "cgwd/dns_diag.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

bool
dns_in_zone(const char *name, const char *zone)
{
	size_t n = strlen(name), z = strlen(zone);

	if (strcmp(zone, ".") == 0)
		return true;
	if (n && name[n - 1] == '.')
		n--;
	if (n < z || strncasecmp(name + n - z, zone, z) != 0)
		return false;
	return n == z || name[n - z - 1] == '.';
}

static struct dns_finding *
add(struct dns_finding *out, size_t *n, const char *where, const char *cause,
    enum dns_severity sev, const char *fmt, ...)
    __attribute__((format(printf, 6, 7)));

static struct dns_finding *
add(struct dns_finding *out, size_t *n, const char *where, const char *cause,
    enum dns_severity sev, const char *fmt, ...)
{
	struct dns_finding *f;
	va_list ap;

	if (*n >= DNS_FINDINGS_MAX)
		return NULL;
	f = &out[(*n)++];
	snprintf(f->where, sizeof(f->where), "%s", where);
	snprintf(f->cause, sizeof(f->cause), "%s", cause);
	f->severity = sev;
	va_start(ap, fmt);
	vsnprintf(f->text, sizeof(f->text), fmt, ap);
	va_end(ap);
	return f;
}

static bool
advertised(const struct cgw_conf *conf, const char *addr)
{
	struct cgw_prefix host = { .family = AF_INET, .len = 32 };

	if (inet_pton(AF_INET, addr, &host.addr.v4) != 1)
		return false;
	for (size_t i = 0; i < conf->box.n_advertise; i++)
		if (cgw_prefix_overlap(&conf->box.advertise[i], &host))
			return true;
	return false;
}

/* What one endpoint address did with NAME. */
static void
endpoint(const struct dns_diag_facts *f, size_t i, struct dns_finding *out,
    size_t *n)
{
	const struct dns_asked *q = &f->ep[i].asked;
	char e[CGW_ADDRSTRLEN], src[CGW_ADDRSTRLEN];

	cgw_addr4_str(f->conf->dns.endpoints[i], e);
	cgw_addr4_str(f->conf->dns.source, src);
	if (f->ep[i].route == DNS_ROUTE_NONE) {
		add(out, n, e, "dns-no-route", DNS_FAULT,
		    "no route to %s: the VPC prefix that holds the endpoint is not learned from AWS over BGP (or in no static-route): check the VPC's route propagation, or the address",
		    e);
		return;
	}
	if (f->ep[i].route == DNS_ROUTE_OUTSIDE) {
		add(out, n, e, "dns-no-route", DNS_FAULT,
		    "no route to %s over the tunnels: the kernel would send it out %s, to the internet in clear (cgw does not); the VPC prefix that holds the endpoint is not learned from AWS over BGP (or in no static-route)",
		    e, f->ep[i].ifname);
		return;
	}
	if (f->ep[i].route == DNS_ROUTE_OTHER)
		add(out, n, e, "dns-not-via-tunnels", DNS_WARNING,
		    "%s is routed through %s, not through cgw's tunnels: right if that is Direct Connect or another router of yours",
		    e, f->ep[i].ifname);
	if (q->err == -EADDRNOTAVAIL || q->err == -EINVAL) {
		add(out, n, e, "dns-source-missing", DNS_FAULT,
		    "cannot ask %s from %s: %s: the source address must be an address of this box (on its LAN interface)",
		    e, src, strerror(-q->err));
		return;
	}
	if (q->err) {
		add(out, n, e, "dns-endpoint-silent", DNS_FAULT,
		    "cannot send to %s from %s through %s: %s (the kernel's word)",
		    e, src, f->ep[i].ifname, strerror(-q->err));
		return;
	}
	if (!q->answered) {
		add(out, n, e, "dns-endpoint-silent", DNS_FAULT,
		    "%s did not answer from %s through %s%s%s%s: check that the endpoint's security group allows UDP and TCP 53 from the on-prem prefixes and that the address is the inbound endpoint's",
		    e, src, f->ep[i].ifname, q->icmp_err ? " (" : "",
		    q->icmp_err ? strerror(-q->icmp_err) : "", q->icmp_err ? ")" : "");
		return;
	}
	if (q->reply.rcode == 3)
		add(out, n, e, "dns-nxdomain", DNS_FAULT,
		    "%s answers NXDOMAIN for %s: the private hosted zone is not associated with the endpoint's VPC (or no Resolver rule forwards it), or the name does not exist",
		    e, f->name);
	else if (q->reply.rcode != 0)
		add(out, n, e, "dns-endpoint-error", DNS_FAULT,
		    "%s answers %s for %s: the Route 53 Resolver cannot resolve it",
		    e, q->reply.rcode_name, f->name);
	else if (q->reply.answers == 0)
		add(out, n, e, "dns-no-data", DNS_WARNING,
		    "%s knows %s but has no A record for it", e, f->name);
	else
		add(out, n, e, "dns-answer", DNS_OK,
		    "%s answers %s: %s (%u.%u ms through %s)", e, f->name,
		    q->reply.first, q->rtt_us / 1000, (q->rtt_us % 1000) / 100,
		    f->ep[i].ifname);
}

size_t
dns_diagnose(const struct dns_diag_facts *f, struct dns_finding *out)
{
	const struct cgw_dns_conf *dns = &f->conf->dns;
	bool in_zone = false, bad_source = false;
	size_t n = 0;

	for (size_t z = 0; z < dns->n_zones; z++)
		in_zone |= dns_in_zone(f->name, dns->zones[z]);
	if (!in_zone)
		add(out, &n, "-", "dns-not-forwarded", DNS_WARNING,
		    "%s is in none of the dns block's zones: unbound resolves it itself, not in the VPC; add its zone if it is the VPC's",
		    f->name);
	for (size_t i = 0; i < dns->n_endpoints && i < CGW_DNS_ENDPOINTS_MAX; i++)
		endpoint(f, i, out, &n);
	/* unbound's queries: from the source, or from somewhere AWS does not
	 * answer (with no outgoing-interface, the kernel picks the tunnel's
	 * inside address for a route through it) */
	if (f->outgoing_known && f->n_outgoing == 0) {
		bad_source = true;
		add(out, &n, "unbound", "dns-source", DNS_FAULT,
		    "unbound has no outgoing-interface: its queries leave from the address the kernel picks (a tunnel's inside address, or the outside one), which AWS does not answer: does unbound read unbound.conf.d/cgw.conf?");
	}
	for (size_t i = 0; f->outgoing_known && i < f->n_outgoing; i++)
		if (!advertised(f->conf, f->outgoing[i])) {
			bad_source = true;
			add(out, &n, "unbound", "dns-source", DNS_FAULT,
			    "unbound also sends queries from %s (outgoing-interface in its configuration besides cgw's): AWS cannot answer there, it is in no advertised prefix; remove it",
			    f->outgoing[i]);
		}
	if (!f->outgoing_known)
		add(out, &n, "unbound", "dns-unbound-unknown", DNS_WARNING,
		    "unbound did not say its outgoing-interface (see show dns): the address its queries leave from is not checked");
	if (f->unbound.err)
		add(out, &n, "unbound", "dns-unbound", DNS_FAULT,
		    "cannot ask unbound on 127.0.0.1: %s", strerror(-f->unbound.err));
	else if (!f->unbound.answered)
		add(out, &n, "unbound", "dns-unbound", DNS_FAULT,
		    "unbound on 127.0.0.1 did not answer %s in time%s", f->name,
		    bad_source ? " (see dns-source)" : ": is it running? (show dns)");
	else if (f->unbound.reply.rcode == 0 && f->unbound.reply.answers)
		add(out, &n, "unbound", "dns-unbound", DNS_OK,
		    "unbound answers %s: %s", f->name, f->unbound.reply.first);
	else
		add(out, &n, "unbound", "dns-unbound",
		    f->unbound.reply.rcode ? DNS_FAULT : DNS_WARNING,
		    "unbound answers %s for %s%s", f->unbound.reply.rcode_name,
		    f->name, bad_source ? " (see dns-source)" : "");
	return n;
}
