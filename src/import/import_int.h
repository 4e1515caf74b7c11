/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * DOC: importers, internal interface
 *
 * Every format parser turns its input into the same neutral description of
 * a VPN connection (struct imp_conn): per tunnel, the values as strings,
 * each with the line it came from.  build.c then converts and checks those
 * values once, for all formats, and creates the cgw_conn_conf.  The JSON
 * importer goes further: it builds from the embedded XML, then overlays
 * Options.TunnelOptions on the model.
 *
 * Each format has an entry point here so each fuzz target can reach one
 * parser.  All return the number of connections added to conf, or a
 * negative errno when nothing could be imported (diag says why).
 */
#ifndef CGW_IMPORT_INT_H
#define CGW_IMPORT_INT_H

#include <stdbool.h>
#include <stddef.h>

#include "conf/conf.h"
#include "import/import.h"
#include "lib/diag.h"

/* The values a format can give for one tunnel. */
enum imp_field {
	IF_AWS_OUT,		/* AWS endpoint, "a.b.c.d" */
	IF_CGW_OUT,		/* our address as AWS sees it */
	IF_IN_LOCAL,		/* our inside address, "a.b.c.d" or "a.b.c.d/30" */
	IF_IN_REMOTE,		/* AWS's inside address, same forms */
	IF_IN_LEN,		/* prefix length "30" or mask "255.255.255.252" */
	IF_PSK,
	IF_IKE_VERSION,		/* "ikev1", "IKEv2", "1", "2" */
	IF_P1_MODE,		/* "main" (IKEv1) */
	IF_P1_ENCR, IF_P1_INTEG, IF_P1_DH, IF_P1_LIFE,
	IF_P2_PROTO,		/* "esp" */
	IF_P2_MODE,		/* "tunnel" */
	IF_P2_ENCR, IF_P2_INTEG, IF_P2_PFS, IF_P2_LIFE,
	IF_DPD_DELAY, IF_DPD_TIMEOUT, IF_DPD_RETRIES,
	IF_REKEY_MARGIN, IF_REKEY_FUZZ, IF_REPLAY,
	IF_MTU, IF_MSS,
	IF_LOCAL_ASN, IF_AWS_ASN, IF_HOLD, IF_KEEPALIVE,
	IF_NEXT_HOP,		/* BGP neighbor / static next hop: AWS's inside */
	IF_COUNT
};

struct imp_val {
	char *s;		/* NULL = not given */
	int line;
};

struct imp_tunnel {
	int line;		/* where the tunnel starts */
	int label;		/* its number in the file (0 = none) */
	char *key;		/* parser's own key (peer, interface name) */
	struct imp_val f[IF_COUNT];
};

enum imp_routing { IMP_ROUTING_UNKNOWN, IMP_ROUTING_BGP, IMP_ROUTING_STATIC };

struct imp_conn {
	struct imp_val id;		/* vpn-... */
	struct imp_val gateway;		/* "vgw" / "tgw" */
	enum imp_routing routing;
	int line;			/* where the connection starts */
	struct imp_tunnel *tun;
	size_t n_tun;
	struct imp_val *routes;		/* static routes (VPC prefixes) */
	size_t n_routes;
};

/* What every importer carries around. */
struct imp_ctx {
	struct cgw_conf *conf;
	struct cgw_diag *diag;
	const char *name;	/* for diagnostics and cgw_where (interned) */
	enum cgw_import_format format;
	size_t errs_at;		/* diag->n when this connection began */
	/* Called by imp_build() with both tunnels converted and ordered,
	 * before the connection is committed (the JSON overlay). */
	void (*hook)(struct imp_ctx *ctx, struct cgw_tunnel_conf *tun,
	    void *arg);
	void *hook_arg;
	const struct cgw_import_opts *opts;	/* NULL: none */
};

#define imp_err(ctx, line, ...) \
	cgw_diag_add((ctx)->diag, (ctx)->name, (line), __VA_ARGS__)

