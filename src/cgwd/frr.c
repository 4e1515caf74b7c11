/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * DOC: the FRR adapter
 *
 * cgwd drives bgpd through vtysh, FRR's own management interface: it
 * writes cgw's part of the configuration (frr_conf.c) whenever it or a
 * failover verdict changes, sweeps out what it no longer configures
 * (frr_sweep.c), and reads the neighbors back as JSON every couple of
 * seconds.  All of it goes through one long-running vtysh that reads
 * commands on a pipe: starting vtysh costs far more than the commands
 * (0.8 s of CPU in the lab VM), and failover cannot wait for that.  Each
 * batch ends with a marker command whose echo says the batch is done.
 * The argv is built here, no shell is involved, and nothing blocks the
 * event loop.  Routes reach the kernel through zebra.
 */
#include "cgwd/cgwd.h"

#include <errno.h>
#include <limits.h>
#include <fcntl.h>
#include <json-c/json.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <time.h>
#include <unistd.h>

#include "cgwd/frr_conf.h"
#include "cgwd/frr_sweep.h"
#include "cgwd/loop.h"
#include "cgwd/vtysh_handover.h"
#include "lib/clock.h"
#include "lib/log.h"
#include "lib/xalloc.h"

#define POLL_EVERY_TICKS 2

/* vtysh reading commands from *in_fd, its output on *out_fd. */
static pid_t
spawn_vtysh(struct cgwd *d, int *out_fd, int *in_fd)
{
	const char *argv[10];
	int argc = 0, p[2] = { -1, -1 }, q[2] = { -1, -1 };
	sigset_t none;
	pid_t pid;

	argv[argc++] = "vtysh";
	/* Everything cgw configures and reads is bgpd's: talking to bgpd
	 * alone makes each vtysh run much cheaper (the failover path). */
	argv[argc++] = "-d";
	argv[argc++] = "bgpd";
	if (d->frr_vty_socket) {
		argv[argc++] = "--vty_socket";
		argv[argc++] = d->frr_vty_socket;
	}
	argv[argc] = NULL;
	if ((out_fd && pipe2(p, O_CLOEXEC) < 0) ||
	    (in_fd && pipe2(q, O_CLOEXEC) < 0)) {
		int r = -errno;

		if (p[0] >= 0) {
			close(p[0]);
			close(p[1]);
		}
		return r;
	}
	pid = fork();
	if (pid < 0) {
		int r = -errno;

		for (int i = 0; i < 2; i++) {
			if (p[i] >= 0)
				close(p[i]);
			if (q[i] >= 0)
				close(q[i]);
		}
		return r;
	}
	if (pid == 0) {
		int devnull = open("/dev/null", O_RDWR);

		sigemptyset(&none);
		sigprocmask(SIG_SETMASK, &none, NULL);
		dup2(in_fd ? q[0] : devnull, 0);
		dup2(out_fd ? p[1] : devnull, 1);
		dup2(devnull, 2);
		execvp("vtysh", (char *const *)argv);
		_exit(127);
	}
	if (out_fd) {
		close(p[1]);
		fcntl(p[0], F_SETFL, O_NONBLOCK);
		*out_fd = p[0];
	}
	if (in_fd) {
		close(q[0]);
		fcntl(q[1], F_SETFL, O_NONBLOCK);
		*in_fd = q[1];
	}
	return pid;
}

static struct tunnel *
tunnel_by_neighbor(struct cgwd *d, const char *ip)
{
	char a[CGW_ADDRSTRLEN];

	for (size_t i = 0; i < d->n_tunnels; i++)
		if (strcmp(cgw_addr4_str(d->tunnels[i].conf->inside_remote, a),
		    ip) == 0)
			return &d->tunnels[i];
	return NULL;
}

static int64_t
json_int_at(json_object *o, const char *a, const char *b, const char *c)
{
	json_object *x = o;

	if (a && !json_object_object_get_ex(x, a, &x))
		return 0;
	if (b && !json_object_object_get_ex(x, b, &x))
		return 0;
	if (c && !json_object_object_get_ex(x, c, &x))
		return 0;
	return json_object_get_int64(x);
}

static void frr_unstick(struct cgwd *d);

static void
json_str(json_object *o, const char *key, char *out, size_t len)
{
	json_object *x;

	out[0] = '\0';
	if (json_object_object_get_ex(o, key, &x))
		snprintf(out, len, "%s", json_object_get_string(x));
}

