/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * DOC: /metrics: cgwd's state as Prometheus reads it
 *
 * metrics_render() makes a view of every tunnel (metrics_text.h) from
 * what cgwd knows and the kernel's counters of the tunnel interfaces,
 * and writes the exposition.  cgwctl show metrics prints the same text.
 *
 * The HTTP side is libmicrohttpd with its own thread, which does nothing
 * but HTTP: it never reads cgwd's state.  The text is made by the loop,
 * from the state as it is, when the thread asks for it (an eventfd) and
 * the page it has is older than METRICS_CACHE_MS; the thread serves the
 * newest page it was handed, shared by reference among the responses.
 * So no HTTP work (parsing, a flood of connections, a client that never
 * reads) ever takes the time of the loop that runs the probes and the
 * failover: the loop renders at most once per METRICS_CACHE_MS, however
 * many scrape.  A scraper that connects and never reads holds a
 * connection slot until its timeout; connections are bounded; all
 * METRICS_CONNECTIONS slots can be taken by one client that trickles its
 * request: /metrics is then unavailable, nothing else is.  Off unless
 * cgw.conf has "metrics [listen ADDRESS] port N".
 */
#include "cgwd/cgwd.h"

#include <arpa/inet.h>
#include <errno.h>
#include <microhttpd.h>
#include <pthread.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include "cgwd/diagnose.h"
#include "cgwd/dns.h"
#include "cgwd/frr_conf.h"
#include "cgwd/loop.h"
#include "cgwd/metrics_text.h"
#include "lib/addr.h"
#include "lib/clock.h"
#include "lib/log.h"
#include "lib/xalloc.h"

#define METRICS_CACHE_MS 100
#define METRICS_CONNECTIONS 128
#define METRICS_TIMEOUT_S 10
/* how long a scrape waits for the loop's fresh page before it gets the
 * one there is (the loop busy with a failover comes first) */
#define METRICS_WAIT_MS 1000

/* One rendering, shared by every response that serves it: a stuck
 * scraper holds a reference to the page it asked for, not a copy. */
struct metrics_http;
struct page {
	struct metrics_http *m;		/* whose lock guards refs */
	unsigned int refs;		/* under metrics_http.lock */
	size_t len;
	char *text;
};

struct metrics_http {
	struct MHD_Daemon *mhd;
	int efd;			/* the HTTP thread asks the loop */
	pthread_mutex_t lock;		/* the page, its refs, the ask */
	pthread_cond_t fresh;		/* a new page is in */
	struct page *page;		/* the newest */
	uint64_t page_at;		/* when the loop rendered it */
	unsigned int page_gen;
	bool asked;			/* an ask is on its way to the loop */
	bool stopping;			/* the loop answers no more asks */
};

static void
page_unref(void *cls)
{
	struct page *p = cls;
	struct metrics_http *m;

	if (!p)
		return;
	m = p->m;
	pthread_mutex_lock(&m->lock);
	if (--p->refs == 0) {
		free(p->text);
		free(p);
	}
	pthread_mutex_unlock(&m->lock);
}

/* The facts' state names, checked against what cgwd knows for sure: an
 * event missed while charon restarted must not leave a state that
 * contradicts the tunnel's. */
static enum metrics_sa_state
sa_state(const char *name, bool up)
{
	enum metrics_sa_state s = metrics_sa_state(name);

	if (up && s == METRICS_SA_DOWN)
		return METRICS_SA_ESTABLISHED;
	if (!up && (s == METRICS_SA_ESTABLISHED || s == METRICS_SA_REKEYING))
		return METRICS_SA_DOWN;
	return s;
}

