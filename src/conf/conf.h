/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * DOC: the configuration model
 *
 * What one cgw box is told to do: the box itself (outside interface and
 * address, local ASN, on-prem prefixes) and, per AWS VPN connection, its two
 * tunnels with everything AWS lets a customer set on a tunnel.  The model is
 * pure data: parse.c builds it from cgw.conf, the importers build it from
 * AWS's files, validate.c checks it, printconf.c prints it.  One tree, freed
 * as a whole by cgw_conf_free().
 */
#ifndef CGW_CONF_H
#define CGW_CONF_H

#include <netinet/in.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "lib/addr.h"
#include "lib/diag.h"

#define CGW_TUNNELS 2		/* AWS: two tunnels per VPN connection */
#define CGW_IFNAMSIZ 16		/* IFNAMSIZ, without dragging in <net/if.h> */
/* A connection id's length: its tunnels are named "<id>-1" and "<id>-2"
 * in 48 bytes (CGW_NAME_MAX of the plugin protocol); longer ids would cut
 * to one name for two connections.  AWS's are 21. */
#define CGW_CONN_ID_MAX 45

/* AWS defaults (Site-to-Site VPN user guide, "Tunnel options"). */
#define CGW_DEF_P1_LIFETIME 28800
#define CGW_DEF_P2_LIFETIME 3600
#define CGW_DEF_REKEY_MARGIN 270
#define CGW_DEF_REKEY_FUZZ 100
#define CGW_DEF_REPLAY_WINDOW 1024
#define CGW_DEF_DPD_DELAY 10
#define CGW_DEF_DPD_TIMEOUT 30
#define CGW_DEF_AWS_ASN 64512
#define CGW_DEF_BGP_KEEPALIVE 10
#define CGW_DEF_BGP_HOLD 30
#define CGW_DEF_MTU 1436	/* what AWS's templates configure */
#define CGW_DEF_MSS 1379
/* Failover defaults: 3 x 100 ms detects a dead tunnel in 0.3 s on a clean
 * path; on a path that loses probes at random failover.c asks for more
 * (up to twice as many) before it believes the tunnel is dead. */
#define CGW_DEF_PROBE_INTERVAL_MS 100
#define CGW_DEF_PROBE_MISSES 3
#define CGW_DEF_HOLDDOWN_S 10
/* Routing policy: active-standby prepends the box's ASN this many times
 * on the standby tunnel and gives its routes this local preference
 * (bgpd's default, on every other tunnel, is 100). */
#define CGW_STANDBY_PREPEND 2
#define CGW_STANDBY_LOCAL_PREF 50
#define CGW_MAX_ECMP 64

enum cgw_routing { CGW_ROUTING_BGP, CGW_ROUTING_STATIC };
enum cgw_gateway_type { CGW_GW_VGW, CGW_GW_TGW };
enum cgw_startup { CGW_STARTUP_START, CGW_STARTUP_ADD };
enum cgw_dpd_action { CGW_DPD_CLEAR, CGW_DPD_NONE, CGW_DPD_RESTART };
/* How a BGP connection's two tunnels share the traffic.  active-active:
 * equal attributes on both, AWS steers with MED (and lowers it on the
 * healthy tunnel during its maintenance).  active-standby: the preferred
 * tunnel wins both ways (local preference in, AS-path prepend out on the
 * other one); failover still moves traffic at once. */
enum cgw_policy { CGW_POLICY_ACTIVE_ACTIVE, CGW_POLICY_ACTIVE_STANDBY };

/* Algorithms AWS accepts.  0 means "not set" in every enum. */
enum cgw_encr {
	CGW_ENCR_NONE = 0,
	CGW_ENCR_AES128,
	CGW_ENCR_AES256,
	CGW_ENCR_AES128_GCM16,
	CGW_ENCR_AES256_GCM16,
};
enum cgw_integ {
	CGW_INTEG_NONE = 0,	/* the only valid choice with GCM in phase 2 */
	CGW_INTEG_SHA1,
	CGW_INTEG_SHA256,
	CGW_INTEG_SHA384,
	CGW_INTEG_SHA512,
};

/* One IKE (phase 1) or ESP (phase 2) proposal: cgw offers exactly one per
 * phase, because AWS picks the lowest it has configured whatever our order. */
struct cgw_proposal {
	enum cgw_encr encr;
	enum cgw_integ integ;	/* phase 1 with GCM: used as the PRF */
	unsigned int dh_group;	/* phase 1: DH group; phase 2: PFS group (0 = none) */
	unsigned int lifetime;	/* seconds */
};

