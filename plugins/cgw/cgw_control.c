/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * DOC: cgw_control - initiate, terminate, rekey, list SAs by tunnel name
 *
 * Runs in the link's reader thread.  charon's IKE_SA enumerator checks
 * each IKE_SA out while we look at it, so anything that checks an IKE_SA
 * out again (controller->terminate_ike) is called only after the
 * enumeration ends.  Calls are asynchronous (no controller callback): the
 * outcome reaches cgwd as events.
 */
#include "cgw_control.h"

#include <daemon.h>
#include <collections/array.h>
#include <processing/jobs/rekey_child_sa_job.h>
#include <processing/jobs/rekey_ike_sa_job.h>

typedef struct private_cgw_control_t private_cgw_control_t;

struct private_cgw_control_t {

	/** public interface */
	cgw_control_t public;

	/** the loaded tunnels */
	cgw_config_t *config;
};

/** an IKE_SA that is (or will be) up, as opposed to one going away */
static bool ike_alive(ike_sa_t *ike_sa)
{
	switch (ike_sa->get_state(ike_sa))
	{
		case IKE_CONNECTING:
		case IKE_ESTABLISHED:
		case IKE_REKEYING:
			return TRUE;
		default:
			return FALSE;
	}
}

/** the tunnel's child_cfg (it has one), with a reference; NULL if none */
static child_cfg_t *tunnel_child(peer_cfg_t *peer)
{
	enumerator_t *enumerator;
	child_cfg_t *child = NULL;

	enumerator = peer->create_child_cfg_enumerator(peer);
	if (enumerator->enumerate(enumerator, &child))
	{
		child->get_ref(child);
	}
	enumerator->destroy(enumerator);
	return child;
}

/** an IKE_SA that is coming up or carries a CHILD_SA */
static bool ike_busy(ike_sa_t *ike_sa)
{
	return ike_alive(ike_sa) &&
		   (ike_sa->get_state(ike_sa) == IKE_CONNECTING ||
			ike_sa->get_child_count(ike_sa) > 0);
}

static bool ike_connecting(ike_sa_t *ike_sa)
{
	return ike_sa->get_state(ike_sa) == IKE_CONNECTING;
}

/** whether one of the tunnel's IKE_SAs is as match says */
static bool tunnel_has_ike_sa(char *name, bool (*match)(ike_sa_t *ike_sa))
{
	enumerator_t *enumerator;
	ike_sa_t *ike_sa;
	bool found = FALSE;

	enumerator = charon->controller->create_ike_sa_enumerator(
													charon->controller, TRUE);
	while (enumerator->enumerate(enumerator, &ike_sa))
	{
		if (streq(ike_sa->get_name(ike_sa), name) && match(ike_sa))
		{
			found = TRUE;
		}
	}
	enumerator->destroy(enumerator);
	return found;
}

/** the tunnel's peer_cfg (a reference), or NULL with text saying so */
static peer_cfg_t *tunnel_peer(private_cgw_control_t *this, char *name,
							   char *text, size_t len)
{
	peer_cfg_t *peer;

	peer = this->config->backend.get_peer_cfg_by_name(&this->config->backend,
													   name);
	if (!peer)
	{
		snprintf(text, len, "no tunnel '%s'", name);
	}
	return peer;
}

/**
 * The unique ids of the tunnel's IKE_SAs other than keep (0: all of them),
 * and in *kept whether keep is among them, established.
 */
static array_t *tunnel_ike_ids(char *name, uint32_t keep, bool *kept)
{
	enumerator_t *enumerator;
	ike_sa_t *ike_sa;
	array_t *ids;
	uint32_t id;

	*kept = FALSE;
	ids = array_create(sizeof(uint32_t), 0);
	enumerator = charon->controller->create_ike_sa_enumerator(
													charon->controller, TRUE);
	while (enumerator->enumerate(enumerator, &ike_sa))
	{
		if (!streq(ike_sa->get_name(ike_sa), name))
		{
			continue;
		}
		id = ike_sa->get_unique_id(ike_sa);
		if (keep && id == keep)
		{
			*kept = ike_sa->get_state(ike_sa) == IKE_ESTABLISHED;
		}
		else
		{
			array_insert(ids, ARRAY_TAIL, &id);
		}
	}
	enumerator->destroy(enumerator);
	return ids;
}

