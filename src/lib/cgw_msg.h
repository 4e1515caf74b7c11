/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * DOC: the one message table
 *
 * Every message between cgwd, cgwctl and the charon plugin "cgw" is
 * declared here, as in iked's types.h: a header followed by a fixed-size
 * payload struct (no pointers, same host, so no serialisation).  Each
 * receiver has one dispatch switch that checks the payload size of every
 * type at the top of its case and rejects unknown types.
 *
 * Connections: the plugin connects to cgwd's plugin socket (so a charon
 * that restarts comes back and is given its tunnels again, without a
 * human); cgwctl connects to cgwd.sock (full control) or cgwd.rsock (show
 * only).  Requests carry a sequence number the replies echo.
 *
 * This header is plain C with no strongSwan or cgwd types, so the plugin
 * can include it.
 */
#ifndef CGW_MSG_H
#define CGW_MSG_H

#include <stdint.h>

#define CGW_MSG_VERSION 3
#define CGW_MSG_MAX 4096		/* largest payload accepted */
#define CGW_NAME_MAX 48			/* "vpn-0123456789abcdef0-1" fits */
#define CGW_ID_MAX 128			/* IKE identities */
#define CGW_PSK_MAX 72			/* AWS: 64 characters, plus NUL */
#define CGW_TEXT_MAX 256		/* human-readable detail */

enum cgw_msg_type {
	/* plugin <-> cgwd */
	CGW_MSG_HELLO = 1,		/* plugin -> cgwd: struct cgw_msg_hello */
	CGW_MSG_TUNNEL_LOAD,		/* cgwd -> plugin: struct cgw_msg_tunnel */
	CGW_MSG_TUNNEL_UNLOAD,		/* cgwd -> plugin: struct cgw_msg_name */
	CGW_MSG_INITIATE,		/* cgwd -> plugin: struct cgw_msg_name */
	CGW_MSG_TERMINATE,		/* cgwd -> plugin: struct cgw_msg_name */
	CGW_MSG_REKEY,			/* cgwd -> plugin: struct cgw_msg_name */
	CGW_MSG_LIST_SAS,		/* cgwd -> plugin: empty; SA... END */
	CGW_MSG_SA,			/* plugin -> cgwd: struct cgw_msg_sa */
	CGW_MSG_EVENT,			/* plugin -> cgwd: struct cgw_msg_event */
	/* cgwctl <-> cgwd */
	CGW_MSG_SHOW_TUNNELS,		/* empty; TUNNEL_STATUS... END */
	CGW_MSG_TUNNEL_STATUS,		/* struct cgw_msg_tunnel_status */
	CGW_MSG_RESET,			/* struct cgw_msg_name (tunnel) */
	CGW_MSG_RELOAD,			/* empty, or struct cgw_msg_reload */
	/* both */
	CGW_MSG_END,			/* end of a stream of records */
	CGW_MSG_RESULT,			/* struct cgw_msg_result */
	/* cgwctl <-> cgwd, added in version 2 (numbers never move) */
	CGW_MSG_SHOW_BGP,		/* empty; BGP_NEIGHBOR... END */
	CGW_MSG_BGP_NEIGHBOR,		/* struct cgw_msg_bgp_neighbor */
	CGW_MSG_SHOW_ROUTES,		/* empty; ROUTE... END */
	CGW_MSG_ROUTE,			/* struct cgw_msg_route */
	CGW_MSG_DIAGNOSE,		/* struct cgw_msg_name ("" = all);
					 * DIAGNOSIS... END */
	CGW_MSG_DIAGNOSIS,		/* struct cgw_msg_diagnosis */
	CGW_MSG_CONFIRM,		/* empty: keep the reloaded configuration */
	/* cgwd -> plugin, added in version 3 */
	CGW_MSG_REINITIATE,		/* struct cgw_msg_name: a new IKE_SA beside
					 * the tunnel's (make-before-break) */
	CGW_MSG_KEEP_IKE,		/* struct cgw_msg_keep: the tunnel's other
					 * IKE_SAs go, this one carries it */
	/* cgwctl <-> cgwd, added in version 3 */
	CGW_MSG_SHOW_METRICS,		/* empty; TEXT... END: what /metrics serves */
	CGW_MSG_TEXT,			/* struct cgw_msg_text */
	CGW_MSG_SHOW_EVENTS,		/* struct cgw_msg_events_req; EVENT_REC... END */
	CGW_MSG_EVENT_REC,		/* struct cgw_msg_event_rec */
	/* cgwctl <-> cgwd, added later in version 3 (numbers never move) */
	CGW_MSG_SHOW_DNS,		/* empty; DNS_STATUS... END */
	CGW_MSG_DNS_STATUS,		/* struct cgw_msg_dns_status */
	CGW_MSG_DIAGNOSE_DNS,		/* struct cgw_msg_dns_name; DIAGNOSIS... END
					 * (connection "dns", ifname: where) */
	CGW_MSG_TYPE_MAX
};

