/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Fuzz target: the cgw.conf parser, validator and printer.
 * Whatever parses must also print and re-parse to the same text.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "conf/conf.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char *
print_conf(const struct cgw_conf *conf)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	if (!f)
		abort();
	cgw_conf_print(f, conf, true);
	fclose(f);
	return buf;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cgw_conf *conf = cgw_conf_new(), *again;
	struct cgw_diag diag;
	char *once, *twice;

	cgw_diag_init(&diag);
	cgw_conf_parse_buffer(conf, "fuzz.conf", (const char *)data, size,
	    &diag);
	if (diag.n == 0) {
		cgw_conf_validate(conf, &diag);
		/* Round trip: the canonical form is a fixed point. */
		once = print_conf(conf);
		again = cgw_conf_new();
		cgw_diag_clear(&diag);
		cgw_conf_parse_buffer(again, "fuzz.conf", once, strlen(once),
		    &diag);
		if (diag.n)
			abort();
		twice = print_conf(again);
		if (strcmp(once, twice) != 0)
			abort();
		free(once);
		free(twice);
		cgw_conf_free(again);
	}
	cgw_diag_clear(&diag);
	cgw_conf_free(conf);
	return 0;
}
