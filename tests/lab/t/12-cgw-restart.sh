#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# 12-cgw-restart: restarting cgwd loses no ping (interfaces and SAs are
# adopted); kill -9 of charon brings both tunnels back without a human;
# `cgwctl reset 1` re-establishes tunnel 1 in seconds while traffic goes on;
# tunnel 1's link set down or its address deleted by hand is put back;
# with the outside interface renamed, diagnose names it (kernel-refused),
# and with the name back cgw repairs tunnel 1 by itself; the MSS clamp
# flushed by `nft flush ruleset` is put back, and one cgw cannot write is
# named by diagnose (mss-clamp-missing).
LAB_GATEWAY=cgw
. "$LAB_DIR/scenario.sh"
lab_scenario_begin

cgw_lab_up
spi1=$(cgw_tunnel_json 1 't["child"]["spiIn"]')

# 1. restart cgwd: no packet lost, same SAs
lab_ping_start onprem-host "$VPC_HOST"
lab_sleep 1
cgw_restart || lab_fail "cgwd restart"
lab_wait 30 "tunnels seen UP again by the new cgwd" eval 'gw_tunnel_up 1 && gw_tunnel_up 2' ||
	lab_fail "new cgwd does not see the tunnels"
lab_sleep 2
read -r rx lost outage <<<"$(lab_ping_stop)"
lab_log "cgwd restart: $rx replies, $lost lost, longest gap ${outage}s"
lab_timing cgwd_restart_lost "$lost"
lab_timing cgwd_restart_gap_s "$outage"
[ "$lost" -eq 0 ] || lab_fail "pings lost across a cgwd restart: $lost lost, longest gap ${outage}s"
spi1b=$(cgw_tunnel_json 1 't["child"]["spiIn"]')
[ "$spi1" = "$spi1b" ] || lab_fail "tunnel 1's SA changed across a cgwd restart ($spi1 -> $spi1b)"
grep -q "adopted the running charon" "$CGW_DIR/cgwd.log" || lab_fail "cgwd did not adopt charon"

# 2. kill -9 charon: the kernel keeps its SAs, so traffic goes on while a
# new charon brings both tunnels back by itself.
lab_ping_start onprem-host "$VPC_HOST"
lab_sleep 1
t0=$(lab_us)
old_charon=$(cat "$CGW_DIR/charon.pid")
log_at=$(wc -l <"$CGW_DIR/cgwd.log")
gw_kill charon || lab_fail "kill charon"
# "Back" means a new charon: cgwd started another and it has its SAs.
lab_wait 30 "cgwd started a new charon" eval \
	'[ -s "$CGW_DIR/charon.pid" ] && [ "$(cat "$CGW_DIR/charon.pid")" != "$old_charon" ] &&
	    kill -0 "$(cat "$CGW_DIR/charon.pid")" 2>/dev/null' ||
	lab_fail "no new charon after kill -9 (pid file still $(cat "$CGW_DIR/charon.pid" 2>/dev/null))"
lab_wait 60 "both tunnels up again" eval 'gw_tunnel_up 1 && gw_tunnel_up 2' ||
	lab_fail "tunnels not back after kill -9 charon"
lab_timing charon_kill_to_tunnels_up "$(lab_since "$t0")"
lab_track "charon@cgw" "$(cat "$CGW_DIR/charon.pid")"
lab_wait 60 "BGP back on both" eval 'gw_bgp_up 1 && gw_bgp_up 2' || lab_fail "BGP not back after charon restart"
lab_timing charon_kill_to_bgp_up "$(lab_since "$t0")"
lab_sleep 2
read -r rx lost outage <<<"$(lab_ping_stop)"
lab_log "kill -9 charon: $rx replies, $lost lost, longest gap ${outage}s"
lab_timing charon_kill_lost "$lost"
lab_timing charon_kill_gap_s "$outage"
# The tunnels stayed UP (interfaces too): the dead charon's SAs carried
# the traffic until the new ones were in.
since_kill=$(tail -n +"$((log_at + 1))" "$CGW_DIR/cgwd.log")
grep -q "died (signal 9)" <<<"$since_kill" || lab_fail "cgwd did not see charon die"
! grep -q ": DOWN: " <<<"$since_kill" ||
	lab_fail "a tunnel went DOWN across the charon restart: $(grep ': DOWN: ' <<<"$since_kill" | head -2)"