struct cgw_msg_hdr {
	uint32_t type;			/* enum cgw_msg_type */
	uint32_t len;			/* payload bytes after the header */
	uint32_t seq;			/* echoed in replies */
	uint32_t pad;
};

struct cgw_msg_hello {
	uint32_t version;		/* CGW_MSG_VERSION */
	uint32_t pid;			/* charon's */
	char swan_version[32];		/* strongSwan the plugin was built for */
};

struct cgw_msg_name {
	char name[CGW_NAME_MAX];
};

struct cgw_msg_keep {
	char name[CGW_NAME_MAX];
	uint32_t ike_id;		/* charon's unique id of the one to keep */
	uint32_t pad;
};

enum cgw_msg_encr { /* the values of enum cgw_encr */
	CGW_MSG_ENCR_AES128 = 1, CGW_MSG_ENCR_AES256,
	CGW_MSG_ENCR_AES128_GCM16, CGW_MSG_ENCR_AES256_GCM16,
};
enum cgw_msg_integ { /* the values of enum cgw_integ */
	CGW_MSG_INTEG_NONE = 0, CGW_MSG_INTEG_SHA1, CGW_MSG_INTEG_SHA256,
	CGW_MSG_INTEG_SHA384, CGW_MSG_INTEG_SHA512,
};

struct cgw_msg_proposal {
	uint32_t encr;			/* enum cgw_msg_encr */
	uint32_t integ;			/* enum cgw_msg_integ (PRF in phase 1 GCM) */
	uint32_t dh_group;		/* IANA number; 0 = none */
	uint32_t lifetime;		/* seconds */
};

/* Everything charon needs for one tunnel: one IKE_SA with one CHILD_SA,
 * 0.0.0.0/0 <-> 0.0.0.0/0, bound to the tunnel's XFRM interface. */
struct cgw_msg_tunnel {
	char name[CGW_NAME_MAX];	/* peer and child config name */
	uint32_t ike_version;		/* 1 or 2 */
	uint32_t local_addr;		/* IPv4, network order */
	uint32_t remote_addr;
	char local_id[CGW_ID_MAX];
	char remote_id[CGW_ID_MAX];
	char psk[CGW_PSK_MAX];		/* wiped after use by both sides */
	struct cgw_msg_proposal phase1, phase2;
	uint32_t rekey_margin;		/* seconds */
	uint32_t rekey_fuzz;		/* percent */
	uint32_t replay_window;		/* packets */
	uint32_t dpd_delay, dpd_timeout;	/* seconds */
	uint32_t dpd_action;		/* enum cgw_msg_dpd */
	uint32_t initiate;		/* 1: cgw initiates and re-initiates */
	uint32_t if_id;			/* XFRM interface id, in and out */
	uint32_t force_encap;		/* 1: UDP-encapsulate ESP even without NAT */
};

/* The values of conf.h's enum cgw_dpd_action, for the plugin. */
enum cgw_msg_dpd {
	CGW_MSG_DPD_CLEAR = 0, CGW_MSG_DPD_NONE, CGW_MSG_DPD_RESTART,
};

enum cgw_msg_event_kind {
	CGW_EV_IKE_UP = 1, CGW_EV_IKE_DOWN, CGW_EV_IKE_REKEY,
	CGW_EV_CHILD_UP, CGW_EV_CHILD_DOWN, CGW_EV_CHILD_REKEY,
	CGW_EV_IKE_STATE, CGW_EV_CHILD_STATE,
	CGW_EV_ALERT,
};