/* values.c */
const char *imp_field_name(enum imp_field f);
void imp_conn_init(struct imp_conn *c);
void imp_conn_free(struct imp_conn *c);
struct imp_tunnel *imp_conn_tunnel(struct imp_conn *c, int line, int label,
    const char *key);
struct imp_tunnel *imp_conn_find(struct imp_conn *c, const char *key);
/* Sets a value; a second, different value is reported as a conflict. */
void imp_set(struct imp_ctx *ctx, struct imp_tunnel *t, enum imp_field f,
    const char *val, int line);
void imp_set_val(struct imp_ctx *ctx, struct imp_val *v, const char *what,
    const char *val, int line);
void imp_add_route(struct imp_conn *c, const char *val, int line);

/* build.c: converts and checks everything; when neither this nor the
 * parser (since ctx->errs_at) found a problem, appends the connection to
 * ctx->conf (tunnels ordered by AWS outside address) and returns it. */
struct cgw_conn_conf *imp_build(struct imp_ctx *ctx, struct imp_conn *c);

/* Shared value parsers (values.c). */
bool imp_is_placeholder(const char *s);
int imp_parse_uint(const char *s, unsigned long max, unsigned long *out);
int imp_parse_duration(const char *s, unsigned long *out);
int imp_parse_dh(const char *s, unsigned int *out);
int imp_psk_problem(const char *psk, char *buf, size_t len);
bool imp_vpn_id_ok(const char *s);
/* Whether a BGP neighbor address is the far end of the tunnel whose inside
 * address is ours: both in one /30. */
bool imp_same_inside(const char *nbr, struct in_addr ours);

/* text_util.c: a file as numbered lines (1-based: l[0] is line 1). */
struct imp_lines {
	char **l;
	int n;
};
void imp_lines_split(const char *buf, size_t len, struct imp_lines *out);
void imp_lines_free(struct imp_lines *ls);
char *imp_trim(char *s);
const char *imp_skip_ws(const char *s);
/* Case-insensitive prefix test: returns what follows, or NULL. */
const char *imp_prefix(const char *s, const char *prefix);
bool imp_contains(const char *s, const char *needle);
/* Splits into words (whitespace; '...' and "..." quoted); modifies s. */
int imp_words(char *s, char **w, int max);
/* "  - Some Key  :  value" -> key "some key", value "value". */
bool imp_key_value(const char *line, char *key, size_t ksz, char *val,
    size_t vsz);
/* The header lines every AWS download starts with. */
void imp_scan_header(struct imp_ctx *ctx, const struct imp_lines *ls,
    struct imp_conn *c);
/* Without an id in the file: one from the file name, or an error. */
bool imp_default_id(struct imp_ctx *ctx, struct imp_conn *c);

/* The formats (opts may be NULL). */
int imp_json_import(struct cgw_conf *conf, const char *name,
    const char *buf, size_t len, const struct cgw_import_opts *opts,
    struct cgw_diag *diag);
int imp_xml_import(struct cgw_conf *conf, const char *name,
    const char *buf, size_t len, const struct cgw_import_opts *opts,
    struct cgw_diag *diag);
/* Detects which text download buf is, then parses it. */
int imp_text_import(struct cgw_conf *conf, const char *name,
    const char *buf, size_t len, const struct cgw_import_opts *opts,
    struct cgw_diag *diag, enum cgw_import_format *format);

/* aws_xml.c, for the JSON importer: parses one CustomerGatewayConfiguration
 * into c (diagnostics as ctx->name:line, lines within the XML). */
int imp_xml_parse(struct imp_ctx *ctx, const char *buf, size_t len,
    struct imp_conn *c);

/* Per text format, over the split lines. */
int imp_generic_parse(struct imp_ctx *ctx, const struct imp_lines *ls,
    struct imp_conn *c);
int imp_asa_parse(struct imp_ctx *ctx, const struct imp_lines *ls,
    struct imp_conn *c);
int imp_vyatta_parse(struct imp_ctx *ctx, const struct imp_lines *ls,
    struct imp_conn *c);
int imp_strongswan_parse(struct imp_ctx *ctx, const struct imp_lines *ls,
    struct imp_conn *c);

#endif
