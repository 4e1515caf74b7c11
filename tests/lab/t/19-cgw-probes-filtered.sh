#!/bin/bash
# 19-cgw-probes-filtered: the VGW stops answering cgw's probes (ICMP echo
# to its inside addresses dropped) on both tunnels while IKE, ESP and BGP
# go on.  Probe evidence alone must not take the last tunnel in use out:
# traffic to the VPC keeps flowing for the whole minute (it stopped for
# all of it before), and diagnose says the probes are filtered, not that
# ESP is blocked.  With the probes answered again both tunnels are back.
LAB_GATEWAY=cgw
. "$LAB_DIR/scenario.sh"
lab_scenario_begin

cgw_lab_up
lab_ping_start onprem-host "$VPC_HOST"
lab_sleep 1
fault_icmp_inside_drop || lab_fail "nft in vgw"
t0=$(lab_us)
# one tunnel stays in use, whatever the probes say
usable_now() { [ "$(cgw_field 1 15)" = usable ] || [ "$(cgw_field 2 15)" = usable ]; }
held=0
while [ "$(( ($(lab_us) - t0) / 1000000 ))" -lt 60 ]; do
	usable_now || { held=1; lab_log "no tunnel usable at $(lab_since "$t0")s"; }
	lab_sleep 2
done
read -r rx lost outage <<<"$(lab_ping_stop)"
lab_log "ICMP to both inside addresses dropped for 60 s: $rx replies, $lost lost, longest gap ${outage}s"
lab_timing probes_filtered_lost "$lost"
lab_timing probes_filtered_gap_s "$outage"
[ "$held" = 0 ] || lab_fail "both tunnels were taken out on probe loss alone"
# the first tunnel to miss its probes fails over to the other (it still
# answered): that costs what a failover costs, no more
[ "$lost" -le 50 ] || lab_fail "traffic stopped: $lost pings lost (longest gap ${outage}s)"
kept=1; [ "$(cgw_field 1 15)" = usable ] || kept=2
diag=$(cgw_diag "$kept")
lab_log "diagnose $kept: $diag"
[[ $diag == probes-filtered* ]] || lab_fail "diagnose $kept says '$diag', not probes-filtered"
[[ $diag != *esp-blocked* ]] || lab_fail "diagnose blames ESP"

fault_icmp_inside_restore || lab_fail "nft restore"
t0=$(lab_us)
for n in 1 2; do
	lab_wait 30 "tunnel $n usable again" eval '[ "$(cgw_field '$n' 15)" = usable ]' ||
		lab_fail "tunnel $n not usable after the probes are answered again"
done
lab_timing probes_back_both_usable_s "$(lab_since "$t0")"
