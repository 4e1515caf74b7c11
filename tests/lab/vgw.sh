# SPDX-License-Identifier: GPL-2.0-or-later
# vgw.sh (sourced): the simulated AWS side, configured from the AWS JSON file
# (describe-vpn-connections) the gateway under test imports too.
#
#   vgw_start JSON       both endpoints + the VGW's BGP (or static routes)
#   vgw_stop             everything of the AWS side
#   vgw_endpoint_stop N  endpoint N dies: charon killed, its SAs gone, no DELETE sent
#   vgw_endpoint_start N [S]  endpoint N comes back (fresh state, waits for the customer
#                        if StartupAction is "add"); with S, its charon answers
#                        for S seconds before its configuration is loaded
#                        (NO_PROPOSAL_CHOSEN to every IKE_SA_INIT meanwhile)
#   vgw_endpoint_restart N   = endpoint replacement
#   vgw_bgp_stop / vgw_bgp_start   the VGW's BGP speaker
#   vgw_swanctl N ARGS   swanctl against endpoint N;  vgw_vtysh ARGS  vtysh in vgw
#   vgw_tunnel_up N, vgw_bgp_up N   state checks from the AWS side
#
# Behaviour mirrors AWS's documentation (docs/lab.md): one charon per endpoint,
# exactly the file's proposals, its lifetimes/margin/fuzz, DPD 10 s with the
# file's timeout and action, startup action add/start, route-based (xfrm
# interfaces, 0.0.0.0/0 selectors); FRR with the file's ASN, hold 30 /
# keepalive 10, max-prefix 100 toward the customer, advertising the VPC prefix.

. "$(dirname "${BASH_SOURCE[0]}")/topology.sh"

VGW_DIR=$LAB_RUN/vgw
vgw_epdir() { echo "$LAB_RUN/vgw-ep$1"; }
vgw_epip() { if [ "$1" = 1 ]; then echo "$AWS_EP1"; else echo "$AWS_EP2"; fi; }

# Tunnel facts for endpoint N from the JSON: VGW_T_AWS_INSIDE etc.
vgw_tunnel_vars() {
	local n=$1 k
	k=$(vgw_epip "$n"); k=${k//./_}
	local v
	for v in cgw_ip aws_inside cgw_inside prefixlen cidr aws_asn cgw_asn; do
		eval "VGW_T${n}_${v^^}=\${T_${k}_${v}}"
	done
}

vgw_start() {
	VGW_JSON=$1
	local n t0; t0=$(lab_us)
	[ -s "$VGW_JSON" ] || { lab_log "vgw: no JSON file $VGW_JSON"; return 1; }
	lab_render "$VGW_JSON" || return 1
	VGW_ROUTING=$ROUTING VGW_STATIC_ROUTES=$STATIC_ROUTES
	mkdir -p "$VGW_DIR"
	for n in 1 2; do
		vgw_tunnel_vars "$n"
		local in_addr=VGW_T${n}_AWS_INSIDE plen=VGW_T${n}_PREFIXLEN
		# the tunnel interface: created where the SAs live, moved to the VGW
		ip -n "vgw-ep$n" link add "ipsec$n" type xfrm if_id "$n" || return 1
		ip -n "vgw-ep$n" link set "ipsec$n" netns vgw || return 1
		ip -n vgw addr add "${!in_addr}/${!plen}" dev "ipsec$n" || return 1
		# IPv4 only, like AWS's inside /30: no IPv6 of the kernel's own
		# into the tunnel, counted as transmit errors (lab_drops)
		topo_sysctl vgw "net.ipv6.conf.ipsec$n.disable_ipv6=1" || return 1
		ip -n vgw link set "ipsec$n" up || return 1
		vgw_endpoint_start "$n" || return 1
	done
	if [ "$VGW_ROUTING" = bgp ]; then
		vgw_bgp_start || return 1
	fi
	lab_log "vgw up in $(lab_since "$t0")s ($VGW_ROUTING routing)"
}

vgw_endpoint_start() {
	local n=$1 d; d=$(vgw_epdir "$n")
	# configs from lab_render; in static mode their updown (vgw-updown.sh) keeps
	# the VGW's routes to the customer on the tunnels that are up
	lab_charon_start "vgw-ep$n" "$d" || return 1
	[ -z "${2:-}" ] || lab_sleep "$2"
	vgw_swanctl "$n" --load-all --file "$d/swanctl.conf" >"$d/load.out" 2>&1 ||
		{ sed 's/^/# /' "$d/load.out"; return 1; }
}

vgw_endpoint_stop() {
	local n=$1 d pid; d=$(vgw_epdir "$n")
	pid=$(cat "$d/charon.realpid" 2>/dev/null)
	if lab_pid_alive "$pid"; then
		kill -KILL "$pid"
		lab_wait 5 "charon of endpoint $n exits" eval "! kill -0 $pid"
	fi
	# a replaced endpoint has none of the old state
	ip -n "vgw-ep$n" xfrm state flush
	ip -n "vgw-ep$n" xfrm policy flush
	[ "$VGW_ROUTING" = static ] && "$LAB_DIR/vgw-updown.sh" "$n" $VGW_STATIC_ROUTES down >/dev/null 2>&1
	return 0
}

vgw_endpoint_restart() { vgw_endpoint_stop "$1" && vgw_endpoint_start "$1"; }

vgw_bgp_start() {
	lab_frr_start vgw "$VGW_DIR" zebra bgpd
}
vgw_bgp_stop() { lab_frr_stop "$VGW_DIR" bgpd; }

vgw_stop() {
	local n
	lab_frr_stop "$VGW_DIR" bgpd zebra
	for n in 1 2; do
		vgw_endpoint_stop "$n"
		ip -n vgw link del "ipsec$n" 2>/dev/null
	done
	return 0
}

# the VGW's BGP session over tunnel N is Established
vgw_bgp_up() {
	local peer=VGW_T$1_CGW_INSIDE out
	out=$(vgw_vtysh -c "show bgp neighbors ${!peer} json" 2>/dev/null) || return 1
	[[ $out == *'"bgpState":"Established"'* ]]
}
# how often the VGW's BGP session over tunnel N was dropped (bgpd's count)
vgw_bgp_drops() {
	local peer=VGW_T$1_CGW_INSIDE out
	out=$(vgw_vtysh -c "show bgp neighbors ${!peer} json" 2>/dev/null) || return 1
	out=${out#*\"connectionsDropped\":}
	[[ $out =~ ^[0-9]+ ]] && echo "${BASH_REMATCH[0]}"
}
# endpoint N has an established IKE SA with an installed CHILD SA
vgw_tunnel_up() {
	local out
	out=$(vgw_swanctl "$1" --list-sas --raw 2>/dev/null) || return 1
	[[ $out == *"state=ESTABLISHED"* && $out == *"state=INSTALLED"* ]]
}

vgw_swanctl() { local n=$1; shift; lab_swanctl "vgw-ep$n" "$(vgw_epdir "$n")" "$@"; }
vgw_vtysh() { lab_vtysh vgw "$VGW_DIR" "$@"; }