# Each tunnel's probe loss while the new charon replaced its SAs was put
# down to the replacement (on a busy box it outlasts the probe misses).
for n in 1 2; do
	line=$(grep -- "-$n: new CHILD_SA in .* after the new charon took the tunnel" <<<"$since_kill") ||
		lab_fail "cgwd did not see tunnel $n's SAs replaced by the new charon"
	ms=$(sed -n 's/.*new CHILD_SA in \([0-9]*\) ms.*, at most \([0-9]*\) probes lost.*/\1 \2/p' <<<"$line")
	lab_log "tunnel $n: new CHILD_SA ${ms% *} ms after the new charon took it, at most ${ms#* } probes lost in a row meanwhile"
	lab_timing "charon_replace_${n}_ms" "${ms% *}"
done
# The new CHILD_SA costs what is in flight while only AWS has installed it
# (a round trip and charon's work: a few pings here, more on a busy
# machine); the interfaces going down cost 13.6 s before.
awk -v g="$outage" 'BEGIN { exit !(g < 1.0) }' ||
	lab_fail "traffic stopped across kill -9 of charon: longest gap ${outage}s ($lost lost)"

# 3. reset tunnel 1: back in seconds, traffic goes on over tunnel 2
lab_wait 30 "tunnel 1 usable" eval '[ "$(cgw_field 1 15)" = usable ]' || lab_fail "tunnel 1 not usable"
lab_ping_start onprem-host "$VPC_HOST"
lab_sleep 1
spi_before=$(cgw_field 1 3; cgw_tunnel_json 1 't["child"]["spiIn"]')
t0=$(lab_us)
cgw_ctl reset 1 | sed 's/^/# /' || lab_fail "cgwctl reset 1"
# new SAs (another SPI), installed
lab_wait 30 "tunnel 1 re-established with new SAs" eval \
	'gw_tunnel_up 1 && [ "$(cgw_field 1 3; cgw_tunnel_json 1 "t[\"child\"][\"spiIn\"]")" != "$spi_before" ]' ||
	lab_fail "tunnel 1 not re-established after reset"
lab_timing reset_to_tunnel_up "$(lab_since "$t0")"
lab_sleep 2
read -r rx lost outage <<<"$(lab_ping_stop)"
lab_log "reset 1: $rx replies, $lost lost, longest gap ${outage}s"
lab_timing reset_outage_s "$outage"
lab_timing reset_lost "$lost"
# make before break: traffic leaves tunnel 1 before its SAs go
[ "$lost" -eq 0 ] || lab_fail "$lost pings lost while tunnel 1 was reset"
gw_tunnel_up 2 || lab_fail "tunnel 2 went down during tunnel 1's reset"

# 4. changed behind cgwd's back: tunnel 1's link set down, then its
# inside address deleted, by hand: each is put back within 2 s
lab_wait 30 "tunnel 1 usable" eval '[ "$(cgw_field 1 15)" = usable ]' || lab_fail "tunnel 1 not usable"
if1=$(cgw_field 1 3)
inside=$(ip -n cgw -4 -o addr show dev "$if1" | awk '{ print $4; exit }')
[ -n "$inside" ] || lab_fail "no inside address on $if1"
t0=$(lab_us)
ip -n cgw link set "$if1" down || lab_fail "ip link set down"
lab_wait 2 "$if1 up again" eval 'ip -n cgw link show "$if1" | grep -q "state UP\|,UP"' ||
	lab_fail "$if1 left down: $(ip -n cgw link show "$if1" | head -1)"
lab_timing repair_link_down_s "$(lab_since "$t0")"
t0=$(lab_us)
ip -n cgw addr del "$inside" dev "$if1" || lab_fail "ip addr del"
lab_wait 2 "$inside back on $if1" eval '[ -n "$(ip -n cgw -4 -o addr show dev "$if1")" ]' ||
	lab_fail "$inside not put back on $if1"
lab_timing repair_addr_del_s "$(lab_since "$t0")"
grep -q "interface $if1 was changed outside cgw" "$CGW_DIR/cgwd.log" ||
	lab_fail "cgwd did not log the repair"
lab_wait 30 "tunnel 1 usable after the repairs" eval '[ "$(cgw_field 1 15)" = usable ]' ||
	lab_fail "tunnel 1 not usable after the repairs: $(cgw_diag 1)"

