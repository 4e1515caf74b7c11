#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# vgw-updown.sh N CIDR... [down]: charon updown script of AWS endpoint N in
# static-routing mode. charon runs it in namespace vgw-epN with the PLUTO_*
# variables only (no PATH); the VGW's routes live in namespace vgw.
PATH=/usr/sbin:/usr/bin:/sbin:/bin
n=$1; shift
verb=${PLUTO_VERB:-}
for last; do :; done
[ "$last" = down ] && verb=down-client
for cidr; do
	[ "$cidr" = down ] && continue
	case $verb in
	up-client) ip -n vgw route replace "$cidr" dev "ipsec$n" metric "$n" ;;
	down-client) ip -n vgw route del "$cidr" dev "ipsec$n" metric "$n" 2>/dev/null ;;
	esac
done
exit 0