/* Where a setting came from, for "file:line: ..." errors. */
struct cgw_where {
	const char *file;	/* borrowed from cgw_conf.files */
	int line;
};

struct cgw_tunnel_conf {
	struct cgw_where where;
	unsigned int index;			/* 1 or 2 */
	char ifname[CGW_IFNAMSIZ];		/* xfrm interface */
	struct in_addr aws_outside;		/* the AWS endpoint */
	struct in_addr cgw_outside;		/* our address as AWS sees it (NAT) */
	struct in_addr local_address;		/* our address on the box */
	char *local_id;				/* IKE identity; NULL = cgw_outside */
	struct cgw_prefix inside;		/* the /30 (169.254.0.0/16) */
	struct in_addr inside_local;		/* ours: .2 of the /30 */
	struct in_addr inside_remote;		/* AWS's: .1 of the /30 */
	char *psk;
	unsigned int ike_version;		/* 1 or 2 */
	struct cgw_proposal phase1, phase2;
	unsigned int rekey_margin;		/* seconds */
	unsigned int rekey_fuzz;		/* percent */
	unsigned int replay_window;		/* packets */
	unsigned int dpd_delay, dpd_timeout;	/* seconds */
	enum cgw_dpd_action dpd_action;
	enum cgw_startup startup;
	uint32_t aws_asn;			/* BGP: AWS side */
	unsigned int bgp_keepalive, bgp_hold;
	unsigned int mtu, mss;
	bool force_encap;			/* encapsulation udp: NAT-T always */
};

struct cgw_conn_conf {
	struct cgw_where where;
	char *id;				/* vpn-0123456789abcdef0 */
	enum cgw_routing routing;
	enum cgw_gateway_type gateway;
	uint32_t local_asn;			/* 0 = the box's */
	struct cgw_prefix *static_routes;	/* VPC prefixes (static routing) */
	size_t n_static_routes;
	enum cgw_policy policy;			/* BGP only */
	unsigned int preferred_tunnel;		/* active-standby: 1 or 2 */
	struct cgw_tunnel_conf tunnel[CGW_TUNNELS];
	struct cgw_conn_conf *next;
};

struct cgw_box_conf {
	struct cgw_where where;
	bool present;				/* a "gateway" block was seen */
	char *outside_interface;
	struct in_addr local_address;		/* default for tunnels' local_address */
	uint32_t local_asn;
	struct in_addr router_id;
	struct cgw_prefix *advertise;		/* on-prem prefixes */
	size_t n_advertise;
	/* Failover: in-band probes through each tunnel (see failover.h). */
	unsigned int probe_interval_ms;
	unsigned int probe_misses;		/* lost in a row = tunnel dead */
	unsigned int holddown_s;		/* healthy this long before reuse */
	unsigned int ecmp;			/* BGP paths per prefix; 1 = no ECMP */
	/* IKE and ESP on the outside interface only from the configured AWS
	 * endpoints (cgw's nftables table); on unless "outside-filter off" */
	bool outside_filter;
	/* /metrics over HTTP: off while metrics_port is 0; on 127.0.0.1
	 * unless metrics_listen (an IPv4 address, as written) says otherwise */
	char *metrics_listen;
	unsigned int metrics_port;
};

/* Names over the VPN (docs/dns.md): a local unbound forwards these zones to
 * a Route 53 Resolver inbound endpoint in the VPC, its queries leaving from
 * an on-prem address AWS routes back over the tunnels. */
#define CGW_DNS_ENDPOINTS_MAX 6	/* AWS: an inbound endpoint has 2-6 addresses */
#define CGW_DNS_ZONES_MAX 32	/* forward_add runs one zone at a time */
#define CGW_DNS_NAME_MAX 254	/* a domain name in text, with its NUL */
struct cgw_dns_conf {
	struct cgw_where where;
	bool present;				/* a "dns" block was seen */
	struct in_addr *listen;			/* unbound's addresses on the LAN */
	size_t n_listen;			/* 0 = the source address */
	struct in_addr source;			/* queries to AWS leave from it */
	struct in_addr *endpoints;		/* the inbound endpoint's addresses */
	size_t n_endpoints;
	char **zones;				/* lower case, no final dot */
	size_t n_zones;
	struct cgw_prefix *allow;		/* who may ask; 0 = the advertised */
	size_t n_allow;
	/* each statement's line in where.file, for the validator's errors
	 * (0: none, e.g. a configuration built in code) */
	int source_line;
	int *listen_line, *endpoint_line, *allow_line;
};

