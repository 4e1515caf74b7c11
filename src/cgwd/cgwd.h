/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * DOC: the daemon's state
 *
 * One struct cgwd: the configuration in force, the kernel handle, one
 * struct tunnel per configured tunnel (runtime state: interface, IKE and
 * CHILD state as charon reports it, the last cause of failure), the
 * plugin connection and the control clients.  Everything runs in one
 * thread around one epoll loop (loop.c); libmicrohttpd's thread only
 * serves the pages of /metrics that the loop renders (metrics.c).
 */
#ifndef CGWD_H
#define CGWD_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>
#include <time.h>

#include "cgwd/event_log.h"
#include "cgwd/failover.h"
#include "cgwd/frr_adj.h"
#include "cgwd/probe.h"
#include "cgwd/tally.h"
#include "conf/conf.h"
#include "kernel/kernel.h"
#include "kernel/monitor.h"
#include "kernel/nft_watch.h"
#include "lib/cgw_msg.h"
#include "lib/msg.h"

struct loop;

struct cgwd;

struct tunnel {
	struct cgwd *d;
	size_t conn_idx;		/* index into cgwd.fo */
	struct cgw_conn_conf *conn;	/* borrowed from cgwd.conf */
	struct cgw_tunnel_conf *conf;
	char name[CGW_NAME_MAX];	/* "<connection id>-<index>" */
	uint32_t if_id;
	int ifindex;			/* 0 until the interface exists */
	bool child_up;			/* CHILD_SA installed */
	bool child_event_unlisted;	/* a CHILD_SA event since LIST_SAS went */
	/* charon's unique ids of the IKE_SA and CHILD_SA carrying it (0 =
	 * unknown): events about other SAs of the tunnel (a rekey's or a
	 * make-before-break's old ones) do not take it down */
	uint32_t ike_id, child_id;
	/* charon died, its CHILD_SA is still in the kernel and carries
	 * traffic: until this time (or the next charon's CHILD_SA), a "no
	 * CHILD_SA" from charon is not news. */
	time_t inherited_until;
	time_t last_initiate;
	uint64_t hash;			/* of its configuration (state.c) */
	bool reset_on_load;		/* changed since the last cgwd */
	bool added_on_load;		/* ...or new in this configuration */
	bool ike_up;
	bool up;			/* what show tunnels says */
	time_t last_change;
	char details[CGW_TEXT_MAX];	/* last cause, for show and diagnose */
	struct cgw_msg_sa sa;		/* last LIST_SAS answer */
	bool have_sa;
	/* frr.c: the BGP session over this tunnel */
	bool bgp_tracked;		/* FRR is driven by cgwd */
	bool bgp_seen, bgp_up;
	uint32_t bgp_read_ms;		/* since bgpd last read from AWS */
	char bgp_state[16];
	uint64_t bgp_uptime_ms;
	uint32_t routes_received, routes_sent;
	struct frr_adj_out adj_out;	/* what bgpd advertises, as last read */
	bool adj_out_read;		/* ...for the show routes being answered */
	/* health.c: probes and the failover verdict */
	struct probe probe;
	unsigned reinit_tries;		/* this loss run: make-before-break asked */
	uint32_t reinit_at_ms;		/* the next attempt, in ms of the run */
	bool rx_valid;			/* during a loss run: the counters */
	uint64_t rx_packets;		/* ...that came in, at the last tick */
	uint32_t rx_echo_in;		/* ...of which the probes' answers */
	bool usable;			/* may carry traffic */
	bool shut;			/* failed: BGP neighbor shut */
	bool held;			/* in its hold-down: BGP runs, routes
					 * less preferred (frr_conf.h) */
	bool held_written;		/* ...as last written to bgpd */
	bool judged;			/* failover has failed it once: its
					 * neighbor is cgw's to shut or not */
	bool pull_return;		/* announce the more-specifics */
	bool link_up;			/* admin state we last set */
	bool link_hold_down;		/* down until bgpd has the shutdown */
	bool link_due;			/* health_settle() syncs the link */
	bool kernel_dirty;		/* changed by someone: reconcile */
	bool routes_dirty;		/* a static route of its connection
					 * deleted by someone: put back */
	unsigned int hold_gen;		/* ...i.e. FRR apply generation */
	unsigned int reset_gen;		/* reset: after this FRR apply... */
	uint64_t reset_at_ms;		/* ...and at this time */
	/* diagnose.c's facts that only events carry (see diagnose.h) */
	struct {
		uint32_t alert;		/* last CGW_ALERT_* that matters */
		bool alert_rekeying;
		char alert_detail[CGW_TEXT_MAX];
		unsigned int retransmits;	/* IKE_SA_INIT unanswered */
		uint32_t peer_rekey_child_age, peer_rekey_ike_age;
		time_t own_rekey_at;	/* cgwctl rekey/reset asked then */
		time_t ipsec_up_at, bgp_down_at;
		char bgp_reset[48], bgp_code[8], bgp_reason[96];
		time_t bgp_cleared_at;	/* frr.c: last unsticking clear */
		/* the kernel refused a change of cgw's ("" = none since) */
		char kernel_op[96];
		int kernel_obj;		/* enum kernel_obj of kernel_op */
		int kernel_err;		/* -errno */
		bool outside_if_missing;
	} diag;
	/* metrics.c and events.c: what no outside part counts for us */
	struct tunnel_tally tally;
	char ike_state[16], child_state[16];	/* charon's names of the
						 * current SAs' states */
	/* health.c: a failover off this tunnel, until traffic has moved */
	uint64_t fail_t0_ms;		/* the first unanswered probe */
	uint64_t fail_verdict_ms;	/* taken out of use */
	unsigned int fail_gen;		/* moved once bgpd has this apply */
	bool fail_pending;
	enum tally_failover fail_cause;
};

