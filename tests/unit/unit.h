/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * DOC: a minimal unit-test harness
 *
 * CHECK() records a failure with file:line and goes on; main() returns
 * unit_summary(), which prints "N passed, N failed" and the exit status.
 */
#ifndef CGW_UNIT_H
#define CGW_UNIT_H

#include <stdio.h>
#include <string.h>

static int unit_passed, unit_failed;

#define CHECK(cond) do {						\
	if (cond)							\
		unit_passed++;						\
	else {								\
		unit_failed++;						\
		fprintf(stderr, "%s:%d: CHECK(%s) failed\n",		\
		    __FILE__, __LINE__, #cond);				\
	}								\
} while (0)

/* Both texts occur in hay, a before b.  A plain strstr(a) < strstr(b)
 * passes when a is missing (NULL compares lower). */
#define CHECK_BEFORE(hay, a, b) do {					\
	const char *a_ = strstr((hay), (a)), *b_ = strstr((hay), (b));	\
									\
	CHECK(a_ != NULL && b_ != NULL && a_ < b_);			\
} while (0)

static inline int
unit_summary(void)
{
	printf("%d passed, %d failed\n", unit_passed, unit_failed);
	return unit_failed ? 1 : 0;
}

#endif