/* `show bgp neighbors json`: { "169.254.x.1": { "bgpState": ..., ... } } */
static void
parse_neighbors(struct cgwd *d, const char *text)
{
	json_object *root = json_tokener_parse(text);

	if (!root || !json_object_is_type(root, json_type_object)) {
		log_debug(LOG_BGP, "unreadable answer from vtysh");
		json_object_put(root);
		return;
	}
	size_t matched = 0;

	for (size_t i = 0; i < d->n_tunnels; i++)
		d->tunnels[i].bgp_seen = false;
	json_object_object_foreach(root, key, val) {
		struct tunnel *t = tunnel_by_neighbor(d, key);
		json_object *st;
		const char *state = "?";
		bool was;

		if (!t)
			continue;
		matched++;
		if (json_object_object_get_ex(val, "bgpState", &st))
			state = json_object_get_string(st);
		was = t->bgp_up;
		t->bgp_seen = true;
		snprintf(t->bgp_state, sizeof(t->bgp_state), "%s", state);
		t->bgp_up = strcmp(state, "Established") == 0;
		t->bgp_uptime_ms = (uint64_t)json_int_at(val, "bgpTimerUpMsec",
		    NULL, NULL);
		t->bgp_read_ms = json_object_object_get_ex(val,
		    "bgpTimerLastRead", &st) ? (uint32_t)json_object_get_int64(st) :
		    UINT32_MAX;
		t->routes_received = (uint32_t)json_int_at(val,
		    "addressFamilyInfo", "ipv4Unicast", "acceptedPrefixCounter");
		t->routes_sent = (uint32_t)json_int_at(val,
		    "addressFamilyInfo", "ipv4Unicast", "sentPrefixCounter");
		/* why it last went down, for diagnose */
		json_str(val, "lastResetDueTo", t->diag.bgp_reset,
		    sizeof(t->diag.bgp_reset));
		json_str(val, "lastErrorCodeSubcode", t->diag.bgp_code,
		    sizeof(t->diag.bgp_code));
		json_str(val, "lastNotificationReason", t->diag.bgp_reason,
		    sizeof(t->diag.bgp_reason));
		if (was && !t->bgp_up)
			t->diag.bgp_down_at = time(NULL);
		if (was != t->bgp_up) {
			log_info(LOG_BGP, "%s: BGP %s%s%s", t->name, state,
			    t->diag.bgp_reason[0] && !t->bgp_up ? ": " : "",
			    t->bgp_up ? "" : t->diag.bgp_reason);
			event_note(d, t, "bgp", "%s%s%s", state,
			    t->diag.bgp_reason[0] && !t->bgp_up ? ": " : "",
			    t->bgp_up ? "" : t->diag.bgp_reason);
		}
		tunnel_refresh_details(t);
	}
	json_object_put(root);
	/* A neighbor bgpd no longer has (bgpd restarted, or lost cgw's
	 * configuration) has no session: not the state it had last. */
	for (size_t i = 0; i < d->n_tunnels; i++) {
		struct tunnel *t = &d->tunnels[i];

		if (t->bgp_seen || !t->bgp_state[0] ||
		    strcmp(t->bgp_state, "not in bgpd") == 0)
			continue;
		if (t->bgp_up) {
			t->diag.bgp_down_at = time(NULL);
			log_warn(LOG_BGP, "%s: BGP neighbor gone from bgpd", t->name);
		}
		t->bgp_up = false;
		snprintf(t->bgp_state, sizeof(t->bgp_state), "not in bgpd");
		tunnel_refresh_details(t);
	}
	frr_unstick(d);
	/* bgpd without cgw's neighbors was restarted (or reset by hand):
	 * give it everything again - but not while an apply is still on its
	 * way (a second full apply on top of the first one left sessions
	 * in a loop of FSM errors in the lab). */
	if (matched == 0 && d->frr_configured && d->frr_done_gen == d->frr_gen) {
		log_warn(LOG_BGP, "bgpd has none of cgw's neighbors: configuring it again");
		d->frr_configured = false;
		frr_apply(d);
	}
}

/* The configuration session: one vtysh reading commands on a pipe.  It
 * echoes each command after its prompt ("host(config)# cmd"); anything
 * else it prints is bgpd's answer to the command before. */
