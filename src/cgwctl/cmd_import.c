/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * DOC: cgwctl import [-f] [-n] [-o DIR] [-r VPC-PREFIX]... [--cgw-outside ADDR] FILE...
 *
 * Imports every FILE (format detected from the content), validates the
 * result as cgwd would, and only when nothing at all is wrong writes one
 * DIR/<vpn-id>.conf per VPN connection (default CGW_CONFDIR/conn.d), mode
 * 0600: written to a temporary file created with O_EXCL, then linked into
 * place (which refuses an existing file) or, with -f, renamed over it.
 * Any error anywhere means nothing is written.  -n checks only.
 * --cgw-outside gives the customer gateway's address where AWS's file has
 * none (the Cisco ASA download); where it has one, they must agree.
 *
 * The files hold pre-shared keys: they are never printed, and messages
 * only ever say what is wrong with a key.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cgwctl/cgwctl.h"
#include "conf/conf.h"
#include "import/import.h"
#include "lib/diag.h"
#include "lib/xalloc.h"

#ifndef CGW_CONFDIR
#define CGW_CONFDIR "/etc/cgw"
#endif

#define IMPORT_MAX (16u << 20)	/* AWS's files are a few kB */

/* Which file and format each imported connection came from. */
struct origin {
	const struct cgw_conn_conf *conn;
	const char *file;
	enum cgw_import_format format;
};

static int
read_file(const char *path, char **buf, size_t *len)
{
	FILE *f = fopen(path, "rb");
	size_t cap = 8192, n;
	char *b;

	if (!f)
		return -errno;
	b = xcalloc(1, cap + 1);
	*len = 0;
	while ((n = fread(b + *len, 1, cap - *len, f)) > 0) {
		*len += n;
		if (*len == cap) {
			if (cap >= IMPORT_MAX) {
				fclose(f);
				free(b);
				return -EFBIG;
			}
			cap *= 2;
			b = xreallocarray(b, cap + 1, 1);
		}
	}
	if (ferror(f)) {
		int e = errno ? -errno : -EIO;

		fclose(f);
		free(b);
		return e;
	}
	fclose(f);
	b[*len] = '\0';
	*buf = b;
	return 0;
}

static const char *
base_name(const char *p)
{
	const char *s = strrchr(p, '/');

	return s ? s + 1 : p;
}

static int
write_conn(const char *dir, const struct origin *o, bool force,
    char *final, size_t flen)
{
	char tmp[PATH_MAX];
	FILE *f;
	int fd, r = 0;

	snprintf(final, flen, "%s/%s.conf", dir, o->conn->id);
	if ((size_t)snprintf(tmp, sizeof(tmp), "%s/.%s.conf.%ld", dir,
	    o->conn->id, (long)getpid()) >= sizeof(tmp))
		return -ENAMETOOLONG;
	fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
	    0600);
	if (fd < 0)
		return -errno;
	if (fchmod(fd, 0600) < 0 || !(f = fdopen(fd, "w"))) {
		r = -errno;
		close(fd);
		unlink(tmp);
		return r;
	}
	fprintf(f, "# Imported by cgwctl import from %s (%s).\n"
	    "# Holds pre-shared keys: keep it mode 0600.\n",
	    base_name(o->file), cgw_import_format_name(o->format));
	cgw_conn_print(f, o->conn);
	if (fflush(f) != 0 || fsync(fileno(f)) < 0)
		r = -errno;
	if (fclose(f) != 0 && r == 0)
		r = -errno;
	if (r == 0) {
		if (force)
			r = rename(tmp, final) < 0 ? -errno : 0;
		else
			r = link(tmp, final) < 0 ? -errno : 0;
	}
	if (r < 0 || !force)
		unlink(tmp);
	return r;
}

static int
usage(void)
{
	fprintf(stderr, "usage: cgwctl import [-f] [-n] [-o DIR] [-r VPC-PREFIX]... [--cgw-outside ADDR] FILE...\n"
	    "  -o DIR     write DIR/<vpn-id>.conf (default %s/conn.d)\n"
	    "  -f         replace existing files\n"
	    "  -n         check only, write nothing\n"
	    "  -r PREFIX  static routing: a VPC prefix to route through the tunnels\n"
	    "  --cgw-outside ADDR\n"
	    "             the customer gateway's address as AWS knows it, for files\n"
	    "             without it (the Cisco ASA download)\n",
	    CGW_CONFDIR);
	return 2;
}

