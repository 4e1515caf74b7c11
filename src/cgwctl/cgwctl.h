/*
 * DOC: cgwctl, the console tool
 *
 * Each subcommand is a function taking the words after its keyword.
 * Returns the process exit status (0 ok, 1 failure, 2 usage).
 */
#ifndef CGWCTL_H
#define CGWCTL_H

struct cgwctl_opts {
	int json;		/* -j */
	int verbose;		/* -v */
};

/* cgwctl import [-o DIR] [-n] FILE... */
int cmd_import(const struct cgwctl_opts *opts, int argc, char **argv);

#endif
