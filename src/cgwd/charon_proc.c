/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * DOC: charon as a supervised child of cgwd
 *
 * cgwd starts Debian's own /usr/lib/ipsec/charon with a strongswan.conf
 * it writes itself (loading only the plugins cgw needs, plus "cgw"), and
 * starts it again when it dies, backing off from 0.5 s to 10 s if it keeps
 * dying.  The tunnels come back by themselves: the new charon's plugin
 * says HELLO and is given its tunnels (charon.c).
 *
 * charon outlives cgwd on purpose: stopping charon would delete every SA,
 * so a restarted (or upgraded) cgwd adopts the charon it finds running
 * with cgwd's strongswan.conf instead, and its plugin reconnects.  A
 * charon that is someone else's (Debian's strongswan service, say) is
 * reported, not touched.
 *
 * Dead peer detection: AWS declares a peer dead after 3 missed 10 s DPDs
 * (~30 s).  charon's default retransmission (4 s, base 1.8, 5 tries) takes
 * ~165 s.  A retransmission every second (the backoff capped at 1 s by
 * retransmit_limit: a base of 1 breaks charon's own total, which the
 * plugin checks), 21 times, gives up after 22 s,
 * which with the 10 s DPD delay declares AWS's side dead in about AWS's
 * own 30 s; and an attempt to reach an endpoint that is back (a path or
 * the outside link restored) is answered within a second, where a growing
 * backoff would wait up to its last interval.
 */
#include "cgwd/cgwd.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <stdbool.h>
#include <unistd.h>

#include "lib/log.h"

/* How long the kernel SAs of a dead charon may stand in for a CHILD_SA:
 * a new IKE_SA + CHILD_SA takes a round trip or two, retransmits about
 * 30 s (charon.retransmit_* as cgwd writes them). */
#define CHARON_INHERIT_S 60

#define CHARON_PLUGINS \
	"random nonce openssl pem pkcs1 x509 pubkey kdf aes sha1 sha2 hmac " \
	"gcm gmp kernel-netlink socket-default cgw"

static int
write_conf(struct cgwd *d, char *path, size_t len)
{
	char sock[256], log[256];
	FILE *f;
	int fd;

	charon_file(d, "conf", path, len);
	charon_file(d, "sock", sock, sizeof(sock));
	charon_file(d, "log", log, sizeof(log));
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd < 0 || !(f = fdopen(fd, "w"))) {
		if (fd >= 0)
			close(fd);
		return -errno;
	}
	fprintf(f,
	    "# Written by cgwd at each start of charon; edits are lost.\n"
	    "charon {\n"
	    "\tload = " CHARON_PLUGINS "\n"
	    "\t# Routes go through the XFRM interfaces (cgwd, FRR).\n"
	    "\tinstall_routes = no\n"
	    "\tinstall_virtual_ip = no\n"
	    "\tretransmit_timeout = 1\n"
	    "\tretransmit_base = 1.4\n"
	    "\tretransmit_limit = 1\n"
	    "\tretransmit_tries = 21\n"
	    "\tplugins {\n"
	    "\t\tcgw {\n"
	    "\t\t\tsocket = %s\n"
	    "\t\t}\n"
	    "\t}\n"
	    "\tfilelog {\n"
	    "\t\tcharon {\n"
	    "\t\t\tpath = %s\n"
	    "\t\t\ttime_format = %%T\n"
	    "\t\t\ttime_add_ms = yes\n"
	    "\t\t\tdefault = 1\n"
	    "\t\t\tknl = %d\n"
	    "\t\t\tike = %d\n"
	    "\t\t}\n"
	    "\t}\n"
	    "\tsyslog {\n"
	    "\t\tdaemon {\n"
	    "\t\t\tdefault = -1\n"
	    "\t\t}\n"
	    "\t}\n"
	    "}\n", sock, log, d->debug ? 2 : 1, d->debug ? 2 : 1);
	return fclose(f) == 0 ? 0 : -errno;
}

int
charon_proc_start(struct cgwd *d)
{
	char conf[256];
	sigset_t none;
	pid_t pid;
	int r;

	if (!d->charon_path || d->charon_pid > 0)
		return 0;
	if ((r = write_conf(d, conf, sizeof(conf))) < 0)
		return log_errno(LOG_IKE, r, "write %s", conf);
	pid = fork();
	if (pid < 0)
		return log_errno(LOG_IKE, -errno, "fork charon");
	if (pid == 0) {
		/* cgwd blocks its signals for the signalfd: unblock them. */
		sigemptyset(&none);
		sigprocmask(SIG_SETMASK, &none, NULL);
		setenv("STRONGSWAN_CONF", conf, 1);
		/* A plugin from a build tree (tests); installed plugins are
		 * found in charon's own plugin directory. */
		if (d->plugin_path)
			setenv("LD_PRELOAD", d->plugin_path, 1);
		execl(d->charon_path, "charon", (char *)NULL);
		fprintf(stderr, "cgwd: exec %s: %s\n", d->charon_path,
		    strerror(errno));
		_exit(127);
	}
	d->charon_pid = pid;
	log_info(LOG_IKE, "started charon (pid %d)", (int)pid);
	return 0;
}

