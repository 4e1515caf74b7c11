/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * DOC: names over the VPN, at run time (see dns.h)
 *
 * One way: the probes' answers and unbound-control's results are
 * recorded as they come; dns_tick() acts on all of it once a second
 * (send the next probes, judge, queue what unbound must be told).
 * unbound-control runs as a child whose output is read by the loop; the
 * next command waits for its exit.  Every refusal of unbound's is logged,
 * kept for show dns and the history, and retried.
 */
#include "cgwd/cgwd.h"
#include "cgwd/dns.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/epoll.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/timerfd.h>
#include <net/if.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "cgwd/dns_diag.h"
#include "cgwd/dns_wire.h"
#include "cgwd/loop.h"
#include "cgwd/unbound_conf.h"
#include "lib/clock.h"
#include "lib/log.h"
#include "lib/xalloc.h"

#define CMD_QUEUE (CGW_DNS_ZONES_MAX + 8)	/* a forward_add per zone, and more */
#define CMD_OUT_MAX 65536		/* list_forwards holds the operator's zones too */
#define RETRY_S 10			/* after a refusal of unbound's */
#define DIAG_CAP_MS 6000		/* diagnose dns answers by then, whatever waits */

/* CMD_CHECK is unbound-checkconf: a configuration unbound cannot read makes
 * a reload kill it, so each reload is checked first. */
enum cmd_kind { CMD_CHECK, CMD_RELOAD, CMD_FORWARD, CMD_LIST, CMD_GETOPT };

struct dns_cmd {
	enum cmd_kind kind;
	char *args;			/* after unbound-control -c CONF */
};

/* What the file says between a dns block's removal and unbound's reload. */
#define TOMBSTONE "# Written by cgwd: no dns block in cgw.conf any more; this file goes once\n" \
	"# unbound has reloaded without it.\n"

/* Where unbound's forward list sends a zone when no endpoint address has
 * a route through the tunnels: a closed port on the box, so unbound
 * answers SERVFAIL at once instead of sending private names out of the
 * outside interface in clear. */
#define DNS_NOWHERE "127.0.0.1@1"

#define DIAG_WAIT_MS 2000		/* for the answers to diagnose dns's queries */
#define DIAG_ASKED (CGW_DNS_ENDPOINTS_MAX + 1)	/* the endpoints, then unbound */

/* diagnose dns NAME in progress: its queries, then dns_diag.h's facts */
struct dns_diag_run {
	bool active;
	char name[CGW_DNS_NAME_MAX];
	struct dns_diag_facts facts;
	int fd[DIAG_ASKED];
	uint16_t id[DIAG_ASKED];
	uint64_t sent_us[DIAG_ASKED];
	size_t n;			/* sockets in fd[] */
	int timer_fd;
	bool opt_pending;		/* get_option outgoing-interface */
	bool timed_out;
};

struct dns_state {
	struct dns_diag_run diag;
	struct dns_endpoint *ep;	/* the endpoints, then unbound's own */
	size_t n_ep, n_all;
	struct in_addr source;
	char *include_path;		/* unbound.conf.d/cgw.conf */
	bool have_conf;			/* a dns block is in force */
	/* unbound-control */
	struct dns_cmd queue[CMD_QUEUE];
	size_t n_queue;
	pid_t pid;			/* the run in progress, 0 = none */
	int out_fd;
	char out[CMD_OUT_MAX];
	size_t out_len;
	uint64_t started_us;
	struct dns_cmd running;
	bool forwards_due;		/* the live set changed: tell unbound */
	bool reload_due;		/* the file changed (or a reload failed) */
	uint64_t retry_at_us;		/* after a refusal */
	uint64_t verify_at_us;		/* next list_forwards */
	bool cmd_failed;		/* a command's last run failed... */
	enum cmd_kind failed_kind;	/* ...this kind's */
	char cmd_detail[CGW_TEXT_MAX];	/* ...and what it said */
	bool routes_failed;		/* the last route dump's error, said once */
	bool write_failed;		/* the file could not be written... */
	char write_detail[CGW_TEXT_MAX];	/* ...why */
	bool unbound_ok;		/* commands and listening addresses */
	bool unbound_known;
	uint64_t unbound_since_us;
	char unbound_detail[CGW_TEXT_MAX];
};

/* CLOCK_MONOTONIC microseconds as unix milliseconds, for show dns. */
static uint64_t
unix_ms_of(uint64_t us)
{
	struct timespec rt;
	uint64_t now = cgw_mono_us();

	clock_gettime(CLOCK_REALTIME, &rt);
	return ((uint64_t)rt.tv_sec * 1000000 + (uint64_t)rt.tv_nsec / 1000 -
	    (now - us)) / 1000;
}

/* unbound.conf.d/cgw.conf beside the unbound.conf cgwd was pointed at. */
static char *
include_path_of(const char *unbound_conf)
{
	const char *slash = strrchr(unbound_conf, '/');

	if (!slash)
		return xstrdup("unbound.conf.d/cgw.conf");
	return xasprintf("%.*s/unbound.conf.d/cgw.conf",
	    (int)(slash - unbound_conf), unbound_conf);
}

