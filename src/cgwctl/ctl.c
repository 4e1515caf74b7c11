/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * DOC: cgwctl's side of the control socket
 *
 * show requests go to cgwd.rsock, which anyone may read; actions go to
 * cgwd.sock, root's.  Every read is bounded so a wedged cgwd cannot hang
 * the operator's console.
 */
#include "cgwctl/cgwctl.h"

#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "lib/msg.h"

#define CTL_TIMEOUT_MS 10000

int
ctl_connect(const struct cgwctl_opts *opts, int readonly)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	int fd;

	snprintf(sun.sun_path, sizeof(sun.sun_path), "%s/%s", opts->run_dir,
	    readonly ? "cgwd.rsock" : "cgwd.sock");
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	if (connect(fd, (struct sockaddr *)&sun, sizeof(sun)) < 0) {
		int r = -errno;

		fprintf(stderr, "cgwctl: cannot reach cgwd at %s: %s%s\n",
		    sun.sun_path, strerror(-r), r == -ENOENT ||
		    r == -ECONNREFUSED ? " (is cgwd running?)" : r == -EACCES ?
		    " (actions need root)" : "");
		close(fd);
		return r;
	}
	return fd;
}

int
ctl_request(int fd, uint32_t type, const void *payload, size_t len)
{
	return msg_send(fd, type, 1, payload, len);
}

int
ctl_recv(int fd, struct cgw_msg_hdr *h, void *payload)
{
	static struct msgbuf mb;
	int r;

	for (;;) {
		struct pollfd pfd = { .fd = fd, .events = POLLIN };

		r = msgbuf_next(&mb, h, payload);
		if (r != 0)
			return r;
		r = poll(&pfd, 1, CTL_TIMEOUT_MS);
		if (r == 0)
			return -ETIMEDOUT;
		if (r < 0)
			return -errno;
		if ((r = msgbuf_read(&mb, fd)) < 0)
			return r;
	}
}

int
ctl_stream(const struct cgwctl_opts *opts, uint32_t type, const void *payload,
    size_t len, uint32_t rec_type, size_t rec_size,
    void (*cb)(const void *rec, void *arg), void *arg, const char *what)
{
	static uint8_t buf[CGW_MSG_MAX];
	struct cgw_msg_hdr h;
	int fd, r, status = 1;

	if ((fd = ctl_connect(opts, 1)) < 0)
		return 1;
	if ((r = ctl_request(fd, type, payload, len)) < 0)
		goto out;
	while ((r = ctl_recv(fd, &h, buf)) > 0) {
		if (h.type == CGW_MSG_END) {
			status = 0;
			break;
		}
		if (h.type == CGW_MSG_RESULT && h.len == sizeof(struct cgw_msg_result)) {
			const struct cgw_msg_result *res = (const void *)buf;

			if (res->code == CGW_RES_UNKNOWN_TUNNEL)
				fprintf(stderr, "cgwctl: no tunnel \"%.*s\" (try cgwctl show tunnels)\n",
				    CGW_TEXT_MAX, res->text);
			else
				fprintf(stderr, "cgwctl: %s: %.*s\n", what,
				    CGW_TEXT_MAX, res->text);
			break;
		}
		if (h.type == rec_type && h.len == rec_size)
			cb(buf, arg);
	}
out:
	if (r < 0)
		fprintf(stderr, "cgwctl: %s: %s\n", what, strerror(-r));
	close(fd);
	return status;
}
