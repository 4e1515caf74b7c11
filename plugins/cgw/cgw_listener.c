/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * DOC: cgw_listener - bus hooks -> CGW_MSG_EVENT
 *
 * Runs in charon's threads with the IKE_SA checked out: it only formats
 * and sends (cgw_link never blocks for long) and never checks out an
 * IKE_SA.  An IKE_SA belongs to a tunnel if its peer_cfg is one of ours;
 * before IKE_AUTH a responder has no peer_cfg yet, so its ike_cfg is
 * matched instead (a proposal mismatch happens then).  The detail text
 * carries addresses, SPIs and proposals, never a key.
 */
#include "cgw_listener.h"

#include <daemon.h>

typedef struct private_cgw_listener_t private_cgw_listener_t;

struct private_cgw_listener_t {

	/** public interface */
	cgw_listener_t public;

	/** the loaded tunnels */
	cgw_config_t *config;

	/** to cgwd */
	cgw_link_t *link;
};

/** the tunnel an IKE_SA belongs to, into ev->name */
static bool tunnel_of(private_cgw_listener_t *this, ike_sa_t *ike_sa,
					  struct cgw_msg_event *ev)
{
	ike_cfg_t *ike_cfg;

	if (!ike_sa)
	{
		return FALSE;
	}
	if (ike_sa->get_peer_cfg(ike_sa))
	{
		snprintf(ev->name, sizeof(ev->name), "%s", ike_sa->get_name(ike_sa));
		return this->config->has(this->config, ev->name, NULL);
	}
	ike_cfg = ike_sa->get_ike_cfg(ike_sa);
	return ike_cfg && this->config->name_by_ike_cfg(this->config, ike_cfg,
											ev->name, sizeof(ev->name));
}

/** state is an ike_sa_state_t, or a child_sa_state_t if child */
static void send_event_ext(private_cgw_listener_t *this, ike_sa_t *ike_sa,
					   struct cgw_msg_event ev, bool child, char *detail)
{
	if (tunnel_of(this, ike_sa, &ev))
	{
		ev.ike_id = ike_sa->get_unique_id(ike_sa);
		snprintf(ev.state_name, sizeof(ev.state_name), "%N",
				 child ? child_sa_state_names : ike_sa_state_names, ev.state);
		snprintf(ev.detail, sizeof(ev.detail), "%s", detail ?: "");
		this->link->send(this->link, CGW_MSG_EVENT, 0, &ev, sizeof(ev));
	}
}

static void send_event(private_cgw_listener_t *this, ike_sa_t *ike_sa,
					   uint32_t kind, uint32_t state, bool child,
					   uint32_t alert, char *detail)
{
	struct cgw_msg_event ev = {
		.kind = kind,
		.state = state,
		.alert = alert,
	};

	send_event_ext(this, ike_sa, ev, child, detail);
}

/** does the IKE_SA have an installed CHILD_SA (so an alert is a rekey's)? */
static bool has_installed_child(ike_sa_t *ike_sa)
{
	enumerator_t *enumerator;
	child_sa_t *child_sa;
	bool found = FALSE;

	enumerator = ike_sa->create_child_sa_enumerator(ike_sa);
	while (!found && enumerator->enumerate(enumerator, &child_sa))
	{
		found = child_sa->get_state(child_sa) == CHILD_INSTALLED ||
				child_sa->get_state(child_sa) == CHILD_REKEYING;
	}
	enumerator->destroy(enumerator);
	return found;
}

/** "AES_CBC_128/..., AES_CBC_256/..." into buf */
static void print_proposals(char *buf, size_t len, linked_list_t *list)
{
	enumerator_t *enumerator;
	proposal_t *proposal;
	size_t pos = 0;
	int n;

	buf[0] = '\0';
	if (!list)
	{
		return;
	}
	enumerator = list->create_enumerator(list);
	while (pos < len && enumerator->enumerate(enumerator, &proposal))
	{
		n = snprintf(buf + pos, len - pos, "%s%P", pos ? ", " : "", proposal);
		pos += n > 0 ? n : 0;
	}
	enumerator->destroy(enumerator);
}