static void
unbound_state(struct cgwd *d, bool ok, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void
unbound_state(struct cgwd *d, bool ok, const char *fmt, ...)
{
	struct dns_state *s = d->dns;
	char detail[CGW_TEXT_MAX] = "";
	va_list ap;

	if (fmt) {
		va_start(ap, fmt);
		vsnprintf(detail, sizeof(detail), fmt, ap);
		va_end(ap);
	}
	if (s->unbound_known && s->unbound_ok == ok &&
	    strcmp(s->unbound_detail, detail) == 0)
		return;
	if (ok)
		event_note(d, NULL, "dns", "unbound: cgw's zones in force");
	else {
		log_warn(LOG_DNS, "unbound: %s", detail);
		event_note(d, NULL, "dns", "unbound: %s", detail);
	}
	s->unbound_known = true;
	s->unbound_ok = ok;
	s->unbound_since_us = cgw_mono_us();
	snprintf(s->unbound_detail, sizeof(s->unbound_detail), "%s", detail);
}

/* unbound's state from its listening addresses' answers and its last
 * command's result: a command's refusal first, then a silent address. */
static void
unbound_listening(struct cgwd *d)
{
	struct dns_state *s = d->dns;
	char a[CGW_ADDRSTRLEN];

	if (s->write_failed) {
		unbound_state(d, false, "%s", s->write_detail);
		return;
	}
	if (s->cmd_failed) {
		unbound_state(d, false, "%s", s->cmd_detail);
		return;
	}
	for (size_t i = s->n_ep; i < s->n_all; i++) {
		const struct dns_endpoint *e = &s->ep[i];

		if (e->judged && !e->up) {
			unbound_state(d, false, "does not answer on %s:53 (%s): a reload does not open new listening addresses: restart unbound (systemctl restart unbound)",
			    cgw_addr4_str(e->addr, a), e->detail);
			return;
		}
	}
	unbound_state(d, true, NULL);
}

/* --- unbound-control, one run at a time ------------------------------- */

static void diag_outgoing(struct cgwd *d, const char *out);

/* false when it could not be queued (args freed either way) */
static bool
queue_cmd(struct dns_state *s, enum cmd_kind kind, char *args)
{
	/* a newer forward_add for a zone makes a queued one moot, and so on:
	 * keep the queue to one of each kind and argument; a reload in
	 * progress covers the next tick's too */
	for (size_t i = 0; i < s->n_queue; i++)
		if (s->queue[i].kind == kind &&
		    strcmp(s->queue[i].args, args) == 0) {
			free(args);
			return true;
		}
	if (s->pid && kind != CMD_FORWARD && s->running.kind == kind &&
	    s->running.args && strcmp(s->running.args, args) == 0) {
		free(args);
		return true;
	}
	if (s->n_queue == CMD_QUEUE) {
		free(args);
		return false;
	}
	if (kind == CMD_GETOPT) {	/* an operator waits for it */
		memmove(s->queue + 1, s->queue, s->n_queue * sizeof(s->queue[0]));
		s->queue[0] = (struct dns_cmd){ kind, args };
		s->n_queue++;
		return true;
	}
	s->queue[s->n_queue++] = (struct dns_cmd){ kind, args };
	return true;
}

/* unbound-checkconf, then the reload if it passed */
static void
queue_reload(struct dns_state *s)
{
	queue_cmd(s, CMD_CHECK, xstrdup("checkconf"));
	queue_cmd(s, CMD_RELOAD, xstrdup("reload"));
}

/* A failed check: the reload after it must not run. */
static void
drop_queued(struct dns_state *s, enum cmd_kind kind)
{
	size_t k = 0;

	for (size_t i = 0; i < s->n_queue; i++)
		if (s->queue[i].kind == kind)
			free(s->queue[i].args);
		else
			s->queue[k++] = s->queue[i];
	s->n_queue = k;
}

static void
on_cmd_output(void *arg, int fd, uint32_t events)
{
	struct cgwd *d = arg;
	struct dns_state *s = d->dns;
	ssize_t n;

	(void)events;
	for (;;) {
		char buf[512];

		n = read(fd, buf, sizeof(buf));
		if (n <= 0)
			break;
		if (s->out_len + 1 < sizeof(s->out)) {
			size_t k = (size_t)n;

			if (k > sizeof(s->out) - 1 - s->out_len)
				k = sizeof(s->out) - 1 - s->out_len;
			memcpy(s->out + s->out_len, buf, k);
			s->out_len += k;
		}
	}
	if (n == 0 || (n < 0 && errno != EAGAIN && errno != EINTR)) {
		loop_del_fd(d->loop, fd);
		close(fd);
		s->out_fd = -1;
	}
}

static int
spawn(struct cgwd *d, enum cmd_kind kind, const char *args)
{
	struct dns_state *s = d->dns;
	char *copy = xstrdup(args), *save = NULL;
	const char *argv[24];
	int argc = 0, p[2];
	sigset_t none;
	pid_t pid;

	if (kind == CMD_CHECK) {
		argv[argc++] = "unbound-checkconf";
		argv[argc++] = d->unbound_conf;
	} else {
		argv[argc++] = "unbound-control";
		argv[argc++] = "-c";
		argv[argc++] = d->unbound_conf;
		for (char *w = strtok_r(copy, " ", &save); w && argc < 23;
		    w = strtok_r(NULL, " ", &save))
			argv[argc++] = w;
	}
	argv[argc] = NULL;
	if (pipe2(p, O_CLOEXEC) < 0) {
		free(copy);
		return -errno;
	}
	pid = fork();
	if (pid < 0) {
		int r = -errno;

		close(p[0]);
		close(p[1]);
		free(copy);
		return r;
	}
	if (pid == 0) {
		int devnull = open("/dev/null", O_RDWR);

		sigemptyset(&none);
		sigprocmask(SIG_SETMASK, &none, NULL);
		dup2(devnull, 0);
		dup2(p[1], 1);
		dup2(p[1], 2);
		execvp(argv[0], (char *const *)argv);
		_exit(127);
	}
	free(copy);
	close(p[1]);
	fcntl(p[0], F_SETFL, O_NONBLOCK);
	if (s->out_fd >= 0) {
		/* the last run's pipe, still held open by a grandchild:
		 * never two runs' output in one buffer */
		loop_del_fd(d->loop, s->out_fd);
		close(s->out_fd);
	}
	if (loop_add_fd(d->loop, p[0], EPOLLIN, on_cmd_output, d) < 0) {
		close(p[0]);
		p[0] = -1;
	}
	s->out_fd = p[0];
	s->out_len = 0;
	s->pid = pid;
	s->started_us = cgw_mono_us();
	return 0;
}

static void
run_next(struct cgwd *d)
{
	struct dns_state *s = d->dns;
	int r;

	if (s->pid || s->n_queue == 0)
		return;
	s->running = s->queue[0];
	memmove(s->queue, s->queue + 1, --s->n_queue * sizeof(s->queue[0]));
	if ((r = spawn(d, s->running.kind, s->running.args)) < 0) {
		if (s->running.kind == CMD_GETOPT)
			diag_outgoing(d, NULL);
		else
			unbound_state(d, false, "cannot run %s: %s",
			    s->running.kind == CMD_CHECK ? "unbound-checkconf" :
			    "unbound-control", strerror(-r));
		if (s->running.kind == CMD_CHECK) {
			drop_queued(s, CMD_RELOAD);
			s->reload_due = true;
		}
		free(s->running.args);
		s->running.args = NULL;
		s->retry_at_us = cgw_mono_us() + RETRY_S * 1000000ull;
		s->forwards_due = true;
	}
}

/* list_forwards: "corp.example. IN forward 10.2.0.53 10.2.1.53" per zone.
 * Every zone of cgw's, with the addresses cgw last gave it? */
static bool
forwards_match(struct cgwd *d, const char *out)
{
	const struct cgw_dns_conf *dns = &d->conf->dns;
	struct dns_state *s = d->dns;
	char a[CGW_ADDRSTRLEN];

	for (size_t z = 0; z < dns->n_zones; z++) {
		char want[CGW_DNS_NAME_MAX + 32];
		const char *line = NULL;

		snprintf(want, sizeof(want), "%s%s IN forward",
		    strcmp(dns->zones[z], ".") ? dns->zones[z] : "",
		    ".");
		for (const char *p = out; p && *p; p = strchr(p, '\n')) {
			if (*p == '\n')
				p++;
			if (strncasecmp(p, want, strlen(want)) == 0) {
				line = p;
				break;
			}
		}
		if (!line)
			return false;
		for (size_t i = 0; i < s->n_ep; i++) {
			const char *end = strchr(line, '\n');
			size_t llen = end ? (size_t)(end - line) : strlen(line);
			bool has = false;

			cgw_addr4_str(s->ep[i].addr, a);
			/* whole words: 10.2.0.5 is not in "10.2.0.53" */
			for (size_t w = 0; w < llen;) {
				size_t wl = strcspn(line + w, " \n");

				if (wl > llen - w)
					wl = llen - w;
				has |= wl == strlen(a) && memcmp(line + w, a, wl) == 0;
				w += wl + 1;
			}
			if (has != s->ep[i].forwarded)
				return false;
		}
	}
	return true;
}

/* The first line of the output that says what went wrong. */
static void
first_error_line(char *out)
{
	char *line = strstr(out, "error");
	char *nl;

	if (line) {
		while (line > out && line[-1] != '\n')
			line--;
		memmove(out, line, strlen(line) + 1);
	}
	if ((nl = strchr(out, '\n')))
		*nl = '\0';
}

void
dns_reaped(struct cgwd *d, pid_t pid, int status)
{
	struct dns_state *s = d->dns;
	enum cmd_kind kind;
	bool ok, cut;

	if (!s || !pid || pid != s->pid)
		return;
	if (s->out_fd >= 0)
		on_cmd_output(d, s->out_fd, 0);	/* what is left in the pipe */
	s->pid = 0;
	s->out[s->out_len] = '\0';
	cut = s->out_len + 1 >= sizeof(s->out);
	kind = s->running.kind;
	ok = WIFEXITED(status) && WEXITSTATUS(status) == 0 &&
	    strncmp(s->out, "error", 5) != 0;
	if (kind == CMD_LIST && ok) {
		if (cut)
			/* not all of it: no verdict on what is missing */
			log_warn(LOG_DNS, "list_forwards: more than %d bytes, not compared", CMD_OUT_MAX);
		else if (!forwards_match(d, s->out)) {
			/* unbound restarted (runtime changes are gone) or
			 * someone changed its forwards: ours again */
			log_info(LOG_DNS, "unbound's forward zones differ from cgw's: setting them again");
			s->forwards_due = true;
		}
	} else if (ok && kind == CMD_RELOAD) {
		/* a reload reads the files: cgw's runtime list is gone */
		s->reload_due = false;
		s->forwards_due = true;
		if (!s->have_conf && unlink(s->include_path) < 0 && errno != ENOENT)
			log_errno(LOG_DNS, -errno, "remove %s", s->include_path);
	}
	if (kind == CMD_GETOPT) {
		diag_outgoing(d, ok ? s->out : NULL);
		free(s->running.args);
		s->running.args = NULL;
		run_next(d);
		return;		/* a question, not a change: not unbound's state */
	}
	if (!ok) {
		first_error_line(s->out);
		if (WIFEXITED(status) && WEXITSTATUS(status) == 127)
			snprintf(s->out, sizeof(s->out), "%s not found (install unbound)",
			    kind == CMD_CHECK ? "unbound-checkconf" : "unbound-control");
		else if (WIFSIGNALED(status) && !s->out[0])
			snprintf(s->out, sizeof(s->out), "no answer in %d s: killed",
			    DNS_UNBOUND_TIMEOUT_S);
		if (kind == CMD_CHECK)
			snprintf(s->cmd_detail, sizeof(s->cmd_detail),
			    "unbound-checkconf refuses unbound's configuration (cgw does not reload it): %s",
			    s->out[0] ? s->out : "failed without a word");
		else
			snprintf(s->cmd_detail, sizeof(s->cmd_detail),
			    "unbound-control %.40s: %s", s->running.args,
			    s->out[0] ? s->out : "failed without a word");
		s->cmd_failed = true;
		s->failed_kind = kind;
	} else if (s->cmd_failed && (kind != CMD_LIST ||
	    s->failed_kind == CMD_LIST))
		/* a reading proves unbound runs, not that a change of cgw's
		 * that failed has since worked */
		s->cmd_failed = false;
	unbound_listening(d);
	if (!ok) {
		if (kind == CMD_FORWARD)
			s->forwards_due = true;
		if (kind == CMD_CHECK) {
			drop_queued(s, CMD_RELOAD);
			s->reload_due = true;
		}
		s->retry_at_us = cgw_mono_us() + RETRY_S * 1000000ull;
	}
	free(s->running.args);
	s->running.args = NULL;
	run_next(d);
}

/* --- the file --------------------------------------------------------- */

static bool
ours(const char *path)
{
	char head[64] = "";
	FILE *f = fopen(path, "re");

	if (!f)
		return false;
	if (!fgets(head, sizeof(head), f))
		head[0] = '\0';
	fclose(f);
	return strncmp(head, "# Written by cgwd", 17) == 0;
}

static char *
slurp(const char *path)
{
	FILE *f = fopen(path, "re");
	char *buf = NULL;
	size_t len = 0, n;
	char chunk[4096];

	if (!f)
		return NULL;
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0 && len < (1 << 20)) {
		buf = xreallocarray(buf, len + n + 1, 1);
		memcpy(buf + len, chunk, n);
		len += n;
	}
	fclose(f);
	if (buf)
		buf[len] = '\0';
	return buf ? buf : xstrdup("");
}

