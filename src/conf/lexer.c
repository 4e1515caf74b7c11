/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * DOC: cgw.conf lexer and statement tree (see lexer.h)
 *
 * A small recursive-descent reader: tokens are words, '{', '}' and
 * end-of-statement.  Nesting is limited so a hostile file cannot exhaust
 * the stack.
 */
#include "conf/lexer.h"

#include <stdlib.h>
#include <string.h>

#include "lib/xalloc.h"

#define MAX_DEPTH 8
#define MAX_WORD 1024

enum tok { T_WORD, T_OPEN, T_CLOSE, T_EOS, T_END, T_ERR };

struct lexer {
	const char *name;
	const char *p, *end;
	int line;
	struct cgw_diag *diag;
	char *word;			/* last T_WORD, owned by the caller */
	int tok_line;
};

static int
is_bare(int c)
{
	/* c != 0: strchr() would find the terminating NUL. */
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9') || (c != 0 && strchr("-_./:*@+,=", c));
}

static enum tok
next_tok(struct lexer *lx)
{
	for (;;) {
		if (lx->p >= lx->end)
			return T_END;
		switch (*lx->p) {
		case ' ': case '\t': case '\r':
			lx->p++;
			continue;
		case '#':
			while (lx->p < lx->end && *lx->p != '\n')
				lx->p++;
			continue;
		case '\\':
			/* A backslash before the newline continues the line. */
			if (lx->p + 1 < lx->end && lx->p[1] == '\n') {
				lx->p += 2;
				lx->line++;
				continue;
			}
			break;
		}
		break;
	}
	lx->tok_line = lx->line;
	switch (*lx->p) {
	case '\n':
		lx->p++;
		lx->line++;
		return T_EOS;
	case ';':
		lx->p++;
		return T_EOS;
	case '{':
		lx->p++;
		return T_OPEN;
	case '}':
		lx->p++;
		return T_CLOSE;
	case '"': {
		const char *s = ++lx->p;

		while (lx->p < lx->end && *lx->p != '"' && *lx->p != '\n' &&
		    (unsigned char)*lx->p >= 0x20 && *lx->p != 0x7f)
			lx->p++;
		if (lx->p < lx->end && *lx->p != '"' && *lx->p != '\n') {
			cgw_diag_add(lx->diag, lx->name, lx->tok_line,
			    "control character 0x%02x in a string",
			    (unsigned char)*lx->p);
			lx->p++;
			return T_ERR;
		}
		if (lx->p >= lx->end || *lx->p != '"') {
			cgw_diag_add(lx->diag, lx->name, lx->tok_line,
			    "unterminated string: expected a closing '\"' on the same line");
			return T_ERR;
		}
		if (lx->p - s > MAX_WORD) {
			cgw_diag_add(lx->diag, lx->name, lx->tok_line,
			    "string longer than %d characters", MAX_WORD);
			lx->p++;
			return T_ERR;
		}
		lx->word = xstrndup(s, lx->p - s);
		lx->p++;
		return T_WORD;
	}
	}
	if (is_bare((unsigned char)*lx->p)) {
		const char *s = lx->p;

		while (lx->p < lx->end && is_bare((unsigned char)*lx->p))
			lx->p++;
		if (lx->p - s > MAX_WORD) {
			cgw_diag_add(lx->diag, lx->name, lx->tok_line,
			    "word longer than %d characters", MAX_WORD);
			return T_ERR;
		}
		lx->word = xstrndup(s, lx->p - s);
		return T_WORD;
	}
	if ((unsigned char)*lx->p >= 0x20 && (unsigned char)*lx->p < 0x7f)
		cgw_diag_add(lx->diag, lx->name, lx->tok_line,
		    "unexpected character '%c': quote values that contain it",
		    *lx->p);
	else
		cgw_diag_add(lx->diag, lx->name, lx->tok_line,
		    "unexpected byte 0x%02x: the file must be plain text",
		    (unsigned char)*lx->p);
	lx->p++;
	return T_ERR;
}

/* Reads statements until '}' (depth > 0) or end of input (depth 0). */
static struct cgw_stmt *
read_block(struct lexer *lx, int depth, int open_line)
{
	struct cgw_stmt *head = NULL, **tail = &head, *cur = NULL;

	for (;;) {
		enum tok t = next_tok(lx);

		switch (t) {
		case T_WORD:
		case T_ERR:
			if (!cur) {
				cur = xcalloc(1, sizeof(*cur));
				cur->line = lx->tok_line;
				*tail = cur;
				tail = &cur->next;
			}
			if (t == T_ERR) {
				/* Reported already; the statement (and its
				 * block) is read on and dropped as a whole. */
				cur->broken = 1;
				break;
			}
			cur->words = xreallocarray(cur->words,
			    cur->n_words + 1, sizeof(char *));
			cur->words[cur->n_words++] = lx->word;
			break;
		case T_EOS:
			cur = NULL;
			break;
		case T_OPEN:
			if (!cur) {
				cgw_diag_add(lx->diag, lx->name, lx->tok_line,
				    "'{' without a statement before it");
				cur = xcalloc(1, sizeof(*cur));
				cur->broken = 1;
				cur->line = lx->tok_line;
				*tail = cur;
				tail = &cur->next;
			}
			cur->is_block = 1;
			if (depth + 1 >= MAX_DEPTH) {
				cgw_diag_add(lx->diag, lx->name, lx->tok_line,
				    "blocks nested deeper than %d", MAX_DEPTH);
				return head;
			}
			cur->children = read_block(lx, depth + 1, cur->line);
			cur = NULL;
			break;
		case T_CLOSE:
			if (depth == 0) {
				cgw_diag_add(lx->diag, lx->name, lx->tok_line,
				    "'}' without a matching '{'");
				cur = NULL;
				break;
			}
			return head;
		case T_END:
			if (depth > 0)
				cgw_diag_add(lx->diag, lx->name, lx->line,
				    "end of file inside the block opened at line %d: expected '}'",
				    open_line);
			return head;
		}
	}
}

struct cgw_stmt *
cgw_lex(const char *name, const char *buf, size_t len, struct cgw_diag *diag)
{
	struct lexer lx = { .name = name, .p = buf, .end = buf + len,
	    .line = 1, .diag = diag };

	return read_block(&lx, 0, 0);
}

struct cgw_stmt *
cgw_stmt_free(struct cgw_stmt *s)
{
	while (s) {
		struct cgw_stmt *next = s->next;

		/* Words may be pre-shared keys: wipe before freeing. */
		for (size_t i = 0; i < s->n_words; i++) {
			explicit_bzero(s->words[i], strlen(s->words[i]));
			free(s->words[i]);
		}
		free(s->words);
		cgw_stmt_free(s->children);
		free(s);
		s = next;
	}
	return NULL;
}
