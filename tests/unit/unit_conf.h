/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * DOC: unit tests' configurations, from text
 *
 * unit_conf() parses and validates a cgw.conf text as cgwd does; a test
 * whose configuration has an error fails (the errors on stderr).
 */
#ifndef CGW_UNIT_CONF_H
#define CGW_UNIT_CONF_H

#include <stdio.h>
#include <string.h>

#include "conf/conf.h"
#include "unit.h"

static inline struct cgw_conf *
unit_conf(const char *text)
{
	struct cgw_conf *c = cgw_conf_new();
	struct cgw_diag d;

	cgw_diag_init(&d);
	cgw_conf_parse_buffer(c, "t", text, strlen(text), &d);
	if (d.n == 0)
		cgw_conf_validate(c, &d);
	if (d.n)
		cgw_diag_print(stderr, &d);
	CHECK(d.n == 0);
	cgw_diag_clear(&d);
	return c;
}

#endif