/* Writes the file if it differs; 1 when written, 0 when it was right,
 * -errno when it could not be. */
static int
write_include(struct cgwd *d, const char *text)
{
	struct dns_state *s = d->dns;
	char *old = slurp(s->include_path), *tmp;
	size_t len = strlen(text);
	struct stat st;
	int fd, r = 1;

	/* unbound reads it as user unbound after dropping root: 0644 whatever
	 * cgwd's umask (the unit's is 077), or a reload kills unbound */
	if (old && strcmp(old, text) == 0 && stat(s->include_path, &st) == 0 &&
	    (st.st_mode & 07777) == 0644) {
		free(old);
		return 0;
	}
	free(old);
	tmp = xasprintf("%s.cgw-new", s->include_path);
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0)
		r = -errno;
	else {
		errno = 0;
		if (fchmod(fd, 0644) < 0 ||
		    write(fd, text, len) != (ssize_t)len || fsync(fd) < 0)
			r = errno ? -errno : -EIO;
	}
	if (fd >= 0 && close(fd) < 0 && r > 0)
		r = -errno;
	if (r > 0 && rename(tmp, s->include_path) < 0)
		r = -errno;
	if (r < 0)
		unlink(tmp);
	free(tmp);
	return r;
}

#define ROUTES_MAX 4096

