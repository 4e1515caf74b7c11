/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * DOC: the link to charon's "cgw" plugin
 *
 * cgwd listens; the plugin inside charon connects and says HELLO.  On
 * every HELLO (a new or restarted charon) cgwd hands it every tunnel
 * again and asks it to initiate those cgw starts, so a crashed charon
 * comes back with its tunnels and no human.  Events from the plugin drive
 * each tunnel's UP/DOWN state; LIST_SAS answers feed `cgwctl show`.
 */
#include "cgwd/cgwd.h"
#include "cgwd/diagnose.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "cgwd/loop.h"
#include "lib/log.h"

/* The message carries the model's enums as numbers. */
_Static_assert(CGW_MSG_ENCR_AES256_GCM16 == (int)CGW_ENCR_AES256_GCM16 &&
    CGW_MSG_INTEG_SHA512 == (int)CGW_INTEG_SHA512 &&
    CGW_MSG_DPD_CLEAR == (int)CGW_DPD_CLEAR &&
    CGW_MSG_DPD_NONE == (int)CGW_DPD_NONE &&
    CGW_MSG_DPD_RESTART == (int)CGW_DPD_RESTART,
    "cgw_msg.h and conf.h disagree on an enum");

static void
fill_proposal(struct cgw_msg_proposal *m, const struct cgw_proposal *p)
{
	m->encr = p->encr;
	m->integ = p->integ;
	m->dh_group = p->dh_group;
	m->lifetime = p->lifetime;
}

static void
tunnel_msg(const struct tunnel *t, struct cgw_msg_tunnel *m)
{
	const struct cgw_tunnel_conf *c = t->conf;
	char buf[CGW_ADDRSTRLEN];

	memset(m, 0, sizeof(*m));
	snprintf(m->name, sizeof(m->name), "%s", t->name);
	m->ike_version = c->ike_version;
	m->local_addr = c->local_address.s_addr;
	m->remote_addr = c->aws_outside.s_addr;
	/* AWS identifies the customer gateway by the address it knows (the
	 * NAT's, behind NAT) and itself by its outside address. */
	snprintf(m->local_id, sizeof(m->local_id), "%s",
	    c->local_id ? c->local_id : cgw_addr4_str(c->cgw_outside, buf));
	snprintf(m->remote_id, sizeof(m->remote_id), "%s",
	    cgw_addr4_str(c->aws_outside, buf));
	snprintf(m->psk, sizeof(m->psk), "%s", c->psk);
	fill_proposal(&m->phase1, &c->phase1);
	fill_proposal(&m->phase2, &c->phase2);
	m->rekey_margin = c->rekey_margin;
	m->rekey_fuzz = c->rekey_fuzz;
	m->replay_window = c->replay_window;
	m->dpd_delay = c->dpd_delay;
	m->dpd_timeout = c->dpd_timeout;
	m->dpd_action = c->dpd_action;
	m->initiate = c->startup == CGW_STARTUP_START;
	m->if_id = t->if_id;
	m->force_encap = c->force_encap;
}

int
charon_send(struct cgwd *d, uint32_t type, const void *payload, size_t len)
{
	int r;

	if (d->plugin_fd < 0)
		return -ENOTCONN;
	r = msg_send(d->plugin_fd, type, ++d->plugin_seq, payload, len);
	if (r < 0)
		log_errno(LOG_IKE, r, "send %s to the charon plugin",
		    msg_type_name(type));
	return r;
}

int
charon_tunnel_cmd(struct cgwd *d, uint32_t type, const struct tunnel *t)
{
	struct cgw_msg_name n;

	memset(&n, 0, sizeof(n));
	snprintf(n.name, sizeof(n.name), "%s", t->name);
	return charon_send(d, type, &n, sizeof(n));
}

