/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Unit tests: what a reload takes out of bgpd (src/cgwd/frr_sweep.c).
 * bgpd's running configuration is stood in for by what cgw wrote for the
 * old configuration (the same lines bgpd shows), plus the operator's own.
 */
#include <stdlib.h>
#include <string.h>

#include "cgwd/frr_conf.h"
#include "cgwd/frr_sweep.h"
#include "lib/xalloc.h"
#include "unit.h"
#include "unit_conf.h"

#define BOX(asn, adv) \
    "gateway {\n outside-interface eth0\n local-asn " asn "\n" adv "}\n"
#define CONN(id, a, b) \
    "connection \"" id "\" {\n" \
    " tunnel 1 {\n  aws-outside 203.0.113." a "\n  cgw-outside 198.51.100.2\n" \
    "  inside 169.254." a ".0/30\n  psk \"Abcdefgh_1.x\"\n }\n" \
    " tunnel 2 {\n  aws-outside 203.0.113." b "\n  cgw-outside 198.51.100.2\n" \
    "  inside 169.254." b ".0/30\n  psk \"zyxwvuts_2\"\n }\n}\n"

#define ADV2 " advertise 10.10.0.0/16\n advertise 10.11.0.0/24\n"
#define ADV1 " advertise 10.10.0.0/16\n"
#define CONN_A CONN("vpn-0123456789abcdef0", "10", "20")
#define CONN_B CONN("vpn-0fedcba9876543210", "30", "40")

/* The operator's own: never touched. */
static const char operator_part[] =
    "router bgp 65000\n"
    " neighbor 10.9.9.9 remote-as 65010\n"
    " neighbor 10.9.9.9 description office core\n"
    " address-family ipv4 unicast\n"
    "  network 192.168.0.0/24\n"
    " exit-address-family\n"
    "exit\n"
    "ip prefix-list OFFICE seq 5 permit 192.168.0.0/24\n"
    "route-map OFFICE permit 10\n"
    "exit\n";

/* What bgpd shows after cgw applied `old` (and the operator his part). */
static char *
running_of(const char *old, bool with_operator)
{
	struct cgw_conf *c = unit_conf(old);
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);

	if (with_operator)
		fputs(operator_part, f);
	frr_conf_write(f, c, NULL);
	fclose(f);
	cgw_conf_free(c);
	return text;
}

struct sweep {
	char *before, *after;
	unsigned int removed;
};

static struct sweep
sweep(const char *old, const char *new, bool with_operator)
{
	struct sweep s = { NULL, NULL, 0 };
	size_t lb = 0, la = 0;
	char *running = running_of(old, with_operator);
	struct cgw_conf *c = unit_conf(new);
	FILE *b = open_memstream(&s.before, &lb), *a = open_memstream(&s.after, &la);

	s.removed = frr_sweep_write(b, a, running, c);
	fclose(b);
	fclose(a);
	free(running);
	cgw_conf_free(c);
	return s;
}

static void
sweep_free(struct sweep *s)
{
	free(s->before);
	free(s->after);
}

/* Nothing changed: nothing goes; the operator's part is not cgw's. */
static void
test_unchanged(void)
{
	struct sweep s = sweep(BOX("65000", ADV2) CONN_A, BOX("65000", ADV2) CONN_A,
	    true);

	CHECK(s.removed == 0);
	CHECK(s.before[0] == '\0');
	CHECK(strstr(s.after, "no ") == NULL);
	sweep_free(&s);
}

/* A prefix no longer advertised: its network statements (and the
 * more-specifics) and its prefix-list entries go, nothing else. */
static void
test_prefix_removed(void)
{
	struct sweep s = sweep(BOX("65000", ADV2) CONN_A, BOX("65000", ADV1) CONN_A,
	    true);

	CHECK(strstr(s.after, "router bgp 65000\n") != NULL);
	CHECK(strstr(s.after, "  no network 10.11.0.0/24 route-map CGW-NET\n") != NULL);
	CHECK(strstr(s.after, "  no network 10.11.0.0/25 route-map CGW-NET\n") != NULL);
	CHECK(strstr(s.after, "  no network 10.11.0.128/25 route-map CGW-NET\n") != NULL);
	CHECK(strstr(s.after, "no network 10.10.") == NULL);
	CHECK(strstr(s.after, "no ip prefix-list CGW-ON-PREM seq 10\n") != NULL);
	CHECK(strstr(s.after, "no ip prefix-list CGW-ON-PREM seq 5\n") == NULL);
	CHECK(strstr(s.after, "no ip prefix-list CGW-MORE-SPECIFIC seq 15\n") != NULL);
	CHECK(strstr(s.after, "no ip prefix-list CGW-MORE-SPECIFIC seq 20\n") != NULL);
	CHECK(strstr(s.after, "no ip prefix-list CGW-MORE-SPECIFIC seq 10\n") == NULL);
	CHECK(strstr(s.after, "no neighbor") == NULL);
	CHECK(strstr(s.after, "no route-map") == NULL);
	CHECK(strstr(s.after, "192.168.0.0") == NULL && strstr(s.after, "OFFICE") == NULL);
	CHECK(s.removed == 6);
	CHECK(s.before[0] == '\0');
	sweep_free(&s);

	/* The last prefix gone: the lists keep their placeholder entry
	 * (an empty list would match everything). */
	s = sweep(BOX("65000", ADV1) CONN_A, BOX("65000", "") CONN_A, false);
	CHECK(strstr(s.after, "  no network 10.10.0.0/16 route-map CGW-NET\n") != NULL);
	CHECK(strstr(s.after, "no ip prefix-list CGW-ON-PREM seq 5\n") == NULL);
	CHECK(strstr(s.after, "no ip prefix-list CGW-MORE-SPECIFIC seq 10\n") != NULL);
	sweep_free(&s);
}