METHOD(listener_t, alert, bool,
	private_cgw_listener_t *this, ike_sa_t *ike_sa, alert_t alert,
	va_list args)
{
	char detail[CGW_TEXT_MAX], list[CGW_TEXT_MAX];
	enum cgw_msg_alert kind = CGW_ALERT_OTHER;
	linked_list_t *a, *b;
	child_sa_t *child_sa;
	bool initiator;

	if (!ike_sa)
	{
		return TRUE;
	}
	initiator = ike_sa->get_id(ike_sa)->is_initiator(ike_sa->get_id(ike_sa));
	switch (alert)
	{
		case ALERT_LOCAL_AUTH_FAILED:
			kind = CGW_ALERT_AUTH_FAILED;
			snprintf(detail, sizeof(detail), "authentication failed: PSK or "
					 "identity mismatch (peer %H)", ike_sa->get_other_host(ike_sa));
			break;
		case ALERT_PEER_AUTH_FAILED:
			kind = CGW_ALERT_AUTH_FAILED;
			snprintf(detail, sizeof(detail), "peer %H failed to authenticate: "
					 "PSK or identity mismatch", ike_sa->get_other_host(ike_sa));
			break;
		case ALERT_PROPOSAL_MISMATCH_IKE:
		case ALERT_PROPOSAL_MISMATCH_CHILD:
			kind = alert == ALERT_PROPOSAL_MISMATCH_IKE ?
							CGW_ALERT_PROPOSAL_MISMATCH_IKE :
							CGW_ALERT_PROPOSAL_MISMATCH_CHILD;
			print_proposals(list, sizeof(list), va_arg(args, linked_list_t*));
			/* as initiator the list is ours, as responder the peer's */
			snprintf(detail, sizeof(detail), "%s %s", initiator ?
					 "peer accepted none of ours:" : "peer offered:", list);
			break;
		case ALERT_TS_MISMATCH:
			kind = CGW_ALERT_TS_MISMATCH;
			a = va_arg(args, linked_list_t*);
			b = va_arg(args, linked_list_t*);
			snprintf(detail, sizeof(detail), "traffic selectors %#R === %#R "
					 "unacceptable", a, b);
			break;
		case ALERT_RETRANSMIT_SEND_TIMEOUT:
			kind = CGW_ALERT_RETRANSMIT_TIMEOUT;
			snprintf(detail, sizeof(detail), "no answer from %H, giving up",
					 ike_sa->get_other_host(ike_sa));
			break;
		case ALERT_INSTALL_CHILD_SA_FAILED:
		case ALERT_INSTALL_CHILD_POLICY_FAILED:
			kind = CGW_ALERT_INSTALL_FAILED;
			child_sa = va_arg(args, child_sa_t*);
			snprintf(detail, sizeof(detail), "kernel refused the CHILD_SA's "
					 "%s (SPIs %.8x_i %.8x_o)",
					 alert == ALERT_INSTALL_CHILD_SA_FAILED ? "SAs" : "policies",
					 ntohl(child_sa->get_spi(child_sa, TRUE)),
					 ntohl(child_sa->get_spi(child_sa, FALSE)));
			break;
		case ALERT_PEER_INIT_UNREACHABLE:
			kind = CGW_ALERT_PEER_INIT_UNREACHABLE;
			snprintf(detail, sizeof(detail), "%H does not answer IKE_SA_INIT "
					 "(try %d)", ike_sa->get_other_host(ike_sa),
					 va_arg(args, int) + 1);
			break;
		case ALERT_RETRANSMIT_SEND:
			kind = CGW_ALERT_RETRANSMIT;
			(void)va_arg(args, void*);
			snprintf(detail, sizeof(detail), "retransmit %u to %H",
					 va_arg(args, u_int), ike_sa->get_other_host(ike_sa));
			break;
		case ALERT_HALF_OPEN_TIMEOUT:
			snprintf(detail, sizeof(detail), "half-open IKE_SA timed out");
			break;
		case ALERT_KEEP_ON_CHILD_SA_FAILURE:
			snprintf(detail, sizeof(detail), "IKE_SA kept, CHILD_SA failed");
			break;
		case ALERT_UNIQUE_REPLACE:
			kind = CGW_ALERT_REPLACED;
			snprintf(detail, sizeof(detail), "IKE_SA replaced (unique)");
			break;
		case ALERT_IKE_SA_EXPIRED:
			snprintf(detail, sizeof(detail), "IKE_SA expired");
			break;
		case ALERT_AUTHORIZATION_FAILED:
			snprintf(detail, sizeof(detail), "authorization failed");
			break;
		default:
			return TRUE;
	}
	send_event_ext(this, ike_sa, (struct cgw_msg_event){
			.kind = CGW_EV_ALERT,
			.state = ike_sa->get_state(ike_sa),
			.alert = kind,
			.initiator = initiator,
			.rekeying = has_installed_child(ike_sa),
		}, FALSE, detail);
	return TRUE;
}

METHOD(listener_t, ike_state_change, bool,
	private_cgw_listener_t *this, ike_sa_t *ike_sa, ike_sa_state_t state)
{
	char detail[CGW_TEXT_MAX];

	snprintf(detail, sizeof(detail), "%s[%u]", ike_sa->get_name(ike_sa),
			 ike_sa->get_unique_id(ike_sa));
	send_event(this, ike_sa, CGW_EV_IKE_STATE, state, FALSE, 0, detail);
	return TRUE;
}

METHOD(listener_t, child_state_change, bool,
	private_cgw_listener_t *this, ike_sa_t *ike_sa, child_sa_t *child_sa,
	child_sa_state_t state)
{
	char detail[CGW_TEXT_MAX];

	snprintf(detail, sizeof(detail), "%s{%u}", child_sa->get_name(child_sa),
			 child_sa->get_unique_id(child_sa));
	send_event(this, ike_sa, CGW_EV_CHILD_STATE, state, TRUE, 0, detail);
	return TRUE;
}

