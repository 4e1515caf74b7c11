/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The body every importer fuzz target shares: import, then validate and
 * print whatever was imported; everything is freed (LeakSanitizer runs
 * with libFuzzer).  Inputs of odd length are imported with the operator's
 * customer gateway address (cgwctl import --cgw-outside), so both paths
 * are fuzzed.
 */
#ifndef CGW_FUZZ_IMPORT_H
#define CGW_FUZZ_IMPORT_H

#include <arpa/inet.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "conf/conf.h"
#include "import/import_int.h"

typedef int (*fuzz_importer)(struct cgw_conf *conf, const char *name,
    const char *buf, size_t len, const struct cgw_import_opts *opts,
    struct cgw_diag *diag);

static inline int
fuzz_import(fuzz_importer import, const char *name, const uint8_t *data,
    size_t size)
{
	static FILE *devnull;
	struct cgw_import_opts opts = {
	    .cgw_outside = { .s_addr = htonl(0xc6336402) } };	/* 198.51.100.2 */
	struct cgw_conf *conf = cgw_conf_new();
	struct cgw_diag diag;

	if (!devnull && !(devnull = fopen("/dev/null", "w")))
		abort();
	cgw_diag_init(&diag);
	import(conf, name, (const char *)data, size, size % 2 ? &opts : NULL,
	    &diag);
	cgw_conf_validate(conf, &diag);
	cgw_conf_print(devnull, conf, true);
	cgw_diag_print(devnull, &diag);
	cgw_diag_clear(&diag);
	cgw_conf_free(conf);
	return 0;
}

#endif
