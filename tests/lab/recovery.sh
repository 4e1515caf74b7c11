# SPDX-License-Identifier: GPL-2.0-or-later
# recovery.sh (sourced after scenario.sh): the recovery steps that lab 23
# (cgw, with bounds) and bench/recovery (cgw and the baseline) run.  With
# traffic on (on-prem -> VPC pings every 20 ms):
#   1. the outside link loses its carrier for 20 s, then comes back;
#   2. both paths to AWS are cut in inet (IKE and ESP) for 45 s, restored;
#   3. AWS endpoint 1 is replaced: its charon killed, its SAs gone without
#      a DELETE, a fresh one started that refuses every IKE_SA for its
#      first 5 s, until its configuration is loaded (so an early attempt
#      to come back is refused, as happened by chance under load).
# recovery_run sets REC_LINK and REC_PATHS (seconds from the restore to
# the first ping reply), REC_REPLACED (seconds from the endpoint being back
# to the tunnel UP at the VGW: IPsec and BGP) and REC_REPLACED_GAP (the
# longest gap in the pings meanwhile); a step that does not recover within
# REC_WAIT seconds (default 120) leaves -1 and ends the run.  After step 2
# REC_AFTER runs, if set (lab 23: nothing may drop in the next seconds).

# seconds from T0 (lab_us) to the first ping reply after it, once there is one
rec_first_reply_after() {
	awk -v c="$1" '/bytes from/ && match($0, /^\[[0-9.]+\]/) {
		t = substr($0, 2, RLENGTH - 2) * 1e6
		if (t > c) { printf "%.2f\n", (t - c) / 1e6; found = 1; exit } }
		END { exit !found }' "$LAB_PING_OUT"
}

# rec_step NAME CUT-SECONDS BREAK RESTORE: sets REC_BACK (-1: not back)
rec_step() {
	local t0
	lab_ping_start onprem-host "$VPC_HOST"
	lab_sleep 1
	eval "$3" || lab_fail "$1: breaking"
	lab_sleep "$2"
	# from the restore's last command: one nft or ip process costs up to
	# seconds in a loaded VM, which is the lab's time, not the gateway's
	eval "$4" || lab_fail "$1: restoring"
	t0=$(lab_us)
	REC_BACK=-1
	lab_wait "${REC_WAIT:-120}" "$1: traffic again" rec_first_reply_after "$t0" >/dev/null &&
		REC_BACK=$(rec_first_reply_after "$t0")
	lab_ping_stop >/dev/null
	lab_log "$LAB_GATEWAY, $1 for $2 s: traffic $REC_BACK s after the restore"
}

recovery_run() {
	local t0
	REC_LINK=-1 REC_PATHS=-1 REC_REPLACED=-1 REC_REPLACED_GAP=-1
	rec_step "outside link down" 20 "fault_outside_link down" "fault_outside_link up"
	REC_LINK=$REC_BACK
	[ "$REC_LINK" != -1 ] || return 0
	gw_wait_up "${REC_WAIT:-120}"
	[ "$LAB_GATEWAY" = cgw ] && cgw_wait_usable
	rec_step "both paths cut" 45 "fault_cut 1 && fault_cut 2" "fault_restore 1 2"
	REC_PATHS=$REC_BACK
	[ "$REC_PATHS" != -1 ] || return 0
	gw_wait_up "${REC_WAIT:-120}"
	[ -n "${REC_AFTER:-}" ] && $REC_AFTER
	[ "$LAB_GATEWAY" = cgw ] && cgw_wait_usable

	lab_ping_start onprem-host "$VPC_HOST"
	lab_sleep 1
	{ vgw_endpoint_stop 1 && vgw_endpoint_start 1 5; } || lab_fail "endpoint 1 restart"
	t0=$(lab_us)
	if lab_wait "${REC_WAIT:-120}" "AWS endpoint 1 has the tunnel again" eval 'vgw_tunnel_up 1 && vgw_bgp_up 1'; then
		REC_REPLACED=$(lab_since "$t0")
	fi
	read -r _ _ REC_REPLACED_GAP <<<"$(lab_ping_stop)"
	lab_log "$LAB_GATEWAY, endpoint 1 replaced: UP again after $REC_REPLACED s; longest gap in the pings $REC_REPLACED_GAP s"
}