static struct {
	pid_t pid;
	int in_fd, out_fd;
	char buf[8192];
	size_t len;
	struct cgwd *d;
	struct timespec started[16];	/* per generation, for the log */
	bool prompt_seen;		/* past vtysh's banner */
	bool resuming;			/* handed over: until MARK_RESUME */
	char cmd[96];			/* the last command echoed */
	unsigned int refused;		/* answers that were not success */
	unsigned int full_gen;		/* the last full apply's generation */
	bool read_pending;		/* a full apply waits for bgpd's text */
	bool poll_pending;		/* a neighbor listing is on its way */
	bool adv_pending;		/* adj-rib-outs for show routes */
	enum { CAP_NONE, CAP_RUNNING, CAP_NEIGHBORS, CAP_ADVERTISED } capture;
	char *captured;			/* a show command's output */
	size_t captured_len;
	/* what vtysh has not taken yet: its stdin does not block, since
	 * a batch larger than the pipe (some 280 prefixes) would stop the
	 * loop, and with it the reading of vtysh's output vtysh waits on */
	struct msgout outq;
	bool outq_watched;		/* EPOLLOUT on in_fd */
} sess = { .in_fd = -1, .out_fd = -1 };

static void write_batch(struct cgwd *d, const char *running);

static void
session_close(struct cgwd *d)
{
	if (sess.out_fd >= 0) {
		loop_del_fd(d->loop, sess.out_fd);
		close(sess.out_fd);
	}
	if (sess.outq_watched)
		loop_del_fd(d->loop, sess.in_fd);
	sess.outq_watched = false;
	/* Killed before its input closes: at EOF vtysh would run what it
	 * has of a line, and a command cut in two ("no neighbor X" of "no
	 * neighbor X shutdown") is another command. */
	if (sess.pid > 0)
		kill(sess.pid, msgout_queued(&sess.outq) ? SIGKILL : SIGTERM);	/* reaped by SIGCHLD */
	msgout_free(&sess.outq);
	if (sess.in_fd >= 0)
		close(sess.in_fd);
	sess.in_fd = sess.out_fd = -1;
	sess.pid = 0;
	sess.len = 0;
	sess.prompt_seen = sess.read_pending = sess.poll_pending = false;
	if (sess.adv_pending) {
		/* show routes waits: it gets the model alone */
		sess.adv_pending = false;
		for (size_t i = 0; i < d->n_tunnels; i++)
			d->tunnels[i].adj_out_read = false;
		control_routes_ready(d);
	}
	sess.capture = CAP_NONE;
	free(sess.captured);
	sess.captured = NULL;
	sess.captured_len = 0;
	/* A new session (or a restarted bgpd) gets everything again. */
	d->frr_configured = false;
	/* Nothing more will be confirmed: release what waits for it. */
	d->frr_done_gen = d->frr_gen;
	health_frr_applied(d, d->frr_gen, false);
}

/* The command of a vtysh echo line ("host(config-router)# cmd"), or NULL
 * when the line is an answer.  Host names have no blanks. */
static const char *
echoed(const char *line)
{
	const char *p = line + strcspn(line, " #");

	if (p == line || *p != '#')
		return NULL;
	return p[1] == ' ' ? p + 2 + strspn(p + 2, " ") : p[1] ? NULL : p + 1;
}

#define MARK_DONE "show ip prefix-list CGW-DONE-"
#define MARK_READ "show ip prefix-list CGW-READ"
#define MARK_POLL "show ip prefix-list CGW-POLL"
#define MARK_ADV "show ip prefix-list CGW-ADV-"
#define MARK_RESUME "show ip prefix-list CGW-RESUME"
#define SHOW_ADV "show bgp ipv4 unicast neighbors "

/* bgpd said something to a command of ours: every such answer is a
 * refusal (success is silent), logged and kept for show and diagnose. */
static void
session_refused(struct cgwd *d, const char *answer)
{
	/* The first of a batch is the cause: the commands after a refused
	 * "router bgp" land in the wrong mode and are refused too (counted
	 * in the batch's "done" line; each in the debug log). */
	if (sess.refused++) {
		log_debug(LOG_BGP, "bgpd refused \"%s\" too: %s", sess.cmd,
		    answer);
		return;
	}
	log_warn(LOG_BGP, "bgpd refused \"%s\": %s", sess.cmd, answer);
	snprintf(d->frr_refused.cmd, sizeof(d->frr_refused.cmd), "%s", sess.cmd);
	if (answer[0] == '%')
		answer += 1 + strspn(answer + 1, " ");
	snprintf(d->frr_refused.answer, sizeof(d->frr_refused.answer), "%.*s",
	    (int)sizeof(d->frr_refused.answer) - 1, answer);
	d->frr_refused.at = time(NULL);
}

