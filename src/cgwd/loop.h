/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * DOC: the event loop
 *
 * epoll over file descriptors, a 1-second tick, and signals through a
 * signalfd.  Handlers are plain callbacks; nothing blocks for long.
 * After each wake-up a settle callback runs once (one way: events in,
 * then the actions they call for).
 */
#ifndef CGWD_LOOP_H
#define CGWD_LOOP_H

#include <stdbool.h>
#include <stdint.h>

struct loop;
typedef void (*loop_fd_cb)(void *arg, int fd, uint32_t events);
typedef void (*loop_cb)(void *arg);
typedef void (*loop_signal_cb)(void *arg, int signo);

struct loop *loop_new(void);
struct loop *loop_free(struct loop *l);
int loop_add_fd(struct loop *l, int fd, uint32_t events, loop_fd_cb cb, void *arg);
/* Changes the events a watched fd is waited for with. */
int loop_mod_fd(struct loop *l, int fd, uint32_t events);
void loop_del_fd(struct loop *l, int fd);
void loop_set_tick(struct loop *l, loop_cb cb, void *arg);
/* Called once after each wake-up's events have all been handled: the
 * handlers record what happened, this acts on all of it at once. */
void loop_set_settle(struct loop *l, loop_cb cb, void *arg);
/* A periodic timer of its own (e.g. the probes); returns its fd. */
int loop_add_timer(struct loop *l, unsigned int interval_ms, loop_cb cb,
    void *arg);
int loop_signals(struct loop *l, const int *signals, int n, loop_signal_cb cb,
    void *arg);
/* Runs until *quit is set. */
int loop_run(struct loop *l, const bool *quit);

#endif
