/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Unit tests: the nf_tables notification decoder (src/kernel/nft_watch.c)
 * on notifications the kernel sent while nft changed rulesets (captured
 * into tests/fuzz/corpus/nft_watch, the fuzz target's seeds).
 */
#include "kernel/nft_watch.h"
#include "unit.h"

#include <linux/netlink.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static unsigned char buf[65536];
static size_t len;

static void
load(const char *name)
{
	const char *src = getenv("srcdir");
	char path[512];
	FILE *f;

	snprintf(path, sizeof(path), "%s/tests/fuzz/corpus/nft_watch/%s",
	    src ? src : ".", name);
	len = 0;
	if (!(f = fopen(path, "rb"))) {
		CHECK(!"capture missing");
		return;
	}
	len = fread(buf, 1, sizeof(buf), f);
	fclose(f);
	CHECK(len > 0);
}

static struct nft_watch_state
feed(const char *name, uint32_t self)
{
	struct nft_watch_state s = { 0 };

	load(name);
	nft_watch_feed(&s, buf, len, self);
	return s;
}

/* Transactions that touch table inet cgw, by another process: reported,
 * with who committed them. */
static void
test_changes_to_cgw_table(void)
{
	static const char *const touched[] = {
		"cgw-write.nl", "flush-ruleset.nl", "delete-cgw.nl",
	};

	for (size_t i = 0; i < sizeof(touched) / sizeof(*touched); i++) {
		struct nft_watch_state s = feed(touched[i], 0);

		CHECK(s.changed);
		CHECK(s.pid != 0);
		CHECK(strcmp(s.proc, "nft") == 0);
		CHECK(!s.touched);	/* the NEWGEN ended the transaction */
		/* ...and not when the committer is ourselves */
		s = feed(touched[i], s.pid);
		CHECK(!s.changed);
	}
}

/* Other tables, and an ip (not inet) table named cgw, are not ours. */
static void
test_other_tables(void)
{
	CHECK(!feed("other-table.nl", 0).changed);
	CHECK(!feed("ip-cgw.nl", 0).changed);
}

/* A transaction read in two parts: the state carries over to the NEWGEN. */
static void
test_split_reads(void)
{
	struct nft_watch_state s = { 0 };
	const struct nlmsghdr *first;

	load("delete-cgw.nl");
	first = (const void *)buf;
	CHECK(len > first->nlmsg_len);
	nft_watch_feed(&s, buf, NLMSG_ALIGN(first->nlmsg_len), 0);
	CHECK(s.touched && !s.changed);
	nft_watch_feed(&s, buf + NLMSG_ALIGN(first->nlmsg_len),
	    len - NLMSG_ALIGN(first->nlmsg_len), 0);
	CHECK(s.changed && !s.touched);
}

/* Cut anywhere, a buffer is read without harm (ASan watches each exact-
 * size copy), and a transaction cut before its NEWGEN is not reported. */
static void
test_truncated(void)
{
	unsigned int wrong = 0;

	load("flush-ruleset.nl");
	for (size_t n = 0; n <= len; n++) {
		struct nft_watch_state s = { 0 };
		unsigned char *copy = malloc(n ? n : 1);

		memcpy(copy, buf, n);
		nft_watch_feed(&s, copy, n, 0);
		free(copy);
		wrong += s.changed != (n == len);
	}
	CHECK(wrong == 0);
}

int
main(void)
{
	test_changes_to_cgw_table();
	test_other_tables();
	test_split_reads();
	test_truncated();
	return unit_summary();
}
