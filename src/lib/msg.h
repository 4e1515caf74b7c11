/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * DOC: message framing
 *
 * Reads and writes the messages of cgw_msg.h on stream sockets: a header,
 * then the payload.  Reading is incremental (non-blocking sockets): feed
 * what arrived, take complete messages out.  A header announcing more than
 * CGW_MSG_MAX is a protocol error and the peer is dropped.
 */
#ifndef CGW_MSGBUF_H
#define CGW_MSGBUF_H

#include <stddef.h>
#include <stdint.h>

#include "lib/cgw_msg.h"

struct msgbuf {
	uint8_t data[sizeof(struct cgw_msg_hdr) + CGW_MSG_MAX];
	size_t len;
};

/* Reads what the socket has (non-blocking); 0 = more may come, -EPIPE =
 * peer closed, other -errno on errors. */
int msgbuf_read(struct msgbuf *mb, int fd);
/* Appends bytes (for tests and fuzzing). */
int msgbuf_feed(struct msgbuf *mb, const void *p, size_t len);
/* Takes the next complete message out: 1 with *hdr and *payload (valid
 * until the next call), 0 if incomplete, -EPROTO if malformed. */
int msgbuf_next(struct msgbuf *mb, struct cgw_msg_hdr *hdr,
    uint8_t *payload);
/* Messages waiting for a peer that reads slowly (cgwctl in a pager, or
 * stopped): the daemon queues and goes on instead of waiting on it. */
struct msgout {
	uint8_t *buf;
	size_t head, len, cap;		/* unsent: buf[head..len) */
};
static inline size_t
msgout_queued(const struct msgout *q)
{
	return q->len - q->head;
}
/* Appends a whole message; -EMSGSIZE above CGW_MSG_MAX, -ENOBUFS when
 * MSGOUT_MAX would be passed (a peer that reads nothing). */
#define MSGOUT_MAX (16u << 20)
int msgout_put(struct msgout *q, uint32_t type, uint32_t seq,
    const void *payload, size_t len);
/* Appends bytes as they are (vtysh's commands on its stdin); -ENOBUFS
 * when MSGOUT_MAX would be passed. */
int msgout_put_bytes(struct msgout *q, const void *p, size_t len);
/* Writes what the socket or pipe (non-blocking) takes now: 0 = all out,
 * 1 = some left (wait for POLLOUT), -errno on errors.  A peer that is
 * gone raises SIGPIPE: the caller ignores it (cgwd does). */
int msgout_flush(struct msgout *q, int fd);
void msgout_free(struct msgout *q);
/* Writes a whole message (blocking semantics with a poll on EAGAIN). */
int msg_send(int fd, uint32_t type, uint32_t seq, const void *payload,
    size_t len);
const char *msg_type_name(uint32_t type);

#endif
