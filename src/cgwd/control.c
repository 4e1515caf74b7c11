/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * DOC: the control sockets
 *
 * cgwd.sock (0660) takes every request; cgwd.rsock (0666) only SHOW_* and
 * DIAGNOSE (reading, never changing: tunnels, bgp, routes, metrics,
 * events),
 * anything else gets CGW_RES_DENIED (bgpd's and iked's model).  show
 * tunnels and diagnose first refresh the SA listing from charon, then
 * stream one record per tunnel (or finding) and END.
 */
#include "cgwd/cgwd.h"
#include "cgwd/dns.h"
#include "cgwd/dns_diag.h"

#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include "cgwd/loop.h"
#include "lib/clock.h"
#include "lib/log.h"
#include "lib/xalloc.h"

struct ctl_client {
	struct cgwd *d;
	int fd;
	bool readonly;
	uint32_t waiting_sas;		/* request type answered on the listing */
	bool waiting_routes;		/* show routes: bgpd's adj-rib-outs */
	bool waiting_dns;		/* diagnose dns: the answers to its queries */
	char diag_name[CGW_NAME_MAX + 1];	/* DIAGNOSE's tunnel; "" = all */
	uint32_t seq;
	struct msgbuf in;
	/* answers not yet taken: the loop never waits on a client (a
	 * cgwctl stopped in a pager must not hold up failover) */
	struct msgout out;
	bool out_waiting;		/* EPOLLOUT asked for */
	/* Gone (peer closed, an error, dropped): freed by control_reap()
	 * at the settle, never while a handler up the stack may hold it
	 * (an answer can be sent from within another request's handling). */
	bool dead;
	struct ctl_client *next;
};

/* Bounds on what clients cost, since cgwd.rsock is open to every local
 * user: connections at once on each socket, and answers queued for all
 * of them (the client with the most queued goes when it is passed). */
#define CLIENTS_MAX 128
#define CLIENTS_QUEUED_MAX (64u << 20)

static void
client_free(struct cgwd *d, struct ctl_client *c)
{
	for (struct ctl_client **pp = &d->clients; *pp; pp = &(*pp)->next)
		if (*pp == c) {
			*pp = c->next;
			break;
		}
	loop_del_fd(d->loop, c->fd);
	close(c->fd);
	msgout_free(&c->out);
	free(c);
}

void
control_reap(struct cgwd *d)
{
	for (struct ctl_client *c = d->clients, *next; c; c = next) {
		next = c->next;
		if (c->dead)
			client_free(d, c);
	}
}

/* Past CLIENTS_QUEUED_MAX, the client with the most unread goes. */
static void
bound_queued(struct cgwd *d)
{
	struct ctl_client *big = NULL;
	size_t total = 0;

	for (struct ctl_client *c = d->clients; c; c = c->next)
		if (!c->dead) {
			total += msgout_queued(&c->out);
			if (!big || msgout_queued(&c->out) > msgout_queued(&big->out))
				big = c;
		}
	if (total > CLIENTS_QUEUED_MAX && big) {
		/* dead, not just failed: a client that reads nothing is
		 * never writable, and would keep its queue */
		log_warn(LOG_CTL, "clients hold %zu bytes of unread answers: dropping the one with %zu",
		    total, msgout_queued(&big->out));
		big->dead = true;
	}
}

/* Its answer cannot be queued whole (MSGOUT_MAX unread): it goes. */
static void
client_overflow(struct ctl_client *c)
{
	if (!c->dead)
		log_warn(LOG_CTL, "a client that reads none of its answers: dropped");
	c->dead = true;
}

static void
client_send(struct ctl_client *c, uint32_t type, uint32_t seq,
    const void *payload, size_t len)
{
	if (!c->dead && msgout_put(&c->out, type, seq, payload, len) < 0)
		client_overflow(c);
}

/* What is queued goes out as far as the socket takes it, the rest when
 * it is writable; false when the client is gone (marked dead). */