static void
capture_line(const char *line)
{
	size_t n = strlen(line);

	if (sess.captured_len + n + 2 > (8u << 20))
		return;		/* absurd: the reader sees less */
	sess.captured = xreallocarray(sess.captured, sess.captured_len + n + 2, 1);
	memcpy(sess.captured + sess.captured_len, line, n);
	sess.captured_len += n;
	sess.captured[sess.captured_len++] = '\n';
	sess.captured[sess.captured_len] = '\0';
}

static void
capture_start(int what)
{
	sess.capture = what;
	sess.captured_len = 0;
	if (sess.captured)
		sess.captured[0] = '\0';
}

/* The marker after one neighbor's adj-rib-out ("CGW-ADV-<tunnel>"), or
 * after the last ("CGW-ADV-END"). */
static void
adv_read(struct cgwd *d, const char *which)
{
	char *end;
	unsigned long i;

	if (strcmp(which, "END") == 0) {
		if (sess.adv_pending) {
			sess.adv_pending = false;
			control_routes_ready(d);
		}
		return;
	}
	i = strtoul(which, &end, 10);
	if (*end || i >= d->n_tunnels)
		return;
	if (frr_adj_parse(sess.captured ? sess.captured : "", &d->tunnels[i].adj_out) < 0) {
		log_warn(LOG_BGP, "%s: bgpd's advertised routes: %s",
		    d->tunnels[i].name, d->tunnels[i].adj_out.note);
		return;
	}
	d->tunnels[i].adj_out_read = true;
}

/* One line of vtysh's output.  The echo of a marker command says every
 * command before it is done.  Between the echo of a show command of ours
 * and its marker comes its output: bgpd's configuration (for the sweep)
 * or its neighbors as JSON (the state cgwd reads every 2 s, through this
 * session: no vtysh to start each time). */
static void
session_line(struct cgwd *d, const char *line)
{
	const char *cmd = echoed(line);
	struct timespec now;

	/* what vtysh says to the previous cgwd's commands is not ours */
	if (sess.resuming) {
		if (cmd && strcmp(cmd, MARK_RESUME) == 0) {
			sess.resuming = false;
			sess.prompt_seen = true;
			snprintf(sess.cmd, sizeof(sess.cmd), "%s", cmd);
		}
		return;
	}
	if (!cmd) {
		if (!sess.prompt_seen || !line[0])
			return;		/* the banner, blank lines */
		if (strcmp(sess.cmd, "show version") == 0) {
			/* "FRRouting 8.4.4 (host) on Linux(6.1.0)." */
			char v[32];

			if (sscanf(line, "FRRouting %31s", v) == 1)
				snprintf(d->frr_version, sizeof(d->frr_version), "%s", v);
			return;
		}
		if (sess.capture != CAP_NONE)
			capture_line(line);
		else if (strncmp(sess.cmd, "show ip prefix-list CGW-", 24) != 0)
			/* the markers' own "% Can't find" is no refusal */
			session_refused(d, line);
		return;
	}
	sess.prompt_seen = true;
	snprintf(sess.cmd, sizeof(sess.cmd), "%s", cmd);
	if (strcmp(cmd, "show running-config") == 0) {
		capture_start(CAP_RUNNING);
	} else if (strcmp(cmd, "show bgp neighbors json") == 0) {
		capture_start(CAP_NEIGHBORS);
	} else if (strncmp(cmd, SHOW_ADV, strlen(SHOW_ADV)) == 0) {
		capture_start(CAP_ADVERTISED);
	} else if (strncmp(cmd, MARK_ADV, strlen(MARK_ADV)) == 0) {
		sess.capture = CAP_NONE;
		adv_read(d, cmd + strlen(MARK_ADV));
	} else if (strncmp(cmd, MARK_POLL, strlen(MARK_POLL)) == 0) {
		sess.capture = CAP_NONE;
		sess.poll_pending = false;
		parse_neighbors(d, sess.captured ? sess.captured : "");
	} else if (strncmp(cmd, MARK_READ, strlen(MARK_READ)) == 0) {
		sess.capture = CAP_NONE;
		if (sess.read_pending) {
			sess.read_pending = false;
			write_batch(d, sess.captured ? sess.captured : "");
		}
	} else if (strncmp(cmd, MARK_DONE, strlen(MARK_DONE)) == 0) {
		unsigned int gen = (unsigned int)strtoul(cmd + strlen(MARK_DONE),
		    NULL, 10);
		struct timespec *t0 = &sess.started[gen % 16];

		clock_gettime(CLOCK_MONOTONIC, &now);
		log_debug(LOG_BGP, "vtysh: generation %u done in %ld ms, %u refused",
		    gen, (long)((now.tv_sec - t0->tv_sec) * 1000 +
		    (now.tv_nsec - t0->tv_nsec) / 1000000), sess.refused);
		/* bgpd took a whole configuration without a word */
		if (gen == sess.full_gen && !sess.refused)
			d->frr_refused.at = 0;
		sess.refused = 0;
		d->frr_done_gen = gen;
		health_frr_applied(d, gen, true);
	}
}

