/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * DOC: message framing (see msg.h)
 */
#include "lib/msg.h"

#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>

int
msgbuf_feed(struct msgbuf *mb, const void *p, size_t len)
{
	if (len > sizeof(mb->data) - mb->len)
		return -ENOBUFS;
	memcpy(mb->data + mb->len, p, len);
	mb->len += len;
	return 0;
}

int
msgbuf_read(struct msgbuf *mb, int fd)
{
	ssize_t n;

	if (mb->len == sizeof(mb->data))
		return 0;	/* full: the caller takes messages out first */
	n = recv(fd, mb->data + mb->len, sizeof(mb->data) - mb->len,
	    MSG_DONTWAIT);
	if (n == 0)
		return -EPIPE;
	if (n < 0)
		return errno == EAGAIN || errno == EINTR ? 0 : -errno;
	mb->len += (size_t)n;
	return 0;
}

int
msgbuf_next(struct msgbuf *mb, struct cgw_msg_hdr *hdr, uint8_t *payload)
{
	size_t total;

	if (mb->len < sizeof(*hdr))
		return 0;
	memcpy(hdr, mb->data, sizeof(*hdr));
	if (hdr->len > CGW_MSG_MAX || hdr->type == 0 ||
	    hdr->type >= CGW_MSG_TYPE_MAX)
		return -EPROTO;
	total = sizeof(*hdr) + hdr->len;
	if (mb->len < total)
		return 0;
	memcpy(payload, mb->data + sizeof(*hdr), hdr->len);
	memmove(mb->data, mb->data + total, mb->len - total);
	mb->len -= total;
	/* The copy in the buffer may hold a PSK: wipe the tail. */
	memset(mb->data + mb->len, 0, total);
	return 1;
}

int
msg_send(int fd, uint32_t type, uint32_t seq, const void *payload,
    size_t len)
{
	struct cgw_msg_hdr hdr = { .type = type, .len = (uint32_t)len,
	    .seq = seq };
	struct iovec iov[2] = {
		{ .iov_base = &hdr, .iov_len = sizeof(hdr) },
		{ .iov_base = (void *)payload, .iov_len = len },
	};
	struct msghdr mh = { .msg_iov = iov, .msg_iovlen = len ? 2 : 1 };
	size_t left = sizeof(hdr) + len;

	if (len > CGW_MSG_MAX)
		return -EMSGSIZE;
	while (left > 0) {
		ssize_t n = sendmsg(fd, &mh, MSG_NOSIGNAL);

		if (n < 0) {
			struct pollfd pfd = { .fd = fd, .events = POLLOUT };

			if (errno == EINTR)
				continue;
			if (errno != EAGAIN)
				return -errno;
			/* A peer that reads nothing for 5 s is dropped. */
			if (poll(&pfd, 1, 5000) <= 0)
				return -ETIMEDOUT;
			continue;
		}
		left -= (size_t)n;
		while (n > 0 && mh.msg_iovlen > 0) {
			if ((size_t)n >= mh.msg_iov->iov_len) {
				n -= (ssize_t)mh.msg_iov->iov_len;
				mh.msg_iov++;
				mh.msg_iovlen--;
			} else {
				mh.msg_iov->iov_base =
				    (uint8_t *)mh.msg_iov->iov_base + n;
				mh.msg_iov->iov_len -= (size_t)n;
				n = 0;
			}
		}
	}
	return 0;
}

/* Room for need more bytes: what went out is reused (moved once, not
 * at every flush), then the buffer grows. */
static int
msgout_room(struct msgout *q, size_t need)
{
	if (msgout_queued(q) + need > MSGOUT_MAX)
		return -ENOBUFS;
	if (q->len + need > q->cap && q->head) {
		memmove(q->buf, q->buf + q->head, q->len - q->head);
		q->len -= q->head;
		q->head = 0;
	}
	if (q->len + need > q->cap) {
		size_t cap = q->cap ? q->cap : 4096;
		uint8_t *b;

		while (cap < q->len + need)
			cap *= 2;
		if (!(b = realloc(q->buf, cap)))
			return -ENOMEM;
		q->buf = b;
		q->cap = cap;
	}
	return 0;
}