/* The main table's unicast routes (malloc'd into *rs); the count, or
 * -errno (said once per spell of errors). */
static int
routes_dump(struct cgwd *d, struct kernel_route4 **rs)
{
	struct dns_state *s = d->dns;
	int n;

	*rs = xcalloc(ROUTES_MAX, sizeof(**rs));
	n = d->kernel->ops->route4_list(d->kernel, *rs, ROUTES_MAX);
	if (n < 0 && !s->routes_failed)
		log_errno(LOG_DNS, n, "dns: the kernel's routes to the endpoint addresses");
	s->routes_failed = n < 0;
	return n;
}

/* The kernel's route to a: through which interface, one of cgw's tunnels? */
static void
route_of(struct cgwd *d, const struct kernel_route4 *rs, int n,
    struct in_addr a, enum dns_route *route, char *ifname)
{
	uint32_t h = cgw_addr4_host(a);
	int best = -1;

	*route = DNS_ROUTE_NONE;
	ifname[0] = '\0';
	for (int i = 0; i < n; i++) {
		uint32_t mask = rs[i].plen ? ~0u << (32 - rs[i].plen) : 0;

		if ((cgw_addr4_host(rs[i].dst) & mask) == (h & mask) &&
		    (best < 0 || rs[i].plen > rs[best].plen ||
		    (rs[i].plen == rs[best].plen && rs[i].metric < rs[best].metric)))
			best = i;
	}
	if (best < 0)
		return;
	if (!if_indextoname((unsigned int)rs[best].ifindex, ifname))
		snprintf(ifname, 16, "ifindex %d", rs[best].ifindex);
	*route = rs[best].plen == 0 || (d->conf->box.outside_interface &&
	    strcmp(ifname, d->conf->box.outside_interface) == 0) ?
	    DNS_ROUTE_OUTSIDE : DNS_ROUTE_OTHER;
	for (size_t i = 0; i < d->n_tunnels; i++)
		if (d->tunnels[i].ifindex == rs[best].ifindex)
			*route = DNS_ROUTE_TUNNEL;
}

/* --- probes ----------------------------------------------------------- */

/* Not guessable from outside: an answer must match the query's id. */
static uint16_t
query_id(void)
{
	uint16_t id;

	if (getrandom(&id, sizeof(id), GRND_NONBLOCK) != sizeof(id))
		id = (uint16_t)(random() ^ (long)cgw_mono_us());
	return id;
}

static void
ep_set(struct cgwd *d, struct dns_endpoint *e, bool up, const char *detail)
{
	struct dns_state *s = d->dns;
	char a[CGW_ADDRSTRLEN];

	snprintf(e->detail, sizeof(e->detail), "%s", up ? "" : detail);
	if (e->judged && e->up == up)
		return;
	cgw_addr4_str(e->addr, a);
	e->judged = true;
	e->up = up;
	e->since_us = cgw_mono_us();
	if (e->local) {
		unbound_listening(d);
		return;
	}
	if (up)
		event_note(d, NULL, "dns", "endpoint %s answers (%u.%03u ms)", a,
		    e->rtt_us / 1000, e->rtt_us % 1000);
	else
		event_note(d, NULL, "dns", "endpoint %s down: %s", a, detail);
	log_info(LOG_DNS, "endpoint %s %s%s%s", a, up ? "up" : "down",
	    up ? "" : ": ", up ? "" : detail);
	s->forwards_due = true;
}