static void
session_readable(void *arg, int fd, uint32_t events)
{
	struct cgwd *d = arg;
	ssize_t n;

	(void)events;
	while ((n = read(fd, sess.buf + sess.len, sizeof(sess.buf) - 1 - sess.len)) > 0) {
		char *line = sess.buf, *nl;

		sess.len += (size_t)n;
		sess.buf[sess.len] = '\0';
		while ((nl = strchr(line, '\n'))) {
			*nl = '\0';
			session_line(d, line);
			if (sess.out_fd != fd)
				return;	/* a failed write closed the session */
			line = nl + 1;
		}
		sess.len -= (size_t)(line - sess.buf);
		memmove(sess.buf, line, sess.len);
		if (sess.len == sizeof(sess.buf) - 1)
			sess.len = 0;	/* an absurd line: drop it */
	}
	if (n == 0 || (n < 0 && errno != EAGAIN)) {
		log_warn(LOG_BGP, "vtysh session ended: is FRR's bgpd running?");
		session_close(d);
	}
}

static void session_write(struct cgwd *d, const char *text, size_t len);

static int
session_open(struct cgwd *d)
{
	static const char resume[] = "end\n" MARK_RESUME "\n";
	static bool handed_checked;
	pid_t pid;

	if (!handed_checked) {
		handed_checked = true;
		if (vtysh_take_over(&sess.pid, &sess.in_fd, &sess.out_fd) == 0) {
			log_debug(LOG_BGP, "vtysh session (pid %ld) taken over from the previous cgwd",
			    (long)sess.pid);
			sess.len = 0;
			sess.resuming = true;
			loop_add_fd(d->loop, sess.out_fd, EPOLLIN, session_readable, d);
			session_write(d, resume, sizeof(resume) - 1);
			return sess.in_fd >= 0 ? 0 : -1;
		}
	}
	pid = spawn_vtysh(d, &sess.out_fd, &sess.in_fd);
	if (pid < 0)
		return log_errno(LOG_BGP, pid, "start vtysh");
	sess.pid = pid;
	sess.len = 0;
	sess.resuming = false;
	loop_add_fd(d->loop, sess.out_fd, EPOLLIN, session_readable, d);
	return 0;
}

/* Writes what the pipe takes; false when the session failed (closed). */
static bool
outq_flush(struct cgwd *d)
{
	int r = msgout_flush(&sess.outq, sess.in_fd);

	if (r < 0) {
		log_errno(LOG_BGP, r, "write to vtysh");
		session_close(d);
		return false;
	}
	return true;
}

static void
session_writable(void *arg, int fd, uint32_t events)
{
	struct cgwd *d = arg;

	(void)fd;
	(void)events;
	if (!outq_flush(d) || msgout_queued(&sess.outq))
		return;
	loop_del_fd(d->loop, sess.in_fd);
	sess.outq_watched = false;
}

