/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * DOC: cgw_plugin - wiring, and the run-time ABI guard
 *
 * Debian ships no strongSwan headers: the plugin is compiled against
 * Debian's source configured as Debian configures it
 * (packaging/strongswan-src.sh), and the build checks that config.h agrees
 * with the installed libcharon (plugins/cgw/abi-check.sh).  This file
 * checks again when charon loads the plugin, because a plugin built for
 * another layout (the define ME changes peer_cfg_t, ike_sa_t, daemon_t)
 * does not crash, it silently calls the wrong methods:
 *  - ME, USE_IKEV1, USE_IKEV2 and the printf backend against symbols the
 *    running libraries export (connect_manager_create, main_mode_create,
 *    ike_init_create, builtin_snprintf);
 *  - the strongSwan version compiled into the running daemon ("strongSwan
 *    X.Y.Z" in its startup banner; the libraries hold no version string)
 *    against the VERSION of the headers we were compiled with.
 * On a mismatch the plugin refuses to load, loudly.
 */
#define _GNU_SOURCE		/* dl_iterate_phdr(), memmem(), RTLD_DEFAULT */
#include "cgw_plugin.h"
#include "cgw_config.h"
#include "cgw_control.h"
#include "cgw_link.h"
#include "cgw_listener.h"
#include "cgw_attempts.h"

#include <ctype.h>
#include <dlfcn.h>
#include <link.h>

#include <daemon.h>

/* cgwd writes charon.plugins.cgw.socket; Debian's AppArmor profile for
 * charon allows /run/charon.* */
#define CGW_PLUGIN_SOCKET "/run/charon.cgw.sock"

typedef struct private_cgw_plugin_t private_cgw_plugin_t;

struct private_cgw_plugin_t {

	/** implements plugin interface */
	cgw_plugin_t public;

	/** the tunnels: backend and PSKs */
	cgw_config_t *config;

	/** commands by name */
	cgw_control_t *control;

	/** connection to cgwd */
	cgw_link_t *link;

	/** bus events to cgwd */
	cgw_listener_t *listener;

	/** one IKE_SA coming up per tunnel */
	cgw_attempts_t *attempts;
};

METHOD(plugin_t, get_name, char*,
	private_cgw_plugin_t *this)
{
	return "cgw";
}

static bool plugin_cb(private_cgw_plugin_t *this,
					  plugin_feature_t *feature, bool reg, void *cb_data)
{
	char *path;

	if (reg)
	{
		path = lib->settings->get_str(lib->settings, "%s.plugins.cgw.socket",
									  CGW_PLUGIN_SOCKET, lib->ns);
		this->config = cgw_config_create();
		this->control = cgw_control_create(this->config);
		this->link = cgw_link_create(path, this->config, this->control);
		this->listener = cgw_listener_create(this->config, this->link);
		this->attempts = cgw_attempts_create(this->config);
		lib->credmgr->add_set(lib->credmgr,
							  this->config->get_creds(this->config));
		charon->backends->add_backend(charon->backends,
									  &this->config->backend);
		charon->bus->add_listener(charon->bus, &this->listener->listener);
		charon->bus->add_listener(charon->bus, &this->attempts->listener);
		this->link->start(this->link);
	}
	else
	{
		charon->bus->remove_listener(charon->bus, &this->attempts->listener);
		charon->bus->remove_listener(charon->bus, &this->listener->listener);
		charon->backends->remove_backend(charon->backends,
										 &this->config->backend);
		lib->credmgr->remove_set(lib->credmgr,
								 this->config->get_creds(this->config));
		this->link->destroy(this->link);
		this->attempts->destroy(this->attempts);
		this->listener->destroy(this->listener);
		this->control->destroy(this->control);
		this->config->destroy(this->config);
	}
	return TRUE;
}

METHOD(plugin_t, get_features, int,
	private_cgw_plugin_t *this, plugin_feature_t *features[])
{
	static plugin_feature_t f[] = {
		PLUGIN_CALLBACK((plugin_feature_callback_t)plugin_cb, NULL),
			PLUGIN_PROVIDE(CUSTOM, "cgw"),
	};
	*features = f;
	return countof(f);
}

METHOD(plugin_t, destroy, void,
	private_cgw_plugin_t *this)
{
	free(this);
}

/** search the main program's loaded segments for "strongSwan X.Y.Z" */
typedef struct {
	bool found;			/* our VERSION */
	char other[32];		/* the first other version seen */
} version_scan_t;

static int scan_main(struct dl_phdr_info *info, size_t size, void *data)
{
	static const char needle[] = "strongSwan ";
	version_scan_t *scan = data;
	const char *pos, *end, *v;
	size_t n;
	int i;

	for (i = 0; i < info->dlpi_phnum; i++)
	{
		if (info->dlpi_phdr[i].p_type != PT_LOAD ||
			!(info->dlpi_phdr[i].p_flags & PF_R))
		{
			continue;
		}
		pos = (const char*)(info->dlpi_addr + info->dlpi_phdr[i].p_vaddr);
		end = pos + info->dlpi_phdr[i].p_filesz;
		while ((pos = memmem(pos, end - pos, needle, strlen(needle))))
		{
			v = pos += strlen(needle);
			for (n = 0; v + n < end && (isalnum(v[n]) || v[n] == '.'); n++)
			{
			}
			if (n && isdigit(v[0]))
			{
				if (n == strlen(VERSION) && strneq(v, VERSION, n))
				{
					scan->found = TRUE;
				}
				else if (!scan->other[0])
				{
					snprintf(scan->other, sizeof(scan->other), "%.*s",
							 (int)min(n, sizeof(scan->other) - 1), v);
				}
			}
		}
	}
	return 1;	/* the first object is the main program: stop */
}

#ifdef ME
#define CGW_ME TRUE
#else
#define CGW_ME FALSE
#endif
#ifdef USE_IKEV1
#define CGW_IKEV1 TRUE
#else
#define CGW_IKEV1 FALSE
#endif
#ifdef USE_IKEV2
#define CGW_IKEV2 TRUE
#else
#define CGW_IKEV2 FALSE
#endif
#ifdef HAVE_PRINTF_SPECIFIER
#define CGW_BUILTIN_PRINTF FALSE
#else
#define CGW_BUILTIN_PRINTF TRUE
#endif

/** log loudly, to charon's log and to stderr */
#define ABI_ERR(fmt, ...) ({ \
	DBG1(DBG_LIB, "cgw: ABI MISMATCH: " fmt ", refusing to load", ##__VA_ARGS__); \
	fprintf(stderr, "cgw: ABI MISMATCH: " fmt ", refusing to load\n", \
			##__VA_ARGS__); })

static bool abi_ok()
{
	struct {
		char *symbol;
		bool built;
		char *define;
	} checks[] = {
		{ "connect_manager_create", CGW_ME, "ME (mediation)" },
		{ "main_mode_create", CGW_IKEV1, "USE_IKEV1" },
		{ "ike_init_create", CGW_IKEV2, "USE_IKEV2" },
		{ "builtin_snprintf", CGW_BUILTIN_PRINTF, "!HAVE_PRINTF_SPECIFIER" },
	};
	version_scan_t scan = {};
	bool ok = TRUE, running;
	int i;

	for (i = 0; i < countof(checks); i++)
	{
		running = dlsym(RTLD_DEFAULT, checks[i].symbol) != NULL;
		if (running != checks[i].built)
		{
			ABI_ERR("built %s %s, running strongSwan %s it (%s %s)",
					checks[i].built ? "with" : "without", checks[i].define,
					running ? "has" : "lacks", checks[i].symbol,
					running ? "exported" : "missing");
			ok = FALSE;
		}
	}
	dl_iterate_phdr(scan_main, &scan);
	if (!scan.found &&
		lib->settings->get_bool(lib->settings, "%s.plugins.cgw.version_check",
								TRUE, lib->ns))
	{
		ABI_ERR("built for strongSwan %s, running %s", VERSION,
				scan.other[0] ? scan.other : "an unknown version");
		ok = FALSE;
	}
	return ok;
}

/*
 * Described in header
 */
plugin_t *cgw_plugin_create()
{
	private_cgw_plugin_t *this;

	if (!abi_ok())
	{
		return NULL;
	}
	INIT(this,
		.public = {
			.plugin = {
				.get_name = _get_name,
				.get_features = _get_features,
				.destroy = _destroy,
			},
		},
	);
	return &this->public.plugin;
}
