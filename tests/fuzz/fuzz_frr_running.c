/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Fuzz target: bgpd's running configuration as cgwd reads it before
 * each full apply (src/cgwd/frr_sweep.c).  bgpd's text is an outside
 * part's answer: whatever it holds, the sweep must neither crash nor ask
 * to remove anything but cgw's own objects.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cgwd/frr_sweep.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char conf_text[] =
    "gateway {\n outside-interface eth0\n local-asn 65000\n"
    " advertise 10.10.0.0/16\n}\n"
    "connection \"vpn-0123456789abcdef0\" {\n"
    " tunnel 1 {\n  aws-outside 203.0.113.10\n  cgw-outside 198.51.100.2\n"
    "  inside 169.254.10.0/30\n  psk \"Abcdefgh_1.x\"\n }\n"
    " tunnel 2 {\n  aws-outside 203.0.113.20\n  cgw-outside 198.51.100.2\n"
    "  inside 169.254.20.0/30\n  psk \"zyxwvuts_2\"\n }\n}\n";

/* Every removal names a cgw object: "no neighbor", "no network ...
 * route-map CGW-NET", "no ip prefix-list CGW-", "no route-map CGW-" or
 * "no router bgp". */
static void
check_removals(const char *text)
{
	for (const char *p = strstr(text, "no "); p; p = strstr(p + 1, "no ")) {
		if (p > text && p[-1] != ' ' && p[-1] != '\n')
			continue;
		if (strncmp(p, "no neighbor ", 12) && strncmp(p, "no router bgp ", 14) &&
		    strncmp(p, "no ip prefix-list CGW-", 22) &&
		    strncmp(p, "no route-map CGW-", 17) &&
		    !(strncmp(p, "no network ", 11) == 0 &&
		    strstr(p, " route-map CGW-NET\n") == strchr(p, '\n') - 18))
			abort();
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct cgw_conf *conf;
	char *running = malloc(size + 1), *before = NULL, *after = NULL;
	size_t lb = 0, la = 0;
	FILE *fb, *fa;

	if (!running)
		abort();
	if (!conf) {
		struct cgw_diag d;

		conf = cgw_conf_new();
		cgw_diag_init(&d);
		cgw_conf_parse_buffer(conf, "t", conf_text, strlen(conf_text), &d);
		if (d.n)
			abort();
		cgw_diag_clear(&d);
	}
	memcpy(running, data, size);
	running[size] = '\0';	/* what vtysh prints is text */
	fb = open_memstream(&before, &lb);
	fa = open_memstream(&after, &la);
	if (!fb || !fa)
		abort();
	frr_sweep_write(fb, fa, running, conf);
	fclose(fb);
	fclose(fa);
	check_removals(before);
	check_removals(after);
	free(before);
	free(after);
	free(running);
	return 0;
}
