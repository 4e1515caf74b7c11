/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * DOC: "--since" times (see since.h)
 */
#include "lib/since.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static int
ago(const char *s, uint64_t now_ms, uint64_t *out)
{
	char *end;
	unsigned long long n, unit;

	if (*s < '0' || *s > '9')
		return -EINVAL;
	errno = 0;
	n = strtoull(s, &end, 10);
	if (errno || end == s)
		return -EINVAL;
	if (strcmp(end, "s") == 0)
		unit = 1000;
	else if (strcmp(end, "m") == 0 || strcmp(end, "min") == 0)
		unit = 60 * 1000;
	else if (strcmp(end, "h") == 0)
		unit = 3600 * 1000;
	else if (strcmp(end, "d") == 0)
		unit = 86400 * 1000;
	else
		return -EINVAL;
	if (n > 100ull * 365 * 86400 * 1000 / unit)
		return -EINVAL;		/* further back than a century */
	*out = n * unit > now_ms ? 0 : now_ms - n * unit;
	return 0;
}

static int
local_time(const char *s, uint64_t *out)
{
	static const char *const forms[] = {
		"%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M:%S",
		"%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M", "%Y-%m-%d",
	};

	for (size_t i = 0; i < sizeof(forms) / sizeof(forms[0]); i++) {
		struct tm tm;
		const char *end;
		time_t t;

		memset(&tm, 0, sizeof(tm));
		end = strptime(s, forms[i], &tm);
		if (!end || *end)
			continue;
		tm.tm_isdst = -1;
		if ((t = mktime(&tm)) == (time_t)-1 || t < 0)
			return -EINVAL;
		*out = (uint64_t)t * 1000;
		return 0;
	}
	return -EINVAL;
}

int
cgw_since_parse(const char *s, uint64_t now_ms, uint64_t *out_ms)
{
	char *end;
	unsigned long long v;

	if (!s || !*s)
		return -EINVAL;
	if (*s == '@') {
		if (s[1] < '0' || s[1] > '9')
			return -EINVAL;
		errno = 0;
		v = strtoull(s + 1, &end, 10);
		if (errno || *end || v > 1ull << 40)
			return -EINVAL;
		*out_ms = v * 1000;
		return 0;
	}
	if (ago(s, now_ms, out_ms) == 0)
		return 0;
	return local_time(s, out_ms);
}
