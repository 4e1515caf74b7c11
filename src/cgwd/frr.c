/*
 * DOC: the FRR adapter
 *
 * cgwd drives bgpd through vtysh, FRR's own management interface: it
 * writes cgw's part of the configuration (frr_conf.c) whenever it or a
 * failover verdict changes, and reads the neighbors back as JSON every
 * couple of seconds.  vtysh runs as a child with its output on a pipe the
 * event loop reads, so a slow FRR never stalls cgwd; the argv is built
 * here, no shell is involved.  Routes reach the kernel through zebra.
 */
#include "cgwd/cgwd.h"

#include <errno.h>
#include <fcntl.h>
#include <json-c/json.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <unistd.h>

#include "cgwd/frr_conf.h"
#include "cgwd/loop.h"
#include "lib/log.h"
#include "lib/xalloc.h"

#define POLL_EVERY_TICKS 2

struct frr_job {
	pid_t pid;
	int fd;			/* stdout of vtysh, for show commands */
	char *out;
	size_t len;
	bool is_show;
	unsigned int gen;	/* apply generation */
	struct cgwd *d;
};

static struct frr_job show_job = { .fd = -1 }, apply_job = { .fd = -1 };

static pid_t
spawn_vtysh(struct cgwd *d, const char *cmd, int *out_fd)
{
	const char *argv[8];
	int argc = 0, p[2] = { -1, -1 };
	sigset_t none;
	pid_t pid;

	argv[argc++] = "vtysh";
	if (d->frr_vty_socket) {
		argv[argc++] = "--vty_socket";
		argv[argc++] = d->frr_vty_socket;
	}
	argv[argc++] = "-c";
	argv[argc++] = cmd;
	argv[argc] = NULL;
	if (out_fd && pipe2(p, O_CLOEXEC) < 0)
		return -errno;
	pid = fork();
	if (pid < 0) {
		int r = -errno;

		if (out_fd) {
			close(p[0]);
			close(p[1]);
		}
		return r;
	}
	if (pid == 0) {
		int devnull = open("/dev/null", O_RDWR);

		sigemptyset(&none);
		sigprocmask(SIG_SETMASK, &none, NULL);
		dup2(devnull, 0);
		dup2(out_fd ? p[1] : devnull, 1);
		execvp("vtysh", (char *const *)argv);
		_exit(127);
	}
	if (out_fd) {
		close(p[1]);
		fcntl(p[0], F_SETFL, O_NONBLOCK);
		*out_fd = p[0];
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
	for (size_t i = 0; i < d->n_tunnels; i++)
		d->tunnels[i].bgp_seen = false;
	json_object_object_foreach(root, key, val) {
		struct tunnel *t = tunnel_by_neighbor(d, key);
		json_object *st;
		const char *state = "?";
		bool was;

		if (!t)
			continue;
		if (json_object_object_get_ex(val, "bgpState", &st))
			state = json_object_get_string(st);
		was = t->bgp_up;
		t->bgp_seen = true;
		snprintf(t->bgp_state, sizeof(t->bgp_state), "%s", state);
		t->bgp_up = strcmp(state, "Established") == 0;
		t->bgp_uptime_ms = (uint64_t)json_int_at(val, "bgpTimerUpMsec",
		    NULL, NULL);
		t->routes_received = (uint32_t)json_int_at(val,
		    "addressFamilyInfo", "ipv4Unicast", "acceptedPrefixCounter");
		t->routes_sent = (uint32_t)json_int_at(val,
		    "addressFamilyInfo", "ipv4Unicast", "sentPrefixCounter");
		if (was != t->bgp_up)
			log_info(LOG_BGP, "%s: BGP %s", t->name, state);
		tunnel_refresh_details(t);
	}
	json_object_put(root);
}

static void
job_readable(void *arg, int fd, uint32_t events)
{
	struct frr_job *j = arg;
	char buf[4096];
	ssize_t n;

	(void)events;
	while ((n = read(fd, buf, sizeof(buf))) > 0) {
		if (j->len + (size_t)n > (8u << 20))	/* absurd: drop */
			n = 0;
		j->out = xreallocarray(j->out, j->len + (size_t)n + 1, 1);
		memcpy(j->out + j->len, buf, (size_t)n);
		j->len += (size_t)n;
		j->out[j->len] = '\0';
	}
	if (n == 0 || (n < 0 && errno != EAGAIN)) {
		loop_del_fd(j->d->loop, fd);
		close(fd);
		j->fd = -1;
		if (j->out)
			parse_neighbors(j->d, j->out);
		free(j->out);
		j->out = NULL;
		j->len = 0;
	}
}

void
frr_poll(struct cgwd *d)
{
	int fd;
	pid_t pid;

	if (!d->frr_enabled || show_job.pid > 0 || show_job.fd >= 0)
		return;
	pid = spawn_vtysh(d, "show bgp neighbors json", &fd);
	if (pid < 0) {
		log_errno(LOG_BGP, pid, "run vtysh");
		return;
	}
	show_job = (struct frr_job){ .pid = pid, .fd = fd, .is_show = true,
	    .d = d };
	loop_add_fd(d->loop, fd, EPOLLIN, job_readable, &show_job);
}

void
frr_apply(struct cgwd *d)
{
	struct frr_policy *pol = xcalloc(d->n_tunnels ? d->n_tunnels : 1,
	    sizeof(*pol));
	char *text = NULL;
	size_t len = 0, announced;
	FILE *f;
	pid_t pid;

	if (!d->frr_enabled || apply_job.pid > 0) {
		/* One at a time; the running one is re-done when it ends. */
		d->frr_dirty = apply_job.pid > 0;
		free(pol);
		return;
	}
	for (size_t i = 0; i < d->n_tunnels; i++) {
		const struct tunnel *t = &d->tunnels[i];

		pol[i].pull = t->pull_return;
		/* A tunnel never judged yet is left as bgpd has it: a
		 * restarted cgwd must not touch working sessions. */
		pol[i].shut = t->shut ? 1 : t->usable ? 0 : -1;
	}
	f = open_memstream(&text, &len);
	announced = frr_conf_write(f, d->conf, pol);
	fclose(f);
	free(pol);
	for (const struct cgw_conn_conf *c = d->conf->conns; c; c = c->next)
		if (announced * 10 >= frr_prefix_limit(c) * 8)
			log_warn(LOG_BGP, "%s: %zu prefixes toward AWS, near its limit of %zu (AWS drops the session above it)",
			    c->id, announced, frr_prefix_limit(c));
	d->frr_dirty = false;
	pid = spawn_vtysh(d, text, NULL);
	free(text);
	if (pid < 0) {
		log_errno(LOG_BGP, pid, "run vtysh");
		return;
	}
	apply_job = (struct frr_job){ .pid = pid, .fd = -1, .d = d,
	    .gen = ++d->frr_gen };
}

void
frr_reaped(struct cgwd *d, pid_t pid, int status)
{
	if (pid == show_job.pid) {
		show_job.pid = 0;
		if (status != 0)
			log_debug(LOG_BGP, "vtysh show exited with %d", status);
	} else if (pid == apply_job.pid) {
		apply_job.pid = 0;
		/* Even a failed apply lifts the hold: without bgpd there is
		 * no session to protect, and the probes need the link. */
		health_frr_applied(d, apply_job.gen);
		if (status != 0)
			log_warn(LOG_BGP, "vtysh could not apply cgw's BGP configuration (status %d): is FRR's bgpd running?",
			    status);
		if (d->frr_dirty)
			frr_apply(d);
	}
}

void
frr_tick(struct cgwd *d)
{
	if (++d->frr_ticks % POLL_EVERY_TICKS == 0)
		frr_poll(d);
}