enum cgw_msg_alert {
	CGW_ALERT_NONE = 0,
	CGW_ALERT_AUTH_FAILED,		/* PSK mismatch (ours or theirs) */
	CGW_ALERT_PROPOSAL_MISMATCH_IKE,
	CGW_ALERT_PROPOSAL_MISMATCH_CHILD,
	CGW_ALERT_TS_MISMATCH,
	CGW_ALERT_RETRANSMIT_TIMEOUT,	/* peer unreachable */
	CGW_ALERT_INSTALL_FAILED,	/* kernel refused the SA or policy */
	CGW_ALERT_PEER_INIT_UNREACHABLE,
	CGW_ALERT_OTHER,
	CGW_ALERT_RETRANSMIT,		/* one retransmit: not an error yet */
	CGW_ALERT_REPLACED,		/* version 3: an older IKE_SA of the
					 * tunnel goes (uniqueness), the newer
					 * one carries it: not an error */
};

struct cgw_msg_event {
	char name[CGW_NAME_MAX];
	uint32_t kind;			/* enum cgw_msg_event_kind */
	uint32_t state;			/* charon's ike_sa_state_t / child_sa_state_t */
	char state_name[16];		/* charon's name of it, e.g. "INSTALLED" */
	uint32_t alert;			/* enum cgw_msg_alert with CGW_EV_ALERT */
	uint32_t initiator;		/* 1: we initiated the exchange (IKE_SA's
					 * original initiator with ALERTs; with
					 * IKE_REKEY and CHILD_REKEY, the rekey's) */
	uint32_t age_s;			/* REKEY: age of the SA replaced */
	uint32_t rekeying;		/* ALERT: a CHILD_SA was already up
					 * (the alert is a failed rekey) */
	char detail[CGW_TEXT_MAX];	/* e.g. the proposals seen; never a key */
	/* version 3: which SA the event is about (charon's unique ids; 0 =
	 * none).  Two IKE_SAs or CHILD_SAs of one tunnel exist during rekeys
	 * and make-before-break: names do not tell them apart. */
	uint32_t ike_id, child_id;
	uint32_t old_id;		/* REKEY: the IKE_SA/CHILD_SA replaced */
};

struct cgw_msg_sa {
	char name[CGW_NAME_MAX];
	uint32_t ike_state;		/* charon's ike_sa_state_t */
	uint32_t child_state;		/* charon's child_sa_state_t; 0 = none */
	/* The same as charon names them ("ESTABLISHED", "INSTALLED"; "" =
	 * none), so cgwd and cgwctl need no copy of charon's enums. */
	char ike_state_name[16];
	char child_state_name[16];
	uint32_t spi_in, spi_out;	/* network order */
	uint64_t bytes_in, bytes_out;
	uint64_t packets_in, packets_out;
	uint32_t established_s;		/* seconds since IKE_SA establishment */
	uint32_t rekey_in_s;		/* seconds to the CHILD_SA rekey */
	char ike_proposal[96];		/* e.g. AES_CBC_128/HMAC_SHA2_256_128/... */
	char child_proposal[96];
	char ts_local[64], ts_remote[64];	/* negotiated selectors */
	uint32_t ike_in_s;		/* seconds since the last IKE message
					 * from the peer; UINT32_MAX = never */
	uint32_t pad2;			/* explicit: 8-byte aligned size */
	uint32_t ike_id, child_id;	/* version 3: unique ids; 0 = none */
};

/* What cgwctl shows per tunnel. */
struct cgw_msg_tunnel_status {
	char connection[CGW_NAME_MAX];
	uint32_t index;			/* 1 or 2 */
	char ifname[16];
	uint32_t aws_outside, cgw_outside;	/* network order */
	uint32_t inside_net;		/* the /30, network order */
	uint32_t up;			/* 1: AWS console's UP */
	uint64_t last_change;		/* unix time of the last UP/DOWN change */
	char details[CGW_TEXT_MAX];	/* e.g. "IPSEC IS DOWN: auth failed" */
	uint32_t ipsec_up;		/* CHILD_SA installed */
	uint32_t bgp;			/* 1: the connection uses BGP */
	char bgp_state[16];		/* FRR's name, e.g. "Established" */
	uint32_t bgp_uptime_s;
	uint32_t routes_received, routes_sent;
	uint32_t usable;		/* failover: may carry traffic */
	uint32_t pulling;		/* announcing more-specifics (active) */
	uint32_t probe_rtt_us;		/* last probe's round trip */
	uint32_t probe_loss_pct;	/* of the last 8 probes */
	char role[12];			/* "active"/"standby" (active-standby
					 * policy); "" = equal (active-active) */
	struct cgw_msg_sa sa;
};

