# SPDX-License-Identifier: GPL-2.0-or-later
# gw.sh (sourced): load the driver of the customer gateway under test, in
# namespace cgw. LAB_GATEWAY=baseline (default: baseline.sh, stock strongSwan +
# FRR) or the name of another driver file tests/lab/<name>.sh, e.g. a cgwd
# driver that starts $CGW_BUILDDIR's cgwd/cgwctl. A driver defines:
#   GW_NAME            its name
#   gw_start JSON      configure from the AWS JSON file and start (both tunnels
#                      to AWS_EP1 = tunnel 1 and AWS_EP2 = tunnel 2, BGP or static)
#   gw_stop            stop and remove everything it created in cgw
#   gw_tunnel_up N     true when tunnel N's IKE SA is established and CHILD SA installed
#   gw_bgp_up N        true when BGP over tunnel N is Established
#   gw_status          human-readable status (for the demo and failure logs)
#   gw_kill WHAT       kill -9 one of its processes (charon, bgpd, zebra, cgwd...)
LAB_GATEWAY=${LAB_GATEWAY:-baseline}
. "$(dirname "${BASH_SOURCE[0]}")/$LAB_GATEWAY.sh" || { echo "# no gateway driver $LAB_GATEWAY"; exit 1; }
