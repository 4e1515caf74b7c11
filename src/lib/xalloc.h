/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * DOC: allocation that cannot fail
 *
 * A gateway that runs out of memory has nothing sensible left to do, so
 * these abort with a message instead of returning NULL everywhere.
 */
#ifndef CGW_XALLOC_H
#define CGW_XALLOC_H

#include <stddef.h>

void xoom(void) __attribute__((noreturn));
void *xcalloc(size_t n, size_t size);
void *xreallocarray(void *p, size_t n, size_t size);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
