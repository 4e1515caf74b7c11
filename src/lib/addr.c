/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * DOC: addresses and prefixes (see addr.h)
 *
 * inet_pton() does the real parsing; the rest is prefix arithmetic.
 */
#include "lib/addr.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int
cgw_addr4_parse(const char *s, struct in_addr *out)
{
	return inet_pton(AF_INET, s, out) == 1 ? 0 : -EINVAL;
}

uint32_t
cgw_addr4_host(struct in_addr a)
{
	return ntohl(a.s_addr);
}

struct in_addr
cgw_addr4_from_host(uint32_t h)
{
	struct in_addr a = { .s_addr = htonl(h) };

	return a;
}

bool
cgw_addr4_is_set(struct in_addr a)
{
	return a.s_addr != 0;
}

int
cgw_mask4_parse(const char *s, uint8_t *len)
{
	struct in_addr a;
	uint32_t m;
	uint8_t n = 0;

	if (cgw_addr4_parse(s, &a) < 0)
		return -EINVAL;
	m = cgw_addr4_host(a);
	while (m & 0x80000000u) {
		n++;
		m <<= 1;
	}
	if (m)		/* a one after a zero: not a netmask */
		return -EINVAL;
	*len = n;
	return 0;
}

static void
clear_host_bits(struct cgw_prefix *p)
{
	if (p->family == AF_INET) {
		uint32_t h = cgw_addr4_host(p->addr.v4);
		uint32_t mask = p->len ? ~0u << (32 - p->len) : 0;

		p->addr.v4 = cgw_addr4_from_host(h & mask);
	} else {
		for (int i = 0; i < 16; i++) {
			int bits = p->len - i * 8;

			if (bits >= 8)
				continue;
			p->addr.v6.s6_addr[i] &= bits <= 0 ? 0 :
			    (uint8_t)(0xff << (8 - bits));
		}
	}
}

int
cgw_prefix_parse(const char *s, struct cgw_prefix *out, bool allow_host)
{
	char buf[CGW_ADDRSTRLEN];
	const char *slash = strchr(s, '/');
	struct cgw_prefix p, q;
	char *end;
	long len;

	memset(&p, 0, sizeof(p));
	if (!slash || (size_t)(slash - s) >= sizeof(buf) || !slash[1])
		return -EINVAL;
	memcpy(buf, s, slash - s);
	buf[slash - s] = '\0';
	/* digits only: strtol would also take blanks and a sign */
	if (slash[1] < '0' || slash[1] > '9')
		return -EINVAL;
	errno = 0;
	len = strtol(slash + 1, &end, 10);
	if (*end || errno || len < 0)
		return -EINVAL;
	if (inet_pton(AF_INET, buf, &p.addr.v4) == 1) {
		p.family = AF_INET;
		if (len > 32)
			return -EINVAL;
	} else if (inet_pton(AF_INET6, buf, &p.addr.v6) == 1) {
		p.family = AF_INET6;
		if (len > 128)
			return -EINVAL;
	} else {
		return -EINVAL;
	}
	p.len = (uint8_t)len;
	q = p;
	clear_host_bits(&q);
	if (!allow_host && !cgw_prefix_equal(&p, &q))
		return -EINVAL;
	*out = q;
	return 0;
}

const char *
cgw_addr4_str(struct in_addr a, char *buf)
{
	if (!inet_ntop(AF_INET, &a, buf, CGW_ADDRSTRLEN))
		strcpy(buf, "?");
	return buf;
}

const char *
cgw_prefix_str(const struct cgw_prefix *p, char *buf)
{
	char a[INET6_ADDRSTRLEN];

	if (!p->family || !inet_ntop(p->family, &p->addr, a, sizeof(a))) {
		strcpy(buf, "?");
		return buf;
	}
	snprintf(buf, CGW_ADDRSTRLEN, "%s/%u", a, p->len);
	return buf;
}

bool
cgw_prefix_equal(const struct cgw_prefix *a, const struct cgw_prefix *b)
{
	if (a->family != b->family || a->len != b->len)
		return false;
	if (a->family == AF_INET)
		return a->addr.v4.s_addr == b->addr.v4.s_addr;
	return memcmp(&a->addr.v6, &b->addr.v6, sizeof(a->addr.v6)) == 0;
}

bool
cgw_prefix_in(const struct cgw_prefix *list, size_t n,
    const struct cgw_prefix *p)
{
	for (size_t i = 0; i < n; i++)
		if (cgw_prefix_equal(&list[i], p))
			return true;
	return false;
}

bool
cgw_prefix_overlap(const struct cgw_prefix *a, const struct cgw_prefix *b)
{
	struct cgw_prefix x = *a, y = *b;

	if (a->family != b->family)
		return false;
	/* Two prefixes overlap iff they agree on the shorter length. */
	x.len = y.len = a->len < b->len ? a->len : b->len;
	clear_host_bits(&x);
	clear_host_bits(&y);
	return cgw_prefix_equal(&x, &y);
}