static void
session_write(struct cgwd *d, const char *text, size_t len)
{
	if (sess.in_fd < 0 || len == 0)
		return;
	if (msgout_put_bytes(&sess.outq, text, len) < 0) {
		/* (MSGOUT_MAX: vtysh that takes no input for this much is
		 * stuck) */
		log_warn(LOG_BGP, "vtysh has taken none of %zu bytes of commands: starting another",
		    msgout_queued(&sess.outq));
		session_close(d);
		return;
	}
	if (!outq_flush(d) || !msgout_queued(&sess.outq) || sess.outq_watched)
		return;
	if (loop_add_fd(d->loop, sess.in_fd, EPOLLOUT, session_writable, d) < 0) {
		log_warn(LOG_BGP, "cannot wait for vtysh's input: starting another");
		session_close(d);
		return;
	}
	sess.outq_watched = true;
}

/* Whether bgpd's configuration has tunnel ifname announcing the
 * more-specifics (its route-map's entry 10 permits). */
static int
pulling_in(const char *running, const char *ifname)
{
	char want[64];
	const char *p;

	snprintf(want, sizeof(want), "route-map CGW-OUT-%s permit 10\n", ifname);
	p = strstr(running, want);
	return p && (p == running || p[-1] == '\n');
}

/* Writes one batch: everything (running: bgpd's configuration, for the
 * sweep) or only the failover policy (running NULL); then its marker. */
static void
write_batch(struct cgwd *d, const char *running)
{
	struct frr_policy *pol;
	char *text = NULL, *pre = NULL;
	size_t len = 0, pre_len = 0, announced = 0;
	unsigned int gen, removed = 0;
	FILE *f, *fpre;

	pol = xcalloc(d->n_tunnels ? d->n_tunnels : 1, sizeof(*pol));
	for (size_t i = 0; i < d->n_tunnels; i++) {
		const struct tunnel *t = &d->tunnels[i];

		/* A tunnel with no verdict yet is left as bgpd has it: a
		 * restarted cgwd must not touch working sessions, nor take
		 * away the more-specifics that keep AWS's return path off a
		 * failed tunnel before it knows better. */
		pol[i].shut = t->shut ? 1 : t->usable || t->held || t->judged ?
		    0 : -1;
		pol[i].pull = t->usable || t->judged ? t->pull_return :
		    running ? pulling_in(running, t->conf->ifname) : -1;
		pol[i].held = t->held;
		pol[i].held_changed = t->held != t->held_written;
		d->tunnels[i].held_written = t->held;
	}
	gen = ++d->frr_gen;
	f = open_memstream(&text, &len);
	fpre = open_memstream(&pre, &pre_len);
	if (running) {
		/* What cgw no longer wants goes after the new is in (the ASN's
		 * old instance before: the new one cannot exist beside it). */
		char *post = NULL;
		size_t post_len = 0;
		FILE *fpost = open_memstream(&post, &post_len);

		removed = frr_sweep_write(fpre, fpost, running, d->conf);
		fclose(fpost);
		announced = frr_conf_write(f, d->conf, pol);
		fputs(post, f);
		free(post);
		d->frr_configured = true;
		sess.full_gen = gen;
	} else {
		frr_policy_write(f, d->conf, pol);
	}
	fprintf(f, MARK_DONE "%u\n", gen);
	fclose(f);
	fclose(fpre);
	free(pol);
	for (const struct cgw_conn_conf *c = d->conf->conns; announced && c; c = c->next)
		if (announced * 10 >= frr_prefix_limit(c) * 8)
			log_warn(LOG_BGP, "%s: %zu prefixes toward AWS, near its limit of %zu (AWS drops the session above it)",
			    c->id, announced, frr_prefix_limit(c));
	if (removed)
		log_info(LOG_BGP, "bgpd: removing %u of cgw's objects the configuration no longer has",
		    removed);
	clock_gettime(CLOCK_MONOTONIC, &sess.started[gen % 16]);
	log_debug(LOG_BGP, "vtysh: applying %s (generation %u)",
	    running ? "cgw's BGP configuration" : "the failover policy", gen);
	session_write(d, pre, pre_len);
	if (sess.in_fd >= 0)
		session_write(d, text, len);
	free(pre);
	free(text);
}

static void
poll_write(struct cgwd *d)
{
	static const char cmds[] = "show bgp neighbors json\n" MARK_POLL "\n";
	static const char version[] = "show version\n";

	if (sess.poll_pending)
		return;
	sess.poll_pending = true;
	if (!d->frr_version[0])		/* for the metrics' build info */
		session_write(d, version, sizeof(version) - 1);
	session_write(d, cmds, sizeof(cmds) - 1);
}