static bool
client_flush(struct cgwd *d, struct ctl_client *c)
{
	int r;
	bool wait;

	if (c->dead)
		return false;
	r = msgout_flush(&c->out, c->fd);
	wait = r == 1;
	if (r < 0) {
		c->dead = true;		/* gone: EPIPE, ECONNRESET */
		return false;
	}
	if (wait != c->out_waiting &&
	    loop_mod_fd(d->loop, c->fd, wait ? EPOLLIN | EPOLLOUT : EPOLLIN) == 0)
		c->out_waiting = wait;
	if (wait)
		bound_queued(d);	/* every answer comes through here */
	return !c->dead;
}

static void
result(struct ctl_client *c, uint32_t seq, uint32_t code, const char *text)
{
	struct cgw_msg_result r;

	memset(&r, 0, sizeof(r));
	r.code = code;
	snprintf(r.text, sizeof(r.text), "%s", text);
	client_send(c, CGW_MSG_RESULT, seq, &r, sizeof(r));
}

static void
send_tunnels(struct cgwd *d, struct ctl_client *c)
{
	struct cgw_msg_tunnel_status st;

	for (size_t i = 0; i < d->n_tunnels; i++) {
		tunnel_fill_status(&d->tunnels[i], &st);
		client_send(c, CGW_MSG_TUNNEL_STATUS, c->seq, &st, sizeof(st));
	}
	client_send(c, CGW_MSG_END, c->seq, NULL, 0);
}

static void
send_diagnosis(struct cgwd *d, struct ctl_client *c)
{
	struct tunnel *one = c->diag_name[0] ? tunnel_lookup(d, c->diag_name) :
	    NULL;

	for (size_t i = 0; i < d->n_tunnels; i++)
		if ((!one || one == &d->tunnels[i]) &&
		    diagnose_send(d, &d->tunnels[i], &c->out, c->seq) < 0)
			client_overflow(c);
	client_send(c, CGW_MSG_END, c->seq, NULL, 0);
}

void
control_sas_ready(struct cgwd *d)
{
	/* what this wake-up's events changed is in the answer too */
	health_settle(d);
	for (struct ctl_client *c = d->clients; c; c = c->next) {
		uint32_t type = c->waiting_sas;

		if (c->dead)
			continue;
		c->waiting_sas = 0;
		if (type == CGW_MSG_SHOW_TUNNELS)
			send_tunnels(d, c);
		else if (type == CGW_MSG_DIAGNOSE)
			send_diagnosis(d, c);
		else
			continue;
		client_flush(d, c);
	}
}

void
control_routes_ready(struct cgwd *d)
{
	for (struct ctl_client *c = d->clients; c; c = c->next) {
		if (!c->waiting_routes || c->dead)
			continue;
		c->waiting_routes = false;
		if (routes_send(d, &c->out, c->seq) < 0)
			client_overflow(c);
		client_flush(d, c);
	}
}

void
control_dns_diag_ready(struct cgwd *d, const struct dns_finding *f, size_t n)
{
	for (struct ctl_client *c = d->clients; c; c = c->next) {
		if (!c->waiting_dns || c->dead)
			continue;
		c->waiting_dns = false;
		for (size_t i = 0; i < n; i++) {
			struct cgw_msg_diagnosis m = { .index = 0,
			    .severity = f[i].severity };

			snprintf(m.connection, sizeof(m.connection), "dns");
			snprintf(m.ifname, sizeof(m.ifname), "%s", f[i].where);
			snprintf(m.cause, sizeof(m.cause), "%s", f[i].cause);
			snprintf(m.text, sizeof(m.text), "%s", f[i].text);
			client_send(c, CGW_MSG_DIAGNOSIS, c->seq, &m, sizeof(m));
		}
		client_send(c, CGW_MSG_END, c->seq, NULL, 0);
		client_flush(d, c);
	}
}