static void
load_all(struct cgwd *d)
{
	struct cgw_msg_name n;

	for (size_t i = 0; i < d->n_stale; i++) {
		memset(&n, 0, sizeof(n));
		snprintf(n.name, sizeof(n.name), "%s", d->stale[i]);
		charon_send(d, CGW_MSG_TUNNEL_UNLOAD, &n, sizeof(n));
	}
	for (size_t i = 0; i < d->n_tunnels; i++) {
		struct tunnel *t = &d->tunnels[i];
		struct cgw_msg_tunnel m;

		tunnel_msg(t, &m);
		charon_send(d, CGW_MSG_TUNNEL_LOAD, &m, sizeof(m));
		explicit_bzero(m.psk, sizeof(m.psk));
		/* Changed since the last cgwd: SAs made with the old settings
		 * go, so what runs is what the file says. */
		if (t->reset_on_load) {
			t->reset_on_load = false;
			charon_tunnel_cmd(d, CGW_MSG_TERMINATE, t);
		}
		/* The plugin ignores this where an IKE_SA is already up, so
		 * a cgwd restart never duplicates SAs. */
		if (t->conf->startup == CGW_STARTUP_START) {
			t->last_initiate = time(NULL);
			charon_tunnel_cmd(d, CGW_MSG_INITIATE, t);
		}
		/* The dead charon's SAs carry it until this one's are in. */
		if (t->inherited_until && t->child_up)
			health_replacing(d, t, true);
	}
	charon_request_sas(d);
}

/* A peer that refused the last attempt (keys, proposals, selectors)
 * refuses the next one too: asking again every second only fills its
 * log.  One that did not answer may answer any moment (a path restored). */
static bool
peer_refused(const struct tunnel *t)
{
	switch (t->diag.alert) {
	case CGW_ALERT_AUTH_FAILED:
	case CGW_ALERT_PROPOSAL_MISMATCH_IKE:
	case CGW_ALERT_PROPOSAL_MISMATCH_CHILD:
	case CGW_ALERT_TS_MISMATCH:
		return true;
	default:
		return false;
	}
}

/* Always on: charon re-initiates by itself after a close or DPD, but not
 * when a CHILD_SA never installed or an attempt gave up; so a tunnel cgw
 * starts that has no IKE_SA is initiated again, every second (every 5
 * after a refusal).  INITIATE is a no-op where an IKE_SA exists; while
 * one is connecting, charon retransmits every second (charon_proc.c). */
void
charon_keep_up(struct cgwd *d)
{
	time_t now = time(NULL);

	if (d->plugin_fd < 0)
		return;
	for (size_t i = 0; i < d->n_tunnels; i++) {
		struct tunnel *t = &d->tunnels[i];

		if (t->conf->startup != CGW_STARTUP_START || t->ike_up ||
		    now - t->last_initiate < (peer_refused(t) ? 5 : 1))
			continue;
		t->last_initiate = now;
		charon_tunnel_cmd(d, CGW_MSG_INITIATE, t);
	}
}

void
charon_request_sas(struct cgwd *d)
{
	size_t i;

	if (d->listing)
		return;
	for (i = 0; i < d->n_tunnels; i++)
		d->tunnels[i].child_event_unlisted = false;
	if (charon_send(d, CGW_MSG_LIST_SAS, NULL, 0) == 0)
		d->listing = true;
	else
		control_sas_ready(d);
}

static const char *
alert_text(uint32_t alert)
{
	switch (alert) {
	case CGW_ALERT_AUTH_FAILED:
		return "authentication failed: the pre-shared keys differ";
	case CGW_ALERT_PROPOSAL_MISMATCH_IKE:
		return "no IKE (phase 1) proposal in common with AWS";
	case CGW_ALERT_PROPOSAL_MISMATCH_CHILD:
		return "no IPsec (phase 2) proposal in common with AWS";
	case CGW_ALERT_TS_MISMATCH:
		return "traffic selectors not accepted";
	case CGW_ALERT_RETRANSMIT_TIMEOUT:
		return "AWS endpoint not answering (UDP 500/4500 blocked?)";
	case CGW_ALERT_INSTALL_FAILED:
		return "the kernel refused the IPsec SA or policy";
	case CGW_ALERT_PEER_INIT_UNREACHABLE:
		return "AWS endpoint unreachable";
	default:
		return "IKE error";
	}
}