struct metrics_http;
struct dns_state;

struct ctl_client;

struct cgwd {
	char **argv;			/* for reload (re-exec) */
	const char *conf_path;
	const char *run_dir;		/* sockets, generated strongswan.conf */
	const char *state_dir;		/* kept across reboots (confirm.c) */
	const char *plugin_path;	/* LD_PRELOADed into charon (tests) */
	const char *charon_path;	/* NULL = do not start charon */
	bool debug;
	struct cgw_conf *conf;
	struct kernel *kernel;
	struct kernel_monitor *monitor;	/* changes to cgw's interfaces */
	/* clamp.c: the MSS clamp's nftables table */
	struct {
		struct nft_watch *watch;	/* changes by others */
		/* across reads: a transaction's messages can arrive over
		 * several wake-ups, its table first and NEWGEN last */
		struct nft_watch_state seen;
		bool again;		/* changed while we wrote: write again */
		char refused[160];	/* nftables' last refusal, "" = in place */
		time_t next_try;
		/* cleartext.c: the VPC prefixes learned through the tunnels
		 * (kept in the state directory), never sent out in clear */
		struct cgw_prefix *learned;
		size_t n_learned;
		/* the routes out of the outside interface that are not the
		 * default route (its own subnets, the operator's): what they
		 * carry is routed there on purpose, not in a fallback */
		struct cgw_prefix *wan_routes;
		size_t n_wan_routes;
		bool learn_full;	/* LEARNED_MAX reached, said once */
		uint64_t learn_at_ms;
		bool learn_failed;	/* the last read's error, said once */
	} clamp;
	struct loop *loop;
	struct tunnel *tunnels;
	size_t n_tunnels;

	/* charon.c: the plugin connection */
	int plugin_listen_fd;
	int plugin_fd;
	struct msgbuf plugin_in;
	uint32_t plugin_seq;
	bool listing;			/* a LIST_SAS is outstanding */

	/* charon_proc.c: charon as a supervised child */
	int charon_pid;
	bool charon_adopted;		/* not our child: polled */
	int charon_restarts;
	struct timespec charon_next_start;

	/* frr.c */
	bool frr_enabled;		/* some connection uses BGP */
	bool frr_off;			/* -B none */
	const char *frr_vty_socket;	/* a private FRR instance (lab) */
	bool frr_configured;		/* the session has had everything */
	unsigned int frr_ticks;
	unsigned int frr_gen;		/* applies started */
	unsigned int frr_done_gen;	/* ...and the last one vtysh finished */
	/* bgpd's last answer to a command of cgw's that was not success:
	 * cgw's configuration (or the operator's FRR) is at fault, not AWS.
	 * Cleared by a full apply bgpd takes without a word. */
	struct {
		char cmd[96];
		char answer[128];
		time_t at;
	} frr_refused;

	/* state.c: a cgwd ran before in this runtime directory (a reload, a
	 * restart), and the tunnels it had that this one has not */
	bool restarted;
	char **stale;
	size_t n_stale;

	/* health.c: one failover state per connection */
	struct fo_conn *fo;
	uint8_t *settle;		/* per connection: what is due */
	char *verdicts_saved;		/* failover.state as last written */

