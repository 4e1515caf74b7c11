/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "cgwd/vtysh_handover.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "lib/log.h"

#define ENV_NAME "CGWD_VTYSH_SESSION"

void
vtysh_hand_over(pid_t pid, int in_fd, int out_fd)
{
	char v[64];

	if (pid <= 0 || in_fd < 0 || out_fd < 0)
		return;
	if (fcntl(in_fd, F_SETFD, 0) < 0 || fcntl(out_fd, F_SETFD, 0) < 0)
		return;		/* closed by the exec: a fresh vtysh */
	snprintf(v, sizeof(v), "%ld %d %d", (long)pid, in_fd, out_fd);
	setenv(ENV_NAME, v, 1);
}

static int
is_pipe(int fd)
{
	struct stat st;

	return fd > 2 && fstat(fd, &st) == 0 && S_ISFIFO(st.st_mode);
}

int
vtysh_take_over(pid_t *pid, int *in_fd, int *out_fd)
{
	const char *v = getenv(ENV_NAME);
	long p = 0;
	int in = -1, out = -1, st;
	char tail;

	if (!v)
		return -1;
	if (sscanf(v, "%ld %d %d %c", &p, &in, &out, &tail) != 3 || p <= 0 ||
	    in == out || !is_pipe(in) || !is_pipe(out)) {
		log_warn(LOG_BGP, "%s=\"%s\" is no vtysh session: starting one",
		    ENV_NAME, v);
		unsetenv(ENV_NAME);
		return -1;
	}
	unsetenv(ENV_NAME);
	/* ours and alive, or it is not the session any more */
	if (waitpid((pid_t)p, &st, WNOHANG) != 0) {
		log_info(LOG_BGP, "the previous cgwd's vtysh (pid %ld) is gone: starting one",
		    p);
		close(in);
		close(out);
		return -1;
	}
	fcntl(in, F_SETFD, FD_CLOEXEC);
	fcntl(in, F_SETFL, O_NONBLOCK);	/* frr.c queues what it does not take */
	fcntl(out, F_SETFD, FD_CLOEXEC);
	*pid = (pid_t)p;
	*in_fd = in;
	*out_fd = out;
	return 0;
}
