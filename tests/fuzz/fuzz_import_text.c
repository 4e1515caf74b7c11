/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Fuzz target: text download detection and the Generic, Cisco ASA, Vyatta
 * and strongSwan parsers.
 */
#include "fuzz_import.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int
import_text(struct cgw_conf *conf, const char *name, const char *buf,
    size_t len, const struct cgw_import_opts *opts, struct cgw_diag *diag)
{
	return imp_text_import(conf, name, buf, len, opts, diag, NULL);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return fuzz_import(import_text, "fuzz.txt", data, size);
}