struct cgw_conf {
	struct cgw_box_conf box;
	struct cgw_dns_conf dns;
	struct cgw_conn_conf *conns;		/* in file order */
	char **files;				/* every file read, for cgw_where */
	size_t n_files;
	char **includes;			/* include globs, as written */
	size_t n_includes;
};

struct cgw_conf *cgw_conf_new(void);
struct cgw_conf *cgw_conf_free(struct cgw_conf *conf);
/* Interns a file name so cgw_where can borrow it. */
const char *cgw_conf_file(struct cgw_conf *conf, const char *name);

/* A new connection with every tunnel setting at AWS's default, appended to
 * conf->conns.  Tunnel indexes are 1 and 2. */
struct cgw_conn_conf *cgw_conn_new(struct cgw_conf *conf, const char *id,
    struct cgw_where where);
void cgw_tunnel_defaults(struct cgw_tunnel_conf *t, unsigned int index);
/* Fills what is derived when left unset: interface names from the connection
 * id, inside addresses from the /30, local address from cgw_outside or the
 * box.  Idempotent. */
void cgw_conn_derive(const struct cgw_conf *conf, struct cgw_conn_conf *conn);
int cgw_conn_add_static_route(struct cgw_conn_conf *conn,
    const struct cgw_prefix *p);
int cgw_box_add_advertise(struct cgw_box_conf *box, const struct cgw_prefix *p);
/* -EEXIST when already listed. */
int cgw_dns_add_addr(struct in_addr **arr, size_t *n, struct in_addr a);
int cgw_dns_add_allow(struct cgw_dns_conf *dns, const struct cgw_prefix *p);
/* A zone as written ("Corp.Example." or "corp.example") in canonical form
 * (lower case, no final dot; "." stays "."): 0, -EINVAL when it is not a
 * domain name, -EEXIST when already listed. */
int cgw_dns_add_zone(struct cgw_dns_conf *dns, const char *zone);
/* The same rules for any name (diagnose dns NAME): its canonical form in
 * name (size bytes), or -EINVAL. */
int cgw_dns_name_canon(const char *in, char *name, size_t size);

/* Names <-> enums, shared by the parser, the printer and the importers. */
const char *cgw_encr_name(enum cgw_encr e);
int cgw_encr_parse(const char *s, enum cgw_encr *out);	/* also AWS spellings */
const char *cgw_integ_name(enum cgw_integ i);
int cgw_integ_parse(const char *s, enum cgw_integ *out);	/* also AWS spellings */
const char *cgw_routing_name(enum cgw_routing r);
const char *cgw_gateway_name(enum cgw_gateway_type g);
const char *cgw_startup_name(enum cgw_startup s);
const char *cgw_dpd_action_name(enum cgw_dpd_action a);
const char *cgw_policy_name(enum cgw_policy p);
/* The tunnel (0 or 1) whose routes are made less attractive, or -1. */
int cgw_conn_standby(const struct cgw_conn_conf *conn);
int cgw_dpd_action_parse(const char *s, enum cgw_dpd_action *out);

/* parse.c: reads a cgw.conf file (and what it includes) into conf.  Every
 * syntax error is added to diag; returns -errno on I/O failure, else 0.
 * A file holding a psk must not be accessible by group or others. */
int cgw_conf_parse_file(struct cgw_conf *conf, const char *path,
    struct cgw_diag *diag);
/* The same from memory (tests, fuzzing); no secrecy or include handling. */
int cgw_conf_parse_buffer(struct cgw_conf *conf, const char *name,
    const char *buf, size_t len, struct cgw_diag *diag);

/* validate.c: every rule AWS and cgw impose; each violation to diag. */
void cgw_conf_validate(struct cgw_conf *conf, struct cgw_diag *diag);

/* printconf.c: the canonical form; parse(print(c)) == c with secrets; without,
 * each PSK is a comment saying it is hidden. */
void cgw_conf_print(FILE *out, const struct cgw_conf *conf, bool secrets);
void cgw_conn_print(FILE *out, const struct cgw_conn_conf *conn);
/* One tunnel block (what decides whether a reload must reset it).
 * Settings added after a release are printed here only when they differ
 * from their default, so an upgraded cgwd does not reset working tunnels
 * whose configuration did not change; cgw_conn_print prints them all. */
void cgw_tunnel_print(FILE *out, const struct cgw_conn_conf *conn,
    const struct cgw_tunnel_conf *t);

#endif
