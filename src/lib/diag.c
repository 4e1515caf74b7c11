/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * DOC: diagnostics (see diag.h)
 */
#include "lib/diag.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "lib/xalloc.h"

void
cgw_diag_init(struct cgw_diag *d)
{
	memset(d, 0, sizeof(*d));
}

void
cgw_diag_clear(struct cgw_diag *d)
{
	for (size_t i = 0; i < d->stored; i++) {
		free(d->entries[i].file);
		free(d->entries[i].msg);
	}
	free(d->entries);
	memset(d, 0, sizeof(*d));
}

void
cgw_diag_add(struct cgw_diag *d, const char *file, int line,
    const char *fmt, ...)
{
	size_t max = d->max ? d->max : 1000;
	va_list ap;
	char *msg;

	/* A fuzzer's or a broken file's error flood must not eat memory:
	 * past max it is only counted. */
	d->n++;
	if (d->stored >= max)
		return;
	if (d->stored == d->cap) {
		d->cap = d->cap ? d->cap * 2 : 8;
		d->entries = xreallocarray(d->entries, d->cap,
		    sizeof(*d->entries));
	}
	va_start(ap, fmt);
	if (vasprintf(&msg, fmt, ap) < 0)
		xoom();
	va_end(ap);
	d->entries[d->stored].file = file ? xstrdup(file) : NULL;
	d->entries[d->stored].line = line;
	d->entries[d->stored].msg = msg;
	d->stored++;
}

/* Rank of an entry's file: where that file first appears, so files stay
 * in the order they were read and lines are sorted within each. */
static size_t
file_rank(const struct cgw_diag *d, size_t i)
{
	for (size_t k = 0; k < i; k++)
		if ((!d->entries[k].file && !d->entries[i].file) ||
		    (d->entries[k].file && d->entries[i].file &&
		    strcmp(d->entries[k].file, d->entries[i].file) == 0))
			return k;
	return i;
}

void
cgw_diag_print(FILE *out, const struct cgw_diag *d)
{
	size_t shown = d->stored;
	size_t *order = xcalloc(shown, sizeof(*order));
	size_t *rank = xcalloc(shown, sizeof(*rank));

	/* Insertion sort: stable, and error lists are short. */
	for (size_t i = 0; i < shown; i++) {
		size_t j = i;

		rank[i] = file_rank(d, i);
		while (j > 0 && (rank[order[j - 1]] > rank[i] ||
		    (rank[order[j - 1]] == rank[i] &&
		    d->entries[order[j - 1]].line > d->entries[i].line))) {
			order[j] = order[j - 1];
			j--;
		}
		order[j] = i;
	}
	for (size_t k = 0; k < shown; k++) {
		const struct cgw_diag_entry *e = &d->entries[order[k]];

		if (e->file && e->line > 0)
			fprintf(out, "%s:%d: %s\n", e->file, e->line, e->msg);
		else if (e->file)
			fprintf(out, "%s: %s\n", e->file, e->msg);
		else
			fprintf(out, "%s\n", e->msg);
	}
	if (d->n > shown)
		fprintf(out, "(%zu more errors not shown)\n", d->n - shown);
	free(order);
	free(rank);
}
