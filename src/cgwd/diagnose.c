/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * DOC: diagnose (see diagnose.h)
 *
 * The order of the checks is the order an engineer would follow: first
 * what keeps IKE from coming up (nothing answers, keys, proposals), then
 * what keeps traffic from flowing through an established tunnel (ESP,
 * selectors, MTU), then BGP.  A fault that explains everything after it
 * ends the search; warnings (lifetimes, prefix count) are added to it.
 */
#include "cgwd/diagnose.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "lib/cgw_msg.h"

/* Probes lost in a row before the path counts as not answering (the
 * failover's default is 3; diagnose waits a little longer to be sure). */
#define DIAG_LOST_RUN 5
/* A quiet path becomes "unreachable" once DPD (10 s) had time to answer. */
#define DIAG_PATH_WAIT_MS 25000
/* IPsec up this long without an Established session: BGP is the problem
 * (AWS's side answers in a few seconds; cgw sets connect-retry 1 s). */
#define DIAG_BGP_WAIT_S 20
/* Warn from this share of AWS's prefix limit on. */
#define DIAG_PREFIX_WARN_PCT 80

static const char *const keys[DIAG_CAUSE_MAX] = {
	[DIAG_OK] = "ok",
	[DIAG_PSK] = "psk-mismatch",
	[DIAG_IKE_PROPOSAL] = "ike-proposal-mismatch",
	[DIAG_CHILD_PROPOSAL] = "child-proposal-mismatch",
	[DIAG_LIFETIME] = "lifetime-mismatch",
	[DIAG_TS] = "ts-mismatch",
	[DIAG_IKE_UNREACHABLE] = "ike-unreachable",
	[DIAG_ESP_BLOCKED] = "esp-blocked",
	[DIAG_PROBES_FILTERED] = "probes-filtered",
	[DIAG_BGP_REFUSED] = "bgp-config-refused",
	[DIAG_KERNEL_REFUSED] = "kernel-refused",
	[DIAG_MSS_MISSING] = "mss-clamp-missing",
	[DIAG_PATH_DOWN] = "path-down",
	[DIAG_MTU] = "mtu",
	[DIAG_BGP_ASN] = "bgp-asn-mismatch",
	[DIAG_BGP_DOWN] = "bgp-down",
	[DIAG_PREFIX_LIMIT] = "prefix-limit",
	[DIAG_IPSEC_DOWN] = "ipsec-down",
};

const char *
diag_cause_key(enum diag_cause c)
{
	return c < DIAG_CAUSE_MAX && keys[c] ? keys[c] : "?";
}

unsigned int
diag_own_rekey_min(unsigned int lifetime, unsigned int margin,
    unsigned int fuzz)
{
	unsigned int jitter = margin * (fuzz > 100 ? 100 : fuzz) / 100;

	if (margin > lifetime)
		margin = lifetime;
	return lifetime - margin > jitter ? lifetime - margin - jitter : 0;
}

struct findings {
	struct diag_finding *out;
	int n, max;
};

static void __attribute__((format(printf, 4, 5)))
add(struct findings *fs, enum diag_cause c, enum diag_severity sev,
    const char *fmt, ...)
{
	va_list ap;

	if (fs->n >= fs->max)
		return;
	fs->out[fs->n].cause = c;
	fs->out[fs->n].severity = sev;
	va_start(ap, fmt);
	vsnprintf(fs->out[fs->n].text, sizeof(fs->out[fs->n].text), fmt, ap);
	va_end(ap);
	fs->n++;
}

static bool
is_any(const char *ts)
{
	return ts[0] == '\0' || strcmp(ts, "0.0.0.0/0") == 0;
}

/* Probes and IKE both stopped being answered, long enough for DPD. */
static void
path_cut(const struct diag_facts *f, struct findings *fs)
{
	add(fs, DIAG_IKE_UNREACHABLE, DIAG_FAULT, "tunnel %u: AWS endpoint %s "
	    "stopped answering, IKE and ESP alike, %u s ago: the path between "
	    "%s and %s is cut or filters UDP 500/4500 and ESP; traffic uses "
	    "the other tunnel meanwhile", f->index, f->aws_outside,
	    f->lost_for_ms / 1000, f->cgw_outside, f->aws_outside);
}

