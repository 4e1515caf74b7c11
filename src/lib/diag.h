/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * DOC: diagnostics
 *
 * Parsers, importers and the validator never stop at the first problem:
 * they add every one to a cgw_diag, each with file:line, what was expected
 * and what to do.  The caller prints them all and counts them.
 */
#ifndef CGW_DIAG_H
#define CGW_DIAG_H

#include <stddef.h>
#include <stdio.h>

struct cgw_diag_entry {
	char *file;		/* NULL when there is no file */
	int line;		/* 0 when there is no line */
	char *msg;
};

struct cgw_diag {
	struct cgw_diag_entry *entries;
	size_t n;		/* problems reported, recorded or not */
	size_t stored;		/* entries[] in use: at most max */
	size_t cap;
	size_t max;		/* stop recording after this many (0 = 1000) */
};

void cgw_diag_init(struct cgw_diag *d);
void cgw_diag_clear(struct cgw_diag *d);
void cgw_diag_add(struct cgw_diag *d, const char *file, int line,
    const char *fmt, ...) __attribute__((format(printf, 4, 5)));
/* "file:line: msg" per entry, in the order added. */
void cgw_diag_print(FILE *out, const struct cgw_diag *d);

#endif
