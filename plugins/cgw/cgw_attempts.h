/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * DOC: cgw_attempts - one IKE_SA coming up per tunnel at a time
 *
 * Several paths in charon start a tunnel's IKE_SA: cgwd's make-before-
 * break (cgw_control reinitiate), the old IKE_SA's dead peer detection
 * restarting its CHILD_SA, keyingtries.  During an outage they pile up,
 * each retransmitting, and when the path comes back the peer gets two
 * IKE_SAs at once.  Measured in the lab: the simulated AWS endpoint
 * (strongSwan) kept both, cgw kept the newer, and the endpoint's
 * outbound policy was left without an SA, a tunnel dead with its SAs
 * "up" (0 packets in).  So an attempt we initiate while an older one of
 * the same tunnel is still connecting is dropped (the older one carries
 * the same configuration and retransmits by itself).  A peer's attempts
 * (we respond) are never touched.
 *
 * @defgroup cgw_attempts cgw_attempts
 * @{ @ingroup cgw
 */
#ifndef CGW_ATTEMPTS_H_
#define CGW_ATTEMPTS_H_

#include <bus/listeners/listener.h>

#include "cgw_config.h"

typedef struct cgw_attempts_t cgw_attempts_t;

/**
 * The guard, a bus listener.
 */
struct cgw_attempts_t {

	/**
	 * Implements listener_t (registered with charon->bus).
	 */
	listener_t listener;

	/**
	 * Destroy a cgw_attempts_t.
	 */
	void (*destroy)(cgw_attempts_t *this);
};

/**
 * Create the guard for the tunnels in config.
 */
cgw_attempts_t *cgw_attempts_create(cgw_config_t *config);

#endif /** CGW_ATTEMPTS_H_ @}*/
