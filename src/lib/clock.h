/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * DOC: the monotonic clock in milliseconds (and microseconds, for round
 * trips), for timeouts and deadlines
 */
#ifndef CGW_CLOCK_H
#define CGW_CLOCK_H

#include <stdint.h>
#include <time.h>

static inline uint64_t
cgw_mono_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

static inline uint64_t
cgw_mono_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000 + (uint64_t)ts.tv_nsec / 1000;
}

#endif
