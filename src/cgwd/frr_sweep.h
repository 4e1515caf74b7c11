/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * DOC: taking out of bgpd what cgw no longer configures (mark and sweep)
 *
 * frr_conf_write only adds and changes (entries are replaced in place, so
 * nothing is ever missing for a moment).  What a reload removes - an
 * on-prem prefix, a connection, the local ASN - must be removed from bgpd
 * explicitly, and only cgw's own objects, which are recognisable: neighbors
 * whose description begins "cgw ", network statements with the route-map
 * CGW-NET, prefix lists and route maps named CGW-*.  Everything else in
 * bgpd is the operator's and is never touched.
 *
 * Pure code: bgpd's running configuration (the text of `show
 * running-config`) is the actual state; frr_conf_write's text for the
 * configuration is the desired one; both are read by the same parser.
 */
#ifndef CGW_FRR_SWEEP_H
#define CGW_FRR_SWEEP_H

#include <stdio.h>

#include "conf/conf.h"

/* Writes to `before` what must go before cgw's configuration is applied
 * (the BGP instance of an ASN cgw no longer uses), to `after` what goes
 * once it is (neighbors, networks, prefix-list entries, route maps):
 * "configure terminal ... end" batches; `before` gets none when nothing
 * must go first.
 * Returns the number of objects removed. */
unsigned int frr_sweep_write(FILE *before, FILE *after, const char *running,
    const struct cgw_conf *conf);

#endif