/* Answers after a fresh SA listing (counters, selectors, IKE activity). */
static void
after_listing(struct cgwd *d, struct ctl_client *c, uint32_t seq, uint32_t type)
{
	c->seq = seq;
	c->waiting_sas = type;
	if (d->plugin_fd >= 0)
		charon_request_sas(d);
	else
		control_sas_ready(d);
}

static bool
readonly_ok(uint32_t type)
{
	return type == CGW_MSG_SHOW_TUNNELS || type == CGW_MSG_SHOW_BGP ||
	    type == CGW_MSG_SHOW_ROUTES || type == CGW_MSG_DIAGNOSE ||
	    type == CGW_MSG_SHOW_METRICS || type == CGW_MSG_SHOW_EVENTS ||
	    type == CGW_MSG_SHOW_DNS || type == CGW_MSG_DIAGNOSE_DNS;
}

static int
tunnel_action(struct cgwd *d, struct ctl_client *c, const struct cgw_msg_hdr *h,
    const struct cgw_msg_name *n)
{
	char name[CGW_NAME_MAX + 1], text[CGW_TEXT_MAX];
	struct tunnel *t;

	memcpy(name, n->name, CGW_NAME_MAX);
	name[CGW_NAME_MAX] = '\0';
	if (!(t = tunnel_lookup(d, name))) {
		result(c, h->seq, CGW_RES_UNKNOWN_TUNNEL, name);
		return 0;
	}
	if (d->plugin_fd < 0) {
		result(c, h->seq, CGW_RES_FAILED, "charon is not connected");
		return 0;
	}
	if (h->type == CGW_MSG_RESET) {
		/* Seconds, not a lifetime; traffic moves first. */
		log_info(LOG_CTL, "%s: reset requested", t->name);
		health_reset(d, t);
		snprintf(text, sizeof(text), "%s: moving traffic off, then re-establishing",
		    t->name);
	} else {
		log_info(LOG_CTL, "%s: rekey requested", t->name);
		t->diag.own_rekey_at = time(NULL);	/* not AWS's lifetime */
		charon_tunnel_cmd(d, CGW_MSG_REKEY, t);
		snprintf(text, sizeof(text), "%s: rekeying", t->name);
	}
	result(c, h->seq, CGW_RES_OK, text);
	return 0;
}