static void
on_answer(void *arg, int fd, uint32_t events)
{
	struct cgwd *d = arg;
	struct dns_state *s = d->dns;
	struct dns_endpoint *e = NULL;
	uint8_t buf[DNS_WIRE_MAX];
	struct dns_reply rep;
	ssize_t n;

	(void)events;
	for (size_t i = 0; i < s->n_all; i++)
		if (s->ep[i].fd == fd)
			e = &s->ep[i];
	if (!e)
		return;
	while ((n = recv(fd, buf, sizeof(buf), 0)) >= 0 || errno == EINTR) {
		if (n < 0)
			continue;
		if (!e->sent_us || dns_wire_reply(buf, (size_t)n, e->id, &rep) < 0)
			continue;	/* late, foreign or broken: not an answer */
		e->rtt_us = (uint32_t)(cgw_mono_us() - e->sent_us);
		e->rcode = rep.rcode;
		e->sent_us = 0;
		e->misses = 0;
		e->answered++;
		/* any answer means the address is reachable and serving;
		 * what it says about a name is diagnose dns's business */
		ep_set(d, e, true, NULL);
	}
	/* an ICMP error on the connected socket: kept for the verdict */
	if (errno != EAGAIN && errno != EWOULDBLOCK)
		snprintf(e->last_err, sizeof(e->last_err), "%s", strerror(errno));
}

static int
ep_open(struct cgwd *d, struct dns_endpoint *e)
{
	struct dns_state *s = d->dns;
	struct sockaddr_in src = { .sin_family = AF_INET, .sin_addr = s->source };
	struct sockaddr_in dst = { .sin_family = AF_INET, .sin_addr = e->addr,
	    .sin_port = htons(53) };
	int fd, r;

	fd = socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	if ((!e->local && bind(fd, (struct sockaddr *)&src, sizeof(src)) < 0) ||
	    connect(fd, (struct sockaddr *)&dst, sizeof(dst)) < 0) {
		r = -errno;
		close(fd);
		return r;
	}
	if (loop_add_fd(d->loop, fd, EPOLLIN, on_answer, d) < 0) {
		close(fd);
		return -ENOMEM;
	}
	e->fd = fd;
	return 0;
}

static void
ep_close(struct cgwd *d, struct dns_endpoint *e)
{
	if (e->fd >= 0) {
		loop_del_fd(d->loop, e->fd);
		close(e->fd);
		e->fd = -1;
	}
}

static void
probe(struct cgwd *d, struct dns_endpoint *e)
{
	struct dns_state *s = d->dns;
	uint8_t q[512];
	char a[CGW_ADDRSTRLEN], why[CGW_TEXT_MAX];
	int n, r;

	if (e->sent_us) {		/* the last one went unanswered */
		if (++e->misses >= DNS_MISSES) {
			if (e->last_err[0])
				snprintf(why, sizeof(why), "%u queries in a row unanswered (last: %s)",
				    e->misses, e->last_err);
			else
				snprintf(why, sizeof(why), "%u queries in a row unanswered",
				    e->misses);
			ep_set(d, e, false, why);
		}
		e->sent_us = 0;
	}
	if (!e->local && e->route < DNS_ROUTE_OTHER) {
		/* a private zone's name is not sent in clear to the
		 * internet */
		if (e->route == DNS_ROUTE_NONE)
			snprintf(why, sizeof(why), "no route to it");
		else
			snprintf(why, sizeof(why), "no route over the tunnels (the kernel would send it out %s)",
			    e->route_if);
		e->misses = DNS_MISSES;
		ep_set(d, e, false, why);
		return;
	}
	if (e->fd < 0 && (r = ep_open(d, e)) < 0) {
		/* EADDRNOTAVAIL: the source address is not on the box */
		if (e->local)
			snprintf(why, sizeof(why), "cannot query: %s", strerror(-r));
		else
			snprintf(why, sizeof(why), "cannot query from %s: %s",
			    cgw_addr4_str(s->source, a), strerror(-r));
		e->misses = DNS_MISSES;
		ep_set(d, e, false, why);
		return;
	}
	e->id = query_id();
	/* unbound answers localhost itself: its own probe does not wait on
	 * the endpoints (down with the tunnels, unbound is still fine) */
	n = e->local ? dns_wire_query("localhost", DNS_Q_A, e->id, q, sizeof(q)) :
	    dns_wire_query(d->conf->dns.zones[0], DNS_Q_SOA, e->id, q, sizeof(q));
	if (n < 0)
		return;
	e->last_err[0] = '\0';
	if (send(e->fd, q, (size_t)n, 0) < 0) {
		snprintf(e->last_err, sizeof(e->last_err), "%s", strerror(errno));
		if (errno == EADDRNOTAVAIL || errno == EINVAL)
			ep_close(d, e);	/* the source went: bind again */
	}
	e->sent_us = cgw_mono_us();
	e->sent++;
}

/* --- ticks ------------------------------------------------------------ */

static void sync_file(struct cgwd *d);

