/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Fuzz target: the describe-vpn-connections JSON importer (with its embedded XML).
 */
#include "fuzz_import.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return fuzz_import(imp_json_import, "fuzz.json", data, size);
}
