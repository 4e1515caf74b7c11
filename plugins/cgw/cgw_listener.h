/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * DOC: cgw_listener - charon's bus events for cgwd
 *
 * Forwards, for loaded tunnels only, IKE/CHILD up/down, rekeys, state
 * changes and the alerts a health verdict needs, as CGW_MSG_EVENT.  A
 * daemon must watch alerts and state changes, not only up/down: a CHILD_SA
 * the kernel refuses never gets a child_updown, and a failed
 * authentication gives ike_updown(down) without an up.
 *
 * @defgroup cgw_listener cgw_listener
 * @{ @ingroup cgw
 */
#ifndef CGW_LISTENER_H_
#define CGW_LISTENER_H_

#include <bus/listeners/listener.h>

#include "cgw_config.h"
#include "cgw_link.h"

typedef struct cgw_listener_t cgw_listener_t;

/**
 * Event forwarder.
 */
struct cgw_listener_t {

	/**
	 * Implements listener_t (registered with charon->bus).
	 */
	listener_t listener;

	/**
	 * Destroy a cgw_listener_t.
	 */
	void (*destroy)(cgw_listener_t *this);
};

/**
 * Create the forwarder for the tunnels in config, sending over link.
 */
cgw_listener_t *cgw_listener_create(cgw_config_t *config, cgw_link_t *link);

#endif /** CGW_LISTENER_H_ @}*/