static void
queue_forwards(struct cgwd *d)
{
	const struct cgw_dns_conf *dns = &d->conf->dns;
	struct dns_state *s = d->dns;
	bool live[CGW_DNS_ENDPOINTS_MAX] = { false }, any = false, queued = true;
	bool routed[CGW_DNS_ENDPOINTS_MAX] = { false }, any_routed = false;

	/* the addresses that answer; none: those the kernel sends over the
	 * tunnels (or a route of the operator's), each may come back; none
	 * of those either: nowhere (DNS_NOWHERE), never the internet */
	for (size_t i = 0; i < s->n_ep && i < CGW_DNS_ENDPOINTS_MAX; i++) {
		live[i] = s->ep[i].up;
		any |= live[i];
		routed[i] = s->ep[i].route >= DNS_ROUTE_OTHER;
		any_routed |= routed[i];
	}
	for (size_t i = 0; i < s->n_ep && i < CGW_DNS_ENDPOINTS_MAX; i++) {
		if (!any)
			live[i] = routed[i];
		s->ep[i].forwarded = live[i];
	}
	if (!any && !any_routed)
		log_warn(LOG_DNS, "no endpoint address has a route through the tunnels: cgw's zones point nowhere (SERVFAIL) until one has");
	for (size_t z = 0; z < dns->n_zones; z++)
		queued &= queue_cmd(s, CMD_FORWARD, unbound_forward_cmd(dns, z,
		    live, DNS_NOWHERE));
	/* a full queue: the rest at the next tick */
	s->forwards_due = !queued;
}

void
dns_tick(struct cgwd *d)
{
	struct dns_state *s = d->dns;
	uint64_t now = cgw_mono_us();
	bool all_judged = true;

	if (!s)
		return;
	if (s->pid && now - s->started_us > DNS_UNBOUND_TIMEOUT_S * 1000000ull) {
		log_warn(LOG_DNS, "unbound-control %s: no answer in %d s: killed",
		    s->running.args, DNS_UNBOUND_TIMEOUT_S);
		kill(s->pid, SIGKILL);		/* reaped by SIGCHLD */
	}
	if (!s->have_conf) {
		/* taking an earlier configuration's zones out */
		if (s->reload_due && now >= s->retry_at_us)
			queue_reload(s);
		run_next(d);
		return;
	}
	if (s->n_ep) {
		struct kernel_route4 *rs;
		int n = routes_dump(d, &rs);

		/* the kernel would not say: the last classification stands */
		for (size_t i = 0; n >= 0 && i < s->n_ep; i++)
			route_of(d, rs, n, s->ep[i].addr, &s->ep[i].route,
			    s->ep[i].route_if);
		free(rs);
	}
	for (size_t i = 0; i < s->n_all; i++) {
		probe(d, &s->ep[i]);
		all_judged &= s->ep[i].local || s->ep[i].judged;
	}
	if (now >= s->retry_at_us) {
		if (s->write_failed)
			sync_file(d);
		if (s->reload_due)
			queue_reload(s);
		/* after a start, the file's list (all addresses) stands until
		 * each address has answered or missed */
		if (s->forwards_due && all_judged)
			queue_forwards(d);
	}
	if (now >= s->verify_at_us) {
		queue_cmd(s, CMD_LIST, xstrdup("list_forwards"));
		s->verify_at_us = now + DNS_VERIFY_S * 1000000ull;
	}
	run_next(d);
}

/* unbound.conf.d/cgw.conf as the dns block says; a failure is unbound's
 * state (an error) until a later try works. */
static void
sync_file(struct cgwd *d)
{
	struct dns_state *s = d->dns;
	char *text = unbound_conf_render(d->conf);
	int r = write_include(d, text);

	free(text);
	if (r < 0) {
		if (!s->write_failed)
			log_errno(LOG_DNS, r, "write %s", s->include_path);
		s->write_failed = true;
		snprintf(s->write_detail, sizeof(s->write_detail),
		    "cannot write %s: %s (cgw tries again every %d s)",
		    s->include_path, strerror(-r), RETRY_S);
		s->retry_at_us = cgw_mono_us() + RETRY_S * 1000000ull;
	} else {
		s->write_failed = false;
		if (r > 0) {
			log_info(LOG_DNS, "%s written: unbound reloads", s->include_path);
			s->reload_due = true;
			queue_reload(s);
		}
	}
	unbound_listening(d);
}

void
dns_start(struct cgwd *d)
{
	const struct cgw_dns_conf *dns = &d->conf->dns;
	struct dns_state *s = xcalloc(1, sizeof(*s));
	int r;

	d->dns = s;
	s->out_fd = -1;
	s->include_path = include_path_of(d->unbound_conf);
	if (!dns->present) {
		/* an earlier configuration's zones must not outlive it: the
		 * file becomes a comment until unbound has reloaded, then goes
		 * (a cgwd started in between finds it, and reloads again) */
		if (ours(s->include_path)) {
			r = write_include(d, TOMBSTONE);
			if (r < 0)
				log_errno(LOG_DNS, r, "empty %s", s->include_path);
			else {
				if (r > 0) {
					log_info(LOG_DNS, "no dns block: cgw's zones out of %s, unbound reloads",
					    s->include_path);
					event_note(d, NULL, "dns", "no dns block: cgw's zones taken out of unbound");
				}
				s->reload_due = true;
				queue_reload(s);
			}
		}
		return;
	}
	s->have_conf = true;
	s->source = dns->source;
	s->n_ep = dns->n_endpoints;
	s->n_all = s->n_ep + (dns->n_listen ? dns->n_listen : 1);
	s->ep = xcalloc(s->n_all, sizeof(*s->ep));
	for (size_t i = 0; i < s->n_all; i++) {
		struct dns_endpoint *e = &s->ep[i];

		e->local = i >= s->n_ep;
		if (!e->local)
			e->addr = dns->endpoints[i];
		else if (dns->n_listen)
			e->addr = dns->listen[i - s->n_ep];
		else
			e->addr = dns->source;	/* where unbound listens then */
		e->fd = -1;
		e->forwarded = !e->local;
		e->since_us = cgw_mono_us();
	}
	sync_file(d);
	/* the first list_forwards tells whether unbound runs with it */
	s->verify_at_us = 0;
}

