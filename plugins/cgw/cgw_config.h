/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * DOC: cgw_config - the tunnels cgwd loaded, as charon configuration
 *
 * A backend_t that serves one peer_cfg (with one child_cfg of the same
 * name) per tunnel cgwd sent in CGW_MSG_TUNNEL_LOAD, and an in-memory
 * credential set holding the tunnels' PSKs.  Everything a tunnel needs is
 * in the message; nothing here decides anything (cgwd holds the policy).
 *
 * @defgroup cgw_config cgw_config
 * @{ @ingroup cgw
 */
#ifndef CGW_CONFIG_H_
#define CGW_CONFIG_H_

#include <config/backend.h>
#include <credentials/credential_set.h>

#include "cgw_msg.h"

typedef struct cgw_config_t cgw_config_t;

/**
 * Tunnel configurations received from cgwd.
 */
struct cgw_config_t {

	/**
	 * Implements backend_t (registered with charon->backends).
	 */
	backend_t backend;

	/**
	 * The credential set with the PSKs (registered with lib->credmgr).
	 */
	credential_set_t *(*get_creds)(cgw_config_t *this);

	/**
	 * Load (or replace) a tunnel.  Wipes msg->psk in every case.
	 *
	 * @param msg		the tunnel, as cgwd sent it
	 * @param err		error text on failure, or a warning on success
	 * @param len		size of err
	 * @return			TRUE if loaded
	 */
	bool (*load)(cgw_config_t *this, struct cgw_msg_tunnel *msg,
				 char *err, size_t len);

	/**
	 * Forget a tunnel and its PSK.
	 *
	 * @return			FALSE if no such tunnel
	 */
	bool (*unload)(cgw_config_t *this, char *name);

	/**
	 * Whether a tunnel of this name is loaded, and if it initiates.
	 */
	bool (*has)(cgw_config_t *this, char *name, bool *initiate);

	/**
	 * The name of the tunnel whose ike_cfg this is (the responder knows
	 * only the ike_cfg until IKE_AUTH), copied into buf.
	 */
	bool (*name_by_ike_cfg)(cgw_config_t *this, ike_cfg_t *ike_cfg,
							char *buf, size_t len);

	/**
	 * The names of all loaded tunnels, as a list of allocated strings.
	 */
	linked_list_t *(*get_names)(cgw_config_t *this);

	/**
	 * Destroy the configurations and credentials.
	 */
	void (*destroy)(cgw_config_t *this);
};

/**
 * Create an empty tunnel store.
 */
cgw_config_t *cgw_config_create();

#endif /** CGW_CONFIG_H_ @}*/