static void
tunnel_view(struct cgwd *d, struct tunnel *t, struct metrics_tunnel *m)
{
	struct kernel_link l;
	struct diag_facts f;
	struct diag_finding out[6];
	int n;

	memset(m, 0, sizeof(*m));
	m->vpn_id = t->conn->id;
	m->tunnel = t->conf->index;
	cgw_addr4_str(t->conf->aws_outside, m->outside_ip);
	m->bgp = t->conn->routing == CGW_ROUTING_BGP;
	m->up = t->up;
	m->usable = t->usable;
	m->ike = sa_state(t->ike_state, t->ike_up);
	m->child = sa_state(t->child_state, t->child_up);
	if (d->kernel->ops->link_get(d->kernel, t->conf->ifname, &l) == 0) {
		m->rx_bytes = l.rx_bytes;
		m->tx_bytes = l.tx_bytes;
		m->rx_packets = l.rx_packets;
		m->tx_packets = l.tx_packets;
		m->rx_errors = l.rx_errors;
		m->tx_errors = l.tx_errors;
		m->rx_dropped = l.rx_dropped;
		m->tx_dropped = l.tx_dropped;
	}
	m->bgp_state = t->bgp_seen ? t->bgp_state : "";
	m->prefixes_accepted = t->bgp_seen ? t->routes_received : 0;
	m->prefixes_advertised = t->bgp_seen ? t->routes_sent : 0;
	m->prefix_limit = (uint32_t)frr_prefix_limit(t->conn);
	m->bgp_uptime_s = t->bgp_up ? t->bgp_uptime_ms / 1000 : 0;
	m->probes_sent = t->tally.probes_sent;
	m->probes_lost = t->tally.probes_lost;
	m->probe_loss_pct = probe_loss_pct(&t->probe);
	m->tally = &t->tally;
	tunnel_diag_facts(d, t, &f);
	n = diag_evaluate(&f, out, 6);
	m->diag_cause = "ok";
	for (int i = 0; i < n; i++)
		if (i == 0 || out[i].severity > m->diag_severity) {
			m->diag_cause = diag_cause_key(out[i].cause);
			m->diag_severity = out[i].severity;
		}
}

char *
metrics_render(struct cgwd *d, size_t *len)
{
	struct metrics_tunnel *mt = xcalloc(d->n_tunnels ? d->n_tunnels : 1,
	    sizeof(*mt));
	struct metrics_view v = {
		.version = PACKAGE_VERSION,
		.swan_version = d->swan_version,
		.frr_version = d->frr_version,
		.start_time_s = (uint64_t)d->started_at,
		.t = mt,
		.n = d->n_tunnels,
	};
	struct metrics_dns_endpoint dep[CGW_DNS_ENDPOINTS_MAX];
	struct metrics_dns dns = { .ep = dep };
	const struct dns_endpoint *de;
	char *text = NULL;
	FILE *f = open_memstream(&text, len);
	size_t n_de;
	int r;

	for (size_t i = 0; i < d->n_tunnels; i++)
		tunnel_view(d, &d->tunnels[i], &mt[i]);
	if ((de = dns_endpoints(d, &n_de, &dns.unbound_ok))) {
		for (size_t i = 0; i < n_de && i < CGW_DNS_ENDPOINTS_MAX; i++) {
			char a[CGW_ADDRSTRLEN];

			snprintf(dep[i].addr, sizeof(dep[i].addr), "%s",
			    cgw_addr4_str(de[i].addr, a));
			dep[i].up = de[i].judged && de[i].up;
			dep[i].forwarded = de[i].forwarded;
			dep[i].rtt_us = de[i].rtt_us;
			dep[i].sent = de[i].sent;
			dep[i].answered = de[i].answered;
			dns.n++;
		}
		v.dns = &dns;
	}
	if (!f) {
		free(mt);
		return NULL;
	}
	r = metrics_text(f, &v);
	if (fclose(f) != 0 || r < 0) {
		free(text);
		text = NULL;
	}
	free(mt);
	return text;
}

int
metrics_send(struct cgwd *d, struct msgout *q, uint32_t seq)
{
	size_t len, off = 0;
	char *text = metrics_render(d, &len);
	struct cgw_msg_text m;
	int r = 0;

	if (!text) {
		struct cgw_msg_result res = { .code = CGW_RES_FAILED };

		snprintf(res.text, sizeof(res.text), "out of memory");
		return msgout_put(q, CGW_MSG_RESULT, seq, &res, sizeof(res)) < 0 ?
		    -1 : 0;
	}
	while (off < len && r == 0) {
		memset(&m, 0, sizeof(m));
		m.len = (uint32_t)(len - off < sizeof(m.text) ? len - off :
		    sizeof(m.text));
		memcpy(m.text, text + off, m.len);
		off += m.len;
		r = msgout_put(q, CGW_MSG_TEXT, seq, &m, sizeof(m));
	}
	free(text);
	if (r == 0)
		r = msgout_put(q, CGW_MSG_END, seq, NULL, 0);
	return r < 0 ? -1 : 0;
}

