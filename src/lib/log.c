/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * DOC: logging (see log.h)
 */
#include "lib/log.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <time.h>

static const char *const sub_names[] = {
	[LOG_CFG] = "cfg", [LOG_KNL] = "knl", [LOG_IKE] = "ike",
	[LOG_BGP] = "bgp", [LOG_HM] = "hm", [LOG_CTL] = "ctl", [LOG_DNS] = "dns",
	[LOG_MAIN] = "main",
};

static int log_debug_on;
static int log_syslog;

void
log_init(const char *progname, int debug, int use_syslog)
{
	log_debug_on = debug;
	log_syslog = use_syslog;
	if (use_syslog)
		openlog(progname, LOG_PID | LOG_NDELAY, LOG_DAEMON);
}

static void vlog(int pri, enum log_sub s, const char *fmt, va_list ap,
    const char *suffix) __attribute__((format(printf, 3, 0)));

static void
vlog(int pri, enum log_sub s, const char *fmt, va_list ap, const char *suffix)
{
	char msg[1024];

	vsnprintf(msg, sizeof(msg), fmt, ap);
	if (log_syslog) {
		syslog(pri, "[%s] %s%s", sub_names[s], msg, suffix ? suffix : "");
		return;
	}
	{
		struct timespec ts;
		struct tm tm;

		clock_gettime(CLOCK_REALTIME, &ts);
		localtime_r(&ts.tv_sec, &tm);
		fprintf(stderr, "%02d:%02d:%02d.%03ld [%s] %s%s\n", tm.tm_hour,
		    tm.tm_min, tm.tm_sec, ts.tv_nsec / 1000000, sub_names[s],
		    msg, suffix ? suffix : "");
	}
}

#define LOGFN(name, pri, cond)					\
void									\
name(enum log_sub s, const char *fmt, ...)				\
{									\
	va_list ap;							\
									\
	if (!(cond))							\
		return;							\
	va_start(ap, fmt);						\
	vlog(pri, s, fmt, ap, NULL);					\
	va_end(ap);							\
}

LOGFN(log_warn, LOG_WARNING, 1)
LOGFN(log_info, LOG_INFO, 1)
LOGFN(log_debug, LOG_DEBUG, log_debug_on)

int
log_errno(enum log_sub s, int err, const char *fmt, ...)
{
	char suffix[128];
	va_list ap;

	snprintf(suffix, sizeof(suffix), ": %s", strerror(err < 0 ? -err : err));
	va_start(ap, fmt);
	vlog(LOG_WARNING, s, fmt, ap, suffix);
	va_end(ap);
	return err;
}

void
fatalx(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vlog(LOG_CRIT, LOG_MAIN, fmt, ap, NULL);
	va_end(ap);
	exit(1);
}
