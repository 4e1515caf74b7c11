/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Fuzz target: bgpd's adj-rib-out as cgwd reads it for cgwctl show routes
 * (src/cgwd/frr_adj.c).  bgpd's answer is an outside part's: whatever it
 * holds, the reader neither crashes nor returns more than it allows, and
 * every prefix it returns is IPv4 with a valid length.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "cgwd/frr_adj.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct frr_adj_out a = { 0 };
	char *text = malloc(size + 1);

	if (!text)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	if (frr_adj_parse(text, &a) < 0 && a.n)
		abort();
	if (a.n > FRR_ADJ_MAX || strnlen(a.note, sizeof(a.note)) == sizeof(a.note))
		abort();
	for (size_t i = 0; i < a.n; i++)
		if (a.prefixes[i].family != AF_INET || a.prefixes[i].len > 32)
			abort();
	frr_adj_clear(&a);
	free(text);
	return 0;
}
