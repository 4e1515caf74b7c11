/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * DOC: in-band probes (see probe.h)
 */
#include "cgwd/probe.h"

#include <errno.h>
#include <netinet/ip.h>
#include <netinet/ip_icmp.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

int
probe_open(struct probe *p, const char *ifname, uint16_t ident)
{
	int fd = socket(AF_INET, SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC,
	    IPPROTO_ICMP);

	memset(p, 0, sizeof(*p));
	p->fd = -1;
	if (fd < 0)
		return -errno;
	if (setsockopt(fd, SOL_SOCKET, SO_BINDTODEVICE, ifname,
	    (socklen_t)strlen(ifname) + 1) < 0) {
		int r = -errno;

		close(fd);
		return r;
	}
	/* DF on every probe, and no fragmenting by our own stack: a full-size
	 * probe must arrive whole or not at all. */
	int pmtu = IP_PMTUDISC_PROBE;

	(void)setsockopt(fd, IPPROTO_IP, IP_MTU_DISCOVER, &pmtu, sizeof(pmtu));
	p->fd = fd;
	p->ident = ident;
	return 0;
}

void
probe_close(struct probe *p)
{
	if (p->fd >= 0)
		close(p->fd);
	p->fd = -1;
}

static uint16_t
checksum(const void *data, size_t len)
{
	const uint16_t *w = data;
	uint32_t sum = 0;

	for (; len > 1; len -= 2)
		sum += *w++;
	if (len)
		sum += *(const uint8_t *)w;
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

int
probe_send(struct probe *p, struct in_addr dst)
{
	struct sockaddr_in sin = { .sin_family = AF_INET, .sin_addr = dst };
	struct icmphdr h;
	int lost = p->outstanding;

	p->window = (uint8_t)(p->window << 1 | (lost ? 1 : 0));
	if (lost && p->lost_run++ == 0)
		p->lost_since = p->sent_at;	/* the lost one's */
	memset(&h, 0, sizeof(h));
	h.type = ICMP_ECHO;
	h.un.echo.id = htons(p->ident);
	h.un.echo.sequence = htons(++p->seq);
	h.checksum = checksum(&h, sizeof(h));
	clock_gettime(CLOCK_MONOTONIC, &p->sent_at);
	p->ring_seq[p->seq % 8] = p->seq;
	p->ring_answered[p->seq % 8] = false;
	p->ring_sent[p->seq % 8] = p->sent_at;
	p->sent++;
	/* A down interface refuses the send: the probe is simply lost. */
	p->outstanding = true;
	if (p->fd >= 0)
		(void)sendto(p->fd, &h, sizeof(h), 0, (struct sockaddr *)&sin,
		    sizeof(sin));
	return lost;
}

void
probe_send_big(struct probe *p, struct in_addr dst, unsigned int size)
{
	struct sockaddr_in sin = { .sin_family = AF_INET, .sin_addr = dst };
	static uint8_t buf[PROBE_BIG_MAX];
	struct icmphdr *h = (struct icmphdr *)buf;
	size_t len;

	if (size > sizeof(buf) + 20)
		size = sizeof(buf) + 20;
	if (size < PROBE_BIG_MIN)
		return;
	len = size - 20;	/* the kernel adds the IP header */
	if (p->big_outstanding)
		p->big_lost_run++;
	memset(buf, 0, len);
	h->type = ICMP_ECHO;
	h->un.echo.id = htons(p->ident);
	h->un.echo.sequence = htons(++p->big_seq);
	h->checksum = checksum(buf, len);
	p->big_sent++;
	p->big_outstanding = true;
	if (p->fd >= 0)
		(void)sendto(p->fd, buf, len, 0, (struct sockaddr *)&sin,
		    sizeof(sin));
}

uint32_t
probe_lost_for_ms(const struct probe *p)
{
	struct timespec now;

	if (!p->lost_run)
		return 0;
	clock_gettime(CLOCK_MONOTONIC, &now);
	return (uint32_t)((now.tv_sec - p->lost_since.tv_sec) * 1000 +
	    (now.tv_nsec - p->lost_since.tv_nsec) / 1000000);
}

int
probe_recv(struct probe *p)
{
	uint8_t buf[512];
	int hit = 0;
	ssize_t n;

	/* MSG_TRUNC: the real length, which tells a full-size answer */
	while ((n = recv(p->fd, buf, sizeof(buf), MSG_TRUNC)) > 0) {
		const struct iphdr *ip = (const void *)buf;
		const struct icmphdr *h;
		size_t hl = (size_t)ip->ihl * 4;
		struct timespec now;

		if ((size_t)n < hl + sizeof(*h))
			continue;
		h = (const void *)(buf + hl);
		if (h->type == ICMP_ECHOREPLY && ntohs(h->un.echo.id) == p->ident)
			p->echo_in++;
		if (h->type == ICMP_ECHOREPLY && ntohs(h->un.echo.id) == p->ident &&
		    (size_t)n >= PROBE_BIG_MIN) {
			if (ntohs(h->un.echo.sequence) == p->big_seq) {
				p->big_outstanding = false;
				p->big_lost_run = 0;
			}
			continue;
		}
		uint16_t seq = ntohs(h->un.echo.sequence);
		unsigned int k = seq % 8;

		if (h->type != ICMP_ECHOREPLY || ntohs(h->un.echo.id) != p->ident ||
		    seq == 0 || p->ring_seq[k] != seq || p->ring_answered[k] ||
		    (uint16_t)(p->seq - seq) >= 8)
			continue;
		clock_gettime(CLOCK_MONOTONIC, &now);
		p->ring_answered[k] = true;
		p->rtt_us = (uint32_t)((now.tv_sec - p->ring_sent[k].tv_sec) * 1000000 +
		    (now.tv_nsec - p->ring_sent[k].tv_nsec) / 1000);
		if (seq == p->seq)
			p->outstanding = false;
		p->answered++;
		p->lost_run = 0;
		hit = 1;
	}
	return hit;
}

unsigned int
probe_loss_pct(const struct probe *p)
{
	unsigned int lost = 0, n = p->sent < 8 ? p->sent : 8;

	for (unsigned int i = 0; i < n; i++)
		lost += (p->window >> i) & 1;
	return n ? lost * 100 / n : 0;
}
