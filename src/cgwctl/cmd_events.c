/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * DOC: cgwctl show metrics, show events
 *
 * show metrics prints what cgwd's /metrics serves (Prometheus's text
 * format), whether or not the HTTP side is on.  show events prints the
 * history, oldest first: text, -t (tab-separated) or -j.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <json-c/json.h>

#include "cgwctl/cgwctl.h"
#include "lib/since.h"

static void
print_text(const void *rec, void *arg)
{
	const struct cgw_msg_text *m = rec;

	(void)arg;
	fwrite(m->text, 1, m->len < sizeof(m->text) ? m->len : sizeof(m->text),
	    stdout);
}

int
cmd_show_metrics(const struct cgwctl_opts *opts, int argc, char **argv)
{
	(void)argv;
	if (argc != 0) {
		fprintf(stderr, "usage: cgwctl show metrics\n");
		return 2;
	}
	return ctl_stream(opts, CGW_MSG_SHOW_METRICS, NULL, 0, CGW_MSG_TEXT,
	    sizeof(struct cgw_msg_text), print_text, NULL, "show metrics");
}

struct events_out {
	const struct cgwctl_opts *opts;
	json_object *list;
};

static void
time_str(uint64_t ms, char *buf, size_t len, bool iso)
{
	time_t t = (time_t)(ms / 1000);
	struct tm tm;
	size_t n;

	localtime_r(&t, &tm);
	n = strftime(buf, len, iso ? "%Y-%m-%dT%H:%M:%S" : "%Y-%m-%d %H:%M:%S", &tm);
	snprintf(buf + n, len - n, ".%03u", (unsigned int)(ms % 1000));
	if (iso) {
		n = strlen(buf);
		strftime(buf + n, len - n, "%z", &tm);
	}
}

static void
print_event(const void *rec, void *arg)
{
	const struct cgw_msg_event_rec *e = rec;
	struct events_out *o = arg;
	char when[48];

	if (o->list) {
		json_object *j = json_object_new_object();

		time_str(e->at_ms, when, sizeof(when), true);
		json_object_object_add(j, "time", json_object_new_string(when));
		json_object_object_add(j, "timeMs", json_object_new_int64((int64_t)e->at_ms));
		json_object_object_add(j, "tunnel", json_object_new_string_len(e->tunnel,
		    (int)strnlen(e->tunnel, sizeof(e->tunnel))));
		json_object_object_add(j, "event", json_object_new_string_len(e->event,
		    (int)strnlen(e->event, sizeof(e->event))));
		json_object_object_add(j, "cause", json_object_new_string_len(e->cause,
		    (int)strnlen(e->cause, sizeof(e->cause))));
		json_object_array_add(o->list, j);
		return;
	}
	time_str(e->at_ms, when, sizeof(when), false);
	printf(o->opts->tsv ? "%s\t%.*s\t%.*s\t%.*s\n" : "%s  %-24.*s %-13.*s %.*s\n",
	    when, (int)sizeof(e->tunnel), e->tunnel, (int)sizeof(e->event),
	    e->event, (int)sizeof(e->cause), e->cause);
}

int
cmd_show_events(const struct cgwctl_opts *opts, int argc, char **argv)
{
	struct cgw_msg_events_req req = { 0 };
	struct events_out o = { .opts = opts };
	struct timespec now;
	int status;

	clock_gettime(CLOCK_REALTIME, &now);
	for (int i = 0; i < argc; i++) {
		if (strcmp(argv[i], "--since") == 0 && i + 1 < argc) {
			if (cgw_since_parse(argv[++i], (uint64_t)now.tv_sec * 1000,
			    &req.since_ms) < 0) {
				fprintf(stderr, "cgwctl: show events --since %s: expected how long "
				    "ago (90s, 10m, 2h, 1d), a local time (2026-12-04 03:00[:05]) "
				    "or @UNIXTIME\n", argv[i]);
				return 2;
			}
		} else if (strcmp(argv[i], "-n") == 0 && i + 1 < argc) {
			char *end;
			unsigned long n = strtoul(argv[++i], &end, 10);

			if (*end || !*argv[i] || argv[i][0] == '-' || n == 0 || n > 100000) {
				fprintf(stderr, "cgwctl: show events -n %s: expected a number "
				    "of events, 1-100000\n", argv[i]);
				return 2;
			}
			req.max = (uint32_t)n;
		} else {
			fprintf(stderr, "usage: cgwctl show events [--since WHEN] [-n COUNT]\n");
			return 2;
		}
	}
	if (opts->json)
		o.list = json_object_new_array();
	status = ctl_stream(opts, CGW_MSG_SHOW_EVENTS, &req, sizeof(req),
	    CGW_MSG_EVENT_REC, sizeof(struct cgw_msg_event_rec), print_event, &o,
	    "show events");
	if (o.list) {
		json_object *root = json_object_new_object();

		json_object_object_add(root, "events", o.list);
		if (status == 0)
			json_print_put(root);
		else
			json_object_put(root);
	}
	return status;
}
