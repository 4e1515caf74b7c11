# SPDX-License-Identifier: GPL-2.0-or-later
# baseline.sh (sourced): gateway driver "baseline" - a customer gateway made by
# hand in namespace cgw the way AWS's strongSwan download and the common guides
# do it: stock charon + swanctl, pre-created xfrm interfaces (if_id per tunnel,
# MTU 1436, MSS clamp 1379), stock FRR (bgpd, neighbor timers 10/30 as the
# download says, AWS's DPD advice: 10 s, restart). Configured from the same
# JSON (describe-vpn-connections) the AWS side uses. No tuning: this is what
# the benchmarks compare cgw against.
#
# Gateway driver interface (see tests/lab/run): gw_start JSON, gw_stop,
# gw_tunnel_up N, gw_bgp_up N, gw_status, gw_kill WHAT, GW_NAME.
# Tunnel N (1, 2) is the one to AWS endpoint N (AWS_EP1, AWS_EP2).

. "$(dirname "${BASH_SOURCE[0]}")/topology.sh"

GW_NAME=baseline
BASE_DIR=$LAB_RUN/baseline

gw_start() {
	local json=$1 n k t0; t0=$(lab_us)
	mkdir -p "$BASE_DIR"
	lab_render "$json" || return 1
	BASE_ROUTING=$ROUTING
	for n in 1 2; do
		if [ $n = 1 ]; then k=$AWS_EP1; else k=$AWS_EP2; fi
		k=${k//./_}
		eval "BASE_T${n}_PEER=\$T_${k}_aws_inside"
		local addr=T_${k}_cgw_inside plen=T_${k}_prefixlen
		ip -n cgw link add "ipsec$n" type xfrm if_id "$n" || return 1
		ip -n cgw addr add "${!addr}/${!plen}" dev "ipsec$n" || return 1
		ip -n cgw link set "ipsec$n" mtu 1436 up || return 1
	done
	nsx cgw nft -f - <<-EOF2 || return 1
	table inet baseline {
		chain forward {
			type filter hook forward priority 0; policy accept;
			oifname "ipsec*" tcp flags syn tcp option maxseg size set 1379
		}
	}
	EOF2
	if [ "$BASE_ROUTING" = bgp ]; then
		lab_frr_start cgw "$BASE_DIR" zebra bgpd || return 1
	else
		ip -n cgw route add "$VPC_NET" dev ipsec1 metric 1 || return 1
		ip -n cgw route add "$VPC_NET" dev ipsec2 metric 2 || return 1
	fi
	lab_charon_start cgw "$BASE_DIR" || return 1
	# start_action = start: loading initiates both tunnels
	lab_swanctl cgw "$BASE_DIR" --load-all --file "$BASE_DIR/swanctl.conf" >"$BASE_DIR/load.out" 2>&1 ||
		{ sed 's/^/# /' "$BASE_DIR/load.out"; return 1; }
	lab_log "baseline started in $(lab_since "$t0")s"
}

gw_stop() {
	lab_frr_stop "$BASE_DIR" bgpd zebra
	local pid; pid=$(cat "$BASE_DIR/charon.realpid" 2>/dev/null)
	lab_pid_alive "$pid" && { kill -TERM "$pid"; lab_wait 5 "baseline charon exits" eval "! kill -0 $pid" || kill -KILL "$pid"; }
	ip -n cgw link del ipsec1 2>/dev/null
	ip -n cgw link del ipsec2 2>/dev/null
	nsx cgw nft delete table inet baseline 2>/dev/null
	return 0
}

# IKE SA established and its CHILD SA installed
gw_tunnel_up() {
	local out
	out=$(lab_swanctl cgw "$BASE_DIR" --list-sas --ike "tunnel$1" --raw 2>/dev/null) || return 1
	[[ $out == *"state=ESTABLISHED"* && $out == *"state=INSTALLED"* ]]
}

gw_bgp_up() {
	local peer=BASE_T$1_PEER out
	out=$(lab_vtysh cgw "$BASE_DIR" -c "show bgp neighbors ${!peer} json" 2>/dev/null) || return 1
	[[ $out == *'"bgpState":"Established"'* ]]
}

gw_status() {
	lab_swanctl cgw "$BASE_DIR" --list-sas 2>&1
	[ "$BASE_ROUTING" = bgp ] && lab_vtysh cgw "$BASE_DIR" -c "show bgp summary" 2>&1
	ip -n cgw route show
}

# gw_kill WHAT: kill -9 one of the gateway's processes (charon, bgpd, zebra)
gw_kill() {
	local pid
	case $1 in
	charon) pid=$(cat "$BASE_DIR/charon.realpid") ;;
	bgpd|zebra) pid=$(cat "$BASE_DIR/$1.pid") ;;
	*) lab_log "gw_kill: unknown process $1"; return 1 ;;
	esac
	kill -KILL "$pid"
}
