# SPDX-License-Identifier: GPL-2.0-or-later
# topology.sh (sourced): the lab's network, each box a network namespace.
#
#                                                      198.51.100.0/24
#   onprem-host           cgw                 inet  .1 ─────────── .10  vgw-ep1   AWS endpoint 1 (charon #1)
#   10.1.0.10 ──────── 10.1.0.1                 │                        ║ ipsec1 (xfrm if_id 1; lives in vgw,
#            10.1.0.0/16   192.0.2.10 ──────── .1  192.0.2.0/24          ║  its SAs in vgw-ep1)
#                          (gateway under       │  203.0.113.0/24        ║
#                           test: baseline      └.1 ─────────── .10  vgw-ep2   AWS endpoint 2 (charon #2)
#                           or cgwd)                                     ║ ipsec2 (xfrm if_id 2)
#                                                                        ║
#                                   vpc-host 10.2.0.10 ──────── 10.2.0.1  vgw   the VGW: FRR (ASN 64512),
#                                                 10.2.0.0/16               inside addresses .1 of both /30s
#
# Why two endpoint namespaces: strongSwan cannot bind IKE to one address, so
# two charons (one per AWS endpoint, as AWS runs them: an endpoint can be
# replaced alone) need two network namespaces. Each tunnel's xfrm interface is
# created there and moved into `vgw` (link-netns): ESP and the SAs stay with
# the endpoint, the decrypted traffic and BGP are in `vgw`, one routing table
# picks one egress tunnel like a VGW does.
#
# Exported: LAB_NS, ONPREM_NET ONPREM_HOST CGW_LAN, VPC_NET VPC_HOST VGW_LAN,
# CGW_OUTSIDE INET_CGW, AWS_EP1 AWS_EP2 (the endpoints' outside addresses),
# interface names CGW_WAN CGW_LANIF. Helpers: nsx NS CMD..., topo_up, topo_down.

. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

LAB_NS="onprem-host cgw inet vgw-ep1 vgw-ep2 vgw vpc-host"
ONPREM_NET=10.1.0.0/16 ONPREM_HOST=10.1.0.10 CGW_LAN=10.1.0.1
VPC_NET=10.2.0.0/16 VPC_HOST=10.2.0.10 VGW_LAN=10.2.0.1
CGW_OUTSIDE=192.0.2.10 INET_CGW=192.0.2.1
AWS_EP1=198.51.100.10 INET_EP1=198.51.100.1
AWS_EP2=203.0.113.10 INET_EP2=203.0.113.1
CGW_WAN=wan0 CGW_LANIF=lan0
export LAB_NS ONPREM_NET ONPREM_HOST CGW_LAN VPC_NET VPC_HOST VGW_LAN CGW_OUTSIDE INET_CGW \
	AWS_EP1 INET_EP1 AWS_EP2 INET_EP2 CGW_WAN CGW_LANIF

nsx() { local ns=$1; shift; ip netns exec "$ns" "$@"; }   # run CMD in namespace NS

topo_sysctl() { # topo_sysctl NS key=value...: one process per namespace
	local ns=$1; shift
	ip netns exec "$ns" sysctl -qw "$@" >/dev/null
}

topo_up() {
	local ns t0; t0=$(lab_us)
	topo_down quiet
	for ns in $LAB_NS; do ip netns add "$ns" || return 1; done
	# veth pairs, created from the root namespace straight into their ends
	ip -batch - <<-EOF2 || return 1
	link add eth0 netns onprem-host type veth peer name lan0 netns cgw
	link add wan0 netns cgw type veth peer name to-cgw netns inet
	link add to-ep1 netns inet type veth peer name wan0 netns vgw-ep1
	link add to-ep2 netns inet type veth peer name wan0 netns vgw-ep2
	link add lan0 netns vgw type veth peer name eth0 netns vpc-host
	EOF2
	ip -n onprem-host -batch - <<-EOF2 || return 1
	link set lo up
	link set eth0 up
	addr add $ONPREM_HOST/16 dev eth0
	route add default via $CGW_LAN
	EOF2
	ip -n cgw -batch - <<-EOF2 || return 1
	link set lo up
	link set lan0 up
	link set wan0 up
	addr add $CGW_LAN/16 dev lan0
	addr add $CGW_OUTSIDE/24 dev wan0
	route add default via $INET_CGW
	EOF2
	ip -n inet -batch - <<-EOF2 || return 1
	link set lo up
	link set to-cgw up
	link set to-ep1 up
	link set to-ep2 up
	addr add $INET_CGW/24 dev to-cgw
	addr add $INET_EP1/24 dev to-ep1
	addr add $INET_EP2/24 dev to-ep2
	EOF2
	ip -n vgw-ep1 -batch - <<-EOF2 || return 1
	link set lo up
	link set wan0 up
	addr add $AWS_EP1/24 dev wan0
	route add default via $INET_EP1
	EOF2
	ip -n vgw-ep2 -batch - <<-EOF2 || return 1
	link set lo up
	link set wan0 up
	addr add $AWS_EP2/24 dev wan0
	route add default via $INET_EP2
	EOF2
	ip -n vgw -batch - <<-EOF2 || return 1
	link set lo up
	link set lan0 up
	addr add $VGW_LAN/16 dev lan0
	EOF2
	ip -n vpc-host -batch - <<-EOF2 || return 1
	link set lo up
	link set eth0 up
	addr add $VPC_HOST/16 dev eth0
	route add default via $VGW_LAN
	EOF2
	# routers forward; the lab's paths are asymmetric on purpose at times, so
	# no reverse-path filtering anywhere (AWS's advice for the tunnels, too)
	for ns in cgw inet vgw; do
		topo_sysctl "$ns" net.ipv4.ip_forward=1 net.ipv4.conf.all.rp_filter=0 net.ipv4.conf.default.rp_filter=0 || return 1
	done
	lab_log "topology up in $(lab_since "$t0")s"
}

# lab_render JSON: all stock configs (AWS endpoints, VGW, baseline) from the
# AWS file into $LAB_RUN/*/ and tunnel facts into $LAB_RUN/info.sh, in one
# python run; sourced into the caller (T_<aws ip>_<field> variables).
lab_render() {
	local json=$1
	if [ ! -s "$LAB_RUN/info.sh" ] || [ "$LAB_RUN/info.sh" -ot "$json" ]; then
		"$LAB_DIR/render.py" all --json "$json" --dir "$LAB_RUN" --ep1 "$AWS_EP1" --ep2 "$AWS_EP2" \
			--vpc "$VPC_NET" --lan "$ONPREM_NET" --static-updown "$LAB_DIR/vgw-updown.sh" || return 1
	fi
	. "$LAB_RUN/info.sh"
}

topo_down() {
	local ns
	lab_kill_tracked
	for ns in $LAB_NS; do
		[ -e "/run/netns/$ns" ] && ip netns del "$ns" 2>/dev/null
	done
	[ "${1:-}" = quiet ] || lab_log "topology down"
	return 0
}