/* A rekey of an SA this old that cgw did not ask for: AWS's lifetime ran
 * out before ours would have, so remember the age for diagnose. */
static void
peer_rekey(const struct tunnel *t, const struct cgw_msg_event *ev,
    unsigned int lifetime, uint32_t *age)
{
	/* a rekey asked for with cgwctl rekey completes within seconds */
	bool ours = t->diag.own_rekey_at && time(NULL) - t->diag.own_rekey_at < 10;

	if (!ours && ev->age_s && ev->age_s < diag_own_rekey_min(lifetime,
	    t->conf->rekey_margin, t->conf->rekey_fuzz))
		*age = ev->age_s;
}

/* Whose rekey it was: the plugin says (an IKE_SA's rekey's initiator is
 * the new IKE_SA's; a CHILD_SA's rekey runs in our active task queue when
 * we started it). */
static enum tally_initiator
rekey_by(const struct cgw_msg_event *ev)
{
	return ev->initiator ? TALLY_BY_CGW : TALLY_BY_AWS;
}

static void
rekey_noted(struct cgwd *d, struct tunnel *t, const struct cgw_msg_event *ev,
    enum tally_phase phase)
{
	enum tally_initiator by = rekey_by(ev);

	t->tally.rekeys[phase][by]++;
	event_note(d, t, phase == TALLY_IKE ? "ike-rekey" : "child-rekey",
	    "rekeyed by %s after %u s (%.*s)", by == TALLY_BY_AWS ? "AWS" : "cgw",
	    ev->age_s, CGW_TEXT_MAX - 64, ev->detail);
}

/* What the metrics count and the history keeps of an event (current:
 * it is about the SAs carrying the tunnel). */
static void
note_event(struct cgwd *d, struct tunnel *t, const struct cgw_msg_event *ev,
    bool current)
{
	const char *key;

	switch (ev->kind) {
	case CGW_EV_IKE_UP:
		t->tally.established[TALLY_IKE]++;
		snprintf(t->ike_state, sizeof(t->ike_state), "ESTABLISHED");
		event_note(d, t, "ike-up", "IKE_SA %u %.*s", ev->ike_id,
		    CGW_TEXT_MAX - 32, ev->detail);
		break;
	case CGW_EV_CHILD_UP:
		t->tally.established[TALLY_CHILD]++;
		if (current)
			snprintf(t->child_state, sizeof(t->child_state), "INSTALLED");
		event_note(d, t, "child-up", "CHILD_SA %u %.*s", ev->child_id,
		    CGW_TEXT_MAX - 32, ev->detail);
		break;
	/* a rekey of the current SA: the new one's state is the tunnel's
	 * (the old one's REKEYING came while it was current) */
	case CGW_EV_IKE_REKEY:
		rekey_noted(d, t, ev, TALLY_IKE);
		if (current)
			snprintf(t->ike_state, sizeof(t->ike_state), "%.*s",
			    (int)sizeof(ev->state_name), ev->state_name);
		break;
	case CGW_EV_CHILD_REKEY:
		rekey_noted(d, t, ev, TALLY_CHILD);
		if (current)
			snprintf(t->child_state, sizeof(t->child_state), "%.*s",
			    (int)sizeof(ev->state_name), ev->state_name);
		break;
	case CGW_EV_IKE_DOWN:
		if (!current)
			break;
		t->ike_state[0] = '\0';
		event_note(d, t, "ike-down", "IKE_SA %u closed", ev->ike_id);
		break;
	case CGW_EV_CHILD_DOWN:
		if (!current)
			break;
		t->child_state[0] = '\0';
		event_note(d, t, "child-down", "CHILD_SA %u closed %.*s",
		    ev->child_id, CGW_TEXT_MAX - 32, ev->detail);
		break;
	case CGW_EV_IKE_STATE:
		if (!t->ike_id || !ev->ike_id || ev->ike_id == t->ike_id ||
		    !t->ike_up)
			snprintf(t->ike_state, sizeof(t->ike_state), "%.*s",
			    (int)sizeof(ev->state_name), ev->state_name);
		break;
	case CGW_EV_CHILD_STATE:
		if (!t->child_id || !ev->child_id || ev->child_id == t->child_id ||
		    !t->child_up)
			snprintf(t->child_state, sizeof(t->child_state), "%.*s",
			    (int)sizeof(ev->state_name), ev->state_name);
		break;
	case CGW_EV_ALERT:
		if (!(key = tally_failure_key(ev->alert)))
			break;
		t->tally.failures[ev->alert]++;
		/* the retransmits that give up on an established IKE_SA are
		 * dead peer detection's (or a rekey's) */
		if (ev->alert == CGW_ALERT_RETRANSMIT_TIMEOUT &&
		    strncmp(ev->state_name, "ESTABLISHED", 16) == 0)
			t->tally.dpd_timeouts++;
		event_note(d, t, ev->rekeying ? "rekey-failed" : "ike-failed",
		    "%s: %s%s%.*s", key, alert_text(ev->alert),
		    ev->detail[0] ? ": " : "", CGW_TEXT_MAX - 96, ev->detail);
		break;
	default:
		break;
	}
}

