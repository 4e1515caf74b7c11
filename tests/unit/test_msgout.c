/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Unit tests: the outbox of messages for slow readers (src/lib/msg.c):
 * a peer that reads nothing makes the daemon queue, never wait, and what
 * finally goes out is every message whole and in order.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "lib/msg.h"
#include "unit.h"

int
main(void)
{
	struct msgout q = { 0 };
	struct cgw_msg_tunnel_status st;
	struct msgbuf in = { .len = 0 };
	static uint8_t payload[CGW_MSG_MAX];
	struct cgw_msg_hdr h;
	int sv[2], r = 0, sent = 0, got = 0;
	bool in_order = true;

	signal(SIGPIPE, SIG_IGN);	/* as cgwd: a closed peer is -EPIPE */
	CHECK(socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0, sv) == 0);
	/* nothing queued yet (no buffer at all): nothing to do */
	CHECK(msgout_flush(&q, sv[0]) == 0);
	/* the peer reads nothing: the socket fills, then flush says 1 */
	memset(&st, 0, sizeof(st));
	while (sent < 100000) {
		st.index = (uint32_t)sent;
		CHECK(msgout_put(&q, CGW_MSG_TUNNEL_STATUS, 7, &st, sizeof(st)) == 0);
		sent++;
		if ((r = msgout_flush(&q, sv[0])) == 1)
			break;
	}
	CHECK(r == 1);
	CHECK(msgout_queued(&q) > 0);
	/* the peer reads while more is queued (what went out is reused,
	 * the rest moved to the front): everything arrives, whole, in
	 * order */
	for (int rounds = 0, more = 0; rounds < 100000; rounds++) {
		if (more < 2000) {
			st.index = (uint32_t)sent++;
			CHECK(msgout_put(&q, CGW_MSG_TUNNEL_STATUS, 7, &st,
			    sizeof(st)) == 0);
			if (++more == 2000)
				CHECK(msgout_put(&q, CGW_MSG_END, 7, NULL, 0) == 0);
		}
		r = msgout_flush(&q, sv[0]);
		CHECK(r >= 0);
		/* slower than the writer: sends stay partial, the queue grows */
		if (more < 2000 && rounds % 8)
			continue;
		if (msgbuf_read(&in, sv[1]) < 0)
			break;
		while (msgbuf_next(&in, &h, payload) > 0) {
			if (h.type == CGW_MSG_END)
				goto done;
			memcpy(&st, payload, sizeof(st));
			in_order &= h.type == CGW_MSG_TUNNEL_STATUS &&
			    h.len == sizeof(st) && h.seq == 7 &&
			    st.index == (uint32_t)got;
			got++;
		}
	}
done:
	CHECK(got == sent);
	CHECK(in_order);
	CHECK(msgout_queued(&q) == 0);
	/* nothing above the bound, and an oversized message is refused */
	CHECK(msgout_put(&q, CGW_MSG_END, 1, payload, CGW_MSG_MAX + 1) == -EMSGSIZE);
	q.len = MSGOUT_MAX - sizeof(h) + 1;	/* (refused before any copy) */
	CHECK(msgout_put(&q, CGW_MSG_END, 1, NULL, 0) == -ENOBUFS);
	q.len = q.head = 0;
	/* a closed peer is an error, not a wait */
	CHECK(msgout_put(&q, CGW_MSG_END, 1, NULL, 0) == 0);
	close(sv[1]);
	CHECK(msgout_flush(&q, sv[0]) == -EPIPE);
	close(sv[0]);
	msgout_free(&q);
	/* bytes as they are, into a pipe (vtysh's stdin) */
	{
		int pp[2];
		char got[8] = "";

		CHECK(pipe2(pp, O_NONBLOCK) == 0);
		CHECK(msgout_put_bytes(&q, "end\n", 4) == 0);
		CHECK(msgout_put_bytes(&q, "", 0) == 0);
		CHECK(msgout_queued(&q) == 4);
		CHECK(msgout_flush(&q, pp[1]) == 0);
		CHECK(read(pp[0], got, sizeof(got)) == 4 && memcmp(got, "end\n", 4) == 0);
		close(pp[0]);
		close(pp[1]);
		msgout_free(&q);
	}
	return unit_summary();
}