/* IKE never completes: returns true if it named why. */
static bool
ike_failed(const struct diag_facts *f, struct findings *fs)
{
	unsigned int n = f->index;

	switch (f->alert) {
	case CGW_ALERT_AUTH_FAILED:
		add(fs, DIAG_PSK, DIAG_FAULT, "tunnel %u: AWS (%s) and cgw "
		    "authenticate with different pre-shared keys: copy tunnel "
		    "%u's key from the VPN connection (console: Download "
		    "configuration, or aws ec2 describe-vpn-connections) into "
		    "its psk and run cgwctl reload", n, f->aws_outside, n);
		return true;
	case CGW_ALERT_PROPOSAL_MISMATCH_IKE:
		add(fs, DIAG_IKE_PROPOSAL, DIAG_FAULT, "tunnel %u: AWS accepts "
		    "none of cgw's phase 1 (IKE) proposals (%s): make tunnel "
		    "%u's phase1 encryption, integrity and dh-group one of the "
		    "tunnel's Phase 1 options in AWS (or add ours there with "
		    "Modify VPN tunnel options) and run cgwctl reload", n,
		    f->alert_detail, n);
		return true;
	case CGW_ALERT_PROPOSAL_MISMATCH_CHILD:
		add(fs, DIAG_CHILD_PROPOSAL, DIAG_FAULT, "tunnel %u: AWS accepts "
		    "none of cgw's phase 2 (IPsec) proposals (%s): make tunnel "
		    "%u's phase2 encryption, integrity and pfs-group one of "
		    "the tunnel's Phase 2 options in AWS and run cgwctl reload",
		    n, f->alert_detail, n);
		return true;
	case CGW_ALERT_TS_MISMATCH:
		add(fs, DIAG_TS, DIAG_FAULT, "tunnel %u: AWS refused the traffic "
		    "selectors (%s): a route-based gateway needs the VPN "
		    "connection's Local and Remote IPv4 Network CIDR at "
		    "0.0.0.0/0 (Modify VPN connection options)", n,
		    f->alert_detail);
		return true;
	default:
		break;
	}
	if (!f->ike_up && (f->retransmits >= 2 ||
	    f->alert == CGW_ALERT_RETRANSMIT_TIMEOUT ||
	    f->alert == CGW_ALERT_PEER_INIT_UNREACHABLE)) {
		add(fs, DIAG_IKE_UNREACHABLE, DIAG_FAULT, "tunnel %u: AWS "
		    "endpoint %s does not answer IKE from %s (%u retransmits "
		    "unanswered): UDP 500 and 4500 are blocked between them, or "
		    "%s is not this connection's endpoint; allow UDP 500 and "
		    "4500 both ways and check outside addresses against the "
		    "VPN connection", n, f->aws_outside, f->cgw_outside,
		    f->retransmits, f->aws_outside);
		return true;
	}
	/* the path died under an established tunnel and DPD took it
	 * down: the probes saw it go */
	if (f->probes_sent && f->lost_run >= DIAG_LOST_RUN &&
	    f->lost_for_ms >= DIAG_PATH_WAIT_MS && (f->ike_in_s == UINT32_MAX ||
	    f->ike_in_s + 1 >= f->lost_for_ms / 1000)) {
		path_cut(f, fs);
		return true;
	}
	return false;
}