/* Keeps what diagnose needs from the event stream: the last alert that
 * explains a failure, unanswered IKE_SA_INITs, and rekeys AWS started
 * (the SA's age then says whose lifetime ran out). */
static void
diag_event(struct tunnel *t, const struct cgw_msg_event *ev)
{
	switch (ev->kind) {
	case CGW_EV_IKE_UP:
		t->diag.retransmits = 0;
		break;
	case CGW_EV_CHILD_UP:
		/* a new CHILD_SA answers every earlier failure */
		t->diag.alert = 0;
		t->diag.alert_detail[0] = '\0';
		break;
	case CGW_EV_CHILD_REKEY:
		if (t->diag.alert == CGW_ALERT_PROPOSAL_MISMATCH_CHILD)
			t->diag.alert = 0;
		peer_rekey(t, ev, t->conf->phase2.lifetime,
		    &t->diag.peer_rekey_child_age);
		break;
	case CGW_EV_IKE_REKEY:
		peer_rekey(t, ev, t->conf->phase1.lifetime,
		    &t->diag.peer_rekey_ike_age);
		break;
	case CGW_EV_ALERT:
		if (ev->alert == CGW_ALERT_RETRANSMIT) {
			/* only IKE_SA_INIT's: DPD retransmits are another
			 * matter (the probes see a dead path first) */
			if (strncmp(ev->state_name, "CONNECTING", 16) == 0)
				t->diag.retransmits++;
			break;
		}
		if (ev->alert == CGW_ALERT_OTHER || ev->alert == CGW_ALERT_REPLACED)
			break;
		t->diag.retransmits = 0;	/* it answered, at least */
		t->diag.alert = ev->alert;
		t->diag.alert_rekeying = ev->rekeying;
		snprintf(t->diag.alert_detail, sizeof(t->diag.alert_detail),
		    "%.*s", CGW_TEXT_MAX - 1, ev->detail);
		break;
	default:
		break;
	}
}

static void
keep_ike(struct cgwd *d, const struct tunnel *t, uint32_t ike_id)
{
	struct cgw_msg_keep k;

	memset(&k, 0, sizeof(k));
	snprintf(k.name, sizeof(k.name), "%s", t->name);
	k.ike_id = ike_id;
	log_info(LOG_IKE, "%s: IKE_SA %u carries it: the others go",
	    t->name, ike_id);
	charon_send(d, CGW_MSG_KEEP_IKE, &k, sizeof(k));
}

/* Whether an event is about the SAs that carry the tunnel.  While a
 * CHILD_SA is installed, the going of another one (the old SA of a
 * make-before-break, a duplicate IKE_SA replaced) changes nothing; only
 * a CHILD_SA coming up always counts (it carries the tunnel from now). */