/**
 * Deletes the IKE_SAs, after the enumeration (terminate_ike checks each
 * out again); force: one DELETE, no waiting for a peer that may be gone.
 */
static void terminate_ids(array_t *ids, bool force)
{
	uint32_t id;

	while (array_remove(ids, ARRAY_HEAD, &id))
	{
		charon->controller->terminate_ike(charon->controller, id, force,
										  NULL, NULL, 0);
	}
	array_destroy(ids);
}

METHOD(cgw_control_t, initiate, enum cgw_result,
	private_cgw_control_t *this, char *name, char *text, size_t len)
{
	peer_cfg_t *peer;
	child_cfg_t *child;

	peer = tunnel_peer(this, name, text, len);
	if (!peer)
	{
		return CGW_RES_UNKNOWN_TUNNEL;
	}
	/* idempotent: a second IKE_SA would only be replaced (unique=replace) */
	if (tunnel_has_ike_sa(name, ike_busy))
	{
		peer->destroy(peer);
		snprintf(text, len, "'%s' is already up or coming up", name);
		return CGW_RES_OK;
	}
	child = tunnel_child(peer);
	DBG1(DBG_CFG, "cgw: initiating '%s'", name);
	/* adopts both references; without a callback it does not wait */
	if (charon->controller->initiate(charon->controller, peer, child,
									 NULL, NULL, 0, FALSE) != SUCCESS)
	{
		snprintf(text, len, "initiating '%s' failed", name);
		return CGW_RES_FAILED;
	}
	snprintf(text, len, "initiating '%s'", name);
	return CGW_RES_OK;
}

/**
 * Make-before-break: the tunnel's peer stopped answering (an AWS endpoint
 * replaced loses its SAs without a DELETE), so a new IKE_SA is started
 * beside the old one instead of after dead peer detection gives up.
 * controller->initiate would reuse the existing IKE_SA (reuse_ikesa), so
 * the new one is created here as charon does with reuse_ikesa = no.  Once
 * its CHILD_SA is up, cgwd has the old one deleted (keep_ike), so the
 * CHILD_SAs overlap as in a rekey.  IKEv1 has no such overlap: not done.
 */
METHOD(cgw_control_t, reinitiate, enum cgw_result,
	private_cgw_control_t *this, char *name, char *text, size_t len)
{
	ike_sa_t *ike_sa;
	peer_cfg_t *peer;
	child_cfg_t *child;

	peer = tunnel_peer(this, name, text, len);
	if (!peer)
	{
		return CGW_RES_UNKNOWN_TUNNEL;
	}
	if (peer->get_ike_version(peer) != IKEV2)
	{
		peer->destroy(peer);
		snprintf(text, len, "'%s' is IKEv1: left to dead peer detection",
				 name);
		return CGW_RES_OK;
	}
	if (tunnel_has_ike_sa(name, ike_connecting))
	{	/* one attempt at a time: it retransmits by itself */
		peer->destroy(peer);
		snprintf(text, len, "'%s' is already coming up", name);
		return CGW_RES_OK;
	}
	child = tunnel_child(peer);
	ike_sa = charon->ike_sa_manager->create_new(charon->ike_sa_manager,
												IKEV2, TRUE);
	if (!ike_sa || !child)
	{
		DESTROY_IF(child);
		DESTROY_IF(ike_sa);
		peer->destroy(peer);
		snprintf(text, len, "no new IKE_SA for '%s'", name);
		return CGW_RES_FAILED;
	}
	ike_sa->set_peer_cfg(ike_sa, peer);
	peer->destroy(peer);
	charon->ike_sa_manager->checkout_new(charon->ike_sa_manager, ike_sa);
	charon->bus->set_sa(charon->bus, ike_sa);
	DBG1(DBG_CFG, "cgw: '%s' stopped answering: a new IKE_SA beside the "
		 "old one", name);
	/* adopts the child_cfg reference */
	if (ike_sa->initiate(ike_sa, child, NULL) != SUCCESS)
	{
		charon->ike_sa_manager->checkin_and_destroy(charon->ike_sa_manager,
													ike_sa);
		charon->bus->set_sa(charon->bus, NULL);
		snprintf(text, len, "re-initiating '%s' failed", name);
		return CGW_RES_FAILED;
	}
	charon->ike_sa_manager->checkin(charon->ike_sa_manager, ike_sa);
	charon->bus->set_sa(charon->bus, NULL);
	snprintf(text, len, "a new IKE_SA for '%s' beside the old one", name);
	return CGW_RES_OK;
}