void
dns_stop(struct cgwd *d)
{
	struct dns_state *s = d->dns;

	if (!s)
		return;
	for (size_t i = 0; i < s->n_all; i++)
		ep_close(d, &s->ep[i]);
	if (s->diag.active) {
		for (size_t i = 0; i < s->diag.n; i++)
			if (s->diag.fd[i] >= 0)
				close(s->diag.fd[i]);
		close(s->diag.timer_fd);
	}
	if (s->out_fd >= 0) {
		loop_del_fd(d->loop, s->out_fd);
		close(s->out_fd);
	}
	/* a command in flight finishes on its own; its exit is not ours to
	 * wait for (a reload's execve keeps no child) */
	for (size_t i = 0; i < s->n_queue; i++)
		free(s->queue[i].args);
	free(s->running.args);
	free(s->ep);
	free(s->include_path);
	free(s);
	d->dns = NULL;
}

/* --- diagnose dns NAME ------------------------------------------------ */

static void
diag_finish(struct cgwd *d, bool force)
{
	struct dns_diag_run *g = &d->dns->diag;
	struct dns_finding found[DNS_FINDINGS_MAX];
	size_t n;

	if (!g->active)
		return;
	if (!force) {
		for (size_t i = 0; i < g->n; i++)
			if (g->fd[i] >= 0 && !g->timed_out)
				return;		/* answers still to come */
		if (g->opt_pending)
			return;
	}
	for (size_t i = 0; i < g->n; i++)
		if (g->fd[i] >= 0) {
			loop_del_fd(d->loop, g->fd[i]);
			close(g->fd[i]);
			g->fd[i] = -1;
		}
	if (g->timer_fd >= 0) {
		loop_del_fd(d->loop, g->timer_fd);
		close(g->timer_fd);
		g->timer_fd = -1;
	}
	g->active = false;
	n = dns_diagnose(&g->facts, found);
	control_dns_diag_ready(d, found, n);
}

static struct dns_asked *
diag_asked(struct dns_diag_run *g, size_t i)
{
	return i < g->n - 1 ? &g->facts.ep[i].asked : &g->facts.unbound;
}

static void
on_diag_answer(void *arg, int fd, uint32_t events)
{
	struct cgwd *d = arg;
	struct dns_diag_run *g = &d->dns->diag;
	uint8_t buf[DNS_WIRE_MAX];
	ssize_t n;

	(void)events;
	for (size_t i = 0; i < g->n; i++) {
		struct dns_asked *q = diag_asked(g, i);

		if (g->fd[i] != fd)
			continue;
		while ((n = recv(fd, buf, sizeof(buf), 0)) >= 0) {
			if (dns_wire_reply(buf, (size_t)n, g->id[i], &q->reply) < 0)
				continue;
			q->answered = true;
			q->rtt_us = (uint32_t)(cgw_mono_us() - g->sent_us[i]);
			break;
		}
		if (n < 0 && errno != EAGAIN && errno != EINTR)
			q->icmp_err = -errno;	/* refused, unreachable */
		/* answered, or refused by ICMP: nothing more will come */
		if (q->answered || (n < 0 && errno != EAGAIN && errno != EINTR)) {
			loop_del_fd(d->loop, fd);
			close(fd);
			g->fd[i] = -1;
		}
	}
	diag_finish(d, false);
}

static void
on_diag_timer(void *arg, int fd, uint32_t events)
{
	struct cgwd *d = arg;
	uint64_t ticks;

	struct dns_diag_run *g = &d->dns->diag;
	struct itimerspec rest = { .it_value = { (DIAG_CAP_MS - DIAG_WAIT_MS) / 1000,
	    ((DIAG_CAP_MS - DIAG_WAIT_MS) % 1000) * 1000000L } };

	(void)events;
	if (read(fd, &ticks, sizeof(ticks)) < 0 && errno == EAGAIN)
		return;
	if (!g->timed_out && g->opt_pending &&
	    timerfd_settime(fd, 0, &rest, NULL) == 0) {
		/* the answers are in (or never will be); unbound-control's
		 * get_option gets until DIAG_CAP_MS, cgwctl waits 10 s */
		g->timed_out = true;
		diag_finish(d, false);
		return;
	}
	g->timed_out = true;
	if (g->opt_pending) {
		g->opt_pending = false;	/* outgoing_known stays false */
		log_warn(LOG_DNS, "diagnose dns: unbound-control get_option did not answer in %d ms",
		    DIAG_CAP_MS);
	}
	diag_finish(d, true);
}

/* "outgoing-interface" values, one per line; NULL: unbound did not say */
static void
diag_outgoing(struct cgwd *d, const char *out)
{
	struct dns_diag_run *g = &d->dns->diag;
	struct dns_diag_facts *f = &g->facts;

	if (!g->active || !g->opt_pending)
		return;
	g->opt_pending = false;
	f->outgoing_known = out != NULL;
	for (const char *p = out; p && *p && f->n_outgoing < 8;) {
		size_t len = strcspn(p, "\n");
		struct in_addr a;
		char word[64];

		snprintf(word, sizeof(word), "%.*s", (int)len, p);
		if (cgw_addr4_parse(word, &a) == 0)
			snprintf(f->outgoing[f->n_outgoing++], sizeof(f->outgoing[0]),
			    "%s", word);
		p += len;
		if (*p == '\n')
			p++;
	}
	diag_finish(d, g->timed_out);
}

