/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * DOC: the charon plugin "cgw"
 *
 * The thin half of cgw inside charon: it serves the tunnels cgwd sends
 * (backend + PSKs), runs cgwd's commands and forwards charon's events to
 * cgwd over cgwd's plugin socket.  It holds no policy.
 *
 * @defgroup cgw cgw
 * @ingroup cplugins
 *
 * @defgroup cgw_plugin cgw_plugin
 * @{ @ingroup cgw
 */
#ifndef CGW_PLUGIN_H_
#define CGW_PLUGIN_H_

#include <plugins/plugin.h>

typedef struct cgw_plugin_t cgw_plugin_t;

/**
 * Plugin connecting charon to cgwd.
 */
struct cgw_plugin_t {

	/**
	 * Implements plugin interface.
	 */
	plugin_t plugin;
};

#endif /** CGW_PLUGIN_H_ @}*/
