# SPDX-License-Identifier: GPL-2.0-or-later
# dns.sh (sourced): names over the VPN in the lab.
#
#   dns_vpc_start        the VPC's side: a Route 53 Resolver inbound endpoint,
#                        i.e. Debian's unbound in vpc-host answering on two
#                        addresses ($DNS_EP1, $DNS_EP2, two "AZs"): corp.example
#                        (every name in it answers $DNS_ANSWER) and
#                        internal.example (only db.internal.example; other
#                        names NXDOMAIN), as private hosted zones do
#   dns_box_start        the customer side's unbound in namespace cgw, set up
#                        as Debian's package does (includes unbound.conf.d,
#                        control over a unix socket), for cgwd -U
#   dns_box_restart      stop it and start it again (what a reload cannot do:
#                        open new listening addresses)
#   dns_block            the dns block for cgw.conf
#   dns_ask NAME         the first A record through cgw, from onprem-host
#   dns_state            show dns, one word per endpoint, and unbound's
#   dns_stop             both unbounds

DNS_EP1=10.2.0.53 DNS_EP2=10.2.0.54 DNS_ANSWER=10.2.0.80
DNS_DIR=$LAB_RUN/dns
DNS_BOX=$CGW_DIR/unbound	# cgwd -U $CGW_DIR/unbound/unbound.conf (cgw.sh)

dns_vpc_start() {
	mkdir -p "$DNS_DIR"
	nsx vpc-host ip addr add "$DNS_EP1/16" dev eth0 && nsx vpc-host ip addr add "$DNS_EP2/16" dev eth0 || return 1
	cat >"$DNS_DIR/vpc.conf" <<-EOF2
	server:
		username: ""
		chroot: ""
		directory: "$DNS_DIR"
		pidfile: "$DNS_DIR/vpc.pid"
		use-syslog: no
		logfile: ""
		do-daemonize: no
		interface: $DNS_EP1
		interface: $DNS_EP2
		access-control: 0.0.0.0/0 allow
		local-zone: "corp.example." redirect
		local-data: "corp.example. 60 IN A $DNS_ANSWER"
		local-data: "corp.example. 3600 IN SOA ns.corp.example. admin.corp.example. 1 3600 600 86400 60"
		local-zone: "internal.example." static
		local-data: "internal.example. 3600 IN SOA ns.internal.example. admin.internal.example. 1 3600 600 86400 60"
		local-data: "db.internal.example. 60 IN A 10.2.0.81"
	remote-control:
		control-enable: no
	EOF2
	nsx vpc-host unbound -d -p -c "$DNS_DIR/vpc.conf" >>"$DNS_DIR/vpc.log" 2>&1 &
	DNS_VPC_PID=$!
	lab_track "unbound@vpc-host" "$DNS_VPC_PID"
	lab_wait 10 "the inbound endpoint" eval 'nsx vpc-host ss -uln | grep -q "$DNS_EP2:53"'
	# As on AWS, the VPC cannot reach a tunnel's inside addresses: an
	# answer to one is lost (what a resolver without outgoing-interface
	# would get).
	nsx vgw nft -f - <<-EOF2
	table inet lab_vpc { chain forward { type filter hook forward priority 0;
		iifname "lan0" ip daddr 169.254.0.0/16 drop
	}
	}
	EOF2
}

dns_box_start() {
	mkdir -p "$DNS_BOX/unbound.conf.d"
	cat >"$DNS_BOX/unbound.conf" <<-EOF2
	server:
		username: ""
		chroot: ""
		directory: "$DNS_BOX"
		pidfile: "$DNS_BOX/unbound.pid"
		use-syslog: no
		logfile: ""
		do-daemonize: no
	include-toplevel: "$DNS_BOX/unbound.conf.d/*.conf"
	remote-control:
		control-enable: yes
		control-interface: $DNS_BOX/ctl
	EOF2
	rm -f "$DNS_BOX/ctl"
	nsx cgw unbound -d -p -c "$DNS_BOX/unbound.conf" >>"$DNS_BOX/log" 2>&1 &
	DNS_BOX_PID=$!
	lab_track "unbound@cgw" "$DNS_BOX_PID"
	lab_wait 10 "unbound in cgw" test -S "$DNS_BOX/ctl"
}

dns_box_restart() {
	kill "$DNS_BOX_PID" 2>/dev/null
	lab_wait 10 "unbound in cgw exits" eval "! kill -0 $DNS_BOX_PID 2>/dev/null" || return 1
	dns_box_start
}

dns_block() {
	cat <<-EOF2
	dns {
		listen $CGW_LAN
		source $CGW_LAN
		endpoint $DNS_EP1
		endpoint $DNS_EP2
		zone corp.example
		zone internal.example
	}
	EOF2
}

dns_ask() {
	timeout 5 ip netns exec onprem-host drill @"$CGW_LAN" "$1" A 2>/dev/null |
		awk '/ANSWER SECTION/ { a = 1; next } a && $4 == "A" { print $5; exit }'
}

dns_state() {
	cgw_ctl -j show dns | python3 -c '
import json, sys
d = json.load(sys.stdin)
print(" ".join("%s=%s%s" % (e["endpoint"], e["state"], "" if e["forwarded"] else "(out)") for e in d["endpoints"]),
      "unbound=" + (d["unbound"] or {}).get("state", "none"))'
}

dns_stop() {
	[ -n "${DNS_BOX_PID:-}" ] && kill "$DNS_BOX_PID" 2>/dev/null
	[ -n "${DNS_VPC_PID:-}" ] && kill "$DNS_VPC_PID" 2>/dev/null
	return 0
}
