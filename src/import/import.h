/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * DOC: AWS importers
 *
 * Turn what AWS gives a customer for a VPN connection into the model: the
 * JSON of `aws ec2 describe-vpn-connections` (XML merged with
 * Options.TunnelOptions), the bare CustomerGatewayConfiguration XML, and
 * AWS's downloadable text configurations.  Pure functions of their input:
 * no file system, no logging.  The format is detected from the content.
 */
#ifndef CGW_IMPORT_H
#define CGW_IMPORT_H

#include <stddef.h>
#include <netinet/in.h>

#include "conf/conf.h"
#include "lib/diag.h"

enum cgw_import_format {
	CGW_IMPORT_UNKNOWN = 0,
	CGW_IMPORT_JSON,	/* describe-vpn-connections output */
	CGW_IMPORT_XML,		/* CustomerGatewayConfiguration */
	CGW_IMPORT_GENERIC,	/* "Generic" download */
	CGW_IMPORT_CISCO_ASA,	/* Cisco ASA download (crypto map or VTI) */
	CGW_IMPORT_VYATTA,	/* Vyatta / VyOS download */
	CGW_IMPORT_STRONGSWAN,	/* strongSwan download */
};

const char *cgw_import_format_name(enum cgw_import_format f);

/* What the operator adds to AWS's file. */
struct cgw_import_opts {
	/* The customer gateway's outside address as AWS knows it, or 0.
	 * Supplies it where the file has none (the Cisco ASA download names
	 * an interface instead); where the file has one, both must agree. */
	struct in_addr cgw_outside;
};

/* Detects the format of buf and appends one cgw_conn_conf per VPN
 * connection found to conf (derived settings filled).  opts may be NULL.
 * Every problem goes to diag with name:line.  Returns the number of
 * connections added, or a negative errno when nothing could be imported
 * (diag says why).  *format (may be NULL) receives what was detected. */
int cgw_import_buffer(struct cgw_conf *conf, const char *name,
    const char *buf, size_t len, const struct cgw_import_opts *opts,
    struct cgw_diag *diag, enum cgw_import_format *format);

#endif