METHOD(listener_t, ike_updown, bool,
	private_cgw_listener_t *this, ike_sa_t *ike_sa, bool up)
{
	char detail[CGW_TEXT_MAX];

	snprintf(detail, sizeof(detail), "%H[%Y]...%H[%Y]",
			 ike_sa->get_my_host(ike_sa), ike_sa->get_my_id(ike_sa),
			 ike_sa->get_other_host(ike_sa), ike_sa->get_other_id(ike_sa));
	send_event(this, ike_sa, up ? CGW_EV_IKE_UP : CGW_EV_IKE_DOWN,
			   ike_sa->get_state(ike_sa), FALSE, 0, detail);
	return TRUE;
}

METHOD(listener_t, ike_rekey, bool,
	private_cgw_listener_t *this, ike_sa_t *old, ike_sa_t *new)
{
	time_t t = old->get_statistic(old, STAT_ESTABLISHED);
	time_t now = time_monotonic(NULL);

	/* the age tells whose lifetime ran out: AWS's, if shorter than ours;
	 * the initiator of the rekey is the new IKE_SA's original initiator */
	send_event_ext(this, new, (struct cgw_msg_event){
			.kind = CGW_EV_IKE_REKEY,
			.state = new->get_state(new),
			.age_s = t && now > t ? now - t : 0,
			.old_id = old->get_unique_id(old),
			.initiator = new->get_id(new)->is_initiator(new->get_id(new)),
		}, FALSE, "IKE_SA rekeyed");
	return TRUE;
}

/** "SPIs c1234567_i c7654321_o" */
static void print_spis(char *buf, size_t len, child_sa_t *child_sa)
{
	snprintf(buf, len, "SPIs %.8x_i %.8x_o",
			 ntohl(child_sa->get_spi(child_sa, TRUE)),
			 ntohl(child_sa->get_spi(child_sa, FALSE)));
}

METHOD(listener_t, child_updown, bool,
	private_cgw_listener_t *this, ike_sa_t *ike_sa, child_sa_t *child_sa,
	bool up)
{
	char detail[CGW_TEXT_MAX];

	print_spis(detail, sizeof(detail), child_sa);
	send_event_ext(this, ike_sa, (struct cgw_msg_event){
			.kind = up ? CGW_EV_CHILD_UP : CGW_EV_CHILD_DOWN,
			.state = child_sa->get_state(child_sa),
			.child_id = child_sa->get_unique_id(child_sa),
		}, TRUE, detail);
	return TRUE;
}

/**
 * Whether we started the CHILD_SA rekey being reported.  IKEv2: answering
 * AWS's rekey, child_rekey's build_r marks the old CHILD_SA with the new
 * one's outbound SPI just before the hook (a collision's loser included);
 * ours leaves it unset.  IKEv1: our quick mode rekey is in the IKE_SA's
 * active task queue.
 */
static bool rekey_initiated_by_us(ike_sa_t *ike_sa, child_sa_t *old,
								  child_sa_t *new)
{
	enumerator_t *enumerator;
	task_t *task;
	bool ours = FALSE;

	if (ike_sa->get_version(ike_sa) == IKEV2)
	{
		return old->get_rekey_spi(old) != new->get_spi(new, FALSE);
	}
	enumerator = ike_sa->create_task_enumerator(ike_sa, TASK_QUEUE_ACTIVE);
	while (enumerator->enumerate(enumerator, &task))
	{
		if (task->get_type(task) == TASK_QUICK_MODE)
		{
			ours = TRUE;
		}
	}
	enumerator->destroy(enumerator);
	return ours;
}

METHOD(listener_t, child_rekey, bool,
	private_cgw_listener_t *this, ike_sa_t *ike_sa, child_sa_t *old,
	child_sa_t *new)
{
	char detail[CGW_TEXT_MAX];

	time_t t = old->get_installtime(old);
	time_t now = time_monotonic(NULL);

	print_spis(detail, sizeof(detail), new);
	/* the age tells whose lifetime ran out: AWS's, if shorter than ours */
	send_event_ext(this, ike_sa, (struct cgw_msg_event){
			.kind = CGW_EV_CHILD_REKEY,
			.state = new->get_state(new),
			.age_s = t && now > t ? now - t : 0,
			.child_id = new->get_unique_id(new),
			.old_id = old->get_unique_id(old),
			.initiator = rekey_initiated_by_us(ike_sa, old, new),
		}, TRUE, detail);
	return TRUE;
}

METHOD(cgw_listener_t, destroy, void,
	private_cgw_listener_t *this)
{
	free(this);
}

/*
 * Described in header
 */
cgw_listener_t *cgw_listener_create(cgw_config_t *config, cgw_link_t *link)
{
	private_cgw_listener_t *this;

	INIT(this,
		.public = {
			.listener = {
				.alert = _alert,
				.ike_state_change = _ike_state_change,
				.child_state_change = _child_state_change,
				.ike_updown = _ike_updown,
				.ike_rekey = _ike_rekey,
				.child_updown = _child_updown,
				.child_rekey = _child_rekey,
			},
			.destroy = _destroy,
		},
		.config = config,
		.link = link,
	);
	return &this->public;
}
