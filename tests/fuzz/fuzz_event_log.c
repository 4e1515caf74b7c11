/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Fuzz target: the event history's file as cgwd reads it back at start
 * (src/cgwd/event_log.c).  The file may be cut by a crash, edited or
 * damaged: whatever it holds, the reader neither crashes nor reads past
 * it, and every record it keeps writes back as one well-formed line that
 * reads back the same.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cgwd/event_log.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct event_log l, again;
	char *copy = malloc(size ? size : 1);	/* exact size for ASan */
	char line[EVENT_LINE_MAX];

	if (!copy)
		return 0;
	memcpy(copy, data, size);
	event_log_init(&l, 64);
	event_log_init(&again, 1);
	event_log_parse(&l, copy, size);
	for (size_t i = 0; i < l.n; i++) {
		const struct event_rec *r = event_log_at(&l, i);
		size_t n = event_rec_line(r, line);

		if (n == 0 || line[n - 1] != '\n' || memchr(line, '\n', n - 1))
			abort();
		if (event_log_parse(&again, line, n) != 0)
			abort();
		if (strcmp(event_log_at(&again, 0)->cause, r->cause) != 0 ||
		    strcmp(event_log_at(&again, 0)->tunnel, r->tunnel) != 0 ||
		    event_log_at(&again, 0)->at_ms != r->at_ms)
			abort();
	}
	event_log_free(&again);
	event_log_free(&l);
	free(copy);
	return 0;
}
