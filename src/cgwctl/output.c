/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * DOC: text and tab-separated output of cgwctl show
 *
 * The text columns are the AWS console's Tunnel details (tunnel, outside
 * IP, inside CIDR, status, last status change, details), with charon's
 * view of the SAs under each row.  Colour only on a terminal.  The
 * tab-separated form is for scripts: one line per tunnel, fixed columns.
 */
#include <arpa/inet.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cgwctl/cgwctl.h"

static const char *
addr(uint32_t a, char *buf)
{
	struct in_addr in = { .s_addr = a };

	return inet_ntop(AF_INET, &in, buf, INET_ADDRSTRLEN);
}

static const char *
when(uint64_t t, char *buf, size_t len)
{
	time_t tt = (time_t)t;
	struct tm tm;

	if (!t)
		return "-";
	localtime_r(&tt, &tm);
	strftime(buf, len, "%Y-%m-%d %H:%M:%S", &tm);
	return buf;
}

static const char *
duration(uint32_t s, char *buf, size_t len)
{
	if (s >= 3600)
		snprintf(buf, len, "%uh%02um", s / 3600, s % 3600 / 60);
	else if (s >= 60)
		snprintf(buf, len, "%um%02us", s / 60, s % 60);
	else
		snprintf(buf, len, "%us", s);
	return buf;
}

static void
text_head(FILE *out)
{
	fprintf(out, "%-22s %-6s %-15s %-18s %-6s %-19s %s\n", "CONNECTION",
	    "TUNNEL", "OUTSIDE IP", "INSIDE CIDR", "STATUS", "LAST CHANGE",
	    "DETAILS");
}

static void
text_tunnel(FILE *out, const struct cgw_msg_tunnel_status *t)
{
	const struct cgw_msg_sa *sa = &t->sa;
	int colour = isatty(fileno(out));
	char a[INET_ADDRSTRLEN], cidr[32], tm[32], d1[16], d2[16];

	snprintf(cidr, sizeof(cidr), "%s/30", addr(t->inside_net, a));
	fprintf(out, "%-22.*s %-6u %-15s %-18s %s%-6s%s %-19s %.*s\n",
	    CGW_NAME_MAX, t->connection, t->index, addr(t->aws_outside, a),
	    cidr, colour ? (t->up ? "\033[32m" : "\033[31m") : "",
	    t->up ? "UP" : "DOWN", colour ? "\033[0m" : "",
	    when(t->last_change, tm, sizeof(tm)), CGW_TEXT_MAX, t->details);
	if (sa->ike_state_name[0])
		fprintf(out, "    IKE   %-11.16s %s  %.96s\n", sa->ike_state_name,
		    duration(sa->established_s, d1, sizeof(d1)),
		    sa->ike_proposal);
	if (sa->child_state_name[0])
		fprintf(out, "    CHILD %-11.16s spi in %08x out %08x  in %" PRIu64
		    " B/%" PRIu64 " pkts  out %" PRIu64 " B/%" PRIu64
		    " pkts  rekey in %s  %.96s\n", sa->child_state_name,
		    ntohl(sa->spi_in), ntohl(sa->spi_out), sa->bytes_in,
		    sa->packets_in, sa->bytes_out, sa->packets_out,
		    duration(sa->rekey_in_s, d2, sizeof(d2)),
		    sa->child_proposal);
	if (t->bgp && t->bgp_state[0])
		fprintf(out, "    BGP   %-11.16s %s  %u routes received, %u advertised\n",
		    t->bgp_state, duration(t->bgp_uptime_s, d1, sizeof(d1)),
		    t->routes_received, t->routes_sent);
	fprintf(out, "    PATH  %-11s probe rtt %.1f ms, %u%% lost%s%s%s\n",
	    t->usable ? "usable" : "unusable", t->probe_rtt_us / 1000.0,
	    t->probe_loss_pct, t->role[0] ? "  role " : "", t->role[0] ?
	    t->role : "", t->pulling ? "  (carrying both directions)" : "");
}

static void
nothing(FILE *out)
{
	(void)out;
}

const struct output text_output = { text_head, text_tunnel, nothing };

static void
tsv_tunnel(FILE *out, const struct cgw_msg_tunnel_status *t)
{
	const struct cgw_msg_sa *sa = &t->sa;
	char a[INET_ADDRSTRLEN], b[INET_ADDRSTRLEN];

	/* Columns: connection tunnel interface outside-ip inside-cidr status
	 * last-change ike-state child-state bytes-in bytes-out packets-in
	 * packets-out bgp-state usable details role ("-" for empty). */
	fprintf(out, "%.*s\t%u\t%s\t%s\t%s/30\t%s\t%" PRIu64 "\t%.16s\t%.16s\t%"
	    PRIu64 "\t%" PRIu64 "\t%" PRIu64 "\t%" PRIu64 "\t%.16s\t%s\t%.*s\t%.12s\n",
	    CGW_NAME_MAX, t->connection, t->index, t->ifname,
	    addr(t->aws_outside, a), addr(t->inside_net, b),
	    t->up ? "UP" : "DOWN", t->last_change,
	    sa->ike_state_name[0] ? sa->ike_state_name : "-",
	    sa->child_state_name[0] ? sa->child_state_name : "-",
	    sa->bytes_in, sa->bytes_out, sa->packets_in, sa->packets_out,
	    t->bgp && t->bgp_state[0] ? t->bgp_state : "-",
	    t->usable ? "usable" : "unusable", CGW_TEXT_MAX, t->details,
	    t->role[0] ? t->role : "-");
}

const struct output tsv_output = { nothing, tsv_tunnel, nothing };