static bool
current_sa(const struct tunnel *t, const struct cgw_msg_event *ev)
{
	if (!t->child_up || !t->child_id)
		return true;
	switch (ev->kind) {
	case CGW_EV_CHILD_DOWN:
		return ev->child_id == t->child_id;
	case CGW_EV_CHILD_REKEY:
		/* a rekey of another one does not move the tunnel to it */
		return ev->old_id == t->child_id;
	case CGW_EV_IKE_REKEY:
		return ev->old_id == t->ike_id || !t->ike_id;
	case CGW_EV_IKE_DOWN:
	case CGW_EV_ALERT:
		/* e.g. a make-before-break attempt giving up while the old
		 * IKE_SA still carries the tunnel */
		return ev->ike_id == t->ike_id || !t->ike_id;
	default:
		return true;
	}
}

static void
on_event(struct cgwd *d, const struct cgw_msg_event *ev)
{
	struct tunnel *t = tunnel_by_name(d, ev->name);
	char why[CGW_TEXT_MAX * 2];	/* cut to fit details later */

	if (!t) {
		log_debug(LOG_IKE, "event for unknown tunnel %.*s",
		    CGW_NAME_MAX, ev->name);
		return;
	}
	diag_event(t, ev);
	note_event(d, t, ev, current_sa(t, ev));
	if (!current_sa(t, ev)) {
		log_debug(LOG_IKE, "%s: event %u of IKE_SA %u CHILD_SA %u: "
		    "not the ones carrying it (%u, %u)", t->name, ev->kind,
		    ev->ike_id, ev->child_id, t->ike_id, t->child_id);
		return;
	}
	switch (ev->kind) {
	case CGW_EV_CHILD_UP:
		t->ike_up = true;
		/* Two IKE_SAs with a CHILD_SA (make-before-break, a second
		 * attempt beside a restart, a reauthentication): the older
		 * goes now, by us (cgw_control.c).  Always the older: AWS's
		 * uniqueness deletes the older of two 10 s later, and a peer's
		 * delete is answered by charon with a restart. */
		if (t->ike_id && ev->ike_id && ev->ike_id != t->ike_id)
			keep_ike(d, t, ev->ike_id);
		t->ike_id = ev->ike_id;
		t->child_id = ev->child_id;
		t->child_event_unlisted = true;
		tunnel_set_state(d, t, true, "IPSEC IS UP");
		break;
	case CGW_EV_CHILD_REKEY:
		t->child_id = ev->child_id;	/* the new one */
		break;
	case CGW_EV_CHILD_DOWN:
		t->child_id = 0;
		t->child_event_unlisted = true;
		tunnel_set_state(d, t, false, "IPSEC IS DOWN: CHILD_SA closed");
		break;
	case CGW_EV_IKE_UP:
		t->ike_up = true;
		break;
	case CGW_EV_IKE_REKEY:
		t->ike_id = ev->ike_id;		/* the new one, with the CHILD_SAs */
		break;
	case CGW_EV_IKE_DOWN:
		t->ike_up = false;
		t->ike_id = t->child_id = 0;
		tunnel_set_state(d, t, false, t->up ?
		    "IPSEC IS DOWN: IKE_SA closed" : NULL);
		break;
	case CGW_EV_ALERT:
		/* a retransmit is not an error (yet): diagnose counts them */
		if (ev->alert == CGW_ALERT_RETRANSMIT)
			break;
		if (ev->alert == CGW_ALERT_REPLACED) {
			log_info(LOG_IKE, "%s: IKE_SA %u replaced by a newer one "
			    "(make-before-break)", t->name, ev->ike_id);
			break;
		}
		snprintf(why, sizeof(why), "IPSEC IS DOWN: %s%s%.*s",
		    alert_text(ev->alert), ev->detail[0] ? " (" : "",
		    CGW_TEXT_MAX - 1, ev->detail);
		if (ev->detail[0])
			strncat(why, ")", sizeof(why) - strlen(why) - 1);
		log_warn(LOG_IKE, "%s: %s", t->name, why + 15);
		/* An alert while the CHILD_SA is up (a failed rekey, say)
		 * does not make the tunnel DOWN; remember it either way. */
		if (!t->up)
			tunnel_set_state(d, t, false, why);
		break;
	default:
		log_debug(LOG_IKE, "%s: event %u state %.16s", t->name,
		    ev->kind, ev->state_name);
		break;
	}
}