	/* control.c */
	int ctl_fd, rctl_fd;
	struct ctl_client *clients;
	bool quit;
	bool reload_requested;
	time_t confirm_deadline;	/* confirm.c: 0 = nothing pending */
	/* events.c: the history (event_log.h) and its file */
	struct event_log events;
	size_t events_in_file;		/* lines, for the rewrite */
	int events_write_err;		/* the last write's -errno, 0 = kept */
	bool events_journal;		/* stderr is the journal: structured */
	size_t events_unflushed;	/* the newest records, not yet out */
	/* dns.c: unbound and the inbound endpoint's health */
	struct dns_state *dns;
	const char *unbound_conf;	/* unbound-control -c; cgw's file
					 * goes in unbound.conf.d/ beside it */
	/* metrics.c */
	struct metrics_http *metrics;
	time_t started_at;
	char swan_version[32];		/* charon's HELLO */
	char frr_version[32];		/* bgpd's "show version" */
	/* confirm.c: the configuration's files as this cgwd read them (the
	 * files on disk may be the next version already) */
	struct conf_copy {
		char *path;
		unsigned int mode;
		char *data;
		size_t len;
	} *conf_copy;
	size_t n_conf_copy;
};

/* tunnels.c */
int tunnels_build(struct cgwd *d);
void tunnels_apply_kernel(struct cgwd *d);
/* Watches cgw's interfaces and repairs what someone else changes. */
int tunnels_monitor_start(struct cgwd *d);
struct tunnel *tunnel_by_name(struct cgwd *d, const char *name);
/* "1", "2", "vpn-...-1", or an interface name. */
struct tunnel *tunnel_lookup(struct cgwd *d, const char *what);
void tunnel_set_state(struct cgwd *d, struct tunnel *t, bool child_up,
    const char *why);
void tunnel_fill_status(const struct tunnel *t, struct cgw_msg_tunnel_status *st);
/* Recomputes UP/DOWN and details from IPsec and BGP state (AWS's rule:
 * a BGP tunnel is UP when IPsec is up and BGP established). */
void tunnel_refresh_details(struct tunnel *t);
/* Seconds the CHILD_SA has been up (or since BGP dropped, if later) with
 * BGP not Established; 0 when that is not the case. */
uint32_t tunnel_bgp_wait_s(const struct tunnel *t, time_t now);
/* The AS cgw speaks for on t's connection (the box's unless overridden). */
uint32_t tunnel_local_asn(const struct cgwd *d, const struct tunnel *t);

/* clamp.c: writes the MSS clamp and keeps it written */
void clamp_start(struct cgwd *d);
void clamp_apply(struct cgwd *d);
/* cleartext.c */
void cleartext_load(struct cgwd *d);
void cleartext_tick(struct cgwd *d);
void clamp_retry(struct cgwd *d);
void clamp_stop(struct cgwd *d);

/* diagnose_facts.c: what cgwd knows, as diagnose.c's facts */
struct diag_facts;
void tunnel_diag_facts(struct cgwd *d, const struct tunnel *t,
    struct diag_facts *f);
int diagnose_send(struct cgwd *d, const struct tunnel *t, struct msgout *q,
    uint32_t seq);
/* routes.c: cgwctl show routes and show bgp, queued on a client's q */
int routes_send(struct cgwd *d, struct msgout *q, uint32_t seq);
int bgp_neighbors_send(struct cgwd *d, struct msgout *q, uint32_t seq);

/* state.c */
void state_load(struct cgwd *d);
void state_save(struct cgwd *d);
int cgwd_reload_check(struct cgwd *d, char *msg, size_t len);
void cgwd_reload_exec(struct cgwd *d);

/* health.c */
int health_start(struct cgwd *d);
void health_stop(struct cgwd *d);
/* Events record what changed (the CHILD_SA, probes, bgpd having a
 * policy); health_settle() acts on it, once per wake-up of the loop. */
void health_settle(struct cgwd *d);
void health_child(struct cgwd *d, struct tunnel *t);
/* A new charon took tunnel t over while the kernel still has the old
 * one's SAs (true), or its own CHILD_SA is in (false). */
void health_replacing(struct cgwd *d, struct tunnel *t, bool replacing);
void health_reset(struct cgwd *d, struct tunnel *t);
/* bgpd has done cgw's applies up to gen (confirmed), or never will
 * (the session closed, no vtysh): what waits for them goes on. */
