/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * DOC: cgwctl show dns
 *
 * The resolver's side of the box: each inbound endpoint address (answers
 * or not, in unbound's forward list or taken out, the last round trip)
 * and whether unbound runs with cgw's zones.  Text or -j.  And the one
 * line show tunnels ends with.
 */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <json-c/json.h>

#include "cgwctl/cgwctl.h"

struct dns_out {
	json_object *list;
	json_object *unbound;
	size_t n;		/* endpoints printed */
	size_t records;
};

static const char *
ep_state(const struct cgw_msg_dns_status *st)
{
	if (!st->judged)
		return "probing";
	return st->up ? "answers" : "down";
}

static void
age(uint64_t since_ms, char *buf, size_t len)
{
	struct timespec now;
	uint64_t s, now_ms;

	clock_gettime(CLOCK_REALTIME, &now);
	now_ms = (uint64_t)now.tv_sec * 1000 + (uint64_t)now.tv_nsec / 1000000;
	s = since_ms && now_ms > since_ms ? (now_ms - since_ms) / 1000 : 0;
	if (!since_ms)
		snprintf(buf, len, "-");
	else if (s < 120)
		snprintf(buf, len, "%us", (unsigned)s);
	else if (s < 7200)
		snprintf(buf, len, "%um", (unsigned)(s / 60));
	else
		snprintf(buf, len, "%uh", (unsigned)(s / 3600));
}

static void
on_status(const void *rec, void *arg)
{
	const struct cgw_msg_dns_status *st = rec;
	struct dns_out *o = arg;
	char since[16], addr[sizeof(st->addr) + 1], detail[sizeof(st->detail) + 1];

	memcpy(addr, st->addr, sizeof(st->addr));
	addr[sizeof(st->addr)] = '\0';
	memcpy(detail, st->detail, sizeof(st->detail));
	detail[sizeof(st->detail)] = '\0';
	age(st->since_ms, since, sizeof(since));
	o->records++;
	if (o->list) {
		json_object *j = json_object_new_object();

		if (st->kind == CGW_DNS_UNBOUND) {
			json_object_object_add(j, "state", json_object_new_string(
			    !st->judged ? "unknown" : st->up ? "ok" : "error"));
			json_object_object_add(j, "details", json_object_new_string(detail));
			json_object_object_add(j, "sinceMs", json_object_new_int64((int64_t)st->since_ms));
			o->unbound = j;
			return;
		}
		json_object_object_add(j, "endpoint", json_object_new_string(addr));
		json_object_object_add(j, "state", json_object_new_string(ep_state(st)));
		json_object_object_add(j, "forwarded", json_object_new_boolean(st->forwarded));
		json_object_object_add(j, "rttMs", json_object_new_double(st->rtt_us / 1000.0));
		json_object_object_add(j, "probesSent", json_object_new_int64((int64_t)st->sent));
		json_object_object_add(j, "probesAnswered", json_object_new_int64((int64_t)st->answered));
		json_object_object_add(j, "sinceMs", json_object_new_int64((int64_t)st->since_ms));
		json_object_object_add(j, "details", json_object_new_string(detail));
		json_object_array_add(o->list, j);
		return;
	}
	if (st->kind == CGW_DNS_UNBOUND) {
		printf("unbound: %s%s%s\n", !st->judged ? "not heard from yet" :
		    st->up ? "running with cgw's zones" : "ERROR",
		    detail[0] ? ": " : "", detail);
		return;
	}
	if (o->n++ == 0)
		printf("%-16s %-8s %-10s %9s %6s  %s\n", "ENDPOINT", "STATE",
		    "FORWARDED", "RTT", "SINCE", "DETAILS");
	printf("%-16s %-8s %-10s %6u.%01ums %6s  %s\n", addr, ep_state(st),
	    st->forwarded ? "yes" : "no", st->rtt_us / 1000,
	    (st->rtt_us % 1000) / 100, since, detail);
}

struct dns_sum {
	size_t n, answering;
	bool unbound_seen, unbound_judged, unbound_ok;
	char down[160];		/* the addresses that do not answer */
};

static void
on_sum(const void *rec, void *arg)
{
	const struct cgw_msg_dns_status *st = rec;
	struct dns_sum *sum = arg;
	size_t l = strlen(sum->down);

	if (st->kind == CGW_DNS_UNBOUND) {
		sum->unbound_seen = true;
		sum->unbound_judged = st->judged;
		sum->unbound_ok = st->up;
		return;
	}
	sum->n++;
	if (st->judged && st->up)
		sum->answering++;
	else if (st->judged)
		snprintf(sum->down + l, sizeof(sum->down) - l, "%s%.*s",
		    l ? ", " : "", (int)sizeof(st->addr), st->addr);
}

void
dns_summary_line(const struct cgwctl_opts *opts)
{
	struct dns_sum sum = { 0 };

	if (ctl_stream(opts, CGW_MSG_SHOW_DNS, NULL, 0, CGW_MSG_DNS_STATUS,
	    sizeof(struct cgw_msg_dns_status), on_sum, &sum, "show dns") != 0 ||
	    !sum.unbound_seen)
		return;		/* no dns block (or said on stderr) */
	printf("\nDNS: %zu of %zu inbound endpoint addresses answer%s%s%s; unbound %s (cgwctl show dns)\n",
	    sum.answering, sum.n, sum.down[0] ? " (down: " : "", sum.down,
	    sum.down[0] ? ")" : "", !sum.unbound_judged ? "not heard from yet" :
	    sum.unbound_ok ? "ok" : "ERROR");
}

int
cmd_show_dns(const struct cgwctl_opts *opts, int argc, char **argv)
{
	struct dns_out o = { 0 };
	int r;

	(void)argv;
	if (argc != 0) {
		fprintf(stderr, "usage: cgwctl show dns\n");
		return 2;
	}
	if (opts->json)
		o.list = json_object_new_array();
	r = ctl_stream(opts, CGW_MSG_SHOW_DNS, NULL, 0, CGW_MSG_DNS_STATUS,
	    sizeof(struct cgw_msg_dns_status), on_status, &o, "show dns");
	if (opts->json) {
		json_object *top = json_object_new_object();

		json_object_object_add(top, "endpoints", o.list);
		json_object_object_add(top, "unbound", o.unbound ? o.unbound : NULL);
		json_print_put(top);
	} else if (r == 0 && o.records == 0)
		printf("no dns block in the configuration\n");
	return r;
}
