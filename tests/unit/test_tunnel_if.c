/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Unit tests: reconciling a tunnel's XFRM interface (src/cgwd/tunnel_if.c)
 * against the in-memory kernel.  The property that matters most: a second
 * reconcile of an unchanged tunnel changes nothing (a restarted cgwd must
 * not disturb working tunnels).
 */
#include <arpa/inet.h>
#include <string.h>

#include "cgwd/tunnel_if.h"
#include "kernel/kernel_fake.h"
#include "unit.h"

int
main(void)
{
	struct kernel *k = kernel_fake_new();
	struct kernel_fake *f = kernel_fake_state(k);
	struct tunnel_if_want w = {
		.ifname = "cgw-abcdef-1", .parent = "eth0", .mtu = 1436,
		.up = 0,
	};
	struct kernel_link l;
	int changes = 0, idx, eth0;

	inet_pton(AF_INET, "169.254.10.2", &w.inside.addr);
	w.inside.plen = 30;
	w.if_id = tunnel_if_id(w.ifname);
	CHECK(w.if_id != 0 && w.if_id == tunnel_if_id("cgw-abcdef-1"));
	CHECK(tunnel_if_id("cgw-abcdef-1") != tunnel_if_id("cgw-abcdef-2"));

	/* No parent yet: an error, nothing created. */
	CHECK(tunnel_if_reconcile(k, &w, &changes) < 0 && f->n_links == 0);

	eth0 = kernel_fake_add_link(k, "eth0", false, 0, 0, 1500);
	idx = tunnel_if_reconcile(k, &w, &changes);
	CHECK(idx > 0);
	CHECK(k->ops->link_get(k, "cgw-abcdef-1", &l) == 0);
	CHECK(l.is_xfrm && l.if_id == w.if_id && l.parent_ifindex == eth0);
	CHECK(l.mtu == 1436 && !l.up);
	CHECK(f->links[1].n_addrs == 1 && f->links[1].addrs[0].plen == 30);
	CHECK(strcmp(kernel_fake_sysctl(k, "net/ipv4/conf/cgw-abcdef-1/rp_filter"), "2") == 0);
	CHECK(strcmp(kernel_fake_sysctl(k, "net/ipv4/ip_forward"), "1") == 0);
	CHECK(strcmp(kernel_fake_sysctl(k, "net/ipv6/conf/cgw-abcdef-1/disable_ipv6"), "1") == 0);

	/* Unchanged: adopted, zero changes, same ifindex. */
	changes = 0;
	f->changes = 0;
	CHECK(tunnel_if_reconcile(k, &w, &changes) == idx);
	CHECK(changes == 0 && f->changes == 0);

	/* Keep the admin state as found (-1): a restart does not flip it. */
	tunnel_if_set_up(k, idx, true);
	w.up = -1;
	changes = 0;
	CHECK(tunnel_if_reconcile(k, &w, &changes) == idx && changes == 0);
	CHECK(k->ops->link_get(k, "cgw-abcdef-1", &l) == 0 && l.up);

	/* A changed MTU is changed in place; the link survives. */
	w.mtu = 1400;
	changes = 0;
	CHECK(tunnel_if_reconcile(k, &w, &changes) == idx && changes == 1);
	CHECK(k->ops->link_get(k, "cgw-abcdef-1", &l) == 0 && l.mtu == 1400 && l.up);

	/* A changed inside address replaces the old one. */
	inet_pton(AF_INET, "169.254.20.2", &w.inside.addr);
	changes = 0;
	CHECK(tunnel_if_reconcile(k, &w, &changes) == idx && changes == 2);
	CHECK(f->links[1].n_addrs == 1);

	/* A wrong if_id means the link is not this tunnel's: recreated. */
	w.if_id++;
	changes = 0;
	CHECK(tunnel_if_reconcile(k, &w, &changes) > 0 && changes >= 2);
	CHECK(k->ops->link_get(k, "cgw-abcdef-1", &l) == 0 && l.if_id == w.if_id);

	/* A non-XFRM link is never removed as a tunnel. */
	CHECK(tunnel_if_remove(k, "eth0") < 0);
	CHECK(tunnel_if_remove(k, "cgw-abcdef-1") == 0);
	CHECK(tunnel_if_remove(k, "cgw-abcdef-1") == 0);	/* idempotent */
	CHECK(f->n_links == 1);

	kernel_free(k);
	return unit_summary();
}