void health_frr_applied(struct cgwd *d, unsigned int gen, bool confirmed);
/* The tunnel's interface was created anew: probe through the new one. */
void health_probe_reset(struct cgwd *d, struct tunnel *t);
void health_static_routes(struct cgwd *d, size_t conn_idx);
void health_restore_verdicts(struct cgwd *d);
/* The kernel answered a change to one of t's objects: r < 0 is kept (op
 * says what was refused) for show and diagnose; r >= 0 clears a refusal
 * of the same kind of object (op unused). */
enum kernel_obj { KERNEL_OBJ_LINK, KERNEL_OBJ_ROUTE };
void tunnel_kernel_answer(struct cgwd *d, struct tunnel *t, int r,
    enum kernel_obj obj, const char *op);
void tunnels_retry_refused(struct cgwd *d);
void tunnel_sync_link(struct cgwd *d, struct tunnel *t);

/* events.c: the event history (event_log.h) */
void events_start(struct cgwd *d);
void events_stop(struct cgwd *d);
/* Writes out what event_note() recorded (the settle, the tick, exit). */
void events_flush(struct cgwd *d);
/* cgwd started; after a reload or restart, with what changed. */
void event_start_noted(struct cgwd *d);
/* One event of tunnel t (NULL: the box); event is a key of event_log.c. */
void event_note(struct cgwd *d, const struct tunnel *t, const char *event,
    const char *fmt, ...) __attribute__((format(printf, 4, 5)));
int events_send(struct cgwd *d, struct msgout *q, uint32_t seq,
    const struct cgw_msg_events_req *req);

/* metrics.c: /metrics over HTTP (libmicrohttpd's thread serves the
 * pages the loop renders) */
int metrics_start(struct cgwd *d);
void metrics_stop(struct cgwd *d);
/* The exposition text; the caller frees it.  NULL on failure. */
char *metrics_render(struct cgwd *d, size_t *len);
int metrics_send(struct cgwd *d, struct msgout *q, uint32_t seq);

/* confirm.c: reload --confirm */
void confirm_snapshot(struct cgwd *d);
void confirm_snapshot_free(struct cgwd *d);
int confirm_arm(struct cgwd *d, unsigned int secs);
void confirm_load(struct cgwd *d);
/* At start: a pending confirm's deadline passed while cgwd was not
 * running; true when the previous files are back (parse them again). */
bool confirm_expired_at_start(struct cgwd *d);
int confirm_accept(struct cgwd *d);
bool confirm_pending(const struct cgwd *d);
void confirm_tick(struct cgwd *d);

/* frr.c */
void frr_start(struct cgwd *d);		/* at start: everything */
void frr_apply(struct cgwd *d);		/* everything */
/* A reload's execve keeps the vtysh session (vtysh_handover.h). */
void frr_before_exec(struct cgwd *d);
/* At exit: vtysh goes (killed if cgw's commands are still queued for it). */
void frr_stop(struct cgwd *d);
void frr_apply_policy(struct cgwd *d);	/* failover changes only */
void frr_poll(struct cgwd *d);
void frr_tick(struct cgwd *d);
void frr_reaped(struct cgwd *d, pid_t pid, int status);
/* Reads every neighbor's adj-rib-out; control_routes_ready() when done.
 * <0: bgpd cannot be asked (show routes answers from the model). */
int frr_read_advertised(struct cgwd *d);

/* charon.c */
int unix_listen(const char *path, unsigned int mode);
int charon_listen(struct cgwd *d);
/* Where charon's files are: "conf", "sock" (the plugin's), "log". */
void charon_file(const struct cgwd *d, const char *what, char *buf,
    size_t len);
int charon_send(struct cgwd *d, uint32_t type, const void *payload, size_t len);
int charon_tunnel_cmd(struct cgwd *d, uint32_t type, const struct tunnel *t);
void charon_request_sas(struct cgwd *d);
void charon_keep_up(struct cgwd *d);

/* charon_proc.c */
int charon_proc_start(struct cgwd *d);
void charon_proc_reaped(struct cgwd *d, int pid, int status);
void charon_proc_tick(struct cgwd *d);
int charon_proc_adopt(struct cgwd *d);
void charon_proc_check(struct cgwd *d);

/* control.c */
int control_listen(struct cgwd *d);
/* Called when a LIST_SAS round trip ends (or cannot happen). */
void control_sas_ready(struct cgwd *d);
void control_routes_ready(struct cgwd *d);
void control_close_all(struct cgwd *d);
/* Frees the clients that are gone: at the settle, where no handler holds
 * one. */
void control_reap(struct cgwd *d);

#endif