/* One switch over every request; sizes checked first. */
static int
dispatch_control(struct cgwd *d, struct ctl_client *c,
    const struct cgw_msg_hdr *h, const uint8_t *p)
{
	if (c->readonly && !readonly_ok(h->type)) {
		result(c, h->seq, CGW_RES_DENIED,
		    "read-only socket: run as root for actions");
		return 0;
	}
	switch (h->type) {
	case CGW_MSG_SHOW_TUNNELS:
		if (h->len != 0)
			return -EBADMSG;
		after_listing(d, c, h->seq, h->type);
		return 0;
	case CGW_MSG_DIAGNOSE: {
		const struct cgw_msg_name *n = (const void *)p;

		if (h->len != sizeof(*n))
			return -EBADMSG;
		memcpy(c->diag_name, n->name, CGW_NAME_MAX);
		c->diag_name[CGW_NAME_MAX] = '\0';
		if (c->diag_name[0] && !tunnel_lookup(d, c->diag_name)) {
			result(c, h->seq, CGW_RES_UNKNOWN_TUNNEL, c->diag_name);
			return 0;
		}
		after_listing(d, c, h->seq, h->type);
		return 0;
	}
	case CGW_MSG_SHOW_BGP:
		if (h->len != 0)
			return -EBADMSG;
		if (bgp_neighbors_send(d, &c->out, h->seq) < 0)
			client_overflow(c);
		return 0;
	case CGW_MSG_SHOW_ROUTES:
		if (h->len != 0)
			return -EBADMSG;
		/* answered once bgpd said what it advertises */
		c->seq = h->seq;
		c->waiting_routes = true;
		if (frr_read_advertised(d) < 0)
			control_routes_ready(d);
		return 0;
	case CGW_MSG_SHOW_METRICS:
		if (h->len != 0)
			return -EBADMSG;
		if (metrics_send(d, &c->out, h->seq) < 0)
			client_overflow(c);
		return 0;
	case CGW_MSG_DIAGNOSE_DNS: {
		struct cgw_msg_dns_name n;
		int r;

		if (h->len != sizeof(n))
			return -EBADMSG;
		memcpy(&n, p, sizeof(n));
		n.name[sizeof(n.name) - 1] = '\0';
		r = dns_diagnose_start(d, n.name);
		if (r == -ENOENT)
			result(c, h->seq, CGW_RES_FAILED, "no dns block in the configuration");
		else if (r == -EBUSY)
			result(c, h->seq, CGW_RES_FAILED, "another diagnose dns is running: try again in a few seconds");
		else if (r == -EINVAL)
			result(c, h->seq, CGW_RES_BAD_REQUEST, "not a domain name");
		else if (r < 0)
			result(c, h->seq, CGW_RES_FAILED, strerror(-r));
		else {
			c->seq = h->seq;
			c->waiting_dns = true;
		}
		return 0;
	}
	case CGW_MSG_SHOW_DNS:
		if (h->len != 0)
			return -EBADMSG;
		if (dns_status_send(d, &c->out, h->seq) < 0)
			client_overflow(c);
		return 0;
	case CGW_MSG_SHOW_EVENTS: {
		struct cgw_msg_events_req req;

		if (h->len != sizeof(req))
			return -EBADMSG;
		memcpy(&req, p, sizeof(req));	/* p is not 8-byte aligned */
		if (events_send(d, &c->out, h->seq, &req) < 0)
			client_overflow(c);
		client_send(c, CGW_MSG_END, h->seq, NULL, 0);
		return 0;
	}
	case CGW_MSG_RESET:
	case CGW_MSG_REKEY:
		if (h->len != sizeof(struct cgw_msg_name))
			return -EBADMSG;
		return tunnel_action(d, c, h, (const void *)p);
	case CGW_MSG_RELOAD: {
		char text[CGW_TEXT_MAX];
		uint32_t confirm_s = 0;

		if (h->len == sizeof(struct cgw_msg_reload))
			confirm_s = ((const struct cgw_msg_reload *)(const void *)p)->confirm_s;
		else if (h->len != 0)
			return -EBADMSG;
		/* Answer first: on success cgwd is re-executed. */
		if (cgwd_reload_check(d, text, sizeof(text)) < 0) {
			result(c, h->seq, CGW_RES_FAILED, text);
			return 0;
		}
		if (confirm_s && confirm_arm(d, confirm_s) < 0) {
			result(c, h->seq, CGW_RES_FAILED, "cannot keep a copy of the "
			    "running configuration to go back to; nothing was changed");
			return 0;
		}
		if (confirm_s)
			snprintf(text, sizeof(text), "configuration valid: reloading; "
			    "run cgwctl confirm within %u s, or the previous "
			    "configuration comes back", confirm_s);
		else
			snprintf(text, sizeof(text), "configuration valid: reloading "
			    "(tunnels stay up)%s", confirm_pending(d) ?
			    "; still to be confirmed (cgwctl confirm)" : "");
		result(c, h->seq, CGW_RES_OK, text);
		d->reload_requested = true;
		d->quit = true;		/* the loop ends; run() re-executes */
		return 0;
	}
	case CGW_MSG_CONFIRM:
		if (h->len != 0)
			return -EBADMSG;
		if (confirm_accept(d) < 0)
			result(c, h->seq, CGW_RES_FAILED, "nothing to confirm");
		else
			result(c, h->seq, CGW_RES_OK, "configuration confirmed");
		return 0;
	default:
		result(c, h->seq, CGW_RES_BAD_REQUEST, msg_type_name(h->type));
		return -EBADMSG;
	}
}