/**
 * A new IKE_SA carries the tunnel (make-before-break, a reauthentication):
 * every other one of it goes now, by us.  Left to uniqueness, the peer's
 * (AWS's) delete of the old one would come first, and charon answers a
 * peer's delete with its close action, a restart: a new IKE_SA that
 * replaces the one we keep, and so on.
 */
METHOD(cgw_control_t, keep_ike, enum cgw_result,
	private_cgw_control_t *this, char *name, uint32_t keep, char *text,
	size_t len)
{
	array_t *ids;
	bool kept;

	if (!this->config->has(this->config, name, NULL))
	{
		snprintf(text, len, "no tunnel '%s'", name);
		return CGW_RES_UNKNOWN_TUNNEL;
	}
	ids = tunnel_ike_ids(name, keep, &kept);
	if (!kept)
	{	/* it went meanwhile: the others may be all there is */
		array_destroy(ids);
		snprintf(text, len, "IKE_SA %u of '%s' is not established", keep,
				 name);
		return CGW_RES_OK;
	}
	DBG1(DBG_CFG, "cgw: '%s' is carried by IKE_SA %u: deleting %u other(s)",
		 name, keep, array_count(ids));
	snprintf(text, len, "'%s': IKE_SA %u kept, %u other(s) deleted", name,
			 keep, array_count(ids));
	terminate_ids(ids, TRUE);
	return CGW_RES_OK;
}

METHOD(cgw_control_t, terminate, enum cgw_result,
	private_cgw_control_t *this, char *name, char *text, size_t len)
{
	array_t *ids;
	bool kept;

	if (!this->config->has(this->config, name, NULL))
	{
		snprintf(text, len, "no tunnel '%s'", name);
		return CGW_RES_UNKNOWN_TUNNEL;
	}
	ids = tunnel_ike_ids(name, 0, &kept);
	snprintf(text, len, "terminating %u IKE_SA(s) of '%s'", array_count(ids),
			 name);
	/* forced: a reset's INITIATE follows, and an IKE_SA waiting for the
	 * answer to its DELETE (from a peer that lost it, say) would hold
	 * the new one back until its retransmits give up */
	terminate_ids(ids, TRUE);
	return CGW_RES_OK;
}

METHOD(cgw_control_t, rekey, enum cgw_result,
	private_cgw_control_t *this, char *name, char *text, size_t len)
{
	enumerator_t *enumerator, *children;
	ike_sa_t *ike_sa;
	child_sa_t *child_sa;
	u_int ikes = 0, childs = 0;

	if (!this->config->has(this->config, name, NULL))
	{
		snprintf(text, len, "no tunnel '%s'", name);
		return CGW_RES_UNKNOWN_TUNNEL;
	}
	enumerator = charon->controller->create_ike_sa_enumerator(
													charon->controller, TRUE);
	while (enumerator->enumerate(enumerator, &ike_sa))
	{
		if (!streq(ike_sa->get_name(ike_sa), name) ||
			ike_sa->get_state(ike_sa) != IKE_ESTABLISHED)
		{
			continue;
		}
		children = ike_sa->create_child_sa_enumerator(ike_sa);
		while (children->enumerate(children, &child_sa))
		{
			if (child_sa->get_state(child_sa) != CHILD_INSTALLED)
			{
				continue;
			}
			lib->processor->queue_job(lib->processor,
					(job_t*)rekey_child_sa_job_create(
								child_sa->get_protocol(child_sa),
								child_sa->get_spi(child_sa, TRUE),
								ike_sa->get_my_host(ike_sa)));
			childs++;
		}
		children->destroy(children);
		lib->processor->queue_job(lib->processor,
				(job_t*)rekey_ike_sa_job_create(ike_sa->get_id(ike_sa), FALSE));
		ikes++;
	}
	enumerator->destroy(enumerator);
	if (!ikes)
	{
		snprintf(text, len, "'%s' has no established IKE_SA", name);
		return CGW_RES_FAILED;
	}
	snprintf(text, len, "rekeying %u IKE_SA(s), %u CHILD_SA(s) of '%s'",
			 ikes, childs, name);
	return CGW_RES_OK;
}

