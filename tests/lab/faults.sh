# SPDX-License-Identifier: GPL-2.0-or-later
# faults.sh (sourced): fault injection. Paths are cut in `inet` (between the
# customer gateway and the AWS endpoints), AWS-side faults act on vgw.sh's
# instances, gateway faults go through the gateway driver (gw_kill).
#
#   fault_cut N / fault_restore N...   drop endpoint N's IKE (UDP 500, 4500) and
#                                   ESP in inet, both directions (IKE floats to 4500
#                                   even without NAT while ESP stays raw); a restore
#                                   is one nft transaction: every path it names
#                                   passes again at the same instant
#   fault_restore_all
#   fault_netem N "loss 2% delay 20ms 5ms"   impairment on inet's link to endpoint N
#                                   (both directions); fault_netem_clear N
#   fault_endpoint_restart N        AWS endpoint replaced (vgw_endpoint_restart)
#   fault_vgw_bgp_stop / fault_vgw_bgp_start
#   fault_gw_kill charon|bgpd|zebra|... kill -9 a process of the gateway under test
#   fault_icmp_inside_drop / _restore   the VGW drops ICMP echo to its inside
#                                   addresses (cgw's probes); IKE, ESP, BGP pass
#   fault_outside_link down|up      the gateway's outside link loses its carrier
#                                   (the far end in inet goes down), as when the
#                                   cable or the ISP's line fails

fault_ensure_table() {
	nsx inet nft list table inet lab_faults >/dev/null 2>&1 && return 0
	# `fwd` is a reserved word in nft: the chain is called "forward"
	nsx inet nft -f - <<-EOF2
	table inet lab_faults {
		chain forward {
			type filter hook forward priority -10; policy accept;
		}
	}
	EOF2
}

fault_cut() {
	local ip; ip=$(vgw_epip "$1")
	fault_ensure_table || return 1
	nsx inet nft -f - <<-EOF2
	add rule inet lab_faults forward ip daddr $ip udp dport { 500, 4500 } drop comment "cut$1"
	add rule inet lab_faults forward ip saddr $ip udp sport { 500, 4500 } drop comment "cut$1"
	add rule inet lab_faults forward ip daddr $ip ip protocol esp drop comment "cut$1"
	add rule inet lab_faults forward ip saddr $ip ip protocol esp drop comment "cut$1"
	EOF2
}

fault_restore() {
	local n rules batch=
	rules=$(nsx inet nft -a list chain inet lab_faults forward 2>/dev/null)
	for n in "$@"; do
		batch+=$(sed -n "s/.*comment \"cut$n\" # handle \([0-9]*\)/delete rule inet lab_faults forward handle \1/p" <<<"$rules")
		batch+=$'\n'
	done
	[ -n "${batch//$'\n'/}" ] || return 0
	nsx inet nft -f - <<<"$batch"
}

fault_restore_all() { nsx inet nft delete table inet lab_faults 2>/dev/null; fault_netem_clear 1; fault_netem_clear 2; return 0; }

# netem on both ends of inet<->vgw-epN (sch_netem is a module in the VM kernel)
fault_netem() {
	local n=$1 spec=$2
	# shellcheck disable=SC2086
	nsx inet tc qdisc replace dev "to-ep$n" root netem $spec &&
	nsx "vgw-ep$n" tc qdisc replace dev wan0 root netem $spec
}
fault_netem_clear() {
	nsx inet tc qdisc del dev "to-ep$1" root 2>/dev/null
	nsx "vgw-ep$1" tc qdisc del dev wan0 root 2>/dev/null
	return 0
}

fault_endpoint_restart() { vgw_endpoint_restart "$1"; }
fault_vgw_bgp_stop() { vgw_bgp_stop; }
fault_vgw_bgp_start() { lab_frr_start vgw "$VGW_DIR" bgpd; }
fault_gw_kill() { gw_kill "$1"; }

fault_icmp_inside_drop() {
	nsx vgw nft -f - <<-EOF2
	table inet lab_icmp {
		chain input {
			type filter hook input priority -10; policy accept;
			iifname { "ipsec1", "ipsec2" } icmp type echo-request drop
		}
	}
	EOF2
}
fault_icmp_inside_restore() { nsx vgw nft delete table inet lab_icmp; }


fault_outside_link() { nsx inet ip link set to-cgw "$1"; }
