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

#include "cgwctl/cgwctl.h"

struct command {
	const char *word;
	int (*run)(const struct cgwctl_opts *, int, char **);
	const char *help;
};

static const struct command commands[] = {
	{ "import", cmd_import,
	    "import [-f] [-n] [-o DIR] FILE...  turn AWS's files into connection files" },
	{ NULL, NULL, NULL },
};

static void
usage(FILE *out)
{
	fprintf(out, "usage: cgwctl [-jv] COMMAND [ARGS]\n"
	    "  -j  JSON output\n  -v  verbose\ncommands:\n");
	for (const struct command *c = commands; c->word; c++)
		fprintf(out, "  %s\n", c->help);
}

int
main(int argc, char **argv)
{
	struct cgwctl_opts opts = { 0 };
	int ch;

	static const struct option longopts[] = {
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};

	/* "+": stop at the command word; its options are its own. */
	while ((ch = getopt_long(argc, argv, "+hjv", longopts, NULL)) != -1) {
		switch (ch) {
		case 'h':
			usage(stdout);
			return 0;
		case 'j':
			opts.json = 1;
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
	for (const struct command *c = commands; c->word; c++)
		if (strcmp(c->word, argv[optind]) == 0) {
			argc -= optind;
			argv += optind;
			optind = 0;	/* let the command run getopt afresh */
			return c->run(&opts, argc, argv);
		}
	fprintf(stderr, "cgwctl: unknown command \"%s\"\n", argv[optind]);
	usage(stderr);
	return 2;
}
