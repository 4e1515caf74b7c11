/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * DOC: cgw_control - commands cgwd gives by tunnel name
 *
 * Initiate, terminate, rekey and list the SAs of loaded tunnels through
 * charon's controller and jobs, without waiting for the outcome: results
 * arrive later as events (cgw_listener).  Nothing is decided here.
 *
 * @defgroup cgw_control cgw_control
 * @{ @ingroup cgw
 */
#ifndef CGW_CONTROL_H_
#define CGW_CONTROL_H_

#include <library.h>

#include "cgw_msg.h"
#include "cgw_config.h"

typedef struct cgw_control_t cgw_control_t;

/** sends one record (a CGW_MSG_SA) of a LIST_SAS answer */
typedef bool (*cgw_control_send_t)(void *data, struct cgw_msg_sa *sa);

/**
 * Commands on loaded tunnels; each returns an enum cgw_result and a text.
 */
struct cgw_control_t {

	/**
	 * Bring a tunnel up, unless it is already up or coming up.
	 */
	enum cgw_result (*initiate)(cgw_control_t *this, char *name,
								char *text, size_t len);

	/**
	 * Start a new IKE_SA beside the tunnel's existing one (its peer
	 * stopped answering); the old one goes once the new one is up.
	 */
	enum cgw_result (*reinitiate)(cgw_control_t *this, char *name,
								  char *text, size_t len);

	/**
	 * Delete the tunnel's IKE_SAs other than keep (a unique id), if
	 * keep is established.
	 */
	enum cgw_result (*keep_ike)(cgw_control_t *this, char *name,
								uint32_t keep, char *text, size_t len);

	/**
	 * Delete the tunnel's IKE_SAs (and so its CHILD_SAs).
	 */
	enum cgw_result (*terminate)(cgw_control_t *this, char *name,
								 char *text, size_t len);

	/**
	 * Rekey the tunnel's IKE_SA and CHILD_SA now.
	 */
	enum cgw_result (*rekey)(cgw_control_t *this, char *name,
							 char *text, size_t len);

	/**
	 * Terminate the tunnel's SAs and forget the tunnel.
	 */
	enum cgw_result (*unload)(cgw_control_t *this, char *name,
							  char *text, size_t len);

	/**
	 * Call send once per loaded tunnel with its current SA state.
	 */
	void (*list_sas)(cgw_control_t *this, cgw_control_send_t send,
					 void *data);

	/**
	 * Destroy a cgw_control_t.
	 */
	void (*destroy)(cgw_control_t *this);
};

/**
 * Create the command handler over the tunnels in config.
 */
cgw_control_t *cgw_control_create(cgw_config_t *config);

#endif /** CGW_CONTROL_H_ @}*/
