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