static void
on_sa(struct cgwd *d, const struct cgw_msg_sa *sa)
{
	struct tunnel *t = tunnel_by_name(d, sa->name);
	bool installed;

	if (!t)
		return;
	t->sa = *sa;
	t->have_sa = true;
	t->ike_up = sa->ike_state_name[0] &&
	    strncmp(sa->ike_state_name, "DELETING", 16) != 0 &&
	    strncmp(sa->ike_state_name, "DESTROYING", 16) != 0;
	installed = strncmp(sa->child_state_name, "INSTALLED", 16) == 0 ||
	    strncmp(sa->child_state_name, "REKEYING", 16) == 0 ||
	    strncmp(sa->child_state_name, "REKEYED", 16) == 0;
	if (installed) {
		t->ike_id = sa->ike_id;
		t->child_id = sa->child_id;
	}
	/* the listing is the truth for the metrics' SA states too */
	snprintf(t->ike_state, sizeof(t->ike_state), "%.*s",
	    (int)sizeof(sa->ike_state_name), sa->ike_state_name);
	snprintf(t->child_state, sizeof(t->child_state), "%.*s",
	    (int)sizeof(sa->child_state_name), sa->child_state_name);
	/* The listing is the truth (e.g. SAs found by a restarted cgwd);
	 * events may have been missed while nobody listened.  But not over
	 * an event that came after it was asked for: the plugin may have
	 * looked at the IKE_SA before its CHILD_SA was installed and sent
	 * the record after the event (seen in the lab: a new charon's first
	 * listing took a tunnel down 11 ms after its CHILD_SA came up). */
	if (installed != t->child_up && !t->child_event_unlisted)
		tunnel_set_state(d, t, installed, installed ? "IPSEC IS UP" :
		    "IPSEC IS DOWN: no CHILD_SA");
}

static void
plugin_close(struct cgwd *d, const char *why)
{
	log_warn(LOG_IKE, "charon plugin disconnected: %s", why);
	event_note(d, NULL, "charon", "charon's plugin disconnected: %s", why);
	loop_del_fd(d->loop, d->plugin_fd);
	close(d->plugin_fd);
	d->plugin_fd = -1;
	d->listing = false;
	control_sas_ready(d);
	/* A new charon numbers its SAs afresh: ids of this one mean nothing
	 * to it (the kernel SAs it leaves are judged by the probes). */
	for (size_t i = 0; i < d->n_tunnels; i++) {
		d->tunnels[i].have_sa = false;
		d->tunnels[i].ike_id = d->tunnels[i].child_id = 0;
	}
}

/* One switch over every type the plugin may send; sizes checked first. */
static int
dispatch_plugin(struct cgwd *d, const struct cgw_msg_hdr *h, const uint8_t *p)
{
#define SIZE_CHECK(T) do { if (h->len != sizeof(T)) return -EBADMSG; } while (0)
	switch (h->type) {
	case CGW_MSG_HELLO: {
		const struct cgw_msg_hello *m = (const void *)p;

		SIZE_CHECK(*m);
		if (m->version != CGW_MSG_VERSION) {
			log_warn(LOG_IKE, "charon plugin speaks version %u, cgwd %u: rebuild them together",
			    m->version, CGW_MSG_VERSION);
			return -EPROTO;
		}
		log_info(LOG_IKE, "charon (pid %u, strongSwan %.32s) connected",
		    m->pid, m->swan_version);
		snprintf(d->swan_version, sizeof(d->swan_version), "%.*s",
		    (int)sizeof(m->swan_version), m->swan_version);
		event_note(d, NULL, "charon", "charon (pid %u) connected", m->pid);
		load_all(d);
		return 0;
	}
	case CGW_MSG_EVENT:
		SIZE_CHECK(struct cgw_msg_event);
		on_event(d, (const void *)p);
		return 0;
	case CGW_MSG_SA:
		SIZE_CHECK(struct cgw_msg_sa);
		on_sa(d, (const void *)p);
		return 0;
	case CGW_MSG_END:
		if (h->len != 0)
			return -EBADMSG;
		d->listing = false;
		control_sas_ready(d);
		return 0;
	case CGW_MSG_RESULT: {
		const struct cgw_msg_result *m = (const void *)p;

		SIZE_CHECK(*m);
		if (m->code != CGW_RES_OK)
			log_warn(LOG_IKE, "charon plugin: %.*s", CGW_TEXT_MAX,
			    m->text);
		return 0;
	}
	default:
		return -EBADMSG;
	}
#undef SIZE_CHECK
}

