/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * DOC: cgwctl, the console tool
 *
 * Each subcommand is a function taking the words after its keyword.
 * Returns the process exit status (0 ok, 1 failure, 2 usage).
 */
#ifndef CGWCTL_H
#define CGWCTL_H

#include <stdint.h>
#include <stdio.h>

#include "lib/cgw_msg.h"

struct cgwctl_opts {
	int json;		/* -j */
	int verbose;		/* -v */
	int tsv;		/* -t: tab-separated, stable, for scripts */
	const char *run_dir;	/* -r: where cgwd's sockets are */
};

/* cgwctl import [-o DIR] [-n] FILE... */
int cmd_import(const struct cgwctl_opts *opts, int argc, char **argv);
/* cgwctl show tunnels */
int cmd_show_tunnels(const struct cgwctl_opts *opts, int argc, char **argv);
/* cgwctl reset TUNNEL, cgwctl rekey TUNNEL */
int cmd_reset(const struct cgwctl_opts *opts, int argc, char **argv);
int cmd_rekey(const struct cgwctl_opts *opts, int argc, char **argv);
/* cgwctl show bgp, show routes */
int cmd_show_bgp(const struct cgwctl_opts *opts, int argc, char **argv);
int cmd_show_routes(const struct cgwctl_opts *opts, int argc, char **argv);
/* cgwctl diagnose [TUNNEL] */
int cmd_diagnose(const struct cgwctl_opts *opts, int argc, char **argv);
/* cgwctl show metrics, show events [--since WHEN] [-n COUNT] */
int cmd_show_metrics(const struct cgwctl_opts *opts, int argc, char **argv);
int cmd_show_events(const struct cgwctl_opts *opts, int argc, char **argv);
/* show tunnels' last line: resolver health (nothing without a dns block) */
void dns_summary_line(const struct cgwctl_opts *opts);
/* cgwctl show dns */
int cmd_show_dns(const struct cgwctl_opts *opts, int argc, char **argv);
/* cgwctl reload */
int cmd_reload(const struct cgwctl_opts *opts, int argc, char **argv);
int cmd_confirm(const struct cgwctl_opts *opts, int argc, char **argv);

/* ctl.c: talking to cgwd */
int ctl_connect(const struct cgwctl_opts *opts, int readonly);
/* Sends a request; then ctl_recv() returns 1 per message until END or
 * RESULT (inclusive), 0 at the end, -errno on failure. */
int ctl_request(int fd, uint32_t type, const void *payload, size_t len);
int ctl_recv(int fd, struct cgw_msg_hdr *h, void *payload);
/* A read-only request answered by records of rec_type and END: cb per
 * record.  Returns the exit status; errors are printed. */
int ctl_stream(const struct cgwctl_opts *opts, uint32_t type,
    const void *payload, size_t len, uint32_t rec_type, size_t rec_size,
    void (*cb)(const void *rec, void *arg), void *arg, const char *what);

/* output.c: one vtable per format (bgpctl's struct output) */
struct output {
	void (*head)(FILE *out);
	void (*tunnel)(FILE *out, const struct cgw_msg_tunnel_status *t);
	void (*tail)(FILE *out);
};
extern const struct output text_output, json_output, tsv_output;
/* Prints o (pretty, one document) and releases it. */
struct json_object;
void json_print_put(struct json_object *o);

#endif