int
cmd_import(const struct cgwctl_opts *opts, int argc, char **argv)
{
	const char *dir = CGW_CONFDIR "/conn.d";
	bool force = false, dry = false;
	struct cgw_conf *conf = cgw_conf_new();
	struct cgw_diag diag;
	struct origin *org = NULL;
	size_t n_org = 0;
	struct cgw_prefix *vpc = NULL;
	size_t n_vpc = 0;
	struct cgw_import_opts io = { 0 };
	int ch, status = 1;

	enum { OPT_CGW_OUTSIDE = 256 };
	static const struct option longopts[] = {
		{ "cgw-outside", required_argument, NULL, OPT_CGW_OUTSIDE },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};

	(void)opts;
	optind = 0;
	while ((ch = getopt_long(argc, argv, "+fno:r:h", longopts, NULL)) != -1) {
		switch (ch) {
		case OPT_CGW_OUTSIDE:
			if (cgw_addr4_parse(optarg, &io.cgw_outside) < 0 ||
			    !cgw_addr4_is_set(io.cgw_outside)) {
				fprintf(stderr, "cgwctl import: --cgw-outside %s: expected an IPv4 address (the customer gateway's, as in the AWS console's Customer gateways page)\n",
				    optarg);
				free(vpc);
				cgw_conf_free(conf);
				return 2;
			}
			break;
		case 'r':
			vpc = xreallocarray(vpc, n_vpc + 1, sizeof(*vpc));
			if (cgw_prefix_parse(optarg, &vpc[n_vpc], false) < 0 ||
			    vpc[n_vpc].family != AF_INET) {
				fprintf(stderr, "cgwctl import: -r %s: expected an IPv4 prefix (the VPC's CIDR, e.g. 10.2.0.0/16)\n",
				    optarg);
				free(vpc);
				cgw_conf_free(conf);
				return 2;
			}
			n_vpc++;
			break;
		case 'f':
			force = true;
			break;
		case 'n':
			dry = true;
			break;
		case 'o':
			dir = optarg;
			break;
		default:
			cgw_conf_free(conf);
			return usage();
		}
	}
	if (optind >= argc) {
		free(vpc);
		cgw_conf_free(conf);
		return usage();
	}
	cgw_diag_init(&diag);
	for (int i = optind; i < argc; i++) {
		enum cgw_import_format fmt = CGW_IMPORT_UNKNOWN;
		struct cgw_conn_conf *last = conf->conns, *c;
		char *buf = NULL;
		size_t len = 0;
		int r;

		while (last && last->next)
			last = last->next;
		if ((r = read_file(argv[i], &buf, &len)) < 0) {
			cgw_diag_add(&diag, argv[i], 0, "cannot read: %s",
			    strerror(-r));
			continue;
		}
		cgw_import_buffer(conf, argv[i], buf, len, &io, &diag, &fmt);
		explicit_bzero(buf, len);
		free(buf);
		for (c = last ? last->next : conf->conns; c; c = c->next) {
			org = xreallocarray(org, n_org + 1, sizeof(*org));
			org[n_org++] = (struct origin){ c, argv[i], fmt };
		}
	}
	/* Static routing: what goes through the tunnels are the VPC's
	 * prefixes, which AWS's files do not carry (their Routes are the
	 * on-prem prefixes AWS sends into the VPN): the operator names them. */
	for (size_t i = 0; i < n_org; i++) {
		struct cgw_conn_conf *c = (struct cgw_conn_conf *)org[i].conn;

		if (c->routing != CGW_ROUTING_STATIC)
			continue;
		/* (none at all: the validator says so, with the hint) */
		for (size_t k = 0; k < n_vpc; k++)
			cgw_conn_add_static_route(c, &vpc[k]);
	}
	free(vpc);
	/* Validate what was imported even when something else failed: one
	 * run shows every problem. */
	cgw_conf_validate(conf, &diag);
	if (!dry && !force) {
		for (size_t i = 0; i < n_org; i++) {
			char path[PATH_MAX];
			struct stat st;

			snprintf(path, sizeof(path), "%s/%s.conf", dir,
			    org[i].conn->id);
			if (lstat(path, &st) == 0)
				cgw_diag_add(&diag, path, 0, "exists; not "
				    "replaced (use -f to replace it)");
		}
	}
	if (diag.n) {
		cgw_diag_print(stderr, &diag);
		fprintf(stderr, "cgwctl import: %zu error%s; nothing written\n",
		    diag.n, diag.n == 1 ? "" : "s");
		goto out;
	}
	for (size_t i = 0; i < n_org; i++) {
		const struct cgw_conn_conf *c = org[i].conn;
		char path[PATH_MAX];
		int r;

		if (dry) {
			printf("%s: OK (2 tunnels, %s, from %s); not written "
			    "(-n)\n", c->id, cgw_routing_name(c->routing),
			    cgw_import_format_name(org[i].format));
			continue;
		}
		if ((r = write_conn(dir, &org[i], force, path,
		    sizeof(path))) < 0) {
			fprintf(stderr, "%s: cannot write %s: %s\n", c->id, path,
			    strerror(-r));
			/* All or nothing: take back what this run created
			 * (files replaced with -f cannot be restored). */
			for (size_t k = 0; k < i && !force; k++) {
				snprintf(path, sizeof(path), "%s/%s.conf", dir,
				    org[k].conn->id);
				if (unlink(path) == 0)
					fprintf(stderr, "%s: removed %s again\n",
					    org[k].conn->id, path);
			}
			goto out;
		}
		printf("%s: wrote %s (2 tunnels, %s, from %s)\n", c->id, path,
		    cgw_routing_name(c->routing),
		    cgw_import_format_name(org[i].format));
	}
	status = n_org ? 0 : 1;
out:
	free(org);
	cgw_diag_clear(&diag);
	cgw_conf_free(conf);
	return status;
}