METHOD(cgw_control_t, unload, enum cgw_result,
	private_cgw_control_t *this, char *name, char *text, size_t len)
{
	enum cgw_result res;

	/* terminate first: with the config gone, nothing would restart it */
	res = terminate(this, name, text, len);
	if (res == CGW_RES_OK && !this->config->unload(this->config, name))
	{
		snprintf(text, len, "no tunnel '%s'", name);
		res = CGW_RES_UNKNOWN_TUNNEL;
	}
	return res;
}

/** "IKE:AES_CBC_128/..." -> "AES_CBC_128/..." */
static void print_proposal(char *buf, size_t len, proposal_t *proposal)
{
	char tmp[128], *p;

	if (!proposal)
	{
		return;
	}
	snprintf(tmp, sizeof(tmp), "%P", proposal);
	p = strchr(tmp, ':');
	snprintf(buf, len, "%s", p ? p + 1 : tmp);
}

/**
 * How well an IKE_SA stands for its tunnel.  During a rekey two IKE_SAs
 * share the tunnel's name, and the old one may have handed its CHILD_SA
 * to the new one already: the one carrying an installed CHILD_SA wins,
 * then an established one, then the newer (higher unique id).  Reporting
 * the old one made cgwd see "no CHILD_SA" and take a healthy tunnel down.
 */
static uint64_t rank(ike_sa_t *ike_sa)
{
	enumerator_t *enumerator;
	child_sa_t *child_sa;
	uint64_t r = 0;

	enumerator = ike_sa->create_child_sa_enumerator(ike_sa);
	while (enumerator->enumerate(enumerator, &child_sa))
	{
		switch (child_sa->get_state(child_sa))
		{
			case CHILD_INSTALLED:
			case CHILD_REKEYING:
			case CHILD_REKEYED:
				r = 4;
				break;
			default:
				break;
		}
	}
	enumerator->destroy(enumerator);
	switch (ike_sa->get_state(ike_sa))
	{
		case IKE_ESTABLISHED:
			r += 2;
			break;
		case IKE_REKEYING:
			r += 1;
			break;
		default:
			break;
	}
	return (r << 32) | ike_sa->get_unique_id(ike_sa);
}

/** "10.0.0.0/16 10.1.0.0/16" */
static void print_ts(char *buf, size_t len, child_sa_t *child_sa, bool local)
{
	enumerator_t *enumerator;
	traffic_selector_t *ts;
	size_t pos = 0;
	int n;

	buf[0] = '\0';
	enumerator = child_sa->create_ts_enumerator(child_sa, local);
	while (pos < len && enumerator->enumerate(enumerator, &ts))
	{
		n = snprintf(buf + pos, len - pos, "%s%R", pos ? " " : "", ts);
		pos += n > 0 ? n : 0;
	}
	enumerator->destroy(enumerator);
}

