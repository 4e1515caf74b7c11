/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Unit tests: diagnose's cause finding (src/cgwd/diagnose.c), one set of
 * facts per cause, plus the neighbours it must not be confused with.
 */
#include <stdint.h>
#include <string.h>

#include "cgwd/diagnose.h"
#include "lib/cgw_msg.h"
#include "unit.h"

static struct diag_facts f;
static struct diag_finding out[4];
static int n;

/* A healthy BGP tunnel: the facts every case starts from. */
static void
healthy(void)
{
	memset(&f, 0, sizeof(f));
	f.index = 1;
	strcpy(f.aws_outside, "203.0.113.10");
	strcpy(f.cgw_outside, "198.51.100.2");
	strcpy(f.aws_inside, "169.254.10.1");
	f.p1_lifetime = 28800;
	f.p2_lifetime = 3600;
	f.rekey_margin = 270;
	f.rekey_fuzz = 100;
	f.mtu = 1436;
	f.bgp = true;
	f.local_asn = 65000;
	f.aws_asn = 64512;
	f.prefix_limit = 100;
	f.advertised = 3;
	f.ike_up = f.child_up = true;
	f.ike_in_s = 4;
	strcpy(f.ts_local, "0.0.0.0/0");
	strcpy(f.ts_remote, "0.0.0.0/0");
	f.probes_sent = 500;
	f.rtt_us = 1200;
	f.big_sent = 10;
	strcpy(f.bgp_state, "Established");
	f.bgp_read_ms = 2000;
	f.routes_sent = 1;
}

static enum diag_cause
first(void)
{
	n = diag_evaluate(&f, out, 4);
	return n > 0 ? out[0].cause : DIAG_CAUSE_MAX;
}

static void
test_ok(void)
{
	healthy();
	CHECK(first() == DIAG_OK && n == 1);
	CHECK(out[0].severity == DIAG_INFO);
	CHECK(strstr(out[0].text, "BGP Established") != NULL);
	CHECK(strcmp(diag_cause_key(DIAG_OK), "ok") == 0);
}

static void
test_ipsec_causes(void)
{
	healthy();
	f.ike_up = f.child_up = false;
	f.alert = CGW_ALERT_AUTH_FAILED;
	CHECK(first() == DIAG_PSK && out[0].severity == DIAG_FAULT);
	CHECK(strstr(out[0].text, "203.0.113.10") != NULL);
	CHECK(strcmp(diag_cause_key(out[0].cause), "psk-mismatch") == 0);

	f.alert = CGW_ALERT_PROPOSAL_MISMATCH_IKE;
	strcpy(f.alert_detail, "peer accepted none of ours: IKE:AES_GCM_16_256");
	CHECK(first() == DIAG_IKE_PROPOSAL);
	CHECK(strstr(out[0].text, "AES_GCM_16_256") != NULL);

	f.ike_up = true;	/* IKE_AUTH's CHILD_SA refused */
	f.alert = CGW_ALERT_PROPOSAL_MISMATCH_CHILD;
	CHECK(first() == DIAG_CHILD_PROPOSAL);

	f.alert = CGW_ALERT_TS_MISMATCH;
	CHECK(first() == DIAG_TS);

	/* nothing answers IKE_SA_INIT */
	f.ike_up = false;
	f.alert = CGW_ALERT_RETRANSMIT;
	f.retransmits = 1;
	CHECK(first() == DIAG_IPSEC_DOWN);	/* one lost packet says little */
	f.retransmits = 3;
	CHECK(first() == DIAG_IKE_UNREACHABLE);
	CHECK(strcmp(diag_cause_key(out[0].cause), "ike-unreachable") == 0);
	f.retransmits = 0;
	f.alert = CGW_ALERT_RETRANSMIT_TIMEOUT;
	CHECK(first() == DIAG_IKE_UNREACHABLE);
	/* retransmits while IKE is up are a DPD matter, not IKE_SA_INIT's */
	f.alert = 0;
	f.retransmits = 3;
	f.ike_up = true;
	CHECK(first() == DIAG_IPSEC_DOWN);
}

