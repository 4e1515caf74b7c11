/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * DOC: canonical configuration printer
 *
 * Prints the model in cgw.conf syntax with every setting explicit, so an
 * operator sees the lifetimes and proposals that will really be used, and
 * so that parse(print(conf)) gives the same model (the golden tests check
 * this round trip).  cgwd -nv prints this, the PSKs as a comment unless
 * asked for them (--show-secrets); cgwctl import writes it, keys and all.
 */
#include "conf/conf.h"

static void
print_addr(FILE *out, const char *indent, const char *kw, struct in_addr a)
{
	char buf[CGW_ADDRSTRLEN];

	if (cgw_addr4_is_set(a))
		fprintf(out, "%s%s %s\n", indent, kw, cgw_addr4_str(a, buf));
}

static void
print_group(FILE *out, unsigned int g)
{
	if (g)
		fprintf(out, "%u", g);
	else
		fputs("none", out);
}

static void
tunnel_print(FILE *out, const struct cgw_conn_conf *c,
    const struct cgw_tunnel_conf *t, bool all, bool secrets)
{
	const char *in = "\t\t";
	char buf[CGW_ADDRSTRLEN];

	fprintf(out, "\ttunnel %u {\n", t->index);
	fprintf(out, "%sinterface %s\n", in, t->ifname);
	print_addr(out, in, "aws-outside", t->aws_outside);
	print_addr(out, in, "cgw-outside", t->cgw_outside);
	print_addr(out, in, "local-address", t->local_address);
	if (t->local_id)
		fprintf(out, "%slocal-id \"%s\"\n", in, t->local_id);
	if (t->inside.family)
		fprintf(out, "%sinside %s\n", in, cgw_prefix_str(&t->inside, buf));
	print_addr(out, in, "inside-local", t->inside_local);
	print_addr(out, in, "inside-remote", t->inside_remote);
	if (t->psk && secrets)
		fprintf(out, "%spsk \"%s\"\n", in, t->psk);
	else if (t->psk)	/* a comment: pasted back, it is no key */
		fprintf(out, "%s# psk hidden (--show-secrets prints it)\n", in);
	fprintf(out, "%sike-version %u\n", in, t->ike_version);
	fprintf(out, "%sphase1 encryption %s integrity %s dh-group ", in,
	    cgw_encr_name(t->phase1.encr), cgw_integ_name(t->phase1.integ));
	print_group(out, t->phase1.dh_group);
	fprintf(out, " lifetime %u\n", t->phase1.lifetime);
	fprintf(out, "%sphase2 encryption %s integrity %s pfs-group ", in,
	    cgw_encr_name(t->phase2.encr), cgw_integ_name(t->phase2.integ));
	print_group(out, t->phase2.dh_group);
	fprintf(out, " lifetime %u\n", t->phase2.lifetime);
	fprintf(out, "%srekey margin %u fuzz %u\n", in, t->rekey_margin,
	    t->rekey_fuzz);
	fprintf(out, "%sreplay-window %u\n", in, t->replay_window);
	fprintf(out, "%sdpd delay %u timeout %u action %s\n", in, t->dpd_delay,
	    t->dpd_timeout, cgw_dpd_action_name(t->dpd_action));
	fprintf(out, "%sstartup %s\n", in, cgw_startup_name(t->startup));
	if (c->routing == CGW_ROUTING_BGP)
		fprintf(out, "%sbgp remote-asn %u keepalive %u hold %u\n", in,
		    t->aws_asn, t->bgp_keepalive, t->bgp_hold);
	fprintf(out, "%smtu %u\n", in, t->mtu);
	fprintf(out, "%smss %u\n", in, t->mss);
	/* Added later: see cgw_tunnel_print. */
	if (all || t->force_encap)
		fprintf(out, "%sencapsulation %s\n", in,
		    t->force_encap ? "udp" : "auto");
	fputs("\t}\n", out);
}

void
cgw_tunnel_print(FILE *out, const struct cgw_conn_conf *c,
    const struct cgw_tunnel_conf *t)
{
	tunnel_print(out, c, t, false, true);
}