static enum MHD_Result
reply(struct MHD_Connection *c, unsigned int status, const char *body)
{
	struct MHD_Response *r = MHD_create_response_from_buffer(strlen(body),
	    (void *)body, MHD_RESPMEM_PERSISTENT);
	enum MHD_Result ret;

	if (!r)
		return MHD_NO;
	MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, "text/plain");
	if (status == MHD_HTTP_METHOD_NOT_ALLOWED)
		MHD_add_response_header(r, MHD_HTTP_HEADER_ALLOW, "GET, HEAD");
	ret = MHD_queue_response(c, status, r);
	MHD_destroy_response(r);
	return ret;
}

/* The loop: the HTTP thread wants a page (metrics.c's DOC). */
static void
on_ask(void *arg, int fd, uint32_t events)
{
	struct cgwd *d = arg;
	struct metrics_http *m = d->metrics;
	struct page *p, *old;
	uint64_t n;

	(void)events;
	if (read(fd, &n, sizeof(n)) < 0 && errno != EAGAIN)
		log_errno(LOG_CTL, -errno, "metrics: read the ask");
	p = xcalloc(1, sizeof(*p));
	p->m = m;
	if (!(p->text = metrics_render(d, &p->len))) {
		free(p);
		log_warn(LOG_CTL, "metrics: cannot render the page");
		p = NULL;
	}
	pthread_mutex_lock(&m->lock);
	old = p ? m->page : NULL;
	if (p) {
		p->refs = 1;		/* metrics_http's */
		m->page = p;
		m->page_at = cgw_mono_ms();
	}
	m->page_gen++;
	m->asked = false;
	pthread_cond_broadcast(&m->fresh);
	pthread_mutex_unlock(&m->lock);
	page_unref(old);
}

/* The HTTP thread: the newest page, after asking the loop for a fresh one
 * if it is older than METRICS_CACHE_MS; a reference the caller owns. */
static struct page *
take_page(struct metrics_http *m)
{
	struct page *p;

	pthread_mutex_lock(&m->lock);
	if (!m->page || cgw_mono_ms() - m->page_at >= METRICS_CACHE_MS) {
		unsigned int gen = m->page_gen;
		uint64_t one = 1, until = cgw_mono_ms() + METRICS_WAIT_MS;
		struct timespec ts;

		if (!m->asked && write(m->efd, &one, sizeof(one)) == sizeof(one))
			m->asked = true;
		ts.tv_sec = (time_t)(until / 1000);
		ts.tv_nsec = (long)(until % 1000) * 1000000;
		while (m->page_gen == gen && !m->stopping &&
		    pthread_cond_timedwait(&m->fresh, &m->lock, &ts) == 0)
			;
	}
	if ((p = m->page))
		p->refs++;
	pthread_mutex_unlock(&m->lock);
	return p;
}

static enum MHD_Result
on_request(void *cls, struct MHD_Connection *c, const char *url,
    const char *method, const char *version, const char *upload,
    size_t *upload_size, void **con_cls)
{
	struct metrics_http *m = cls;
	struct MHD_Response *r;
	struct page *p;
	enum MHD_Result ret;

	(void)version;
	(void)upload;
	(void)con_cls;
	if (strcmp(method, MHD_HTTP_METHOD_GET) != 0 &&
	    strcmp(method, MHD_HTTP_METHOD_HEAD) != 0)
		return reply(c, MHD_HTTP_METHOD_NOT_ALLOWED, "GET only\n");
	if (*upload_size)
		return MHD_NO;		/* a GET with a body: not ours */
	if (strcmp(url, "/") == 0)
		return reply(c, MHD_HTTP_OK,
		    "cgwd: the metrics are at /metrics (Prometheus text format)\n");
	if (strcmp(url, "/metrics") != 0)
		return reply(c, MHD_HTTP_NOT_FOUND, "not found\n");
	if (!(p = take_page(m)))
		return reply(c, MHD_HTTP_SERVICE_UNAVAILABLE,
		    "cgwd has no page yet: try again\n");
	/* the reference taken is the response's, until it is freed */
	r = MHD_create_response_from_buffer_with_free_callback_cls(p->len,
	    p->text, page_unref, p);
	if (!r) {
		page_unref(p);
		return MHD_NO;
	}
	MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE,
	    "text/plain; version=0.0.4; charset=utf-8");
	ret = MHD_queue_response(c, MHD_HTTP_OK, r);
	MHD_destroy_response(r);
	return ret;
}