static void
test_pfs_mismatch_shows_at_rekey(void)
{
	healthy();
	f.alert = CGW_ALERT_PROPOSAL_MISMATCH_CHILD;
	f.alert_rekeying = true;
	strcpy(f.alert_detail, "peer accepted none of ours: ESP:AES_CBC_128/HMAC_SHA2_256_128/MODP_3072");
	CHECK(first() == DIAG_CHILD_PROPOSAL);
	CHECK(strstr(out[0].text, "PFS") != NULL);
	/* the same alert before any CHILD_SA: a plain phase 2 mismatch,
	 * handled by the IKE checks (the tunnel is down) */
	f.child_up = false;
	CHECK(first() == DIAG_CHILD_PROPOSAL);
	CHECK(strstr(out[0].text, "rekey") == NULL);
}

static void
test_narrowed_selectors(void)
{
	healthy();
	strcpy(f.ts_remote, "10.99.0.0/16");
	CHECK(first() == DIAG_TS);
	CHECK(strstr(out[0].text, "10.99.0.0/16") != NULL);
	/* no selectors reported (an older listing): not a mismatch */
	healthy();
	f.ts_local[0] = f.ts_remote[0] = '\0';
	CHECK(first() == DIAG_OK);
}

static void
test_esp_blocked_vs_path_cut(void)
{
	healthy();
	f.lost_run = 150;
	f.lost_for_ms = 15000;
	f.ike_in_s = 3;		/* DPD answered after probes stopped */
	f.bgp_read_ms = 17000;	/* ...BGP last heard before they did */
	CHECK(first() == DIAG_ESP_BLOCKED);
	CHECK(strstr(out[0].text, "encapsulation udp") != NULL);

	f.ike_in_s = 16;	/* nothing since: too early to tell */
	CHECK(first() == DIAG_PATH_DOWN);
	f.lost_for_ms = 30000;
	f.ike_in_s = 31;
	f.bgp_read_ms = 32000;
	CHECK(first() == DIAG_IKE_UNREACHABLE);
	CHECK(strstr(out[0].text, "stopped answering") != NULL);

	/* DPD took the tunnel down after the cut: still the path */
	f.child_up = false;
	CHECK(first() == DIAG_IKE_UNREACHABLE);
	f.lost_for_ms = 5000;
	f.ike_in_s = 6;
	CHECK(first() == DIAG_IPSEC_DOWN);	/* too early to say */

	/* a few lost probes are not a diagnosis */
	healthy();
	f.lost_run = 2;
	f.lost_for_ms = 200;
	CHECK(first() == DIAG_OK);
}

static void
test_mtu(void)
{
	healthy();
	f.big_lost_run = 3;
	CHECK(first() == DIAG_MTU);
	CHECK(strstr(out[0].text, "1436") != NULL);
	f.big_lost_run = 1;	/* one lost big probe: could be chance */
	CHECK(first() == DIAG_OK);
	/* everything lost: the path, not the MTU */
	f.big_lost_run = 3;
	f.loss_pct = 100;
	f.lost_run = 50;
	f.lost_for_ms = 5000;
	f.bgp_read_ms = 7000;	/* BGP last heard before that */
	CHECK(first() == DIAG_PATH_DOWN);
}

static void
test_lifetime(void)
{
	healthy();
	/* ours: 3600 - 270 - 270 = 3060 s at the earliest */
	CHECK(diag_own_rekey_min(3600, 270, 100) == 3060);
	CHECK(diag_own_rekey_min(900, 270, 0) == 630);
	CHECK(diag_own_rekey_min(100, 270, 100) == 0);
	f.peer_rekey_child_age = 3100;	/* could be our own schedule */
	CHECK(first() == DIAG_OK);
	f.peer_rekey_child_age = 700;
	CHECK(first() == DIAG_LIFETIME && out[0].severity == DIAG_WARNING);
	CHECK(strstr(out[0].text, "700 s") != NULL);
	f.peer_rekey_ike_age = 2000;
	CHECK(first() == DIAG_LIFETIME && n == 2 && out[1].cause == DIAG_LIFETIME);
	CHECK(strstr(out[1].text, "Phase 1") != NULL);
}

static void
test_bgp(void)
{
	healthy();
	strcpy(f.bgp_state, "Active");
	f.bgp_wait_s = 5;
	CHECK(first() == DIAG_OK);	/* still coming up */
	f.bgp_wait_s = 40;
	CHECK(first() == DIAG_BGP_DOWN);
	CHECK(strstr(out[0].text, "Active") != NULL);

	strcpy(f.bgp_code, "0202");
	strcpy(f.bgp_reset, "BGP Notification receive");
	strcpy(f.bgp_reason, "OPEN Message Error/Bad Peer AS");
	CHECK(first() == DIAG_BGP_ASN);
	CHECK(strstr(out[0].text, "local-asn") != NULL);
	strcpy(f.bgp_reset, "BGP Notification send");
	CHECK(first() == DIAG_BGP_ASN);
	CHECK(strstr(out[0].text, "remote-asn") != NULL);
	/* an old error on a session that is Established again: ok */
	strcpy(f.bgp_state, "Established");
	CHECK(first() == DIAG_OK);
}

