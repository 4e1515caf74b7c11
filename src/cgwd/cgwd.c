/*
 * DOC: cgwd, the customer gateway daemon
 *
 * For now: the configuration check.  `cgwd -n` parses, validates and
 * reports every error with file:line; `cgwd -nv` also prints the canonical
 * form.  The daemon proper (tunnels, BGP, failover) is not built yet.
 */

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conf/conf.h"

#define DEFAULT_CONF CGW_CONFDIR "/cgw.conf"

static void
usage(void)
{
	fprintf(stderr, "usage: cgwd [-dnv] [-f file]\n"
	    "  -f file  configuration (default " DEFAULT_CONF ")\n"
	    "  -n       check the configuration and exit\n"
	    "  -v       with -n: print the canonical configuration\n"
	    "  -d       stay in the foreground, debug logging\n");
	exit(2);
}

/* Parses, validates and reports; returns the exit status. */
static int
check_config(const char *path, int verbose)
{
	struct cgw_conf *conf = cgw_conf_new();
	struct cgw_diag diag;
	int r, status = 0;

	cgw_diag_init(&diag);
	r = cgw_conf_parse_file(conf, path, &diag);
	if (r < 0) {
		fprintf(stderr, "cgwd: %s: %s\n", path, strerror(-r));
		status = 1;
		goto out;
	}
	if (diag.n == 0)
		cgw_conf_validate(conf, &diag);
	if (diag.n) {
		cgw_diag_print(stderr, &diag);
		fprintf(stderr, "cgwd: %s: %zu error%s; nothing was changed\n",
		    path, diag.n, diag.n == 1 ? "" : "s");
		status = 1;
		goto out;
	}
	if (verbose)
		cgw_conf_print(stdout, conf);
	else
		printf("configuration OK\n");
out:
	cgw_diag_clear(&diag);
	cgw_conf_free(conf);
	return status;
}

int
main(int argc, char **argv)
{
	const char *file = DEFAULT_CONF;
	int ch, noaction = 0, verbose = 0;

	while ((ch = getopt(argc, argv, "df:nv")) != -1) {
		switch (ch) {
		case 'd':
			break;
		case 'f':
			file = optarg;
			break;
		case 'n':
			noaction = 1;
			break;
		case 'v':
			verbose++;
			break;
		default:
			usage();
		}
	}
	if (optind != argc)
		usage();
	if (noaction)
		return check_config(file, verbose);
	fprintf(stderr, "cgwd: only the configuration check (-n) exists in this version\n");
	return 1;
}