static void
client_readable(void *arg, int fd, uint32_t events)
{
	struct ctl_client *c = arg;
	struct cgwd *d = c->d;
	static uint8_t payload[CGW_MSG_MAX];
	struct cgw_msg_hdr h;
	int r;

	(void)fd;
	if (c->dead || ((events & EPOLLOUT) && !client_flush(d, c)))
		return;
	if (!(events & (EPOLLIN | EPOLLHUP | EPOLLERR)))
		return;
	r = msgbuf_read(&c->in, c->fd);
	while (r >= 0 && !c->dead && (r = msgbuf_next(&c->in, &h, payload)) > 0)
		if ((r = dispatch_control(d, c, &h, payload)) < 0)
			break;
	if (r < 0 && !c->dead) {
		/* what it was told (a bad request's answer) as far as it goes */
		(void)msgout_flush(&c->out, c->fd);
		c->dead = true;
	} else
		client_flush(d, c);
}

/* Counted per socket: anyone can fill cgwd.rsock, which must not keep
 * root's cgwd.sock (reload, confirm) from answering. */
static int
n_clients(const struct cgwd *d, bool readonly)
{
	int n = 0;

	for (const struct ctl_client *c = d->clients; c; c = c->next)
		n += !c->dead && c->readonly == readonly;
	return n;
}

static void
accept_client(struct cgwd *d, int lfd, bool readonly)
{
	struct ctl_client *c;
	int fd = accept4(lfd, NULL, NULL, SOCK_CLOEXEC | SOCK_NONBLOCK);

	if (fd < 0)
		return;
	if (n_clients(d, readonly) >= CLIENTS_MAX) {
		log_warn(LOG_CTL, "%d clients on %s at once: refusing another",
		    CLIENTS_MAX, readonly ? "cgwd.rsock" : "cgwd.sock");
		close(fd);
		return;
	}
	c = xcalloc(1, sizeof(*c));
	c->d = d;
	c->fd = fd;
	c->readonly = readonly;
	c->next = d->clients;
	d->clients = c;
	if (loop_add_fd(d->loop, fd, EPOLLIN, client_readable, c) < 0)
		c->dead = true;
}

static void
ctl_accept(void *arg, int fd, uint32_t events)
{
	(void)events;
	accept_client(arg, fd, false);
}

static void
rctl_accept(void *arg, int fd, uint32_t events)
{
	(void)events;
	accept_client(arg, fd, true);
}

int
control_listen(struct cgwd *d)
{
	char path[256];
	int r;

	snprintf(path, sizeof(path), "%s/cgwd.sock", d->run_dir);
	if ((d->ctl_fd = unix_listen(path, 0660)) < 0)
		return log_errno(LOG_CTL, d->ctl_fd, "listen on %s", path);
	snprintf(path, sizeof(path), "%s/cgwd.rsock", d->run_dir);
	if ((d->rctl_fd = unix_listen(path, 0666)) < 0)
		return log_errno(LOG_CTL, d->rctl_fd, "listen on %s", path);
	if ((r = loop_add_fd(d->loop, d->ctl_fd, EPOLLIN, ctl_accept, d)) < 0)
		return r;
	return loop_add_fd(d->loop, d->rctl_fd, EPOLLIN, rctl_accept, d);
}

/* Before an exit or a reload's execve: answers still queued (reload's
 * own) get a moment to go out. */
static void
flush_all_briefly(struct cgwd *d)
{
	uint64_t deadline = cgw_mono_ms() + 200;	/* for all of them */

	for (struct ctl_client *c = d->clients; c; c = c->next)
		while (!c->dead && msgout_queued(&c->out)) {
			struct pollfd p = { .fd = c->fd, .events = POLLOUT };

			if (cgw_mono_ms() > deadline)
				return;
			if (poll(&p, 1, 20) < 0 || msgout_flush(&c->out, c->fd) < 0)
				break;
		}
}

void
control_close_all(struct cgwd *d)
{
	flush_all_briefly(d);
	while (d->clients)
		client_free(d, d->clients);
}
