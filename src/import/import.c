/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * DOC: importers, format detection and dispatch
 *
 * The format is recognised from the content, never from the file name:
 *   - first non-blank byte '{' or '[': describe-vpn-connections JSON;
 *   - first non-blank byte '<': CustomerGatewayConfiguration XML;
 *   - otherwise a text download, recognised by lines only it has:
 *       strongSwan  "conn NAME" plus ipsec.conf keys (keyexchange=,
 *                   leftid=) or an ipsec.secrets line (": PSK");
 *       Vyatta      "set vpn ipsec ..." commands;
 *       Cisco ASA   "tunnel-group ADDR type ipsec-l2l" with "interface
 *                   TunnelN" (the 9.7+ VTI template; the older
 *                   crypto-map template has no inside addresses and is
 *                   refused with advice);
 *       Generic     "- Pre-Shared Key :" key/value lines under "IPsec
 *                   Tunnel #N" headings.
 *     Downloads for other devices (Fortinet, pfSense, Juniper, Palo Alto,
 *     Cisco IOS, Openswan, ...) are recognised by their own commands and
 *     refused with "unsupported format: looks like ...", pointing to the
 *     Generic download or the JSON.
 */
#include <ctype.h>
#include <errno.h>
#include <string.h>

#include <libxml/parser.h>

#include "import/import_int.h"

const char *
cgw_import_format_name(enum cgw_import_format f)
{
	switch (f) {
	case CGW_IMPORT_JSON:
		return "describe-vpn-connections JSON";
	case CGW_IMPORT_XML:
		return "CustomerGatewayConfiguration XML";
	case CGW_IMPORT_GENERIC:
		return "Generic download";
	case CGW_IMPORT_CISCO_ASA:
		return "Cisco ASA download";
	case CGW_IMPORT_VYATTA:
		return "Vyatta download";
	case CGW_IMPORT_STRONGSWAN:
		return "strongSwan download";
	case CGW_IMPORT_UNKNOWN:
		break;
	}
	return "unknown format";
}

/* Other vendors' downloads, by a line prefix (after blanks) only they have. */
static const struct {
	const char *prefix;
	const char *vendor;
} vendors[] = {
	{ "config vpn ipsec phase1-interface", "a Fortinet FortiGate" },
	{ "config vpn ipsec phase2-interface", "a Fortinet FortiGate" },
	/* GUI instructions: pfSense's and FortiGate's downloads both begin
	 * so; the vendor is the one the file names (vendor_words). */
	{ "Go to VPN-->IPSec", NULL },
	{ "set security ike ", "a Juniper JunOS (SRX)" },
	{ "set security ipsec ", "a Juniper JunOS (SRX)" },
	{ "set ike gateway ", "a Juniper ScreenOS" },
	{ "set network ike ", "a Palo Alto Networks" },
	{ "set network tunnel ", "a Palo Alto Networks" },
	{ "crypto keyring ", "a Cisco IOS" },
	{ "crypto isakmp profile ", "a Cisco IOS" },
	{ "crypto ikev2 keyring ", "a Cisco IOS" },
	{ "crypto ikev2 profile ", "a Cisco IOS" },
	{ "phase2alg=", "an Openswan/Libreswan" },
	{ "authby=secret", "an Openswan/Libreswan" },
	{ "/ip ipsec", "a MikroTik RouterOS" },
	{ "ipsec ike pre-shared-key ", "a Yamaha" },
	{ "Add-VpnS2SInterface", "a Windows Server" },
};

static const char *const vendor_words[][2] = {
	{ "pfSense", "a pfSense" },
	{ "SonicOS", "a SonicWall" },
	{ "SonicWALL", "a SonicWall" },
	{ "Check Point", "a Check Point" },
	{ "WatchGuard", "a WatchGuard" },
	{ "Sophos", "a Sophos" },
	{ "Barracuda", "a Barracuda" },
	{ "Zyxel", "a Zyxel" },
	{ "FortiGate", "a Fortinet FortiGate" },
	{ "Palo Alto", "a Palo Alto Networks" },
	{ "JunOS", "a Juniper JunOS" },
};

/* The vendor the file names most often, and the first line naming it;
 * NULL if it names none. */
static const char *
named_vendor(const struct imp_lines *ls, int *vline)
{
	enum { NWORDS = sizeof(vendor_words) / sizeof(vendor_words[0]) };
	int count[NWORDS] = { 0 }, first[NWORDS] = { 0 };
	size_t best = NWORDS;

	for (int i = 0; i < ls->n; i++)
		for (size_t v = 0; v < NWORDS; v++)
			if (strstr(ls->l[i], vendor_words[v][0])) {
				if (!count[v]++)
					first[v] = i + 1;
			}
	for (size_t v = 0; v < NWORDS; v++)
		if (count[v] && (best == NWORDS || count[v] > count[best] ||
		    (count[v] == count[best] && first[v] < first[best])))
			best = v;
	if (best == NWORDS)
		return NULL;
	*vline = first[best];
	return vendor_words[best][1];
}