/* The CHILD_SA is installed but traffic may still not flow. */
static bool
path_failed(const struct diag_facts *f, struct findings *fs)
{
	unsigned int n = f->index;
	uint32_t lost_s = f->lost_for_ms / 1000;

	if (!is_any(f->ts_local) || !is_any(f->ts_remote)) {
		add(fs, DIAG_TS, DIAG_FAULT, "tunnel %u: AWS narrowed the "
		    "traffic selectors to %s === %s, so everything else is "
		    "dropped: set the VPN connection's Local and Remote IPv4 "
		    "Network CIDR to 0.0.0.0/0 (Modify VPN connection options), "
		    "then cgwctl reset %u", n, f->ts_local, f->ts_remote, n);
		return true;
	}
	if (f->alert == CGW_ALERT_PROPOSAL_MISMATCH_CHILD && f->alert_rekeying) {
		/* IKEv2's first CHILD_SA carries no DH exchange: a PFS group
		 * mismatch is invisible until the first rekey */
		add(fs, DIAG_CHILD_PROPOSAL, DIAG_FAULT, "tunnel %u: AWS refused "
		    "the phase 2 rekey (%s): the PFS group (phase2 pfs-group) or "
		    "algorithms differ from the tunnel's Phase 2 options in AWS "
		    "(the first CHILD_SA has no DH exchange, so this shows at "
		    "the first rekey); make them match and run cgwctl reload, "
		    "or the tunnel drops when the SA expires", n,
		    f->alert_detail);
		return true;
	}
	if (f->probes_sent && f->lost_run >= DIAG_LOST_RUN) {
		/* Nothing answers, and AWS refused the IKE_SA started beside
		 * the silent one since its CHILD_SA came up: the endpoint has
		 * lost the old SAs and takes no new ones with these settings
		 * (AWS's tunnel options were modified, say).  That is the
		 * cause, long before dead-peer detection clears the old SA. */
		if ((f->alert == CGW_ALERT_AUTH_FAILED ||
		    f->alert == CGW_ALERT_PROPOSAL_MISMATCH_IKE) && ike_failed(f, fs))
			return true;
		/* BGP rides ESP: a message from AWS's speaker since the
		 * probes stopped means the tunnel carries traffic and only
		 * the probes (ICMP) are lost.  bgpd counts in whole seconds:
		 * a second's margin. */
		if (f->bgp && strcmp(f->bgp_state, "Established") == 0 &&
		    f->bgp_read_ms != UINT32_MAX &&
		    f->bgp_read_ms + 1000 < f->lost_for_ms) {
			add(fs, DIAG_PROBES_FILTERED, DIAG_WARNING, "tunnel %u: "
			    "the probes to AWS's inside address %s get no answer "
			    "for %u s, but BGP messages from it still arrive "
			    "through the tunnel (last %u ms ago): ICMP is "
			    "filtered on the way (or not answered); the tunnel "
			    "carries traffic, and cgw never takes the last one "
			    "in use out on probe loss alone; allow ICMP echo to "
			    "%s through the tunnel so failover can see it", n,
			    f->aws_inside, lost_s, f->bgp_read_ms, f->aws_inside);
			return true;
		}
		if (f->probes_filtered) {
			add(fs, DIAG_PROBES_FILTERED, DIAG_WARNING, "tunnel %u: "
			    "the probes to AWS's inside address %s get no answer "
			    "for %u s, but traffic keeps coming in through the "
			    "connection's tunnels: ICMP is filtered on the way "
			    "(or not answered), and cgw takes no tunnel out on "
			    "probe loss while it is; BGP's hold timer and "
			    "dead-peer detection still see a dead tunnel, only "
			    "more slowly; allow ICMP echo to %s through the "
			    "tunnel so failover can see it", n, f->aws_inside,
			    lost_s, f->aws_inside);
			return true;
		}
		if (f->ike_in_s != UINT32_MAX && f->ike_in_s + 1 < lost_s) {
			add(fs, DIAG_ESP_BLOCKED, DIAG_FAULT, "tunnel %u: IKE "
			    "with %s works (last message %u s ago) but nothing "
			    "comes back through the tunnel for %u s: ESP (IP "
			    "protocol 50) is blocked between %s and %s; allow "
			    "it, or set encapsulation udp in tunnel %u to carry "
			    "ESP in UDP 4500 (NAT-T) and run cgwctl reload", n,
			    f->aws_outside, f->ike_in_s, lost_s, f->cgw_outside,
			    f->aws_outside, n);
			return true;
		}
		if (f->lost_for_ms >= DIAG_PATH_WAIT_MS) {
			path_cut(f, fs);
			return true;
		}
		add(fs, DIAG_PATH_DOWN, DIAG_FAULT, "tunnel %u: nothing has "
		    "answered through the tunnel for %u.%u s; IKE last heard "
		    "%s: dead-peer detection will tell within about 30 s "
		    "whether only ESP is blocked or the whole path is cut; run "
		    "cgwctl diagnose again", n, lost_s, f->lost_for_ms % 1000 / 100,
		    f->ike_in_s == UINT32_MAX ? "never" : "before that");
		return true;
	}
	if (f->big_sent && f->big_lost_run >= 2 && f->loss_pct < 50) {
		add(fs, DIAG_MTU, DIAG_FAULT, "tunnel %u: packets of %u bytes "
		    "(the tunnel MTU) are lost while small ones pass: the path "
		    "between %s and %s carries less than %u bytes plus the "
		    "ESP overhead, or filters ICMP fragmentation-needed; lower "
		    "tunnel %u's mtu, and mss to 40 less, until this clears, or fix "
		    "the path MTU", n, f->mtu, f->cgw_outside, f->aws_outside,
		    f->mtu, n);
		return true;
	}
	return false;
}

