/*
 * DOC: in-band probes
 *
 * One ICMP echo per interval to AWS's inside address, sent through the
 * tunnel's own interface (SO_BINDTODEVICE), so an answer proves the whole
 * path: our SA out, AWS's endpoint, AWS's SA back.  AWS documents that the
 * inside address answers, and its own templates ping it to keep idle
 * tunnels from being torn down; the probes do that too.  A probe not
 * answered before the next one is sent counts as lost.
 */
#ifndef CGW_PROBE_H
#define CGW_PROBE_H

#include <netinet/in.h>
#include <stdbool.h>
#include <stdint.h>
#include <time.h>

struct probe {
	int fd;
	uint16_t ident, seq;
	bool outstanding;
	struct timespec sent_at;
	uint32_t rtt_us;		/* last answer's round trip */
	uint32_t sent, answered;	/* since start */
	uint8_t window;			/* last 8 probes, bit set = lost */
};

/* Opens the probe socket bound to ifname; -errno on failure. */
int probe_open(struct probe *p, const char *ifname, uint16_t ident);
void probe_close(struct probe *p);
/* Sends the next probe.  Returns 1 if the previous one was never
 * answered (lost), 0 otherwise. */
int probe_send(struct probe *p, struct in_addr dst);
/* Reads what arrived; returns 1 if it answered the outstanding probe. */
int probe_recv(struct probe *p);
/* Lost share of the last 8 probes, in percent. */
unsigned int probe_loss_pct(const struct probe *p);

#endif