/* full: everything (start, reload, a new session), after reading what
 * bgpd has (the sweep needs it); else only the failover policy. */
static void
frr_run(struct cgwd *d, bool full)
{
	static const char read_cmds[] = "end\nshow running-config\n"
	    MARK_READ "\n";

	if (!d->frr_enabled)
		return;
	if (sess.pid <= 0 && session_open(d) < 0) {
		/* No bgpd to wait for: links held for it come back up. */
		health_frr_applied(d, UINT_MAX, false);
		return;
	}
	if (!full && d->frr_configured) {
		write_batch(d, NULL);
		return;
	}
	/* One read at a time: when it comes back, the configuration as it
	 * is then is applied, whatever asked for it meanwhile. */
	if (sess.read_pending)
		return;
	/* bgpd's sessions first: after a restart or reload of cgwd those that
	 * stayed up are UP as soon as bgpd answers, not seconds later when
	 * bgpd's whole configuration has been read back and applied. */
	if (!d->frr_configured)
		poll_write(d);
	sess.read_pending = true;
	session_write(d, read_cmds, sizeof(read_cmds) - 1);
}

/* bgpd's FSM can lock two speakers that both connect every second into
 * a loop of collisions (each answers the other's OPEN with an FSM error,
 * "unexpected packet in OpenSent", for minutes; seen in the lab after a
 * tunnel came up with both sides retrying).  A hard clear of that one
 * neighbor breaks the loop; it is only sent for a tunnel that carries
 * traffic, whose session is down with an FSM error, at most every 30 s. */
static void
frr_unstick(struct cgwd *d)
{
	time_t now = time(NULL);
	char a[CGW_ADDRSTRLEN], cmd[96];

	if (sess.pid <= 0 || sess.in_fd < 0)
		return;
	for (size_t i = 0; i < d->n_tunnels; i++) {
		struct tunnel *t = &d->tunnels[i];

		/* the wait is 0 unless IPsec is up and BGP is not */
		if (!t->bgp_seen || !t->usable ||
		    strncmp(t->diag.bgp_code, "05", 2) != 0 ||
		    tunnel_bgp_wait_s(t, now) < 15 ||
		    now - t->diag.bgp_cleared_at < 30)
			continue;
		t->diag.bgp_cleared_at = now;
		log_warn(LOG_BGP, "%s: BGP stuck in FSM errors (%s): clearing the session",
		    t->name, t->diag.bgp_reason);
		snprintf(cmd, sizeof(cmd), "clear bgp ipv4 unicast %s\n",
		    cgw_addr4_str(t->conf->inside_remote, a));
		session_write(d, cmd, strlen(cmd));
	}
}

void
frr_apply(struct cgwd *d)
{
	frr_run(d, true);
}

void
frr_start(struct cgwd *d)
{
	pid_t pid;
	int in, out;

	frr_apply(d);
	/* a session handed over that this configuration has no use for */
	if (!d->frr_enabled && vtysh_take_over(&pid, &in, &out) == 0) {
		close(in);
		close(out);
		kill(pid, SIGTERM);	/* reaped by SIGCHLD */
	}
}

/* What is queued goes in before the execve (a command cut in two would
 * run into the next cgwd's first), vtysh's output drained meanwhile: the
 * next cgwd ignores it up to its marker.  Bounded: a session that cannot
 * take it is not handed over, and the next cgwd starts its own. */
static bool
outq_drain_before_exec(struct cgwd *d)
{
	uint64_t deadline = cgw_mono_ms() + 2000;

	while (msgout_queued(&sess.outq) && cgw_mono_ms() <= deadline) {
		struct pollfd pf[2] = {
			{ .fd = sess.in_fd, .events = POLLOUT },
			{ .fd = sess.out_fd, .events = POLLIN },
		};
		char sink[4096];

		if (poll(pf, 2, 50) < 0 && errno != EINTR)
			break;
		if (pf[1].revents & (POLLIN | POLLHUP))
			while (read(sess.out_fd, sink, sizeof(sink)) > 0)
				;	/* non-blocking: to EAGAIN */
		if ((pf[0].revents & (POLLOUT | POLLERR)) && !outq_flush(d))
			return false;
	}
	return msgout_queued(&sess.outq) == 0;
}

/* At exit: what cgw wrote runs to its end (a failover policy written in
 * the last wake-up included); vtysh then sees EOF on whole lines, and its
 * output is read until it has gone, for at most 2 s each. */
