/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Fuzz target: the CustomerGatewayConfiguration XML importer.
 */
#include "fuzz_import.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return fuzz_import(imp_xml_import, "fuzz.xml", data, size);
}
