/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * DOC: cgw_link - the plugin's connection to cgwd
 *
 * cgwd owns the policy; the plugin connects to cgwd's plugin socket (not
 * the other way round) so that a charon that restarts comes back and gets
 * its tunnels again without a human.  While cgwd is absent the link retries
 * every second from a scheduled job: charon is never blocked.  Every
 * message cgwd sends goes through one dispatch switch (cgw_link.c).
 *
 * @defgroup cgw_link cgw_link
 * @{ @ingroup cgw
 */
#ifndef CGW_LINK_H_
#define CGW_LINK_H_

#include <library.h>

#include "cgw_msg.h"
#include "cgw_config.h"
#include "cgw_control.h"

typedef struct cgw_link_t cgw_link_t;

/**
 * Connection to cgwd.
 */
struct cgw_link_t {

	/**
	 * Send one message, from any thread.  Never blocks for long: if cgwd
	 * does not read, the connection is dropped (cgwd resyncs on the next
	 * HELLO).
	 *
	 * @param type		enum cgw_msg_type
	 * @param seq		sequence number (0 for events)
	 * @param data		payload
	 * @param len		payload size
	 * @return			FALSE if not connected or the send failed
	 */
	bool (*send)(cgw_link_t *this, uint32_t type, uint32_t seq,
				 void *data, size_t len);

	/**
	 * Start connecting (and reconnecting) to cgwd.
	 */
	void (*start)(cgw_link_t *this);

	/**
	 * Close the connection.
	 */
	void (*destroy)(cgw_link_t *this);
};

/**
 * Create the link; commands go to config and control.
 *
 * @param path		cgwd's plugin socket
 */
cgw_link_t *cgw_link_create(char *path, cgw_config_t *config,
							cgw_control_t *control);

#endif /** CGW_LINK_H_ @}*/