static void
test_prefix_limit(void)
{
	healthy();
	strcpy(f.bgp_state, "Idle");
	f.bgp_wait_s = 40;
	strcpy(f.bgp_code, "0601");
	strcpy(f.bgp_reason, "Cease/Maximum Number of Prefixes Reached");
	CHECK(first() == DIAG_PREFIX_LIMIT && out[0].severity == DIAG_FAULT);
	CHECK(strstr(out[0].text, "Maximum Number") != NULL);
	/* the warning before AWS's limit */
	healthy();
	f.routes_sent = 85;
	CHECK(first() == DIAG_PREFIX_LIMIT && out[0].severity == DIAG_WARNING);
	healthy();
	f.advertised = 81;	/* what a failover would announce */
	CHECK(first() == DIAG_PREFIX_LIMIT);
	f.advertised = 79;
	CHECK(first() == DIAG_OK);
}

static void
test_static_tunnel_has_no_bgp_causes(void)
{
	healthy();
	f.bgp = false;
	f.bgp_state[0] = '\0';
	f.bgp_wait_s = 100;
	CHECK(first() == DIAG_OK);
	CHECK(strstr(out[0].text, "BGP") == NULL);
}

/* Probes lost while BGP messages still come through the tunnel: ICMP is
 * filtered, ESP works; not esp-blocked, not a path cut. */
static void
test_probes_filtered(void)
{
	healthy();
	f.lost_run = 600;
	f.lost_for_ms = 60000;
	f.ike_in_s = 2;
	f.bgp_read_ms = 4000;
	CHECK(first() == DIAG_PROBES_FILTERED);
	CHECK(out[0].severity == DIAG_WARNING);
	CHECK(strcmp(diag_cause_key(DIAG_PROBES_FILTERED), "probes-filtered") == 0);
	CHECK(strstr(out[0].text, "169.254.10.1") != NULL);
	/* BGP heard nothing since: the tunnel itself fails */
	f.bgp_read_ms = 61000;
	CHECK(first() == DIAG_ESP_BLOCKED);
	/* within bgpd's one-second resolution: not proof */
	f.lost_for_ms = 1500;
	f.bgp_read_ms = 1000;
	CHECK(first() != DIAG_PROBES_FILTERED);
	f.lost_for_ms = 60000;
	/* no BGP on a static tunnel: nothing proves ESP works */
	f.bgp = false;
	f.bgp_read_ms = 4000;
	CHECK(first() == DIAG_ESP_BLOCKED);
	/* ...unless traffic through the tunnels does (failover's evidence) */
	f.probes_filtered = true;
	CHECK(first() == DIAG_PROBES_FILTERED);
	CHECK(strstr(out[0].text, "traffic keeps coming in") != NULL);
}

/* bgpd refused a command of cgw's: cgw's fault, named before anything
 * AWS could be blamed for (the session is down with Bad Peer AS). */
static void
test_bgp_refused(void)
{
	healthy();
	strcpy(f.frr_refused_cmd, "router bgp 65001");
	strcpy(f.frr_refused, "BGP is already running; AS is 65000");
	strcpy(f.bgp_state, "Active");
	strcpy(f.bgp_code, "0202");
	f.bgp_wait_s = 60;
	CHECK(first() == DIAG_BGP_REFUSED);
	CHECK(strcmp(diag_cause_key(DIAG_BGP_REFUSED), "bgp-config-refused") == 0);
	CHECK(strstr(out[0].text, "router bgp 65001") != NULL);
	CHECK(strstr(out[0].text, "AS is 65000") != NULL);
	CHECK(strstr(out[0].text, "not at AWS") != NULL);
	f.bgp = false;		/* a static tunnel: bgpd is not its business */
	CHECK(first() != DIAG_BGP_REFUSED);
}

/* The kernel refused a change to cgw's own objects: named first, and
 * nothing that only follows from it (a link it could not set up fails
 * the probes: no esp-blocked). */