static enum cgw_import_format
detect_text(const struct imp_lines *ls, const char **vendor, int *vline)
{
	bool conn = false, swan = false, vyatta = false, l2l = false;
	bool tunif = false, generic = false, cryptomap = false;
	int l2l_line = 0, gui_line = 0;

	*vendor = NULL;
	*vline = 0;
	for (int i = 0; i < ls->n; i++) {
		const char *p = imp_skip_ws(ls->l[i]);
		char key[64], val[8];

		if (imp_prefix(p, "conn ") && p[5] && !isspace((unsigned char)p[5]))
			conn = true;
		if (imp_prefix(p, "keyexchange=") || imp_prefix(p, "leftid=") ||
		    strstr(p, " : PSK \""))
			swan = true;
		if (imp_prefix(p, "set vpn ipsec "))
			vyatta = true;
		if (imp_prefix(p, "tunnel-group ") && strstr(p, "ipsec-l2l")) {
			l2l = true;
			if (!l2l_line)
				l2l_line = i + 1;
		}
		if (imp_prefix(p, "interface Tunnel"))
			tunif = true;
		if (imp_prefix(p, "crypto map "))
			cryptomap = true;
		if (imp_key_value(p, key, sizeof(key), val, sizeof(val)) &&
		    strcmp(key, "pre-shared key") == 0 && *p == '-')
			generic = true;
		for (size_t v = 0; !*vendor && v < sizeof(vendors) /
		    sizeof(vendors[0]); v++)
			if (imp_prefix(p, vendors[v].prefix)) {
				if (!vendors[v].vendor) {
					if (!gui_line)
						gui_line = i + 1;
					continue;
				}
				*vendor = vendors[v].vendor;
				*vline = i + 1;
			}
	}
	if (conn && swan)
		return CGW_IMPORT_STRONGSWAN;
	if (vyatta)
		return CGW_IMPORT_VYATTA;
	if (l2l && tunif)
		return CGW_IMPORT_CISCO_ASA;
	if (l2l || cryptomap) {
		*vendor = "a Cisco ASA crypto-map (policy-based)";
		*vline = l2l_line;
		return CGW_IMPORT_UNKNOWN;
	}
	if (generic && !*vendor && !gui_line)
		return CGW_IMPORT_GENERIC;
	if (!*vendor)
		*vendor = named_vendor(ls, vline);
	if (gui_line) {
		/* Point at the GUI steps, whoever they are for.  pfSense's
		 * download never names pfSense; FortiGate's names itself. */
		*vline = gui_line;
		if (!*vendor)
			*vendor = "a pfSense";
	}
	return CGW_IMPORT_UNKNOWN;
}

int
imp_text_import(struct cgw_conf *conf, const char *name, const char *buf,
    size_t len, const struct cgw_import_opts *opts, struct cgw_diag *diag,
    enum cgw_import_format *format)
{
	struct imp_ctx ctx = { conf, diag, cgw_conf_file(conf, name),
	    CGW_IMPORT_UNKNOWN, diag->n, NULL, NULL, opts };
	struct imp_lines ls;
	struct imp_conn c;
	const char *vendor;
	int vline, r = -EINVAL;
	size_t before = diag->n;

	imp_lines_split(buf, len, &ls);
	ctx.format = detect_text(&ls, &vendor, &vline);
	if (format)
		*format = ctx.format;
	if (ctx.format == CGW_IMPORT_UNKNOWN) {
		if (vendor)
			imp_err(&ctx, vline, "unsupported format: looks like "
			    "%s configuration; download the Generic "
			    "configuration from the AWS console (or use `aws "
			    "ec2 describe-vpn-connections`) instead", vendor);
		else
			imp_err(&ctx, 0, "unknown format: not the JSON of "
			    "`aws ec2 describe-vpn-connections`, a "
			    "CustomerGatewayConfiguration XML, or an AWS "
			    "download for Generic, Cisco ASA, Vyatta or "
			    "strongSwan; download the Generic configuration "
			    "from the AWS console");
		imp_lines_free(&ls);
		return -EINVAL;
	}
	imp_conn_init(&c);
	imp_scan_header(&ctx, &ls, &c);
	switch (ctx.format) {
	case CGW_IMPORT_GENERIC:
		imp_generic_parse(&ctx, &ls, &c);
		break;
	case CGW_IMPORT_CISCO_ASA:
		imp_asa_parse(&ctx, &ls, &c);
		break;
	case CGW_IMPORT_VYATTA:
		imp_vyatta_parse(&ctx, &ls, &c);
		break;
	case CGW_IMPORT_STRONGSWAN:
		imp_strongswan_parse(&ctx, &ls, &c);
		break;
	default:
		break;
	}
	imp_default_id(&ctx, &c);
	if (imp_build(&ctx, &c))
		r = 1;
	else if (diag->n == before)
		imp_err(&ctx, 0, "nothing imported");
	imp_conn_free(&c);
	imp_lines_free(&ls);
	return r;
}

int
cgw_import_buffer(struct cgw_conf *conf, const char *name, const char *buf,
    size_t len, const struct cgw_import_opts *opts, struct cgw_diag *diag,
    enum cgw_import_format *format)
{
	size_t i = 0;

	if (format)
		*format = CGW_IMPORT_UNKNOWN;
	if (len >= 3 && memcmp(buf, "\xef\xbb\xbf", 3) == 0)
		i = 3;
	while (i < len && isspace((unsigned char)buf[i]))
		i++;
	if (i == len) {
		cgw_diag_add(diag, name, 0, "empty file: nothing to import");
		return -EINVAL;
	}
	if (buf[i] == '{' || buf[i] == '[') {
		if (format)
			*format = CGW_IMPORT_JSON;
		return imp_json_import(conf, name, buf, len, opts, diag);
	}
	if (buf[i] == '<') {
		if (format)
			*format = CGW_IMPORT_XML;
		return imp_xml_import(conf, name, buf, len, opts, diag);
	}
	return imp_text_import(conf, name, buf, len, opts, diag, format);
}