void
charon_proc_reaped(struct cgwd *d, int pid, int status)
{
	double backoff;
	struct timespec now;

	if (pid != d->charon_pid)
		return;
	d->charon_pid = 0;
	if (d->quit)
		return;
	if (d->charon_adopted || WIFSIGNALED(status))
		log_warn(LOG_IKE, "charon (pid %d) died (signal %d)", pid,
		    WIFSIGNALED(status) ? WTERMSIG(status) : 0);
	else
		log_warn(LOG_IKE, "charon (pid %d) exited with status %d", pid,
		    WEXITSTATUS(status));
	/* charon flushes no SAs, neither when it dies nor when it starts:
	 * the kernel goes on using its CHILD_SAs until the next charon's
	 * replace them, so the interfaces stay up (the probes still judge
	 * each tunnel, and failover acts if the SAs stop working). */
	for (size_t i = 0; i < d->n_tunnels; i++) {
		struct tunnel *t = &d->tunnels[i];

		t->ike_up = false;
		if (t->child_up) {
			tunnel_set_state(d, t, true, "IPSEC IS UP: kernel SAs "
			    "kept while charon restarts");
			t->inherited_until = time(NULL) + CHARON_INHERIT_S;
			log_info(LOG_IKE, "%s: kernel SAs kept while charon "
			    "restarts", t->name);
		} else
			tunnel_set_state(d, t, false,
			    "IPSEC IS DOWN: charon restarting");
	}
	backoff = 0.5 * (1 << (d->charon_restarts < 5 ? d->charon_restarts : 5));
	if (backoff > 10)
		backoff = 10;
	d->charon_restarts++;
	clock_gettime(CLOCK_MONOTONIC, &now);
	d->charon_next_start.tv_sec = now.tv_sec + (time_t)backoff;
	d->charon_next_start.tv_nsec = now.tv_nsec +
	    (long)((backoff - (long)backoff) * 1e9);
	if (d->charon_next_start.tv_nsec >= 1000000000L) {
		d->charon_next_start.tv_sec++;
		d->charon_next_start.tv_nsec -= 1000000000L;
	}
}

/* A tunnel whose new CHILD_SA did not come in time is judged by what
 * charon says again. */
static void
inherited_expire(struct cgwd *d)
{
	time_t now = time(NULL);

	for (size_t i = 0; i < d->n_tunnels; i++) {
		struct tunnel *t = &d->tunnels[i];

		if (!t->inherited_until || now < t->inherited_until)
			continue;
		t->inherited_until = 0;
		log_warn(LOG_IKE, "%s: no new CHILD_SA %d s after charon restarted",
		    t->name, CHARON_INHERIT_S);
		tunnel_set_state(d, t, false,
		    "IPSEC IS DOWN: no CHILD_SA since charon restarted");
	}
}

void
charon_proc_tick(struct cgwd *d)
{
	struct timespec now;

	charon_proc_check(d);
	inherited_expire(d);
	if (!d->charon_path || d->charon_pid > 0 || d->quit)
		return;
	clock_gettime(CLOCK_MONOTONIC, &now);
	if (now.tv_sec < d->charon_next_start.tv_sec ||
	    (now.tv_sec == d->charon_next_start.tv_sec &&
	    now.tv_nsec < d->charon_next_start.tv_nsec))
		return;
	charon_proc_start(d);
}

/* The pid of a running charon from its pid file, or 0. */
static pid_t
running_charon(void)
{
	FILE *f = fopen("/run/charon.pid", "r");
	char comm[32] = "";
	int pid = 0;

	if (!f)
		return 0;
	if (fscanf(f, "%d", &pid) != 1)
		pid = 0;
	fclose(f);
	if (pid <= 0 || kill(pid, 0) < 0)
		return 0;
	snprintf(comm, sizeof(comm), "/proc/%d/comm", pid);
	f = fopen(comm, "r");
	if (!f || !fgets(comm, sizeof(comm), f))
		pid = 0;
	if (f)
		fclose(f);
	return pid && strncmp(comm, "charon", 6) == 0 ? pid : 0;
}

/* Whether pid runs with our strongswan.conf. */
static bool
is_ours(struct cgwd *d, pid_t pid)
{
	char path[64], want[300], buf[8192];
	size_t n;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/environ", (int)pid);
	char conf[256];

	charon_file(d, "conf", conf, sizeof(conf));
	snprintf(want, sizeof(want), "STRONGSWAN_CONF=%s", conf);
	if (!(f = fopen(path, "r")))
		return false;
	n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n] = '\0';		/* environ is NUL-separated; end it too */
	for (size_t i = 0; i < n; i += strlen(buf + i) + 1)
		if (strcmp(buf + i, want) == 0)
			return true;
	return false;
}

/* At startup: adopt a charon of ours that outlived a previous cgwd. */
int
charon_proc_adopt(struct cgwd *d)
{
	pid_t pid = running_charon();

	if (!pid)
		return 0;
	if (!is_ours(d, pid)) {
		log_warn(LOG_IKE, "another charon (pid %d) is running: stop it (systemctl disable --now strongswan-starter strongswan) so cgwd can run its own",
		    (int)pid);
		return -EBUSY;
	}
	d->charon_pid = pid;
	d->charon_adopted = true;
	log_info(LOG_IKE, "adopted the running charon (pid %d)", (int)pid);
	return 0;
}

/* An adopted charon is not our child: no SIGCHLD, so poll it. */
void
charon_proc_check(struct cgwd *d)
{
	if (d->charon_adopted && d->charon_pid > 0 &&
	    kill(d->charon_pid, 0) < 0 && errno == ESRCH) {
		int pid = d->charon_pid;

		d->charon_adopted = false;
		charon_proc_reaped(d, pid, SIGKILL);
	}
}