static void fill(struct cgw_msg_sa *rec, ike_sa_t *ike_sa, time_t now)
{
	enumerator_t *enumerator;
	child_sa_t *child_sa, *best = NULL;
	time_t t;

	rec->ike_state = ike_sa->get_state(ike_sa);
	rec->ike_id = ike_sa->get_unique_id(ike_sa);
	snprintf(rec->ike_state_name, sizeof(rec->ike_state_name), "%N",
			 ike_sa_state_names, rec->ike_state);
	if (rec->ike_state == IKE_ESTABLISHED || rec->ike_state == IKE_REKEYING)
	{
		t = ike_sa->get_statistic(ike_sa, STAT_ESTABLISHED);
		rec->established_s = now > t ? now - t : 0;
	}
	print_proposal(rec->ike_proposal, sizeof(rec->ike_proposal),
				   ike_sa->get_proposal(ike_sa));
	/* IKE messages from the peer: DPD answers keep arriving when only
	 * ESP is blocked on the path */
	t = ike_sa->get_statistic(ike_sa, STAT_INBOUND);
	rec->ike_in_s = t ? (now > t ? now - t : 0) : UINT32_MAX;
	enumerator = ike_sa->create_child_sa_enumerator(ike_sa);
	while (enumerator->enumerate(enumerator, &child_sa))
	{
		if (!best || child_sa->get_state(child_sa) == CHILD_INSTALLED)
		{
			best = child_sa;
		}
	}
	enumerator->destroy(enumerator);
	if (!best)
	{
		return;
	}
	rec->child_state = best->get_state(best);
	snprintf(rec->child_state_name, sizeof(rec->child_state_name), "%N",
			 child_sa_state_names, rec->child_state);
	rec->child_id = best->get_unique_id(best);
	rec->spi_in = best->get_spi(best, TRUE);
	rec->spi_out = best->get_spi(best, FALSE);
	if (rec->child_state == CHILD_INSTALLED)
	{
		best->get_usestats(best, TRUE, NULL, &rec->bytes_in,
						   &rec->packets_in);
		best->get_usestats(best, FALSE, NULL, &rec->bytes_out,
						   &rec->packets_out);
	}
	t = best->get_lifetime(best, FALSE);
	rec->rekey_in_s = t > now ? t - now : 0;
	print_proposal(rec->child_proposal, sizeof(rec->child_proposal),
				   best->get_proposal(best));
	/* what AWS agreed to: anything narrower than 0.0.0.0/0 drops traffic */
	print_ts(rec->ts_local, sizeof(rec->ts_local), best, TRUE);
	print_ts(rec->ts_remote, sizeof(rec->ts_remote), best, FALSE);
}

METHOD(cgw_control_t, list_sas, void,
	private_cgw_control_t *this, cgw_control_send_t send, void *data)
{
	enumerator_t *enumerator;
	linked_list_t *names;
	struct cgw_msg_sa *recs;
	uint64_t *ranks, r;
	ike_sa_t *ike_sa;
	char *name;
	time_t now = time_monotonic(NULL);
	int i, n;

	names = this->config->get_names(this->config);
	n = names->get_count(names);
	recs = calloc(n ?: 1, sizeof(*recs));
	ranks = calloc(n ?: 1, sizeof(*ranks));	/* 0: none seen */
	enumerator = names->create_enumerator(names);
	for (i = 0; enumerator->enumerate(enumerator, &name); i++)
	{
		snprintf(recs[i].name, sizeof(recs[i].name), "%s", name);
	}
	enumerator->destroy(enumerator);
	names->destroy_function(names, free);

	enumerator = charon->controller->create_ike_sa_enumerator(
													charon->controller, TRUE);
	while (enumerator->enumerate(enumerator, &ike_sa))
	{
		for (i = 0; i < n; i++)
		{
			if (!streq(recs[i].name, ike_sa->get_name(ike_sa)))
			{
				continue;
			}
			r = rank(ike_sa);
			if (r > ranks[i])
			{
				memset(&recs[i].ike_state, 0,
					   sizeof(recs[i]) - offsetof(struct cgw_msg_sa, ike_state));
				fill(&recs[i], ike_sa, now);
				ranks[i] = r;
			}
		}
	}
	enumerator->destroy(enumerator);
	for (i = 0; i < n; i++)
	{
		if (!send(data, &recs[i]))
		{
			break;
		}
	}
	free(ranks);
	free(recs);
}

METHOD(cgw_control_t, destroy, void,
	private_cgw_control_t *this)
{
	free(this);
}

/*
 * Described in header
 */
cgw_control_t *cgw_control_create(cgw_config_t *config)
{
	private_cgw_control_t *this;

	INIT(this,
		.public = {
			.initiate = _initiate,
			.reinitiate = _reinitiate,
			.keep_ike = _keep_ike,
			.terminate = _terminate,
			.rekey = _rekey,
			.unload = _unload,
			.list_sas = _list_sas,
			.destroy = _destroy,
		},
		.config = config,
	);
	return &this->public;
}
