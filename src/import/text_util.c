/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * DOC: importers, text helpers
 *
 * AWS's downloads are read as numbered lines: CRLF, lone CR and LF all end
 * a line, trailing blanks are dropped, NUL bytes become blanks.  On top of
 * that: word splitting with quotes, the "- Key : value" lines of the
 * Generic download, and the header every download starts with ("Your VPN
 * Connection ID : vpn-...").
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "import/import_int.h"
#include "lib/xalloc.h"

void
imp_lines_split(const char *buf, size_t len, struct imp_lines *out)
{
	size_t cap = 0, i = 0;

	memset(out, 0, sizeof(*out));
	/* A UTF-8 byte order mark is not content. */
	if (len >= 3 && memcmp(buf, "\xef\xbb\xbf", 3) == 0)
		i = 3;
	while (i < len) {
		size_t start = i, n;
		char *s;

		while (i < len && buf[i] != '\n' && buf[i] != '\r')
			i++;
		n = i - start;
		if (i < len && buf[i] == '\r' && i + 1 < len &&
		    buf[i + 1] == '\n')
			i++;
		if (i < len)
			i++;
		s = xcalloc(1, n + 1);
		for (size_t k = 0; k < n; k++)	/* NUL bytes become blanks */
			s[k] = buf[start + k] ? buf[start + k] : ' ';
		while (n > 0 && isspace((unsigned char)s[n - 1]))
			s[--n] = '\0';
		if ((size_t)out->n == cap) {
			cap = cap ? cap * 2 : 64;
			out->l = xreallocarray(out->l, cap, sizeof(*out->l));
		}
		out->l[out->n++] = s;
	}
}

void
imp_lines_free(struct imp_lines *ls)
{
	/* The lines hold pre-shared keys. */
	for (int i = 0; i < ls->n; i++) {
		explicit_bzero(ls->l[i], strlen(ls->l[i]));
		free(ls->l[i]);
	}
	free(ls->l);
	memset(ls, 0, sizeof(*ls));
}

const char *
imp_skip_ws(const char *s)
{
	while (isspace((unsigned char)*s))
		s++;
	return s;
}

char *
imp_trim(char *s)
{
	size_t n;

	while (isspace((unsigned char)*s))
		s++;
	n = strlen(s);
	while (n > 0 && isspace((unsigned char)s[n - 1]))
		s[--n] = '\0';
	return s;
}

const char *
imp_prefix(const char *s, const char *prefix)
{
	size_t n = strlen(prefix);

	return strncasecmp(s, prefix, n) == 0 ? s + n : NULL;
}

bool
imp_contains(const char *s, const char *needle)
{
	size_t n = strlen(needle);

	for (; *s; s++)
		if (strncasecmp(s, needle, n) == 0)
			return true;
	return false;
}

int
imp_words(char *s, char **w, int max)
{
	int n = 0;

	for (;;) {
		char q;

		while (isspace((unsigned char)*s))
			s++;
		if (!*s || n == max)
			return n;
		if (*s == '\'' || *s == '"') {
			q = *s++;
			w[n++] = s;
			while (*s && *s != q)
				s++;
		} else {
			w[n++] = s;
			while (*s && !isspace((unsigned char)*s))
				s++;
		}
		if (!*s)
			return n;
		*s++ = '\0';
	}
}

bool
imp_key_value(const char *line, char *key, size_t ksz, char *val, size_t vsz)
{
	const char *p = imp_skip_ws(line), *colon;
	size_t k = 0;

	if (*p == '-' || *p == '*')
		p = imp_skip_ws(p + 1);
	colon = strchr(p, ':');
	if (!colon || colon == p || ksz == 0 || vsz == 0)
		return false;
	/* The key, lower-cased, blanks collapsed, trailing blanks dropped. */
	for (const char *q = p; q < colon && k + 1 < ksz; q++) {
		if (isspace((unsigned char)*q)) {
			if (k > 0 && key[k - 1] != ' ')
				key[k++] = ' ';
		} else {
			key[k++] = (char)tolower((unsigned char)*q);
		}
	}
	while (k > 0 && key[k - 1] == ' ')
		k--;
	key[k] = '\0';
	/* "Customer Gateway:        : 192.0.2.1" has two colons. */
	p = colon + 1;
	while (*p == ':' || isspace((unsigned char)*p))
		p++;
	snprintf(val, vsz, "%s", p);
	imp_trim(val);
	return k > 0;
}

/* A "vpn-" id: AWS makes 8 or 17 hex digits; published samples mask them
 * (vpn-xxxxxxxx), so any letters and digits are accepted. */
bool
imp_vpn_id_ok(const char *s)
{
	size_t n = 0;

	if (strncmp(s, "vpn-", 4) != 0)
		return false;
	for (s += 4; s[n]; n++)
		if (!isalnum((unsigned char)s[n]))
			return false;
	return n >= 1 && n <= CGW_CONN_ID_MAX - 4;	/* after "vpn-" */
}

static bool
hex_id(const char *s)
{
	size_t n = 0;

	if (strncmp(s, "vpn-", 4) != 0)
		return false;
	for (s += 4; s[n]; n++)
		if (!isdigit((unsigned char)s[n]) && !(s[n] >= 'a' && s[n] <= 'f'))
			return false;
	return n == 8 || n == 17;
}

void
imp_scan_header(struct imp_ctx *ctx, const struct imp_lines *ls,
    struct imp_conn *c)
{
	char key[128], val[256];

	for (int i = 0; i < ls->n; i++) {
		const char *p = imp_skip_ws(ls->l[i]);

		while (*p == '!' || *p == '#')
			p = imp_skip_ws(p + 1);
		if (!imp_prefix(p, "your ") ||
		    !imp_key_value(p, key, sizeof(key), val, sizeof(val)))
			continue;
		if (strcmp(key, "your vpn connection id") == 0) {
			imp_set_val(ctx, &c->id, "VPN connection id", val,
			    i + 1);
			if (!c->line)
				c->line = i + 1;
		} else if (strcmp(key, "your virtual private gateway id") == 0) {
			imp_set_val(ctx, &c->gateway, "gateway", "vgw", i + 1);
		} else if (strcmp(key, "your transit gateway id") == 0) {
			imp_set_val(ctx, &c->gateway, "gateway", "tgw", i + 1);
		}
	}
}

/* A download saved under AWS's default name (vpn-0123abcd.txt) still says
 * which connection it is when its header was cut off. */
bool
imp_default_id(struct imp_ctx *ctx, struct imp_conn *c)
{
	const char *base = strrchr(ctx->name, '/'), *p;

	if (c->id.s)
		return true;
	base = base ? base + 1 : ctx->name;
	for (p = base; (p = strstr(p, "vpn-")); p++) {
		char id[32];
		size_t n = 4;

		while (n < 21 && (isdigit((unsigned char)p[n]) ||
		    (p[n] >= 'a' && p[n] <= 'f')))
			n++;
		memcpy(id, p, n);
		id[n] = '\0';
		if (hex_id(id) && !isalnum((unsigned char)p[n])) {
			c->id.s = xstrdup(id);
			c->id.line = 0;
			return true;
		}
	}
	imp_err(ctx, 0, "no VPN connection id: the file has no \"Your VPN "
	    "Connection ID : vpn-...\" line and its name has no vpn-... id; "
	    "download the configuration again from the AWS console, or name "
	    "the file after the connection (vpn-0123456789abcdef0.txt)");
	return false;
}
