/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * DOC: cgw.conf lexer and statement tree
 *
 * cgw.conf is a list of statements, one per line (or separated by ';').
 * A statement is words; a statement ending in '{' opens a block of further
 * statements closed by '}'.  Words are bare (letters, digits and
 * "-_./:*@+") or double-quoted; '#' starts a comment.  This file turns
 * text into that tree, with a line number on every statement; parse.c
 * gives the words their meaning.
 */
#ifndef CGW_LEXER_H
#define CGW_LEXER_H

#include <stddef.h>

#include "lib/diag.h"

struct cgw_stmt {
	char **words;
	size_t n_words;
	int line;
	int is_block;			/* ended in '{' */
	int broken;			/* had a lexical error: dropped */
	struct cgw_stmt *children;	/* block contents */
	struct cgw_stmt *next;
};

/* Parses buf into a statement list; syntax errors go to diag as
 * name:line.  Always returns a tree (possibly partial) to free. */
struct cgw_stmt *cgw_lex(const char *name, const char *buf, size_t len,
    struct cgw_diag *diag);
struct cgw_stmt *cgw_stmt_free(struct cgw_stmt *s);

#endif