static void
conn_print(FILE *out, const struct cgw_conn_conf *c, bool secrets)
{
	char buf[CGW_ADDRSTRLEN];

	fprintf(out, "connection \"%s\" {\n", c->id);
	fprintf(out, "\trouting %s\n", cgw_routing_name(c->routing));
	fprintf(out, "\tgateway-type %s\n", cgw_gateway_name(c->gateway));
	if (c->local_asn)
		fprintf(out, "\tlocal-asn %u\n", c->local_asn);
	if (c->routing == CGW_ROUTING_BGP && c->policy == CGW_POLICY_ACTIVE_STANDBY)
		fprintf(out, "\tpolicy active-standby preferred-tunnel %u\n",
		    c->preferred_tunnel);
	else if (c->routing == CGW_ROUTING_BGP)
		fprintf(out, "\tpolicy %s\n", cgw_policy_name(c->policy));
	for (size_t i = 0; i < c->n_static_routes; i++)
		fprintf(out, "\tstatic-route %s\n",
		    cgw_prefix_str(&c->static_routes[i], buf));
	for (int i = 0; i < CGW_TUNNELS; i++)
		tunnel_print(out, c, &c->tunnel[i], true, secrets);
	fputs("}\n", out);
}

void
cgw_conn_print(FILE *out, const struct cgw_conn_conf *c)
{
	conn_print(out, c, true);
}

void
cgw_conf_print(FILE *out, const struct cgw_conf *conf, bool secrets)
{
	const struct cgw_box_conf *box = &conf->box;
	char buf[CGW_ADDRSTRLEN];
	const char *sep = "";

	if (box->present) {
		fputs("gateway {\n", out);
		if (box->outside_interface)
			fprintf(out, "\toutside-interface %s\n",
			    box->outside_interface);
		print_addr(out, "\t", "local-address", box->local_address);
		if (box->local_asn)
			fprintf(out, "\tlocal-asn %u\n", box->local_asn);
		print_addr(out, "\t", "router-id", box->router_id);
		fprintf(out, "\tfailover probe-interval %u probe-misses %u hold-down %u\n",
		    box->probe_interval_ms, box->probe_misses, box->holddown_s);
		fprintf(out, "\tecmp %u\n", box->ecmp);
		fprintf(out, "\toutside-filter %s\n", box->outside_filter ? "on" : "off");
		if (box->metrics_listen)
			fprintf(out, "\tmetrics listen %s port %u\n",
			    box->metrics_listen, box->metrics_port);
		else if (box->metrics_port)
			fprintf(out, "\tmetrics port %u\n", box->metrics_port);
		for (size_t i = 0; i < box->n_advertise; i++)
			fprintf(out, "\tadvertise %s\n",
			    cgw_prefix_str(&box->advertise[i], buf));
		fputs("}\n", out);
		sep = "\n";
	}
	if (conf->dns.present) {
		const struct cgw_dns_conf *dns = &conf->dns;

		fputs(sep, out);
		fputs("dns {\n", out);
		for (size_t i = 0; i < dns->n_listen; i++)
			print_addr(out, "\t", "listen", dns->listen[i]);
		print_addr(out, "\t", "source", dns->source);
		for (size_t i = 0; i < dns->n_endpoints; i++)
			print_addr(out, "\t", "endpoint", dns->endpoints[i]);
		for (size_t i = 0; i < dns->n_zones; i++)
			fprintf(out, "\tzone %s\n", dns->zones[i]);
		for (size_t i = 0; i < dns->n_allow; i++)
			fprintf(out, "\tallow %s\n",
			    cgw_prefix_str(&dns->allow[i], buf));
		fputs("}\n", out);
		sep = "\n";
	}
	/* Included files are expanded: the canonical form is one file. */
	for (const struct cgw_conn_conf *c = conf->conns; c; c = c->next) {
		fputs(sep, out);
		conn_print(out, c, secrets);
		sep = "\n";
	}
}