void
frr_stop(struct cgwd *d)
{
	uint64_t deadline;
	char sink[4096];

	if (sess.pid <= 0)
		return;
	if (!outq_drain_before_exec(d)) {
		session_close(d);	/* killed: nothing half run */
		return;
	}
	if (sess.outq_watched)
		loop_del_fd(d->loop, sess.in_fd);
	sess.outq_watched = false;
	close(sess.in_fd);
	sess.in_fd = -1;
	deadline = cgw_mono_ms() + 2000;
	while (cgw_mono_ms() <= deadline) {
		struct pollfd pf = { .fd = sess.out_fd, .events = POLLIN };
		ssize_t n;

		if (poll(&pf, 1, 100) < 0 && errno != EINTR)
			break;
		if ((n = read(sess.out_fd, sink, sizeof(sink))) == 0 ||
		    (n < 0 && errno != EAGAIN && errno != EINTR))
			break;	/* EOF: vtysh is done */
	}
	session_close(d);
}

void
frr_before_exec(struct cgwd *d)
{
	if (sess.pid <= 0)
		return;
	/* taken over and not yet resumed: the next cgwd starts afresh */
	if (sess.resuming || !outq_drain_before_exec(d)) {
		if (!sess.resuming)
			log_warn(LOG_BGP, "vtysh did not take cgw's last commands: the reloaded cgwd starts another session");
		if (sess.pid > 0)	/* (0 when the drain closed it) */
			kill(sess.pid, SIGKILL);	/* see session_close */
		return;
	}
	vtysh_hand_over(sess.pid, sess.in_fd, sess.out_fd);
}

void
frr_apply_policy(struct cgwd *d)
{
	frr_run(d, false);
}

/* bgpd's neighbors, read through the session like everything else. */
void
frr_poll(struct cgwd *d)
{
	if (!d->frr_enabled || sess.poll_pending)
		return;
	if (sess.pid <= 0 && session_open(d) < 0)
		return;
	poll_write(d);
	/* A session that ended (bgpd restarted, say) took cgw's
	 * configuration with it: everything again. */
	if (!d->frr_configured)
		frr_run(d, true);
}

int
frr_read_advertised(struct cgwd *d)
{
	char a[CGW_ADDRSTRLEN], *text = NULL;
	size_t len = 0;
	FILE *f;

	if (sess.adv_pending)
		return 0;	/* one on its way answers this one too */
	for (size_t i = 0; i < d->n_tunnels; i++)
		d->tunnels[i].adj_out_read = false;
	if (!d->frr_enabled || (sess.pid <= 0 && session_open(d) < 0))
		return -1;
	f = open_memstream(&text, &len);
	for (size_t i = 0; i < d->n_tunnels; i++)
		if (d->tunnels[i].conn->routing == CGW_ROUTING_BGP)
			fprintf(f, SHOW_ADV "%s advertised-routes json\n" MARK_ADV "%zu\n",
			    cgw_addr4_str(d->tunnels[i].conf->inside_remote, a), i);
	fputs(MARK_ADV "END\n", f);
	fclose(f);
	sess.adv_pending = true;
	session_write(d, text, len);	/* a failure answers from the model */
	free(text);
	return 0;
}

void
frr_reaped(struct cgwd *d, pid_t pid, int status)
{
	if (pid == sess.pid) {
		log_warn(LOG_BGP, "vtysh session exited (status %d)", status);
		sess.pid = 0;
		session_close(d);
	}
}

/* IPsec up for less than 30 s, BGP not (yet): the session comes up within
 * a second or two, and until cgwd reads it the tunnel is not UP in show
 * tunnels.  (One that stays down is read at the usual pace.) */
static bool
bgp_awaited(const struct cgwd *d)
{
	time_t now = time(NULL);

	for (size_t i = 0; i < d->n_tunnels; i++) {
		const struct tunnel *t = &d->tunnels[i];

		if (t->conn->routing == CGW_ROUTING_BGP && t->child_up &&
		    !t->bgp_up && !t->shut && now - t->diag.ipsec_up_at < 30)
			return true;
	}
	return false;
}

void
frr_tick(struct cgwd *d)
{
	if (++d->frr_ticks % POLL_EVERY_TICKS == 0 || bgp_awaited(d))
		frr_poll(d);
}