int
msgout_put_bytes(struct msgout *q, const void *p, size_t len)
{
	int r;

	if (len == 0)
		return 0;
	if ((r = msgout_room(q, len)) < 0)
		return r;
	memcpy(q->buf + q->len, p, len);
	q->len += len;
	return 0;
}

int
msgout_put(struct msgout *q, uint32_t type, uint32_t seq, const void *payload,
    size_t len)
{
	struct cgw_msg_hdr hdr = { .type = type, .len = (uint32_t)len,
	    .seq = seq };
	int r;

	if (len > CGW_MSG_MAX)
		return -EMSGSIZE;
	/* room for both first: a message is queued whole or not at all */
	if ((r = msgout_room(q, sizeof(hdr) + len)) < 0)
		return r;
	msgout_put_bytes(q, &hdr, sizeof(hdr));
	msgout_put_bytes(q, payload, len);
	return 0;
}

int
msgout_flush(struct msgout *q, int fd)
{
	while (q->head < q->len) {
		ssize_t n = write(fd, q->buf + q->head, q->len - q->head);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return errno == EAGAIN ? 1 : -errno;
		q->head += (size_t)n;
	}
	q->head = q->len = 0;
	return 0;
}

void
msgout_free(struct msgout *q)
{
	free(q->buf);
	q->buf = NULL;
	q->head = q->len = q->cap = 0;
}

const char *
msg_type_name(uint32_t type)
{
	static const char *const names[CGW_MSG_TYPE_MAX] = {
		[CGW_MSG_HELLO] = "HELLO",
		[CGW_MSG_TUNNEL_LOAD] = "TUNNEL_LOAD",
		[CGW_MSG_TUNNEL_UNLOAD] = "TUNNEL_UNLOAD",
		[CGW_MSG_INITIATE] = "INITIATE",
		[CGW_MSG_TERMINATE] = "TERMINATE",
		[CGW_MSG_REKEY] = "REKEY",
		[CGW_MSG_LIST_SAS] = "LIST_SAS",
		[CGW_MSG_SA] = "SA",
		[CGW_MSG_EVENT] = "EVENT",
		[CGW_MSG_SHOW_TUNNELS] = "SHOW_TUNNELS",
		[CGW_MSG_TUNNEL_STATUS] = "TUNNEL_STATUS",
		[CGW_MSG_RESET] = "RESET",
		[CGW_MSG_RELOAD] = "RELOAD",
		[CGW_MSG_SHOW_BGP] = "SHOW_BGP",
		[CGW_MSG_BGP_NEIGHBOR] = "BGP_NEIGHBOR",
		[CGW_MSG_SHOW_ROUTES] = "SHOW_ROUTES",
		[CGW_MSG_ROUTE] = "ROUTE",
		[CGW_MSG_DIAGNOSE] = "DIAGNOSE",
		[CGW_MSG_DIAGNOSIS] = "DIAGNOSIS",
		[CGW_MSG_CONFIRM] = "CONFIRM",
		[CGW_MSG_END] = "END",
		[CGW_MSG_RESULT] = "RESULT",
		[CGW_MSG_REINITIATE] = "REINITIATE",
		[CGW_MSG_KEEP_IKE] = "KEEP_IKE",
		[CGW_MSG_SHOW_METRICS] = "SHOW_METRICS",
		[CGW_MSG_TEXT] = "TEXT",
		[CGW_MSG_SHOW_EVENTS] = "SHOW_EVENTS",
		[CGW_MSG_EVENT_REC] = "EVENT_REC",
	};

	return type < CGW_MSG_TYPE_MAX && names[type] ? names[type] : "?";
}
