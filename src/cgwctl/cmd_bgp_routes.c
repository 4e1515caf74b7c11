/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * DOC: cgwctl show bgp, show routes
 *
 * Text for the console, -t tab-separated (fixed columns, for scripts and
 * the lab), -j JSON (json-c, printed whole at the end).
 */
#include <arpa/inet.h>
#include <json-c/json.h>
#include <stdio.h>
#include <string.h>

#include "cgwctl/cgwctl.h"

struct listing {
	const struct cgwctl_opts *opts;
	json_object *array;
	int rows;
};

static const char *
addr(uint32_t a, char *buf)
{
	struct in_addr in = { .s_addr = a };

	return inet_ntop(AF_INET, &in, buf, INET_ADDRSTRLEN);
}

/* One read-only listing: usage check, the request, a row per record,
 * the JSON array or the empty-listing line at the end. */
static int
show_listing(const struct cgwctl_opts *opts, int argc, const char *what,
    uint32_t type, uint32_t rec_type, size_t rec_size,
    void (*row)(const void *, void *), const char *empty)
{
	struct listing l = { opts, NULL, 0 };
	int status;

	if (argc != 0) {
		fprintf(stderr, "usage: cgwctl %s\n", what);
		return 2;
	}
	if (opts->json)
		l.array = json_object_new_array();
	status = ctl_stream(opts, type, NULL, 0, rec_type, rec_size, row, &l,
	    what);
	if (status == 0 && !l.rows && !l.array && !opts->tsv)
		printf("%s\n", empty);
	if (status == 0 && l.array)
		json_print_put(l.array);
	else
		json_object_put(l.array);
	return status;
}

static void
bgp_row(const void *rec, void *arg)
{
	const struct cgw_msg_bgp_neighbor *b = rec;
	struct listing *l = arg;
	char a[INET_ADDRSTRLEN], up[16];

	if (b->uptime_s >= 3600)
		snprintf(up, sizeof(up), "%uh%02um", b->uptime_s / 3600,
		    b->uptime_s % 3600 / 60);
	else
		snprintf(up, sizeof(up), "%um%02us", b->uptime_s / 60,
		    b->uptime_s % 60);
	if (l->array) {
		json_object *o = json_object_new_object();

		json_object_object_add(o, "connection",
		    json_object_new_string(b->connection));
		json_object_object_add(o, "tunnel", json_object_new_int((int)b->index));
		json_object_object_add(o, "interface", json_object_new_string(b->ifname));
		json_object_object_add(o, "neighbor",
		    json_object_new_string(addr(b->neighbor, a)));
		json_object_object_add(o, "remoteAs", json_object_new_int64(b->remote_as));
		json_object_object_add(o, "localAs", json_object_new_int64(b->local_as));
		json_object_object_add(o, "state", json_object_new_string(b->state));
		json_object_object_add(o, "uptimeSeconds", json_object_new_int64(b->uptime_s));
		json_object_object_add(o, "routesReceived", json_object_new_int64(b->routes_received));
		json_object_object_add(o, "routesAdvertised", json_object_new_int64(b->routes_sent));
		json_object_object_add(o, "prefixLimit", json_object_new_int64(b->prefix_limit));
		json_object_object_add(o, "usable", json_object_new_boolean(b->usable));
		json_object_object_add(o, "pullingReturnPath", json_object_new_boolean(b->pulling));
		json_object_object_add(o, "lastError", json_object_new_string(b->last_error));
		json_object_array_add(l->array, o);
	} else if (l->opts->tsv) {
		/* connection tunnel interface neighbor remote-as state uptime-s
		 * received advertised limit last-error */
		printf("%s\t%u\t%s\t%s\t%u\t%s\t%u\t%u\t%u\t%u\t%s\n",
		    b->connection, b->index, b->ifname, addr(b->neighbor, a),
		    b->remote_as, b->state, b->uptime_s, b->routes_received,
		    b->routes_sent, b->prefix_limit,
		    b->last_error[0] ? b->last_error : "-");
	} else {
		if (l->rows++ == 0)
			printf("%-22s %-6s %-15s %-10s %-12s %-8s %-9s %-15s %s\n",
			    "CONNECTION", "TUNNEL", "NEIGHBOR", "AS", "STATE",
			    "UP", "RECEIVED", "ADVERTISED", "LAST ERROR");
		printf("%-22s %-6u %-15s %-10u %-12s %-8s %-9u %3u of %-8u %s\n",
		    b->connection, b->index, addr(b->neighbor, a), b->remote_as,
		    b->state, b->uptime_s ? up : "-", b->routes_received,
		    b->routes_sent, b->prefix_limit,
		    b->last_error[0] ? b->last_error : "-");
	}
}