/* cgwctl show bgp: one per BGP tunnel. */
struct cgw_msg_bgp_neighbor {
	char connection[CGW_NAME_MAX];
	uint32_t index;
	char ifname[16];
	uint32_t neighbor;		/* AWS's inside address, network order */
	uint32_t remote_as, local_as;
	char state[16];			/* FRR's bgpState */
	uint32_t uptime_s;
	uint32_t routes_received, routes_sent;
	uint32_t prefix_limit;		/* AWS's, from the configuration */
	uint32_t usable, pulling;	/* failover, as in TUNNEL_STATUS */
	char last_error[96];		/* FRR's last notification / reset */
};

/* cgwctl show routes: a kernel route through a tunnel, or a prefix cgw
 * announces to AWS over one. */
enum cgw_route_dir { CGW_ROUTE_TO_AWS = 1, CGW_ROUTE_ADVERTISED };
/* An advertised prefix as bgpd's adj-rib-out has it, against the model. */
enum cgw_route_bgpd {
	CGW_BGPD_NONE,			/* to-aws lines */
	CGW_BGPD_SENT,			/* bgpd advertises it, as it should */
	CGW_BGPD_NOT_SENT,		/* it should, bgpd does not */
	CGW_BGPD_UNEXPECTED,		/* bgpd advertises what cgw never asked */
	CGW_BGPD_UNREAD,		/* bgpd could not be asked: the model's */
};
struct cgw_msg_route {
	uint32_t dir;			/* enum cgw_route_dir */
	uint32_t prefix;		/* network order */
	uint32_t plen;
	char connection[CGW_NAME_MAX];
	uint32_t index;
	char ifname[16];
	char protocol[16];		/* kernel's: "bgp", "cgw" (static)... */
	uint32_t metric;
	uint32_t ecmp;			/* one of several next hops */
	uint32_t bgpd;			/* advertised: enum cgw_route_bgpd */
};

/* cgwctl diagnose: one per cause found (a tunnel with none gets "ok"). */
struct cgw_msg_diagnosis {
	char connection[CGW_NAME_MAX];
	uint32_t index;
	char ifname[16];
	char cause[32];			/* stable key, e.g. "psk-mismatch" */
	uint32_t severity;		/* 0 ok, 1 warning, 2 fault */
	char text[512];			/* the cause and the fix, one sentence */
};

enum cgw_result {
	CGW_RES_OK = 0,
	CGW_RES_DENIED,			/* read-only socket */
	CGW_RES_UNKNOWN_TUNNEL,
	CGW_RES_BAD_REQUEST,
	CGW_RES_FAILED,
	CGW_RES_MAX
};

/* reload --confirm: undone unless confirmed within confirm_s seconds */
struct cgw_msg_reload {
	uint32_t confirm_s;		/* 0: no confirmation needed */
};

/* A piece of a longer text (show metrics), in order. */
struct cgw_msg_text {
	uint32_t len;			/* bytes of text used */
	uint32_t pad;
	char text[3840];
};

/* show dns: one record per inbound endpoint address, then one for unbound */
enum cgw_dns_kind { CGW_DNS_ENDPOINT, CGW_DNS_UNBOUND };
struct cgw_msg_dns_status {
	uint32_t kind;			/* enum cgw_dns_kind */
	uint32_t up;			/* answers / runs with cgw's part in force */
	uint32_t judged;		/* endpoint: answered or missed enough */
	uint32_t forwarded;		/* endpoint: in unbound's forward list */
	uint32_t rtt_us;		/* endpoint: the last answer's round trip */
	uint32_t pad;
	uint64_t sent, answered;	/* endpoint: probes */
	uint64_t since_ms;		/* unix ms of the last change */
	char addr[16];
	char detail[CGW_TEXT_MAX];	/* why not up, "" when up */
};

struct cgw_msg_dns_name {
	char name[256];			/* a domain name, NUL-terminated */
};

/* show events: the newest max (0 = all) since since_ms. */
struct cgw_msg_events_req {
	uint64_t since_ms;		/* unix time in ms; 0 = from the start */
	uint32_t max;
	uint32_t pad;
};

/* One event of the history (event_log.h). */
struct cgw_msg_event_rec {
	uint64_t at_ms;			/* unix time in ms */
	char tunnel[CGW_NAME_MAX];	/* "-": the box */
	char event[24];			/* stable key, e.g. "failover" */
	char cause[CGW_TEXT_MAX];
};

struct cgw_msg_result {
	uint32_t code;			/* enum cgw_result */
	char text[CGW_TEXT_MAX];
};

#endif