/* libmicrohttpd's own complaints (a socket error, a client limit hit). */
static void mhd_log(void *cls, const char *fmt, va_list ap)
    __attribute__((format(printf, 2, 0)));
static void
mhd_log(void *cls, const char *fmt, va_list ap)
{
	char buf[256];

	(void)cls;
	vsnprintf(buf, sizeof(buf), fmt, ap);
	buf[strcspn(buf, "\n")] = '\0';
	log_warn(LOG_CTL, "metrics: %s", buf);
}

int
metrics_start(struct cgwd *d)
{
	const struct cgw_box_conf *box = &d->conf->box;
	struct sockaddr_in sin = { .sin_family = AF_INET };
	pthread_condattr_t ca;
	struct metrics_http *m;
	char a[CGW_ADDRSTRLEN];
	int r;

	d->started_at = time(NULL);
	if (!box->metrics_port)
		return 0;		/* off: no "metrics" line */
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (box->metrics_listen &&
	    inet_pton(AF_INET, box->metrics_listen, &sin.sin_addr) != 1)
		return log_errno(LOG_CTL, -EINVAL, "metrics listen %s", box->metrics_listen);
	sin.sin_port = htons((uint16_t)box->metrics_port);
	m = xcalloc(1, sizeof(*m));
	pthread_mutex_init(&m->lock, NULL);
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);	/* cgw_mono_ms's */
	pthread_cond_init(&m->fresh, &ca);
	pthread_condattr_destroy(&ca);
	d->metrics = m;
	if ((m->efd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK)) < 0 ||
	    (r = loop_add_fd(d->loop, m->efd, EPOLLIN, on_ask, d)) < 0) {
		r = log_errno(LOG_CTL, m->efd < 0 ? -errno : r, "metrics: eventfd");
		metrics_stop(d);
		return r;
	}
	/* the thread starts with the loop's signals blocked (signalfd) */
	m->mhd = MHD_start_daemon(MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL |
	    MHD_USE_ERROR_LOG, (uint16_t)box->metrics_port, NULL, NULL, on_request, m,
	    MHD_OPTION_EXTERNAL_LOGGER, mhd_log, NULL,	/* first, or some go to stderr */
	    MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&sin,
	    MHD_OPTION_CONNECTION_LIMIT, (unsigned int)METRICS_CONNECTIONS,
	    MHD_OPTION_CONNECTION_TIMEOUT, (unsigned int)METRICS_TIMEOUT_S,
	    MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)(32 << 10),
	    MHD_OPTION_END);
	if (!m->mhd) {
		r = errno ? -errno : -EADDRNOTAVAIL;
		metrics_stop(d);
		return log_errno(LOG_CTL, r, "metrics: cannot listen on %s:%u",
		    cgw_addr4_str(sin.sin_addr, a), box->metrics_port);
	}
	log_info(LOG_CTL, "metrics: http://%s:%u/metrics",
	    cgw_addr4_str(sin.sin_addr, a), box->metrics_port);
	return 0;
}

void
metrics_stop(struct cgwd *d)
{
	struct metrics_http *m = d->metrics;

	if (!m)
		return;
	/* a scrape waiting for the loop's page gets the one there is now:
	 * no reload waits on a scraper */
	pthread_mutex_lock(&m->lock);
	m->stopping = true;
	pthread_cond_broadcast(&m->fresh);
	pthread_mutex_unlock(&m->lock);
	if (m->mhd)
		MHD_stop_daemon(m->mhd);	/* joins its thread, frees the
						 * responses: their refs */
	if (m->efd >= 0) {
		loop_del_fd(d->loop, m->efd);
		close(m->efd);
	}
	page_unref(m->page);
	pthread_cond_destroy(&m->fresh);
	pthread_mutex_destroy(&m->lock);
	free(m);
	d->metrics = NULL;
}