/* AWS rekeyed phase N's SA at this age, before cgw would have: AWS's
 * lifetime is the shorter one. */
static void
early_rekey(const struct diag_facts *f, struct findings *fs,
    unsigned int phase, uint32_t age, unsigned int lifetime)
{
	unsigned int own = diag_own_rekey_min(lifetime, f->rekey_margin,
	    f->rekey_fuzz);

	if (age && age < own)
		add(fs, DIAG_LIFETIME, DIAG_WARNING, "tunnel %u: AWS rekeyed "
		    "phase %u after %u s, before cgw would have (%u s at the "
		    "earliest): AWS's Phase %u lifetime is shorter than "
		    "phase%u lifetime %u; set it to the tunnel's Phase %u "
		    "lifetime in AWS so both sides rekey on one schedule",
		    f->index, phase, age, own, phase, phase, lifetime, phase);
}

static void
lifetimes(const struct diag_facts *f, struct findings *fs)
{
	early_rekey(f, fs, 2, f->peer_rekey_child_age, f->p2_lifetime);
	early_rekey(f, fs, 1, f->peer_rekey_ike_age, f->p1_lifetime);
}

static void
bgp(const struct diag_facts *f, struct findings *fs)
{
	unsigned int n = f->index;
	bool established = strcmp(f->bgp_state, "Established") == 0;
	bool we_sent = strstr(f->bgp_reset, "send") != NULL;

	if (!established && strcmp(f->bgp_code, "0202") == 0) {
		if (we_sent)
			add(fs, DIAG_BGP_ASN, DIAG_FAULT, "tunnel %u: AWS's BGP "
			    "speaker %s does not use AS %u, the bgp remote-asn "
			    "cgw expects: set remote-asn to the Amazon side ASN of the "
			    "virtual private or transit gateway (aws ec2 "
			    "describe-vpn-gateways) and run cgwctl reload", n,
			    f->aws_inside, f->aws_asn);
		else
			add(fs, DIAG_BGP_ASN, DIAG_FAULT, "tunnel %u: AWS "
			    "rejected cgw's AS %u (Bad Peer AS): the customer "
			    "gateway in AWS has another BGP ASN; set local-asn "
			    "to it (aws ec2 describe-customer-gateways) or "
			    "create a customer gateway with ASN %u", n,
			    f->local_asn, f->local_asn);
		return;
	}
	if (strcmp(f->bgp_code, "0601") == 0 && (!established ||
	    f->routes_sent > f->prefix_limit)) {
		add(fs, DIAG_PREFIX_LIMIT, DIAG_FAULT, "tunnel %u: AWS closed "
		    "the BGP session because cgw announced more prefixes than "
		    "its limit (%s): announce fewer or summarised on-prem "
		    "prefixes (advertise in cgw.conf; AWS allows %u on this "
		    "gateway, and a failover adds more-specifics)", n,
		    f->bgp_reason[0] ? f->bgp_reason : "maximum prefixes",
		    f->prefix_limit);
		return;
	}
	if (f->prefix_limit && (f->routes_sent * 100 >= f->prefix_limit *
	    DIAG_PREFIX_WARN_PCT || f->advertised * 100 >= f->prefix_limit *
	    DIAG_PREFIX_WARN_PCT))
		add(fs, DIAG_PREFIX_LIMIT, DIAG_WARNING, "tunnel %u: cgw "
		    "announces %u prefixes (up to %u during a failover) and "
		    "AWS closes the session above %u: summarise the on-prem "
		    "prefixes before adding more", n, f->routes_sent,
		    f->advertised, f->prefix_limit);
	if (!established && f->bgp_wait_s >= DIAG_BGP_WAIT_S) {
		char last[128] = "";

		if (f->bgp_reason[0])
			snprintf(last, sizeof(last), " (last error: %s)",
			    f->bgp_reason);
		add(fs, DIAG_BGP_DOWN, DIAG_FAULT, "tunnel %u: the tunnel "
		    "carries traffic but BGP with %s (AS %u) is %s after %u s%s: "
		    "check that the VPN connection uses dynamic (BGP) routing, "
		    "that nothing filters TCP 179 on the tunnel, and that "
		    "local-asn is the customer gateway's ASN in AWS", n,
		    f->aws_inside, f->aws_asn, f->bgp_state[0] ? f->bgp_state :
		    "not running", f->bgp_wait_s, last);
	}
}

