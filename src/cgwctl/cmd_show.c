/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * DOC: cgwctl show tunnels, reset, rekey
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cgwctl/cgwctl.h"

int
cmd_show_tunnels(const struct cgwctl_opts *opts, int argc, char **argv)
{
	const struct output *o = opts->json ? &json_output :
	    opts->tsv ? &tsv_output : &text_output;
	static uint8_t payload[CGW_MSG_MAX];
	struct cgw_msg_hdr h;
	int fd, r, status = 1;

	(void)argv;
	if (argc != 0) {
		fprintf(stderr, "usage: cgwctl show tunnels\n");
		return 2;
	}
	if ((fd = ctl_connect(opts, 1)) < 0)
		return 1;
	if ((r = ctl_request(fd, CGW_MSG_SHOW_TUNNELS, NULL, 0)) < 0)
		goto out;
	o->head(stdout);
	while ((r = ctl_recv(fd, &h, payload)) > 0) {
		if (h.type == CGW_MSG_END) {
			status = 0;
			break;
		}
		if (h.type == CGW_MSG_TUNNEL_STATUS &&
		    h.len == sizeof(struct cgw_msg_tunnel_status))
			o->tunnel(stdout, (const void *)payload);
	}
	o->tail(stdout);
	/* the resolver's health under the tunnels, for the console; -j and
	 * -t stay one list of tunnels (show dns has the rest) */
	if (status == 0 && o == &text_output)
		dns_summary_line(opts);
out:
	if (r < 0)
		fprintf(stderr, "cgwctl: show tunnels: %s\n", strerror(-r));
	close(fd);
	return status;
}

/* Sends one action and prints its result; returns the exit status. */
static int
action(const struct cgwctl_opts *opts, uint32_t type, const void *payload,
    size_t len, const char *verb)
{
	static uint8_t reply[CGW_MSG_MAX];
	struct cgw_msg_hdr h;
	int fd, r, status = 1;

	if ((fd = ctl_connect(opts, 0)) < 0)
		return 1;
	if ((r = ctl_request(fd, type, payload, len)) == 0 &&
	    (r = ctl_recv(fd, &h, reply)) > 0 && h.type == CGW_MSG_RESULT &&
	    h.len == sizeof(struct cgw_msg_result)) {
		const struct cgw_msg_result *res = (const void *)reply;

		if (res->code == CGW_RES_OK) {
			printf("%.*s\n", CGW_TEXT_MAX, res->text);
			status = 0;
		} else if (res->code == CGW_RES_UNKNOWN_TUNNEL)
			fprintf(stderr, "cgwctl: no tunnel \"%.*s\" (try cgwctl show tunnels)\n",
			    CGW_TEXT_MAX, res->text);
		else
			fprintf(stderr, "cgwctl: %s: %.*s\n", verb,
			    CGW_TEXT_MAX, res->text);
	} else if (r < 0)
		fprintf(stderr, "cgwctl: %s: %s\n", verb, strerror(-r));
	close(fd);
	return status;
}

static int
tunnel_action(const struct cgwctl_opts *opts, uint32_t type, const char *verb,
    int argc, char **argv)
{
	struct cgw_msg_name n;

	if (argc != 1) {
		fprintf(stderr, "usage: cgwctl %s TUNNEL (1, 2, a name like vpn-...-1, or its interface)\n",
		    verb);
		return 2;
	}
	memset(&n, 0, sizeof(n));
	snprintf(n.name, sizeof(n.name), "%s", argv[0]);
	return action(opts, type, &n, sizeof(n), verb);
}

int
cmd_reset(const struct cgwctl_opts *opts, int argc, char **argv)
{
	return tunnel_action(opts, CGW_MSG_RESET, "reset", argc, argv);
}

int
cmd_rekey(const struct cgwctl_opts *opts, int argc, char **argv)
{
	return tunnel_action(opts, CGW_MSG_REKEY, "rekey", argc, argv);
}

int
cmd_reload(const struct cgwctl_opts *opts, int argc, char **argv)
{
	struct cgw_msg_reload m = { 0 };
	char *end;
	unsigned long s;

	if (argc == 0)
		return action(opts, CGW_MSG_RELOAD, NULL, 0, "reload");
	if (argc != 2 || strcmp(argv[0], "--confirm") != 0) {
		fprintf(stderr, "usage: cgwctl reload [--confirm SECONDS]\n");
		return 2;
	}
	errno = 0;
	s = strtoul(argv[1], &end, 10);
	if (errno || end == argv[1] || *end || s < 1 || s > 86400 ||
	    argv[1][0] == '-') {
		fprintf(stderr, "cgwctl: reload --confirm: %s is not a number of "
		    "seconds from 1 to 86400\n", argv[1]);
		return 2;
	}
	m.confirm_s = (uint32_t)s;
	return action(opts, CGW_MSG_RELOAD, &m, sizeof(m), "reload");
}

int
cmd_confirm(const struct cgwctl_opts *opts, int argc, char **argv)
{
	(void)argv;
	if (argc != 0) {
		fprintf(stderr, "usage: cgwctl confirm\n");
		return 2;
	}
	return action(opts, CGW_MSG_CONFIRM, NULL, 0, "confirm");
}
