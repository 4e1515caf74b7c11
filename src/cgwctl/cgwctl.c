/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * DOC: cgwctl, the console tool
 *
 * Reads the command words against a token table (the grammar is data, as
 * in ikectl's parser.c) and calls the subcommand.
 */

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>

#include "cgwctl/cgwctl.h"

/* The grammar as data: a command is one or two keywords. */
struct command {
	const char *words[2];
	int (*run)(const struct cgwctl_opts *, int, char **);
	int getopt_style;	/* run() gets its keyword as argv[0] */
	const char *help;
};

static const struct command commands[] = {
	{ { "show", "tunnels" }, cmd_show_tunnels, 0,
	    "show tunnels                       both tunnels of every connection" },
	{ { "show", "bgp" }, cmd_show_bgp, 0,
	    "show bgp                           the BGP session over each tunnel" },
	{ { "show", "routes" }, cmd_show_routes, 0,
	    "show routes                        which prefix goes through which tunnel" },
	{ { "show", "metrics" }, cmd_show_metrics, 0,
	    "show metrics                       what /metrics serves (Prometheus format)" },
	{ { "show", "events" }, cmd_show_events, 0,
	    "show events [--since WHEN] [-n N]  what happened, oldest first" },
	{ { "show", "dns" }, cmd_show_dns, 0,
	    "show dns                           the VPC's resolver: endpoints, unbound" },
	{ { "diagnose", NULL }, cmd_diagnose, 0,
	    "diagnose [TUNNEL]                  name what is wrong, and the fix\n"
	    "  diagnose dns NAME                  where resolving a VPC name stops" },
	{ { "reset", NULL }, cmd_reset, 0,
	    "reset TUNNEL                       re-establish a tunnel now" },
	{ { "rekey", NULL }, cmd_rekey, 0,
	    "rekey TUNNEL                       rekey a tunnel's SAs now" },
	{ { "reload", NULL }, cmd_reload, 0,
	    "reload [--confirm SECONDS]         check and apply the configuration" },
	{ { "confirm", NULL }, cmd_confirm, 0,
	    "confirm                            keep what reload --confirm applied" },
	{ { "import", NULL }, cmd_import, 1,
	    "import [-f] [-n] [-o DIR] FILE...  turn AWS's files into connection files" },
	{ { NULL, NULL }, NULL, 0, NULL },
};

static void
usage(FILE *out)
{
	fprintf(out, "usage: cgwctl [-jtv] [-r RUNDIR] COMMAND [ARGS]\n"
	    "  -j  JSON output\n  -t  tab-separated output (for scripts)\n"
	    "  -v  verbose\n  -r  cgwd's runtime directory (default /run/cgw)\n"
	    "commands:\n");
	for (const struct command *c = commands; c->words[0]; c++)
		fprintf(out, "  %s\n", c->help);
}

int
main(int argc, char **argv)
{
	struct cgwctl_opts opts = { .run_dir = "/run/cgw" };
	int ch;

	static const struct option longopts[] = {
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};

	/* import reads PSKs: no core dump of them (quietly: a tool) */
	(void)prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);

	/* "+": stop at the command word; its options are its own. */
	while ((ch = getopt_long(argc, argv, "+hjr:tv", longopts, NULL)) != -1) {
		switch (ch) {
		case 'h':
			usage(stdout);
			return 0;
		case 'j':
			opts.json = 1;
			break;
		case 'r':
			opts.run_dir = optarg;
			break;
		case 't':
			opts.tsv = 1;
			break;
		case 'v':
			opts.verbose++;
			break;
		default:
			usage(stderr);
			return 2;
		}
	}
	if (optind >= argc) {
		usage(stderr);
		return 2;
	}
	argc -= optind;
	argv += optind;
	for (const struct command *c = commands; c->words[0]; c++) {
		int n = c->words[1] ? 2 : 1;

		if (strcmp(c->words[0], argv[0]) != 0 ||
		    (n == 2 && (argc < 2 || strcmp(c->words[1], argv[1]) != 0)))
			continue;
		if (c->getopt_style) {
			optind = 0;	/* let the command run getopt afresh */
			return c->run(&opts, argc, argv);
		}
		return c->run(&opts, argc - n, argv + n);
	}
	fprintf(stderr, "cgwctl: unknown command \"%s%s%s\"\n", argv[0],
	    argc > 1 ? " " : "", argc > 1 ? argv[1] : "");
	usage(stderr);
	return 2;
}