/* A connection removed: its neighbors and route maps go, after them;
 * the other connection and the operator's neighbor stay. */
static void
test_connection_removed(void)
{
	struct sweep s = sweep(BOX("65000", ADV1) CONN_A CONN_B,
	    BOX("65000", ADV1) CONN_A, true);

	CHECK(strstr(s.after, " no neighbor 169.254.30.1\n") != NULL);
	CHECK(strstr(s.after, " no neighbor 169.254.40.1\n") != NULL);
	CHECK(strstr(s.after, "no neighbor 169.254.10.1") == NULL);
	CHECK(strstr(s.after, "no neighbor 10.9.9.9") == NULL);
	CHECK(strstr(s.after, "no route-map CGW-OUT-cgw-543210-1\n") != NULL);
	CHECK(strstr(s.after, "no route-map CGW-IN-cgw-543210-2\n") != NULL);
	CHECK(strstr(s.after, "no route-map CGW-OUT-cgw-bcdef0-1") == NULL);
	CHECK(strstr(s.after, "no route-map CGW-NET") == NULL);
	CHECK_BEFORE(s.after, " no neighbor 169.254.30.1\n",
	    "no route-map CGW-OUT-cgw-543210-1\n");
	CHECK(s.removed == 6);
	sweep_free(&s);

	/* ...and added back: nothing to remove. */
	s = sweep(BOX("65000", ADV1) CONN_A, BOX("65000", ADV1) CONN_A CONN_B, true);
	CHECK(s.removed == 0);
	sweep_free(&s);
}

/* A new local ASN: cgw's old instance goes first, as a whole. */
static void
test_asn_changed(void)
{
	struct sweep s = sweep(BOX("65000", ADV1) CONN_A, BOX("65001", ADV1) CONN_A,
	    false);

	CHECK(strcmp(s.before, "configure terminal\nno router bgp 65000\nend\n") == 0);
	CHECK(strstr(s.after, "router bgp") == NULL);
	CHECK(strstr(s.after, "no neighbor") == NULL);
	CHECK(s.removed == 1);
	sweep_free(&s);
}

/* An instance holding nothing of cgw's is the operator's: kept, even
 * when cgw wants another ASN (bgpd then refuses cgw's, an error). */
static void
test_operator_instance_kept(void)
{
	struct cgw_conf *c = unit_conf(BOX("65001", ADV1) CONN_A);
	char *b = NULL, *a = NULL;
	size_t lb = 0, la = 0;
	FILE *fb = open_memstream(&b, &lb), *fa = open_memstream(&a, &la);

	CHECK(frr_sweep_write(fb, fa, operator_part, c) == 0);
	fclose(fb);
	fclose(fa);
	CHECK(b[0] == '\0');
	CHECK(strstr(a, "no ") == NULL);
	free(b);
	free(a);
	cgw_conf_free(c);
}

/* bgpd's own text, as `show running-config` prints it. */
static void
test_running_config_text(void)
{
	static const char running[] =
	    "Building configuration...\n\nCurrent configuration:\n!\n"
	    "frr version 8.4.4\nfrr defaults traditional\nhostname vm\n!\n"
	    "router bgp 65000\n"
	    " neighbor 169.254.99.1 remote-as 64512\n"
	    " neighbor 169.254.99.1 description cgw vpn-0aaaaaaaaaaaaaaaa-1\n"
	    " neighbor 169.254.99.1 timers 10 30\n"
	    " !\n"
	    " address-family ipv4 unicast\n"
	    "  network 10.77.0.0/16 route-map CGW-NET\n"
	    "  network 10.10.0.0/16 route-map CGW-NET\n"
	    " exit-address-family\n"
	    "exit\n!\n"
	    "router bgp 65000 vrf blue\n"
	    " neighbor 10.5.5.5 description cgw not-ours-in-a-vrf\n"
	    "exit\n!\n"
	    "ip prefix-list CGW-ON-PREM seq 5 permit 10.10.0.0/16\n"
	    "ip prefix-list CGW-ON-PREM seq 10 permit 10.77.0.0/16\n"
	    "!\nroute-map CGW-OUT-cgw-aaaaaa-1 deny 10\n"
	    " match ip address prefix-list CGW-MORE-SPECIFIC\nexit\n!\nend\n";
	struct cgw_conf *c = unit_conf(BOX("65000", ADV1) CONN_A);
	char *b = NULL, *a = NULL;
	size_t lb = 0, la = 0;
	FILE *fb = open_memstream(&b, &lb), *fa = open_memstream(&a, &la);

	frr_sweep_write(fb, fa, running, c);
	fclose(fb);
	fclose(fa);
	CHECK(strstr(a, " no neighbor 169.254.99.1\n") != NULL);
	CHECK(strstr(a, "  no network 10.77.0.0/16 route-map CGW-NET\n") != NULL);
	CHECK(strstr(a, "no network 10.10.0.0/16") == NULL);
	CHECK(strstr(a, "no ip prefix-list CGW-ON-PREM seq 10\n") != NULL);
	CHECK(strstr(a, "no route-map CGW-OUT-cgw-aaaaaa-1\n") != NULL);
	CHECK(strstr(a, "10.5.5.5") == NULL);		/* another VRF */
	CHECK(b[0] == '\0');
	free(b);
	free(a);
	cgw_conf_free(c);
}

int
main(void)
{
	test_unchanged();
	test_prefix_removed();
	test_connection_removed();
	test_asn_changed();
	test_operator_instance_kept();
	test_running_config_text();
	return unit_summary();
}
