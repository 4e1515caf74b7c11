/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * DOC: in-band probes
 *
 * One ICMP echo per interval to AWS's inside address, sent through the
 * tunnel's own interface (SO_BINDTODEVICE), so an answer proves the whole
 * path: our SA out, AWS's endpoint, AWS's SA back.  AWS documents that the
 * inside address answers, and its own templates ping it to keep idle
 * tunnels from being torn down; the probes do that too.  A probe not
 * answered before the next one is sent counts as lost.
 *
 * Every few seconds one more probe the size of the tunnel MTU goes out
 * with DF set.  It never counts for health (a wrong MTU is not a dead
 * tunnel); diagnose reports when big probes die while small ones live.
 */
#ifndef CGW_PROBE_H
#define CGW_PROBE_H

#include <netinet/in.h>
#include <stdbool.h>
#include <stdint.h>
#include <time.h>

#define PROBE_BIG_MIN 256		/* smaller answers are health probes */
#define PROBE_BIG_MAX 9000

struct probe {
	int fd;
	uint16_t ident, seq;
	bool outstanding;
	struct timespec sent_at;
	uint32_t rtt_us;		/* last answer's round trip */
	uint32_t sent, answered;	/* since start */
	uint32_t echo_in;		/* every answer of ours that came in,
					 * late and full-size ones too */
	uint8_t window;			/* last 8 probes, bit set = lost */
	/* the last 8 probes' sequence numbers and send times: an answer
	 * that comes after the next probe went out (a round trip longer
	 * than the interval) still proves the path */
	uint16_t ring_seq[8];
	bool ring_answered[8];
	struct timespec ring_sent[8];
	uint32_t lost_run;		/* lost in a row... */
	struct timespec lost_since;	/* ...since the first was sent */
	/* full-size probes (diagnose only) */
	uint16_t big_seq;
	bool big_outstanding;
	uint32_t big_sent, big_lost_run;
};

/* Opens the probe socket bound to ifname; -errno on failure. */
int probe_open(struct probe *p, const char *ifname, uint16_t ident);
void probe_close(struct probe *p);
/* Sends the next probe.  Returns 1 if the previous one was never
 * answered (lost), 0 otherwise. */
int probe_send(struct probe *p, struct in_addr dst);
/* Sends a probe of size bytes (IP header included) with DF set. */
void probe_send_big(struct probe *p, struct in_addr dst, unsigned int size);
/* Milliseconds since the first of the probes lost in a row was sent. */
uint32_t probe_lost_for_ms(const struct probe *p);
/* Reads what arrived; returns 1 if it answered the outstanding probe. */
int probe_recv(struct probe *p);
/* Lost share of the last 8 probes, in percent. */
unsigned int probe_loss_pct(const struct probe *p);

#endif
