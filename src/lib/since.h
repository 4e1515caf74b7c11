/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * DOC: "--since" times, as cgwctl show events takes them
 *
 * How long ago ("90s", "10m", "2h", "1d"), a local date and time
 * ("2026-12-04 03:00", "2026-12-04T03:00:05", "2026-12-04"), or unix
 * time ("@1764817200"), as journalctl's --since reads them.
 */
#ifndef CGW_SINCE_H
#define CGW_SINCE_H

#include <stdint.h>

/* Into unix time in ms, relative to now_ms; -EINVAL if s is none of the
 * forms above. */
int cgw_since_parse(const char *s, uint64_t now_ms, uint64_t *out_ms);

#endif
