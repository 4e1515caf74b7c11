/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * DOC: cgwd, the customer gateway daemon
 *
 * `cgwd -n` parses, validates and reports every error with file:line;
 * `cgwd -nv` also prints the canonical form.  Without -n, cgwd runs in
 * the foreground (systemd Type=notify): it reconciles the tunnels' XFRM
 * interfaces with the kernel, starts (or adopts) charon with the "cgw"
 * plugin, hands it the tunnels, and serves cgwctl.
 */

#include <errno.h>
#include <getopt.h>
#include <sys/prctl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <systemd/sd-daemon.h>

#include "cgwd/cgwd.h"
#include "cgwd/dns.h"
#include "cgwd/loop.h"
#include "conf/conf.h"
#include "lib/log.h"

#define DEFAULT_CONF CGW_CONFDIR "/cgw.conf"

#define DEFAULT_RUNDIR "/run/cgw"
#define DEFAULT_STATEDIR CGW_STATEDIR
#define DEFAULT_CHARON "/usr/lib/ipsec/charon"

static void
usage(void)
{
	fprintf(stderr, "usage: cgwd [-dnv] [--show-secrets] [-B vtydir|none] [-c charon|none] [-f file] [-P plugin.so] [-r rundir] [-S statedir] [-U unbound.conf]\n"
	    "  -f file    configuration (default " DEFAULT_CONF ")\n"
	    "  -n         check the configuration and exit\n"
	    "  -v         with -n: print the canonical configuration (PSKs hidden)\n"
	    "  --show-secrets  with -nv: the PSKs too\n"
	    "  -d         debug logging (cgwd always runs in the foreground)\n"
	    "  -r dir     sockets and charon's generated configuration (default " DEFAULT_RUNDIR ")\n"
	    "  -S dir     what outlives a reboot: the configuration a reload --confirm\n"
	    "             goes back to (default " DEFAULT_STATEDIR ")\n"
	    "  -c path    the charon to start, or none to use one started elsewhere\n"
	    "             (default " DEFAULT_CHARON ")\n"
	    "  -U file    the unbound.conf unbound-control uses; with a dns block cgw's\n"
	    "             part goes in unbound.conf.d/cgw.conf beside it\n"
	    "             (default /etc/unbound/unbound.conf)\n"
	    "  -B dir     FRR's vty socket directory (a private FRR; default FRR's own),\n"
	    "             or none: cgwd does not drive BGP\n"
	    "  -P path    preload this cgw plugin into charon (tests; installed\n"
	    "             plugins are found by charon itself)\n");
	exit(2);
}

/* Parses, validates and reports; returns the exit status.  With out,
 * hands over the valid configuration instead of freeing it. */
static int
check_config(const char *path, int verbose, bool secrets, struct cgw_conf **out)
{
	struct cgw_conf *conf = cgw_conf_new();
	struct cgw_diag diag;
	int r, status = 0;

	cgw_diag_init(&diag);
	r = cgw_conf_parse_file(conf, path, &diag);
	if (r < 0) {
		fprintf(stderr, "cgwd: %s: %s\n", path, strerror(-r));
		status = 1;
		goto out;
	}
	if (diag.n == 0)
		cgw_conf_validate(conf, &diag);
	if (diag.n) {
		cgw_diag_print(stderr, &diag);
		fprintf(stderr, "cgwd: %s: %zu error%s; nothing was changed\n",
		    path, diag.n, diag.n == 1 ? "" : "s");
		status = 1;
		goto out;
	}
	if (out) {
		*out = conf;
		conf = NULL;
	} else if (verbose)
		cgw_conf_print(stdout, conf, secrets);
	else
		printf("configuration OK\n");
out:
	cgw_diag_clear(&diag);
	cgw_conf_free(conf);
	return status;
}

static void
on_signal(void *arg, int signo)
{
	struct cgwd *d = arg;
	int status;
	pid_t pid;

	switch (signo) {
	case SIGCHLD:
		while ((pid = waitpid(-1, &status, WNOHANG)) > 0) {
			charon_proc_reaped(d, pid, status);
			frr_reaped(d, pid, status);
			dns_reaped(d, pid, status);
		}
		break;
	case SIGHUP: {
		char msg[256];

		if (cgwd_reload_check(d, msg, sizeof(msg)) == 0) {
			d->reload_requested = true;
			d->quit = true;
		}
		break;
	}
	default:
		log_info(LOG_MAIN, "signal %d: exiting (charon and the tunnels stay up)",
		    signo);
		d->quit = true;
		break;
	}
}

static void
on_tick(void *arg)
{
	struct cgwd *d = arg;

	charon_proc_tick(d);
	confirm_tick(d);
	charon_keep_up(d);
	tunnels_retry_refused(d);
	clamp_retry(d);
	cleartext_tick(d);
	dns_tick(d);
	frr_tick(d);
	events_flush(d);
	sd_notify(0, "WATCHDOG=1");
}

static void
on_settle(void *arg)
{
	health_settle(arg);
	control_reap(arg);
	events_flush(arg);	/* after what the events called for */
}