/* What is wrong with the tunnel itself, in the order an engineer looks. */
static void
tunnel_causes(const struct diag_facts *f, struct findings *fs)
{
	if (!f->child_up) {
		if (!ike_failed(f, fs))
			add(fs, DIAG_IPSEC_DOWN, DIAG_FAULT, "tunnel %u: IPsec "
			    "to %s is down and no cause has been seen yet (IKE "
			    "%s): cgw keeps initiating; run cgwctl diagnose "
			    "again in a few seconds, or read charon's log",
			    f->index, f->aws_outside, f->ike_up ?
			    "established, CHILD_SA missing" : "not established");
		return;
	}
	if (path_failed(f, fs)) {
		lifetimes(f, fs);
		return;
	}
	lifetimes(f, fs);
	if (f->bgp && f->frr_refused[0])
		add(fs, DIAG_BGP_REFUSED, DIAG_FAULT, "tunnel %u: bgpd refused "
		    "cgw's command \"%s\": %s; the fault is on this box (cgw.conf, "
		    "or FRR's own configuration beside cgw's), not at AWS: "
		    "correct it and run cgwctl reload", f->index,
		    f->frr_refused_cmd, f->frr_refused);
	if (f->bgp)
		bgp(f, fs);
}

int
diag_evaluate(const struct diag_facts *f, struct diag_finding *out, int max)
{
	struct findings fs = { out, 0, max };

	if (max <= 0)
		return 0;
	/* cgw's own objects in the kernel come first: without them nothing
	 * else can work, and the fix is on this box */
	if (f->kernel_op[0] && f->outside_if_missing)
		add(&fs, DIAG_KERNEL_REFUSED, DIAG_FAULT, "tunnel %u: the kernel "
		    "has no interface %s (cgw.conf's outside-interface), so cgw "
		    "cannot %s; the fault is on this box, not at AWS: set "
		    "outside-interface to the interface that holds %s (was it "
		    "renamed?) and run cgwctl reload", f->index, f->outside_if,
		    f->kernel_op, f->cgw_outside);
	else if (f->kernel_op[0])
		add(&fs, DIAG_KERNEL_REFUSED, DIAG_FAULT, "tunnel %u: the kernel "
		    "refused to %s (%s); the fault is on this box, not at AWS: "
		    "look for what else changes cgw's interfaces and routes "
		    "(another tool, a hand-made change); cgw tries again every "
		    "second", f->index, f->kernel_op, f->kernel_error);
	if (fs.n)
		return fs.n;	/* what follows from it would only mislead */
	tunnel_causes(f, &fs);
	/* The box's own: added to whatever the tunnel has. */
	if (f->mss_refused[0])
		add(&fs, DIAG_MSS_MISSING, DIAG_WARNING, "tunnel %u: cgw's TCP "
		    "MSS clamp is not installed, nftables refused table inet "
		    "cgw (%s): TCP through the tunnels may hang on full-size "
		    "segments (AWS does no path MTU discovery); the table is "
		    "cgw's: remove what else was put in it (nft list table "
		    "inet cgw), cgw writes it again every few seconds",
		    f->index, f->mss_refused);
	if (fs.n == 0)
		add(&fs, DIAG_OK, DIAG_INFO, "tunnel %u: IPsec up%s, probes "
		    "answered in %.1f ms%s", f->index,
		    f->bgp ? (strcmp(f->bgp_state, "Established") == 0 ?
		    ", BGP Established" : ", BGP not yet Established") : "",
		    f->rtt_us / 1000.0, f->big_sent ? ", full-size packets pass" :
		    "");
	return fs.n;
}
