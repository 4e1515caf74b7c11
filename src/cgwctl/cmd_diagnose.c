/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * DOC: cgwctl diagnose [TUNNEL]
 *
 * One line per finding: tunnel, cause key, the sentence with the fix.
 * Exit status 0 when every tunnel is ok (warnings included), 1 when any
 * has a fault, so scripts and monitoring can use it.
 */
#include <json-c/json.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cgwctl/cgwctl.h"

struct diag_listing {
	const struct cgwctl_opts *opts;
	json_object *array;
	int faults;
};

static void
finding(const void *rec, void *arg)
{
	const struct cgw_msg_diagnosis *m = rec;
	struct diag_listing *l = arg;
	static const char *const sev[] = { "ok", "warning", "fault" };
	const char *s = m->severity < 3 ? sev[m->severity] : "?";
	int colour = !l->opts->tsv && !l->array && isatty(STDOUT_FILENO);

	if (m->severity >= 2)
		l->faults++;
	if (l->array) {
		json_object *o = json_object_new_object();

		json_object_object_add(o, "connection",
		    json_object_new_string(m->connection));
		json_object_object_add(o, "tunnel", json_object_new_int((int)m->index));
		json_object_object_add(o, "interface", json_object_new_string(m->ifname));
		json_object_object_add(o, "cause", json_object_new_string(m->cause));
		json_object_object_add(o, "severity", json_object_new_string(s));
		json_object_object_add(o, "text", json_object_new_string(m->text));
		json_object_array_add(l->array, o);
	} else if (l->opts->tsv) {
		printf("%s\t%u\t%s\t%s\t%s\t%s\n", m->connection, m->index,
		    m->ifname, m->cause, s, m->text);
	} else {
		printf("%s-%u %s%-24s%s %s\n", m->connection, m->index,
		    colour ? (m->severity >= 2 ? "\033[31m" : m->severity ?
		    "\033[33m" : "\033[32m") : "", m->cause,
		    colour ? "\033[0m" : "", m->text);
	}
}

/* diagnose dns NAME: where resolving NAME stops, endpoint by endpoint */
static void
dns_finding(const void *rec, void *arg)
{
	const struct cgw_msg_diagnosis *m = rec;
	struct diag_listing *l = arg;
	static const char *const sev[] = { "ok", "warning", "fault" };
	const char *s = m->severity < 3 ? sev[m->severity] : "?";
	int colour = !l->opts->tsv && !l->array && isatty(STDOUT_FILENO);

	if (m->severity >= 2)
		l->faults++;
	if (l->array) {
		json_object *o = json_object_new_object();

		json_object_object_add(o, "where", json_object_new_string(m->ifname));
		json_object_object_add(o, "cause", json_object_new_string(m->cause));
		json_object_object_add(o, "severity", json_object_new_string(s));
		json_object_object_add(o, "text", json_object_new_string(m->text));
		json_object_array_add(l->array, o);
	} else if (l->opts->tsv)
		printf("%s\t%s\t%s\t%s\n", m->ifname, m->cause, s, m->text);
	else
		printf("%-15s %s%-20s%s %s\n", m->ifname,
		    colour ? (m->severity >= 2 ? "\033[31m" : m->severity ?
		    "\033[33m" : "\033[32m") : "", m->cause,
		    colour ? "\033[0m" : "", m->text);
}

static int
diagnose_dns(const struct cgwctl_opts *opts, int argc, char **argv)
{
	struct diag_listing l = { opts, NULL, 0 };
	struct cgw_msg_dns_name n;
	int status;

	if (argc != 1 || strlen(argv[0]) >= sizeof(n.name)) {
		fprintf(stderr, "usage: cgwctl diagnose dns NAME\n");
		return 2;
	}
	memset(&n, 0, sizeof(n));
	snprintf(n.name, sizeof(n.name), "%s", argv[0]);
	if (opts->json)
		l.array = json_object_new_array();
	status = ctl_stream(opts, CGW_MSG_DIAGNOSE_DNS, &n, sizeof(n),
	    CGW_MSG_DIAGNOSIS, sizeof(struct cgw_msg_diagnosis), dns_finding,
	    &l, "diagnose dns");
	if (status == 0 && l.array)
		json_print_put(l.array);
	else
		json_object_put(l.array);
	return status ? status : l.faults ? 1 : 0;
}

int
cmd_diagnose(const struct cgwctl_opts *opts, int argc, char **argv)
{
	struct diag_listing l = { opts, NULL, 0 };
	struct cgw_msg_name n;
	int status;

	if (argc >= 1 && strcmp(argv[0], "dns") == 0)
		return diagnose_dns(opts, argc - 1, argv + 1);
	if (argc > 1) {
		fprintf(stderr, "usage: cgwctl diagnose [TUNNEL]\n       cgwctl diagnose dns NAME\n");
		return 2;
	}
	memset(&n, 0, sizeof(n));
	if (argc == 1)
		snprintf(n.name, sizeof(n.name), "%s", argv[0]);
	if (opts->json)
		l.array = json_object_new_array();
	status = ctl_stream(opts, CGW_MSG_DIAGNOSE, &n, sizeof(n),
	    CGW_MSG_DIAGNOSIS, sizeof(struct cgw_msg_diagnosis), finding, &l,
	    "diagnose");
	if (status == 0 && l.array)
		json_print_put(l.array);
	else
		json_object_put(l.array);
	return status ? status : l.faults ? 1 : 0;
}
