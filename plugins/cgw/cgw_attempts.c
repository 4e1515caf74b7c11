/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * DOC: cgw_attempts - drops a second IKE_SA of a tunnel coming up
 *
 * The bus hook runs with the IKE_SA checked out, so it only queues a job;
 * the job looks at the tunnel's IKE_SAs (the controller's enumerator checks
 * each out in turn), then checks every attempt but the oldest out by its
 * unique id.  The oldest stays whichever attempt started last: one going
 * from CREATED to CONNECTING again (keyingtries) is not a new one.
 */
#include "cgw_attempts.h"

#include <daemon.h>
#include <processing/jobs/callback_job.h>

typedef struct private_cgw_attempts_t private_cgw_attempts_t;

struct private_cgw_attempts_t {

	/** public interface */
	cgw_attempts_t public;

	/** the loaded tunnels */
	cgw_config_t *config;
};

/** what the job looks at: a tunnel with an attempt just started */
typedef struct {
	char name[CGW_NAME_MAX];
} attempt_t;

/** an IKE_SA of name that we initiated and that is not yet established */
static bool our_attempt(ike_sa_t *ike_sa, char *name)
{
	return ike_sa->get_state(ike_sa) == IKE_CONNECTING &&
		   ike_sa->has_condition(ike_sa, COND_ORIGINAL_INITIATOR) &&
		   streq(ike_sa->get_name(ike_sa), name);
}

/** checks IKE_SA id out and destroys it if still an attempt of name */
static void drop(char *name, uint32_t keep, uint32_t id)
{
	ike_sa_t *ike_sa;

	ike_sa = charon->ike_sa_manager->checkout_by_id(charon->ike_sa_manager, id);
	if (!ike_sa)
	{
		return;
	}
	if (our_attempt(ike_sa, name))
	{
		DBG1(DBG_CFG, "cgw: '%s' is already coming up (IKE_SA %u): the "
			 "second attempt, IKE_SA %u, goes", name, keep, id);
		charon->ike_sa_manager->checkin_and_destroy(charon->ike_sa_manager,
													ike_sa);
	}
	else
	{
		charon->ike_sa_manager->checkin(charon->ike_sa_manager, ike_sa);
	}
}

/** the oldest attempt of the tunnel stays, every other one goes */
static job_requeue_t drop_second(attempt_t *a)
{
	enumerator_t *enumerator;
	ike_sa_t *ike_sa;
	uint32_t ids[8], keep = 0, id;
	int n = 0, i;

	enumerator = charon->controller->create_ike_sa_enumerator(
													charon->controller, TRUE);
	while (enumerator->enumerate(enumerator, &ike_sa))
	{
		if (n < countof(ids) && our_attempt(ike_sa, a->name))
		{
			id = ike_sa->get_unique_id(ike_sa);
			ids[n++] = id;
			if (!keep || id < keep)
			{
				keep = id;
			}
		}
	}
	enumerator->destroy(enumerator);
	for (i = 0; i < n; i++)
	{
		if (ids[i] != keep)
		{
			drop(a->name, keep, ids[i]);
		}
	}
	return JOB_REQUEUE_NONE;
}

METHOD(listener_t, ike_state_change, bool,
	private_cgw_attempts_t *this, ike_sa_t *ike_sa, ike_sa_state_t state)
{
	attempt_t *a;

	/* called before the state changes: our_attempt() would not match yet */
	if (state != IKE_CONNECTING || !ike_sa->get_peer_cfg(ike_sa) ||
		!ike_sa->has_condition(ike_sa, COND_ORIGINAL_INITIATOR) ||
		!this->config->has(this->config, ike_sa->get_name(ike_sa), NULL))
	{
		return TRUE;
	}
	INIT(a);
	snprintf(a->name, sizeof(a->name), "%s", ike_sa->get_name(ike_sa));
	lib->processor->queue_job(lib->processor,
			(job_t*)callback_job_create((callback_job_cb_t)drop_second,
										a, free, NULL));
	return TRUE;
}

METHOD(cgw_attempts_t, destroy, void,
	private_cgw_attempts_t *this)
{
	free(this);
}

/*
 * Described in header
 */
cgw_attempts_t *cgw_attempts_create(cgw_config_t *config)
{
	private_cgw_attempts_t *this;

	INIT(this,
		.public = {
			.listener = {
				.ike_state_change = _ike_state_change,
			},
			.destroy = _destroy,
		},
		.config = config,
	);
	return &this->public;
}
