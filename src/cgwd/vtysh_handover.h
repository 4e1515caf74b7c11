/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * DOC: the vtysh session survives cgwd's re-execution
 *
 * A reload re-executes cgwd (state.c).  Starting vtysh costs seconds in a
 * slow box, and until the new cgwd has bgpd's answer every BGP session
 * looks down in show tunnels.  So the running vtysh is handed over: its
 * pipes stay open across execve (a child stays a child) and the new image
 * finds them in the environment.  The new cgwd cannot know what of the old
 * one's commands are still in the pipes: it discards vtysh's output until
 * the echo of a marker of its own (frr.c).
 */
#ifndef CGWD_VTYSH_HANDOVER_H
#define CGWD_VTYSH_HANDOVER_H

#include <sys/types.h>

/* Before execve: the session's descriptors stay open, and where they are
 * goes into the environment. */
void vtysh_hand_over(pid_t pid, int in_fd, int out_fd);

/* After execve, once: 0 with the session (close-on-exec again), or -1 when
 * there is none or it is unusable (what there was is closed, the vtysh
 * killed).  The environment variable is removed either way: charon and
 * later vtyshs do not inherit it. */
int vtysh_take_over(pid_t *pid, int *in_fd, int *out_fd);

#endif
