/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * DOC: JSON output of cgwctl show (-j)
 *
 * camelCase keys, as FRR's JSON; written with json-c.  The object is
 * printed at the end, so an interrupted listing prints nothing partial.
 */
#include <arpa/inet.h>
#include <json-c/json.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "cgwctl/cgwctl.h"

static json_object *tunnels;

static void
add_str(json_object *o, const char *k, const char *v, size_t max)
{
	json_object_object_add(o, k, json_object_new_string_len(v,
	    (int)strnlen(v, max)));
}

static void
add_addr(json_object *o, const char *k, uint32_t a, const char *suffix)
{
	struct in_addr in = { .s_addr = a };
	char buf[INET_ADDRSTRLEN + 8];

	inet_ntop(AF_INET, &in, buf, INET_ADDRSTRLEN);
	strcat(buf, suffix);
	add_str(o, k, buf, sizeof(buf));
}

void
json_print_put(json_object *o)
{
	printf("%s\n", json_object_to_json_string_ext(o,
	    JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_NOSLASHESCAPE));
	json_object_put(o);
}

static void
json_head(FILE *out)
{
	(void)out;
	tunnels = json_object_new_array();
}

static void
json_tunnel(FILE *out, const struct cgw_msg_tunnel_status *t)
{
	const struct cgw_msg_sa *sa = &t->sa;
	json_object *o = json_object_new_object(), *ike, *child;
	char spi[16], tm[32];
	time_t lc = (time_t)t->last_change;
	struct tm g;

	(void)out;
	add_str(o, "connection", t->connection, CGW_NAME_MAX);
	json_object_object_add(o, "tunnel", json_object_new_int((int)t->index));
	add_str(o, "interface", t->ifname, sizeof(t->ifname));
	add_addr(o, "outsideIp", t->aws_outside, "");
	add_addr(o, "cgwOutsideIp", t->cgw_outside, "");
	add_addr(o, "insideCidr", t->inside_net, "/30");
	add_str(o, "status", t->up ? "UP" : "DOWN", 4);
	gmtime_r(&lc, &g);
	strftime(tm, sizeof(tm), "%Y-%m-%dT%H:%M:%SZ", &g);
	add_str(o, "lastStatusChange", tm, sizeof(tm));
	add_str(o, "details", t->details, CGW_TEXT_MAX);
	ike = json_object_new_object();
	add_str(ike, "state", sa->ike_state_name, sizeof(sa->ike_state_name));
	add_str(ike, "proposal", sa->ike_proposal, sizeof(sa->ike_proposal));
	json_object_object_add(ike, "establishedSeconds",
	    json_object_new_int64(sa->established_s));
	json_object_object_add(o, "ike", ike);
	child = json_object_new_object();
	add_str(child, "state", sa->child_state_name,
	    sizeof(sa->child_state_name));
	add_str(child, "proposal", sa->child_proposal,
	    sizeof(sa->child_proposal));
	snprintf(spi, sizeof(spi), "%08x", ntohl(sa->spi_in));
	add_str(child, "spiIn", spi, sizeof(spi));
	snprintf(spi, sizeof(spi), "%08x", ntohl(sa->spi_out));
	add_str(child, "spiOut", spi, sizeof(spi));
	json_object_object_add(child, "bytesIn", json_object_new_int64((int64_t)sa->bytes_in));
	json_object_object_add(child, "bytesOut", json_object_new_int64((int64_t)sa->bytes_out));
	json_object_object_add(child, "packetsIn", json_object_new_int64((int64_t)sa->packets_in));
	json_object_object_add(child, "packetsOut", json_object_new_int64((int64_t)sa->packets_out));
	json_object_object_add(child, "rekeyInSeconds", json_object_new_int64(sa->rekey_in_s));
	json_object_object_add(o, "child", child);
	json_object_object_add(o, "ipsecUp", json_object_new_boolean(t->ipsec_up));
	json_object_object_add(o, "usable", json_object_new_boolean(t->usable));
	json_object_object_add(o, "pullingReturnPath", json_object_new_boolean(t->pulling));
	add_str(o, "role", t->role[0] ? t->role : "equal", sizeof(t->role));
	json_object_object_add(o, "probeRttUs", json_object_new_int64(t->probe_rtt_us));
	json_object_object_add(o, "probeLossPercent", json_object_new_int64(t->probe_loss_pct));
	if (t->bgp) {
		json_object *bgp = json_object_new_object();

		add_str(bgp, "state", t->bgp_state, sizeof(t->bgp_state));
		json_object_object_add(bgp, "uptimeSeconds",
		    json_object_new_int64(t->bgp_uptime_s));
		json_object_object_add(bgp, "routesReceived",
		    json_object_new_int64(t->routes_received));
		json_object_object_add(bgp, "routesAdvertised",
		    json_object_new_int64(t->routes_sent));
		json_object_object_add(o, "bgp", bgp);
	}
	json_object_array_add(tunnels, o);
}

static void
json_tail(FILE *out)
{
	json_object *root = json_object_new_object();

	(void)out;
	json_object_object_add(root, "tunnels", tunnels);
	json_print_put(root);
	tunnels = NULL;
}

const struct output json_output = { json_head, json_tunnel, json_tail };