static int
run(struct cgwd *d)
{
	static const int sigs[] = { SIGCHLD, SIGHUP, SIGTERM, SIGINT };
	int r;

	if (check_config(d->conf_path, 0, false, &d->conf) != 0)
		return 1;
	/* An unconfirmed reload whose time ran out while cgwd was not running
	 * (the box rebooted, cgwd was stopped): the previous configuration,
	 * before anything of this one is applied. */
	if (confirm_expired_at_start(d)) {
		cgw_conf_free(d->conf);
		d->conf = NULL;
		if (check_config(d->conf_path, 0, false, &d->conf) != 0)
			return 1;
	}
	signal(SIGPIPE, SIG_IGN);
	if (mkdir(d->run_dir, 0755) < 0 && errno != EEXIST)
		fatalx("cannot create %s: %s", d->run_dir, strerror(errno));
	if (!(d->kernel = kernel_netlink_new(&r)))
		fatalx("netlink: %s", strerror(-r));
	if (!(d->loop = loop_new()))
		fatalx("cannot set up the event loop");
	if (loop_signals(d->loop, sigs, 4, on_signal, d) < 0)
		fatalx("cannot set up signals");
	loop_set_tick(d->loop, on_tick, d);
	loop_set_settle(d->loop, on_settle, d);
	events_start(d);
	tunnels_build(d);
	state_load(d);
	event_start_noted(d);
	confirm_snapshot(d);
	confirm_load(d);
	tunnels_apply_kernel(d);
	if (tunnels_monitor_start(d) < 0)
		fatalx("cannot watch the kernel's interfaces");
	clamp_start(d);
	state_save(d);
	if (health_start(d) < 0)
		fatalx("cannot start the probes");
	health_restore_verdicts(d);
	frr_start(d);
	dns_start(d);
	if (charon_listen(d) < 0 || control_listen(d) < 0)
		fatalx("cannot listen in %s", d->run_dir);
	/* cgw works without it: refused, it is logged and show events says */
	if (metrics_start(d) < 0)
		event_note(d, NULL, "start", "metrics: cannot listen (see the log): /metrics is off");
	if (d->charon_path) {
		if (charon_proc_adopt(d) < 0)
			fatalx("refusing to start a second charon");
		charon_proc_start(d);
	}
	log_info(LOG_MAIN, "cgwd ready: %zu tunnels", d->n_tunnels);
	sd_notify(0, "READY=1");
	r = loop_run(d->loop, &d->quit);
	metrics_stop(d);
	if (d->reload_requested) {
		event_note(d, NULL, "reload", "configuration valid: cgwd re-executes with it");
		events_flush(d);
		sd_notify(0, "RELOADING=1");
		control_close_all(d);	/* reload's answer out first */
		cgwd_reload_exec(d);	/* returns only on failure */
	}
	sd_notify(0, "STOPPING=1");
	event_note(d, NULL, "stop", "cgwd exits (charon and the tunnels stay up)");
	frr_stop(d);
	dns_stop(d);
	control_close_all(d);
	health_stop(d);
	events_stop(d);
	loop_free(d->loop);
	confirm_snapshot_free(d);
	d->monitor = kernel_monitor_free(d->monitor);
	clamp_stop(d);
	kernel_free(d->kernel);
	free(d->tunnels);
	cgw_conf_free(d->conf);
	return r < 0 ? 1 : 0;
}

int
main(int argc, char **argv)
{
	struct cgwd d = { .conf_path = DEFAULT_CONF, .run_dir = DEFAULT_RUNDIR,
	    .state_dir = DEFAULT_STATEDIR,
	    .charon_path = DEFAULT_CHARON, .plugin_fd = -1,
	    .unbound_conf = "/etc/unbound/unbound.conf", .argv = argv };
	static const struct option longopts[] = {
		{ "show-secrets", no_argument, NULL, 'K' },
		{ NULL, 0, NULL, 0 }
	};
	int ch, noaction = 0, verbose = 0;
	bool secrets = false;

	/* the PSKs are in this process's memory from the first read of the
	 * configuration: no core dump, no ptrace by non-root */
	if (prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) < 0)
		fprintf(stderr, "cgwd: prctl(PR_SET_DUMPABLE): %s\n", strerror(errno));

	while ((ch = getopt_long(argc, argv, "B:c:df:nP:r:S:U:v", longopts,
	    NULL)) != -1) {
		switch (ch) {
		case 'K':
			secrets = true;
			break;
		case 'B':
			d.frr_vty_socket = strcmp(optarg, "none") ? optarg : NULL;
			d.frr_off = strcmp(optarg, "none") == 0;
			break;
		case 'c':
			d.charon_path = strcmp(optarg, "none") ? optarg : NULL;
			break;
		case 'd':
			d.debug = true;
			break;
		case 'f':
			d.conf_path = optarg;
			break;
		case 'n':
			noaction = 1;
			break;
		case 'P':
			d.plugin_path = optarg;
			break;
		case 'r':
			d.run_dir = optarg;
			break;
		case 'S':
			d.state_dir = optarg;
			break;
		case 'U':
			d.unbound_conf = optarg;
			break;
		case 'v':
			verbose++;
			break;
		default:
			usage();
		}
	}
	if (optind != argc)
		usage();
	if (noaction)
		return check_config(d.conf_path, verbose, secrets, NULL);
	log_init("cgwd", d.debug, 0);
	return run(&d);
}