int
cmd_show_bgp(const struct cgwctl_opts *opts, int argc, char **argv)
{
	(void)argv;
	return show_listing(opts, argc, "show bgp", CGW_MSG_SHOW_BGP,
	    CGW_MSG_BGP_NEIGHBOR, sizeof(struct cgw_msg_bgp_neighbor), bgp_row,
	    "no BGP connections (static routing, see cgwctl show routes)");
}

/* What bgpd's adj-rib-out says of an advertised line (TSV, JSON). */
static const char *
bgpd_word(uint32_t b)
{
	switch (b) {
	case CGW_BGPD_SENT: return "sent";
	case CGW_BGPD_NOT_SENT: return "not-sent";
	case CGW_BGPD_UNEXPECTED: return "unexpected";
	case CGW_BGPD_UNREAD: return "unread";
	default: return "-";
	}
}

/* ...and in the table, where it differs from the model. */
static const char *
bgpd_note(uint32_t b)
{
	switch (b) {
	case CGW_BGPD_NOT_SENT: return "  (configured, but bgpd does not send it)";
	case CGW_BGPD_UNEXPECTED: return "  (bgpd sends it, cgw did not configure it)";
	case CGW_BGPD_UNREAD: return "  (bgpd could not be asked: as configured)";
	default: return "";
	}
}

static void
route_row(const void *rec, void *arg)
{
	const struct cgw_msg_route *r = rec;
	struct listing *l = arg;
	char a[INET_ADDRSTRLEN], pfx[24];
	const char *dir = r->dir == CGW_ROUTE_TO_AWS ? "to-aws" : "advertised";

	snprintf(pfx, sizeof(pfx), "%s/%u", addr(r->prefix, a), r->plen);
	if (l->array) {
		json_object *o = json_object_new_object();

		json_object_object_add(o, "direction", json_object_new_string(dir));
		json_object_object_add(o, "prefix", json_object_new_string(pfx));
		json_object_object_add(o, "connection",
		    json_object_new_string(r->connection));
		json_object_object_add(o, "tunnel", json_object_new_int((int)r->index));
		json_object_object_add(o, "interface", json_object_new_string(r->ifname));
		json_object_object_add(o, "protocol", json_object_new_string(r->protocol));
		json_object_object_add(o, "metric", json_object_new_int64(r->metric));
		json_object_object_add(o, "ecmp", json_object_new_boolean(r->ecmp));
		if (r->dir == CGW_ROUTE_ADVERTISED)
			json_object_object_add(o, "bgpd",
			    json_object_new_string(bgpd_word(r->bgpd)));
		json_object_array_add(l->array, o);
	} else if (l->opts->tsv) {
		/* direction prefix connection tunnel interface protocol metric
		 * ecmp bgpd */
		printf("%s\t%s\t%s\t%u\t%s\t%s\t%u\t%s\t%s\n", dir, pfx,
		    r->connection, r->index, r->ifname, r->protocol, r->metric,
		    r->ecmp ? "ecmp" : "-", bgpd_word(r->bgpd));
	} else {
		if (l->rows++ == 0)
			printf("%-11s %-18s %-22s %-6s %-12s %-10s %s\n",
			    "DIRECTION", "PREFIX", "CONNECTION", "TUNNEL",
			    "INTERFACE", "PROTOCOL", "METRIC");
		printf("%-11s %-18s %-22s %-6u %-12s %-10s %u%s%s\n", dir, pfx,
		    r->connection, r->index, r->ifname, r->protocol, r->metric,
		    r->ecmp ? "  (ECMP)" : "", bgpd_note(r->bgpd));
	}
}

int
cmd_show_routes(const struct cgwctl_opts *opts, int argc, char **argv)
{
	(void)argv;
	return show_listing(opts, argc, "show routes", CGW_MSG_SHOW_ROUTES,
	    CGW_MSG_ROUTE, sizeof(struct cgw_msg_route), route_row,
	    "no route goes through a tunnel");
}