# 5. the outside interface renamed under cgw (cgw.conf still says
# $CGW_WAN, as after a NIC change): tunnel 1's interface, deleted by hand,
# cannot be created again (an XFRM interface needs its outside interface),
# and diagnose says why, on this box; with the name back, cgw creates it
# by itself (it retries every second)
rename_wan() {
	ip -n cgw link set "$1" down && ip -n cgw link set "$1" name "$2" &&
		ip -n cgw link set "$2" up && ip -n cgw route replace default via "$INET_CGW" dev "$2"
}
rename_wan "$CGW_WAN" wan9 || lab_fail "renaming $CGW_WAN"
ip -n cgw link del "$if1" || lab_fail "ip link del $if1"
cgw_wait_diag 10 1 kernel-refused || lab_fail "diagnose does not say what the kernel refused: $(cgw_diag 1)"
cgw_ctl diagnose 1 | grep -q "no interface $CGW_WAN" || lab_fail "diagnose does not name $CGW_WAN"
! ip -n cgw link show "$if1" >/dev/null 2>&1 || lab_fail "$if1 is back without its outside interface"
t0=$(lab_us)
rename_wan wan9 "$CGW_WAN" || lab_fail "renaming wan9 back"
lab_wait 3 "$if1 created again, up, with $inside" eval \
	'ip -n cgw link show "$if1" | grep -q "state UP\|,UP" && ip -n cgw -4 -o addr show dev "$if1" | grep -q "$inside"' ||
	lab_fail "$if1 not back with $CGW_WAN back: $(ip -n cgw addr show "$if1" 2>&1 | head -3)"
lab_timing repair_after_rename_s "$(lab_since "$t0")"
lab_wait 30 "diagnose 1 ok again" eval '[[ $(cgw_diag 1) == ok* ]]' ||
	lab_fail "diagnose after $CGW_WAN came back: $(cgw_diag 1)"

# 6. cgw's nftables table (the MSS clamp) changed by someone else: a
# firewall reload's `nft flush ruleset` takes it, and cgwd, subscribed to
# nftables' commits, puts it back; a table of cgw's name that it cannot
# write (a chain "mss" on another hook, made by hand) is a refusal that
# diagnose names, until the table is out of the way
mss_clamped() { nsx cgw nft list table inet cgw 2>/dev/null | grep -q "maxseg size set"; }
mss_clamped || lab_fail "no MSS clamp in table inet cgw: $(nsx cgw nft list table inet cgw 2>&1 | head -5)"
t0=$(lab_us)
nsx cgw nft flush ruleset || lab_fail "nft flush ruleset"
lab_wait 2 "the MSS clamp back after nft flush ruleset" mss_clamped ||
	lab_fail "MSS clamp not put back after nft flush ruleset"
lab_timing repair_nft_flush_s "$(lab_since "$t0")"
grep -q "table inet cgw was changed outside cgw" "$CGW_DIR/cgwd.log" ||
	lab_fail "cgwd did not log the change to its nftables table"
nsx cgw nft -f - <<-EOF2 || lab_fail "making table inet cgw unwritable"
	delete table inet cgw
	table inet cgw { chain mss { type filter hook input priority 0; }; }
	EOF2
cgw_wait_diag 10 1 mss-clamp-missing || lab_fail "diagnose does not say the MSS clamp is missing: $(cgw_diag 1)"
cgw_ctl diagnose 1 | grep -q "nftables refused table inet cgw (Error: Could not process rule: [A-Za-z ]*)" ||
	lab_fail "diagnose does not give nft's refusal"
cgw_ctl show tunnels | grep -q "NO MSS CLAMP" || lab_fail "show tunnels does not say the MSS clamp is missing"
t0=$(lab_us)
nsx cgw nft delete table inet cgw || lab_fail "nft delete table inet cgw"
lab_wait 7 "the MSS clamp back once the table is out of the way" mss_clamped ||
	lab_fail "MSS clamp not back after the unwritable table went"
lab_timing repair_nft_refused_s "$(lab_since "$t0")"
lab_wait 10 "diagnose 1 ok again" eval '[[ $(cgw_diag 1) == ok* ]]' ||
	lab_fail "diagnose after the MSS clamp came back: $(cgw_diag 1)"
! cgw_ctl show tunnels | grep -q "NO MSS CLAMP" || lab_fail "show tunnels still says NO MSS CLAMP"
# the history outlived the restart: the first cgwd's start and stop are
# still there, then the second's start; charon's death and the reset too
cgw_ctl show events | sed 's/^/# /'
cgw_ctl -t show events | awk -F'\t' '
	$3 == "start" && $4 ~ /^cgwd started: / { first++ }
	first && $3 == "stop" { stop++ }
	stop && $3 == "start" && $4 ~ /started again/ { again++ }
	again && $3 == "charon" && $4 ~ /disconnected/ { died++ }
	died && $3 == "failover" && $4 ~ /^reset/ { reset++ }
	END { exit !(first == 1 && stop >= 1 && again >= 1 && died >= 1 && reset >= 1) }' ||
	lab_fail "show events after the restarts does not have start, stop, start again, charon gone, reset in order"
lab_timing scenario_total "$(lab_since "$LAB_T0")"
