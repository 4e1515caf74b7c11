#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# 11-cgw-mismatch: a PSK mismatch (tunnel 2) and an IKE proposal mismatch
# (tunnel 1) each show as DOWN with the cause in show tunnels, and
# `cgwctl diagnose` names them.
LAB_GATEWAY=cgw
. "$LAB_DIR/scenario.sh"
lab_scenario_begin

topo_up || lab_fail "topology"
lab_aws_files || lab_fail "awsgen"
vgw_start "$LAB_JSON" || lab_fail "vgw start"
cgw_prepare "$LAB_JSON" || lab_fail "cgw prepare"
conn=$(ls "$CGW_DIR"/conn.d/*.conf)
# tunnel 1: a cipher AWS's side does not accept; tunnel 2: another key
awk '/tunnel 1 \{/ { t = 1 } /tunnel 2 \{/ { t = 2 }
	t == 1 && $1 == "phase1" { sub(/encryption [a-z0-9]+/, "encryption aes256gcm16") }
	t == 2 && $1 == "psk" { $0 = "\t\tpsk \"Wrong_key.for_tunnel2\"" }
	{ print }' "$conn" >"$conn.new" && mv "$conn.new" "$conn" && chmod 600 "$conn"
cgw_frr_start || lab_fail "frr"
cgw_start_daemon || lab_fail "cgwd"

lab_wait 60 "tunnel 1: proposal mismatch in details" eval \
	'cgw_field 1 16 | grep -q "proposal in common"' || lab_fail "tunnel 1: no proposal-mismatch cause: $(cgw_field 1 16)"
lab_wait 60 "tunnel 2: PSK mismatch in details" eval \
	'cgw_field 2 16 | grep -q "pre-shared keys differ"' || lab_fail "tunnel 2: no PSK cause: $(cgw_field 2 16)"
[ "$(cgw_field 1 6)" = DOWN ] && [ "$(cgw_field 2 6)" = DOWN ] || lab_fail "a mismatched tunnel is not DOWN"
cgw_ctl show tunnels | sed 's/^/# /'
# diagnose names both, with the fix
cgw_wait_diag 30 1 ike-proposal-mismatch || lab_fail "diagnose 1: $(cgw_diag 1)"
cgw_wait_diag 30 2 psk-mismatch || lab_fail "diagnose 2: $(cgw_diag 2)"
cgw_ctl -j diagnose | python3 -c 'import json, sys; d = json.load(sys.stdin); assert {x["cause"] for x in d} == {"ike-proposal-mismatch", "psk-mismatch"}, d' ||
	lab_fail "diagnose -j"
cgw_ctl diagnose >/dev/null && lab_fail "diagnose exits 0 with two faults"
# the key itself is never shown or logged
grep -q "Wrong_key" "$CGW_DIR/cgwd.log" "$CGW_DIR/charon.cgw.log" && lab_fail "a PSK appears in a log"
cgw_ctl -j show tunnels | grep -q "Wrong_key" && lab_fail "a PSK appears in show tunnels"
lab_timing scenario_total "$(lab_since "$LAB_T0")"