static void
plugin_readable(void *arg, int fd, uint32_t events)
{
	struct cgwd *d = arg;
	struct cgw_msg_hdr h;
	static uint8_t payload[CGW_MSG_MAX];
	int r;

	(void)fd;
	(void)events;	/* a hang-up shows as a read of 0 bytes: -EPIPE */
	r = msgbuf_read(&d->plugin_in, d->plugin_fd);
	while (r >= 0 && (r = msgbuf_next(&d->plugin_in, &h, payload)) > 0)
		if ((r = dispatch_plugin(d, &h, payload)) < 0)
			break;
	if (r < 0)
		plugin_close(d, r == -EPIPE ? "closed" : strerror(-r));
}

static void
plugin_accept(void *arg, int fd, uint32_t events)
{
	struct cgwd *d = arg;
	int c = accept4(fd, NULL, NULL, SOCK_CLOEXEC | SOCK_NONBLOCK);

	(void)events;
	if (c < 0)
		return;
	if (d->plugin_fd >= 0)
		plugin_close(d, "replaced by a new connection");
	d->plugin_fd = c;
	memset(&d->plugin_in, 0, sizeof(d->plugin_in));
	loop_add_fd(d->loop, c, EPOLLIN, plugin_readable, d);
}

int
unix_listen(const char *path, unsigned int mode)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	int fd, r;

	if (strlen(path) >= sizeof(sun.sun_path))
		return -ENAMETOOLONG;
	strcpy(sun.sun_path, path);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (fd < 0)
		return -errno;
	unlink(path);
	if (bind(fd, (struct sockaddr *)&sun, sizeof(sun)) < 0 ||
	    chmod(path, mode) < 0 || listen(fd, 16) < 0) {
		r = -errno;
		close(fd);
		return r;
	}
	return fd;
}

/* Debian's AppArmor profile for charon (usr.lib.ipsec.charon) lets it
 * read, write and connect to /run/charon.* and nothing else under /run:
 * the files charon touches sit next to cgwd's runtime directory with
 * that name, e.g. /run/charon.cgw.conf for /run/cgw. */
void
charon_file(const struct cgwd *d, const char *what, char *buf, size_t len)
{
	char dir[256];
	size_t n;
	char *slash;

	snprintf(dir, sizeof(dir), "%s", d->run_dir);
	for (n = strlen(dir); n > 1 && dir[n - 1] == '/'; n--)
		dir[n - 1] = '\0';
	slash = strrchr(dir, '/');
	if (!slash)
		snprintf(dir, sizeof(dir), ".");
	else
		slash[slash == dir ? 1 : 0] = '\0';
	snprintf(buf, len, "%s%scharon.cgw.%s", dir,
	    dir[strlen(dir) - 1] == '/' ? "" : "/", what);
}

int
charon_listen(struct cgwd *d)
{
	char path[256];
	int fd;

	charon_file(d, "sock", path, sizeof(path));
	d->plugin_fd = -1;
	/* Only root (charon) may speak for IKE. */
	fd = unix_listen(path, 0600);
	if (fd < 0)
		return log_errno(LOG_IKE, fd, "listen on %s", path);
	d->plugin_listen_fd = fd;
	return loop_add_fd(d->loop, fd, EPOLLIN, plugin_accept, d);
}
