/*
 * Fuzz target: text download detection and the Generic, Cisco ASA, Vyatta and strongSwan parsers.
 * Whatever imports must also validate and print; everything is freed
 * (LeakSanitizer runs with libFuzzer).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "conf/conf.h"
#include "import/import_int.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static FILE *devnull;
	struct cgw_conf *conf = cgw_conf_new();
	struct cgw_diag diag;

	if (!devnull && !(devnull = fopen("/dev/null", "w")))
		abort();
	cgw_diag_init(&diag);
	imp_text_import(conf, "fuzz.txt", (const char *)data, size, &diag, NULL);
	cgw_conf_validate(conf, &diag);
	cgw_conf_print(devnull, conf);
	cgw_diag_print(devnull, &diag);
	cgw_diag_clear(&diag);
	cgw_conf_free(conf);
	return 0;
}
