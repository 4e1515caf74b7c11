/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * DOC: the event loop (see loop.h)
 */
#include "cgwd/loop.h"

#include <errno.h>
#include <signal.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/signalfd.h>
#include <sys/timerfd.h>
#include <unistd.h>

#include "lib/xalloc.h"

struct timer;

struct watch {
	int fd;
	loop_fd_cb cb;
	void *arg;
	struct watch *next;
};

struct loop {
	int epfd, tfd, sfd;
	struct watch *watches;
	loop_cb tick;
	void *tick_arg;
	loop_cb settle;
	void *settle_arg;
	loop_signal_cb sig;
	void *sig_arg;
	struct { int fd; struct timer *t; } *timers;
	size_t n_timers;
};

static void
tick_cb(void *arg, int fd, uint32_t events)
{
	struct loop *l = arg;
	uint64_t n;

	(void)events;
	if (read(fd, &n, sizeof(n)) == sizeof(n) && l->tick)
		l->tick(l->tick_arg);
}

static void
signal_cb(void *arg, int fd, uint32_t events)
{
	struct loop *l = arg;
	struct signalfd_siginfo si;

	(void)events;
	while (read(fd, &si, sizeof(si)) == sizeof(si))
		if (l->sig)
			l->sig(l->sig_arg, (int)si.ssi_signo);
}

struct timer {
	loop_cb cb;
	void *arg;
};

static void
timer_cb(void *arg, int fd, uint32_t events)
{
	struct timer *t = arg;
	uint64_t n;

	(void)events;
	if (read(fd, &n, sizeof(n)) == sizeof(n))
		t->cb(t->arg);
}

int
loop_add_timer(struct loop *l, unsigned int interval_ms, loop_cb cb,
    void *arg)
{
	struct itimerspec its;
	struct timer *t;
	int fd, r;

	fd = timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC | TFD_NONBLOCK);
	if (fd < 0)
		return -errno;
	its.it_interval.tv_sec = interval_ms / 1000;
	its.it_interval.tv_nsec = (long)(interval_ms % 1000) * 1000000L;
	its.it_value = its.it_interval;
	/* Timers live as long as the loop: freed with it (l->timers). */
	t = xcalloc(1, sizeof(*t));
	t->cb = cb;
	t->arg = arg;
	if (timerfd_settime(fd, 0, &its, NULL) < 0 ||
	    (r = loop_add_fd(l, fd, EPOLLIN, timer_cb, t)) < 0) {
		r = -errno;
		close(fd);
		free(t);
		return r;
	}
	l->timers = xreallocarray(l->timers, l->n_timers + 1,
	    sizeof(*l->timers));
	l->timers[l->n_timers].fd = fd;
	l->timers[l->n_timers++].t = t;
	return fd;
}

struct loop *
loop_new(void)
{
	struct loop *l = xcalloc(1, sizeof(*l));
	struct itimerspec its = { { 1, 0 }, { 1, 0 } };

	l->sfd = -1;
	l->epfd = epoll_create1(EPOLL_CLOEXEC);
	l->tfd = timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC | TFD_NONBLOCK);
	if (l->epfd < 0 || l->tfd < 0 ||
	    timerfd_settime(l->tfd, 0, &its, NULL) < 0 ||
	    loop_add_fd(l, l->tfd, EPOLLIN, tick_cb, l) < 0) {
		loop_free(l);
		return NULL;
	}
	return l;
}

struct loop *
loop_free(struct loop *l)
{
	if (!l)
		return NULL;
	while (l->watches) {
		struct watch *w = l->watches;

		l->watches = w->next;
		free(w);
	}
	if (l->epfd >= 0)
		close(l->epfd);
	if (l->tfd >= 0)
		close(l->tfd);
	if (l->sfd >= 0)
		close(l->sfd);
	for (size_t i = 0; i < l->n_timers; i++) {
		close(l->timers[i].fd);
		free(l->timers[i].t);
	}
	free(l->timers);
	free(l);
	return NULL;
}

int
loop_add_fd(struct loop *l, int fd, uint32_t events, loop_fd_cb cb, void *arg)
{
	struct watch *w = xcalloc(1, sizeof(*w));
	struct epoll_event ev = { .events = events, .data.ptr = w };

	w->fd = fd;
	w->cb = cb;
	w->arg = arg;
	if (epoll_ctl(l->epfd, EPOLL_CTL_ADD, fd, &ev) < 0) {
		free(w);
		return -errno;
	}
	w->next = l->watches;
	l->watches = w;
	return 0;
}

int
loop_mod_fd(struct loop *l, int fd, uint32_t events)
{
	for (struct watch *w = l->watches; w; w = w->next)
		if (w->fd == fd) {
			struct epoll_event ev = { .events = events,
			    .data.ptr = w };

			return epoll_ctl(l->epfd, EPOLL_CTL_MOD, fd, &ev) < 0 ?
			    -errno : 0;
		}
	return -ENOENT;
}

void
loop_del_fd(struct loop *l, int fd)
{
	for (struct watch **pp = &l->watches; *pp; pp = &(*pp)->next)
		if ((*pp)->fd == fd) {
			struct watch *w = *pp;

			epoll_ctl(l->epfd, EPOLL_CTL_DEL, fd, NULL);
			*pp = w->next;
			/* loop_run() skips events of watches no longer
			 * listed, so freeing here is safe. */
			free(w);
			return;
		}
}

void
loop_set_tick(struct loop *l, loop_cb cb, void *arg)
{
	l->tick = cb;
	l->tick_arg = arg;
}

void
loop_set_settle(struct loop *l, loop_cb cb, void *arg)
{
	l->settle = cb;
	l->settle_arg = arg;
}

int
loop_signals(struct loop *l, const int *signals, int n, loop_signal_cb cb,
    void *arg)
{
	sigset_t set;

	sigemptyset(&set);
	for (int i = 0; i < n; i++)
		sigaddset(&set, signals[i]);
	if (sigprocmask(SIG_BLOCK, &set, NULL) < 0)
		return -errno;
	l->sfd = signalfd(-1, &set, SFD_CLOEXEC | SFD_NONBLOCK);
	if (l->sfd < 0)
		return -errno;
	l->sig = cb;
	l->sig_arg = arg;
	return loop_add_fd(l, l->sfd, EPOLLIN, signal_cb, l);
}

int
loop_run(struct loop *l, const bool *quit)
{
	struct epoll_event evs[16];

	while (!*quit) {
		int n = epoll_wait(l->epfd, evs, 16, -1);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		for (int i = 0; i < n && !*quit; i++) {
			struct watch *w = evs[i].data.ptr;
			bool live = false;

			/* A callback may have removed a later watch. */
			for (struct watch *x = l->watches; x; x = x->next)
				live |= x == w;
			if (live)
				w->cb(w->arg, w->fd, evs[i].events);
		}
		if (l->settle)
			l->settle(l->settle_arg);
	}
	return 0;
}
