/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Fuzz target: cgwctl show events --since (src/lib/since.c), which reads
 * whatever the user typed: no crash, no read past it, and a time it
 * accepts is never after now for the relative forms.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "lib/since.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1);
	const uint64_t now = 1796357832000ull;
	uint64_t t;

	if (!s)
		return 0;
	memcpy(s, data, size);
	s[size] = '\0';
	if (cgw_since_parse(s, now, &t) == 0 && s[0] >= '0' && s[0] <= '9' &&
	    s[size ? size - 1 : 0] >= 'a' && strchr(s, '-') == NULL && t > now)
		abort();
	free(s);
	return 0;
}
