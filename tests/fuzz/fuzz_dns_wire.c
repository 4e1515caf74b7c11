/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Fuzz target: the DNS replies cgwd reads (src/cgwd/dns_wire.c), which
 * come from the network: whatever answers on the endpoint's address and
 * port.  No crash, no read past the datagram; an accepted reply has its
 * strings terminated and an rcode in range.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cgwd/dns_wire.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct dns_reply r;
	uint8_t *copy;
	uint16_t id;

	if (size < 2 || size > DNS_WIRE_MAX)
		return 0;
	/* an exact-size copy: ASan sees a read one byte past the datagram */
	if (!(copy = malloc(size)))
		return 0;
	memcpy(copy, data, size);
	id = (uint16_t)(data[0] << 8 | data[1]);
	if (dns_wire_reply(copy, size, id, &r) == 0 &&
	    (memchr(r.rcode_name, '\0', sizeof(r.rcode_name)) == NULL ||
	    memchr(r.first, '\0', sizeof(r.first)) == NULL ||
	    r.rcode < 0 || r.rcode > 4095))
		abort();
	free(copy);
	return 0;
}
