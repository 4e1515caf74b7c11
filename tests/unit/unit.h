/*
 * DOC: a minimal unit-test harness
 *
 * CHECK() records a failure with file:line and goes on; main() returns
 * unit_summary(), which prints "N passed, N failed" and the exit status.
 */
#ifndef CGW_UNIT_H
#define CGW_UNIT_H

#include <stdio.h>

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

static inline int
unit_summary(void)
{
	printf("%d passed, %d failed\n", unit_passed, unit_failed);
	return unit_failed ? 1 : 0;
}

#endif