static int
diag_ask(struct cgwd *d, size_t i, struct in_addr from, struct in_addr to)
{
	struct dns_diag_run *g = &d->dns->diag;
	struct sockaddr_in src = { .sin_family = AF_INET, .sin_addr = from };
	struct sockaddr_in dst = { .sin_family = AF_INET, .sin_addr = to,
	    .sin_port = htons(53) };
	uint8_t q[512];
	int fd, n;

	g->id[i] = query_id();
	if ((n = dns_wire_query(g->name, DNS_Q_A, g->id[i], q, sizeof(q))) < 0)
		return n;
	fd = socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	if ((from.s_addr && bind(fd, (struct sockaddr *)&src, sizeof(src)) < 0) ||
	    connect(fd, (struct sockaddr *)&dst, sizeof(dst)) < 0 ||
	    send(fd, q, (size_t)n, 0) < 0 ||
	    loop_add_fd(d->loop, fd, EPOLLIN, on_diag_answer, d) < 0) {
		int r = errno ? -errno : -ENOMEM;

		close(fd);
		return r;
	}
	g->fd[i] = fd;
	g->sent_us[i] = cgw_mono_us();
	return 0;
}

int
dns_diagnose_start(struct cgwd *d, const char *name)
{
	struct dns_state *s = d->dns;
	const struct cgw_dns_conf *dns = &d->conf->dns;
	struct dns_diag_run *g;
	struct itimerspec its = { .it_value = { DIAG_WAIT_MS / 1000,
	    (DIAG_WAIT_MS % 1000) * 1000000L } };
	struct dns_diag_facts *f;
	struct kernel_route4 *rs;
	uint8_t probe[512];
	char canon[CGW_DNS_NAME_MAX];
	int nr;

	if (!s || !s->have_conf)
		return -ENOENT;
	g = &s->diag;
	if (g->active)
		return -EBUSY;
	/* the zones' rules (letters, digits, hyphens, underscores): ldns
	 * takes "bad name!" as a name */
	if (cgw_dns_name_canon(name, canon, sizeof(canon)) < 0 ||
	    dns_wire_query(canon, DNS_Q_A, 0, probe, sizeof(probe)) < 0)
		return -EINVAL;
	memset(g, 0, sizeof(*g));
	snprintf(g->name, sizeof(g->name), "%s", canon);
	g->timer_fd = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC);
	if (g->timer_fd < 0)
		return -errno;
	if (timerfd_settime(g->timer_fd, 0, &its, NULL) < 0 ||
	    loop_add_fd(d->loop, g->timer_fd, EPOLLIN, on_diag_timer, d) < 0) {
		close(g->timer_fd);
		return -EIO;
	}
	f = &g->facts;
	f->name = g->name;
	f->conf = d->conf;
	g->active = true;
	g->n = dns->n_endpoints + 1;
	for (size_t i = 0; i < g->n; i++)
		g->fd[i] = -1;
	nr = routes_dump(d, &rs);
	for (size_t i = 0; i < dns->n_endpoints; i++) {
		if (nr >= 0)
			route_of(d, rs, nr, dns->endpoints[i], &f->ep[i].route,
			    f->ep[i].ifname);
		else {		/* what the probes last saw */
			f->ep[i].route = s->ep[i].route;
			snprintf(f->ep[i].ifname, sizeof(f->ep[i].ifname), "%s",
			    s->ep[i].route_if);
		}
		/* a private name is not sent in clear to the internet */
		if (f->ep[i].route >= DNS_ROUTE_OTHER)
			f->ep[i].asked.err = diag_ask(d, i, dns->source,
			    dns->endpoints[i]);
	}
	free(rs);
	f->unbound.err = diag_ask(d, g->n - 1,
	    (struct in_addr){ htonl(INADDR_LOOPBACK) },
	    (struct in_addr){ htonl(INADDR_LOOPBACK) });
	g->opt_pending = queue_cmd(s, CMD_GETOPT,
	    xstrdup("get_option outgoing-interface"));
	run_next(d);
	return 0;
}

const struct dns_endpoint *
dns_endpoints(const struct cgwd *d, size_t *n, bool *unbound_ok)
{
	const struct dns_state *s = d->dns;

	if (!s || !s->have_conf) {
		*n = 0;
		*unbound_ok = false;
		return NULL;
	}
	*n = s->n_ep;
	*unbound_ok = s->unbound_known && s->unbound_ok;
	return s->ep;
}

int
dns_status_send(struct cgwd *d, struct msgout *out, uint32_t seq)
{
	struct dns_state *s = d->dns;
	struct cgw_msg_dns_status st;
	char a[CGW_ADDRSTRLEN];

	if (!s || !s->have_conf)
		return msgout_put(out, CGW_MSG_END, seq, NULL, 0);
	for (size_t i = 0; i < s->n_ep; i++) {
		const struct dns_endpoint *e = &s->ep[i];

		memset(&st, 0, sizeof(st));
		st.kind = CGW_DNS_ENDPOINT;
		st.up = e->up;
		st.judged = e->judged;
		st.forwarded = e->forwarded;
		st.rtt_us = e->rtt_us;
		st.sent = e->sent;
		st.answered = e->answered;
		st.since_ms = unix_ms_of(e->since_us);
		snprintf(st.addr, sizeof(st.addr), "%s", cgw_addr4_str(e->addr, a));
		snprintf(st.detail, sizeof(st.detail), "%s", e->detail);
		if (msgout_put(out, CGW_MSG_DNS_STATUS, seq, &st, sizeof(st)) < 0)
			return -ENOBUFS;
	}
	memset(&st, 0, sizeof(st));
	st.kind = CGW_DNS_UNBOUND;
	st.up = s->unbound_known && s->unbound_ok;
	st.judged = s->unbound_known;
	st.since_ms = s->unbound_known ? unix_ms_of(s->unbound_since_us) : 0;
	snprintf(st.detail, sizeof(st.detail), "%s", s->unbound_detail);
	if (msgout_put(out, CGW_MSG_DNS_STATUS, seq, &st, sizeof(st)) < 0)
		return -ENOBUFS;
	return msgout_put(out, CGW_MSG_END, seq, NULL, 0);
}