static void
test_kernel_refused(void)
{
	healthy();
	strcpy(f.kernel_op, "set up interface cgw-1a2b3c-1");
	strcpy(f.kernel_error, "No such device");
	strcpy(f.outside_if, "wan0");
	f.outside_if_missing = true;
	f.lost_run = 40;
	f.lost_for_ms = 4000;
	f.loss_pct = 100;
	CHECK(first() == DIAG_KERNEL_REFUSED && n == 1);
	CHECK(strcmp(diag_cause_key(DIAG_KERNEL_REFUSED), "kernel-refused") == 0);
	CHECK(out[0].severity == DIAG_FAULT);
	CHECK(strstr(out[0].text, "no interface wan0") != NULL);
	CHECK(strstr(out[0].text, "renamed") != NULL);
	CHECK(strstr(out[0].text, "not at AWS") != NULL);
	/* any other refusal: what was refused, and the kernel's words */
	f.outside_if_missing = false;
	strcpy(f.kernel_op, "route 10.2.0.0/16 via cgw-1a2b3c-1");
	strcpy(f.kernel_error, "Network is unreachable");
	CHECK(first() == DIAG_KERNEL_REFUSED);
	CHECK(strstr(out[0].text, "route 10.2.0.0/16 via cgw-1a2b3c-1") != NULL);
	CHECK(strstr(out[0].text, "Network is unreachable") != NULL);
	/* put right: the tunnel's own state speaks again */
	f.kernel_op[0] = '\0';
	CHECK(first() != DIAG_KERNEL_REFUSED);
}

/* nftables refused cgw's MSS clamp: a warning on every tunnel, added to
 * what the tunnel has, never hiding a fault of its own. */
static void
test_mss_clamp_missing(void)
{
	healthy();
	strcpy(f.mss_refused, "Could not process rule: Operation not supported");
	CHECK(first() == DIAG_MSS_MISSING && n == 1);
	CHECK(strcmp(diag_cause_key(DIAG_MSS_MISSING), "mss-clamp-missing") == 0);
	CHECK(out[0].severity == DIAG_WARNING);
	CHECK(strstr(out[0].text, "Operation not supported") != NULL);
	CHECK(strstr(out[0].text, "table inet cgw") != NULL);
	/* a tunnel's own fault comes first */
	f.child_up = false;
	f.alert = CGW_ALERT_AUTH_FAILED;
	CHECK(first() == DIAG_PSK && n == 2 && out[1].cause == DIAG_MSS_MISSING);
	/* installed again: gone */
	healthy();
	f.mss_refused[0] = '\0';
	CHECK(first() == DIAG_OK);
}

/* AWS's endpoint lost the SAs (its tunnel options were modified): the
 * old CHILD_SA still stands on our side, nothing answers, and the IKE_SA
 * started beside it was refused: that refusal is the cause, not the path. */
static void
test_refused_beside_a_silent_sa(void)
{
	healthy();
	f.lost_run = 40;
	f.lost_for_ms = 4000;
	f.loss_pct = 100;
	f.ike_in_s = 1;		/* the refusal was an answer */
	CHECK(first() != DIAG_IKE_PROPOSAL && first() != DIAG_PSK);
	f.alert = CGW_ALERT_PROPOSAL_MISMATCH_IKE;
	strcpy(f.alert_detail, "peer accepted none of ours: IKE:AES_CBC_128");
	CHECK(first() == DIAG_IKE_PROPOSAL);
	f.alert = CGW_ALERT_AUTH_FAILED;
	CHECK(first() == DIAG_PSK);
	/* with the probes answered the old SA works: a refusal beside it
	 * is not the tunnel's state */
	f.lost_run = 0;
	f.lost_for_ms = 0;
	f.loss_pct = 0;
	CHECK(first() == DIAG_OK);
}

int
main(void)
{
	test_ok();
	test_kernel_refused();
	test_refused_beside_a_silent_sa();
	test_ipsec_causes();
	test_pfs_mismatch_shows_at_rekey();
	test_narrowed_selectors();
	test_esp_blocked_vs_path_cut();
	test_mtu();
	test_lifetime();
	test_bgp();
	test_prefix_limit();
	test_static_tunnel_has_no_bgp_causes();
	test_probes_filtered();
	test_bgp_refused();
	test_mss_clamp_missing();
	return unit_summary();
}
