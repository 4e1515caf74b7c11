/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * DOC: logging
 *
 * A small API tagged by subsystem (cfg, knl, ike, bgp, hm, ctl), as
 * iked's log.c and strongSwan's DBG_CFG/DBG_KNL.  Only the daemon layer
 * logs; lower modules return -errno.  To stderr (journald adds the time)
 * or syslog.  Never log a pre-shared key.
 */
#ifndef CGW_LOG_H
#define CGW_LOG_H

#include <stdarg.h>

enum log_sub { LOG_CFG, LOG_KNL, LOG_IKE, LOG_BGP, LOG_HM, LOG_CTL, LOG_DNS, LOG_MAIN };

void log_init(const char *progname, int debug, int use_syslog);
void log_warn(enum log_sub s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void log_info(enum log_sub s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void log_debug(enum log_sub s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Logs fmt and strerror(-err); returns err, for "return log_errno(r, ...)". */
int log_errno(enum log_sub s, int err, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
void fatalx(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));

#endif
