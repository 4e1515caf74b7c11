#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""render.py: configuration files for the lab's stock strongSwan and FRR, from an
AWS describe-vpn-connections JSON file (what awsgen writes, or a real one).

  render.py all      --json F --dir D --ep1 IP --ep2 IP --vpc CIDR --lan CIDR
                     all of the below at once (python starts slowly under QEMU TCG)
  render.py info     --json F                       shell variables (eval) per tunnel
  render.py vgw-ike  --json F --aws-ip IP --if-id N --dir D [--updown CMD]
                     one simulated AWS endpoint: D/strongswan.conf, D/swanctl.conf
  render.py vgw-bgp  --json F --dir D --vpc CIDR...  the VGW's zebra.conf + bgpd.conf
  render.py baseline --json F --dir D --lan CIDR --if-id IP=N ...
                     the hand-made customer gateway: strongswan.conf, swanctl.conf,
                     zebra.conf, bgpd.conf

Tunnels are matched by outside IP between the XML (inside addresses, ASNs, the
customer's outside IP) and Options.TunnelOptions (the real proposals, lifetimes,
DPD); options missing from TunnelOptions take AWS's defaults, as in real output.
"""
import argparse
import builtins
import ipaddress
import json
import os
import shlex
import sys
import xml.etree.ElementTree as ET

DEFAULTS = {  # a new AWS VPN connection (EC2 API reference, VpnTunnelOptionsSpecification)
    "Phase1LifetimeSeconds": 28800, "Phase2LifetimeSeconds": 3600, "RekeyMarginTimeSeconds": 270,
    "RekeyFuzzPercentage": 100, "ReplayWindowSize": 1024, "DpdTimeoutSeconds": 30,
    "DpdTimeoutAction": "clear", "StartupAction": "add",
    "Phase1EncryptionAlgorithms": ["AES128", "AES256", "AES128-GCM-16", "AES256-GCM-16"],
    "Phase2EncryptionAlgorithms": ["AES128", "AES256", "AES128-GCM-16", "AES256-GCM-16"],
    "Phase1IntegrityAlgorithms": ["SHA1", "SHA2-256", "SHA2-384", "SHA2-512"],
    "Phase2IntegrityAlgorithms": ["SHA1", "SHA2-256", "SHA2-384", "SHA2-512"],
    "Phase1DHGroupNumbers": [2, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24],
    "Phase2DHGroupNumbers": [2, 5, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24],
    "IkeVersions": ["ikev1", "ikev2"],
}
ENC = {"AES128": "aes128", "AES256": "aes256", "AES128-GCM-16": "aes128gcm16", "AES256-GCM-16": "aes256gcm16"}
INTEG = {"SHA1": "sha1", "SHA2-256": "sha256", "SHA2-384": "sha384", "SHA2-512": "sha512"}
DH = {2: "modp1024", 5: "modp1536", 14: "modp2048", 15: "modp3072", 16: "modp4096", 17: "modp6144",
      18: "modp8192", 19: "ecp256", 20: "ecp384", 21: "ecp521", 22: "modp1024s160",
      23: "modp2048s224", 24: "modp2048s256"}
SWANCTL_PLUGINS = "random nonce openssl pem pkcs1 x509 pubkey"
CHARON_PLUGINS = "random nonce openssl kdf pem pkcs1 x509 pubkey kernel-netlink socket-default vici updown"
# kdf: strongSwan >= 5.9.6 derives IKE keys in the kdf plugin (KDF_PRF), openssl alone is not enough


def load(path):
    conn = json.load(open(path))["VpnConnections"][0]
    root = ET.fromstring(conn["CustomerGatewayConfiguration"])
    opts = {o["OutsideIpAddress"]: o for o in conn.get("Options", {}).get("TunnelOptions", [])}
    tunnels = []
    for t in root.findall("ipsec_tunnel"):
        aws_ip = t.findtext("vpn_gateway/tunnel_outside_address/ip_address").strip()
        o = dict(DEFAULTS)
        for k, v in opts.get(aws_ip, {}).items():
            o[k] = [x["Value"] for x in v] if isinstance(v, list) else v
        mask = t.findtext("vpn_gateway/tunnel_inside_address/network_cidr", "30").strip()
        aws_in = t.findtext("vpn_gateway/tunnel_inside_address/ip_address").strip()
        tunnels.append({
            "aws_ip": aws_ip,
            "cgw_ip": t.findtext("customer_gateway/tunnel_outside_address/ip_address").strip(),
            "aws_inside": aws_in,
            "cgw_inside": t.findtext("customer_gateway/tunnel_inside_address/ip_address").strip(),
            "prefixlen": int(mask),
            "cidr": str(ipaddress.ip_interface("%s/%s" % (aws_in, mask)).network),
            "aws_asn": int(t.findtext("vpn_gateway/bgp/asn") or 0),
            "cgw_asn": int(t.findtext("customer_gateway/bgp/asn") or 0),
            "hold": int(t.findtext("vpn_gateway/bgp/hold_time") or 30),
            # the PSK in TunnelOptions wins (it is the one AWS uses); the XML has the same
            "psk": o.get("PreSharedKey") or t.findtext("ike/pre_shared_key"),
            "o": o,
        })
    static = conn.get("Options", {}).get("StaticRoutesOnly", False)
    routes = [r["DestinationCidrBlock"] for r in conn.get("Routes", [])]
    return conn, tunnels, static, routes


def by_ip(tunnels, ip):
    for t in tunnels:
        if t["aws_ip"] == ip:
            return t
    sys.exit("render.py: no tunnel with AWS outside address %s" % ip)


def ike_proposals(o):
    """AWS accepts any combination of the configured algorithms: one proposal
    with all non-AEAD ones, one with all AEAD ones (they cannot be mixed)."""
    encs = o["Phase1EncryptionAlgorithms"]
    ints = [INTEG[i] for i in o["Phase1IntegrityAlgorithms"]]
    dhs = [DH[int(d)] for d in o["Phase1DHGroupNumbers"]]
    out = []
    cbc = [ENC[e] for e in encs if "GCM" not in e]
    gcm = [ENC[e] for e in encs if "GCM" in e]
    if cbc:
        out.append("-".join(cbc + ints + dhs))
    if gcm:
        out.append("-".join(gcm + ["prf" + i for i in ints] + dhs))
    return ",".join(out)


def esp_proposals(o, pfs=True):
    encs = o["Phase2EncryptionAlgorithms"]
    ints = [INTEG[i] for i in o["Phase2IntegrityAlgorithms"]]
    dhs = [DH[int(d)] for d in o["Phase2DHGroupNumbers"]] if pfs else []
    out = []
    cbc = [ENC[e] for e in encs if "GCM" not in e]
    gcm = [ENC[e] for e in encs if "GCM" in e]
    if cbc:
        out.append("-".join(cbc + ints + dhs))
    if gcm:
        out.append("-".join(gcm + dhs))
    return ",".join(out)


def ike_version(o):
    v = o["IkeVersions"]
    return 0 if len(v) > 1 else (2 if v[0] == "ikev2" else 1)


def strongswan_conf(d, retransmit=None):
    """One charon instance: own vici socket and log; PID file is handled by the caller."""
    r = ""
    if retransmit:
        # AWS: DPD probe after 10 s of silence, peer dead after the DPD timeout
        # (3 misses by default). IKEv2 DPD is an INFORMATIONAL exchange whose
        # retransmissions decide the timeout: send at 0, 10, 20 ... give up at T.
        tries = max(0, retransmit // 10 - 1)
        r = ("  retransmit_timeout = 10\n  retransmit_base = 1.0\n  retransmit_jitter = 0\n"
             "  retransmit_tries = %d\n" % tries)
    return """# generated by tests/lab/render.py
charon {
  load = %s
  install_routes = no
  install_virtual_ip = no
%s  plugins {
    vici {
      socket = unix://%s/charon.vici
    }
  }
  filelog {
    lab {
      path = %s/charon.log
      time_format = %%T
      time_add_ms = yes
      ike_name = yes
      flush_line = yes
      default = 1
    }
  }
  syslog {
    daemon {
      default = -1
    }
  }
}
swanctl {
  load = %s
  socket = unix://%s/charon.vici
}
""" % (CHARON_PLUGINS, r, d, d, SWANCTL_PLUGINS, d)


def lifetimes(o, version):
    """AWS rekeys `margin` (+ up to fuzz % of it, at random) before the lifetime ends."""
    p1, p2 = int(o["Phase1LifetimeSeconds"]), int(o["Phase2LifetimeSeconds"])
    m, fuzz = int(o["RekeyMarginTimeSeconds"]), int(o["RekeyFuzzPercentage"])
    rand = m * fuzz // 100
    ike = ("    %s = %ds\n    over_time = %ds\n    rand_time = %ds\n"
           % ("reauth_time" if version == 1 else "rekey_time", p1 - m, m, rand))
    child = "        rekey_time = %ds\n        life_time = %ds\n        rand_time = %ds\n" % (p2 - m, p2, rand)
    return ike, child


def write(d, name, text, mode=0o644):
    p = os.path.join(d, name)
    with open(p, "w") as f:
        f.write(text)
    os.chmod(p, mode)


def cmd_info(a, out=None):
    conn, tunnels, static, routes = load(a.json)
    q = shlex.quote
    print = (lambda x: out.write(x + "\n")) if out else builtins.print
    print("ROUTING=%s" % ("static" if static else "bgp"))
    print("STATIC_ROUTES=%s" % q(" ".join(routes)))
    print("VPN_ID=%s" % q(conn.get("VpnConnectionId", "")))
    for t in tunnels:
        k = t["aws_ip"].replace(".", "_")
        for f in ("cgw_ip", "aws_inside", "cgw_inside", "prefixlen", "cidr", "aws_asn", "cgw_asn"):
            print("T_%s_%s=%s" % (k, f, q(str(t[f]))))


def cmd_vgw_ike(a):
    conn, tunnels, static, routes = load(a.json)
    t = by_ip(tunnels, a.aws_ip)
    o = t["o"]
    v = ike_version(o)
    ike_l, child_l = lifetimes(o, v)
    start = "start" if o["StartupAction"] == "start" else "none"  # "add": wait for the customer
    dpd_action = {"clear": "clear", "restart": "restart", "none": "none"}[o["DpdTimeoutAction"]]
    updown = "        updown = %s\n" % a.updown if a.updown else ""
    write(a.dir, "strongswan.conf", strongswan_conf(a.dir, retransmit=int(o["DpdTimeoutSeconds"])))
    write(a.dir, "swanctl.conf", """# generated by tests/lab/render.py: AWS endpoint %(aws)s of %(vpn)s
connections {
  aws {
    version = %(v)d
    local_addrs = %(aws)s
    remote_addrs = %(cgw)s
    proposals = %(ike)s
%(ike_l)s    dpd_delay = 10s
    dpd_timeout = %(dpdt)ds
    unique = replace
    mobike = no
    fragmentation = yes
    local {
      auth = psk
      id = %(aws)s
    }
    remote {
      auth = psk
      id = %(cgw)s
    }
    children {
      aws {
        local_ts = 0.0.0.0/0
        remote_ts = 0.0.0.0/0
        mode = tunnel
        esp_proposals = %(esp)s
%(child_l)s        replay_window = %(replay)d
        if_id_in = %(ifid)d
        if_id_out = %(ifid)d
        start_action = %(start)s
        dpd_action = %(dpda)s
        close_action = none
%(updown)s      }
    }
  }
}
secrets {
  ike-aws {
    id-1 = %(aws)s
    id-2 = %(cgw)s
    secret = "%(psk)s"
  }
}
""" % {"aws": t["aws_ip"], "cgw": t["cgw_ip"], "vpn": conn.get("VpnConnectionId", "?"), "v": v,
        "ike": ike_proposals(o), "esp": esp_proposals(o), "ike_l": ike_l, "child_l": child_l,
        "dpdt": int(o["DpdTimeoutSeconds"]), "replay": int(o["ReplayWindowSize"]), "ifid": a.if_id,
        "start": start, "dpda": dpd_action, "psk": t["psk"], "updown": updown}, 0o600)


def cmd_vgw_bgp(a):
    conn, tunnels, static, routes = load(a.json)
    asn = tunnels[0]["aws_asn"] or 64512
    nb = ""
    af = ""
    for t in tunnels:
        nb += (" neighbor %s remote-as %d\n neighbor %s timers connect %d\n"
               % (t["cgw_inside"], t["cgw_asn"], t["cgw_inside"], a.connect))
        # AWS: at most 100 prefixes from the customer to a VGW, else the session is torn down.
        af += "  neighbor %s maximum-prefix %d restart %d\n" % (t["cgw_inside"], a.max_prefix, a.max_prefix_restart)
    nets = "".join("  network %s\n" % n for n in a.vpc)
    write(a.dir, "zebra.conf", "hostname vgw\nlog file %s/zebra.log informational\n" % a.dir)
    write(a.dir, "bgpd.conf", """! generated by tests/lab/render.py: the VGW's BGP speaker (%(vpn)s)
hostname vgw
log file %(d)s/bgpd.log informational
!
router bgp %(asn)d
 bgp router-id %(rid)s
 bgp log-neighbor-changes
 ! FRR 8.4 would otherwise neither accept nor advertise eBGP routes
 no bgp ebgp-requires-policy
 no bgp network import-check
 ! AWS: keepalive 10, hold 30
 timers bgp 10 30
%(nb)s !
 address-family ipv4 unicast
%(nets)s%(af)s  ! a VGW sends through one tunnel at a time (no ECMP)
  maximum-paths 1
 exit-address-family
!
""" % {"vpn": conn.get("VpnConnectionId", "?"), "d": a.dir, "asn": asn, "rid": a.router_id,
        "nb": nb, "nets": nets, "af": af})


def cmd_baseline(a):
    """What AWS's strongSwan download and the common guides set up, translated to
    swanctl + xfrm interfaces: both tunnels, start on load, DPD 10 s restart,
    AWS's proposals and lifetimes (strongSwan's own rekey margins), BGP 10/30."""
    conn, tunnels, static, routes = load(a.json)
    ifids = dict(x.split("=") for x in a.if_id)
    conns = ""
    secrets = ""
    for t in tunnels:
        n = int(ifids[t["aws_ip"]])
        o = t["o"]
        v = ike_version(o)
        if v == 0:
            v = 2
        p1, p2 = int(o["Phase1LifetimeSeconds"]), int(o["Phase2LifetimeSeconds"])
        # ipsec.conf-era defaults the guides keep: margintime 9 min, fuzz 100 %
        ike_l = "    %s = %ds\n" % ("reauth_time" if v == 1 else "rekey_time", p1 - 540)
        conns += """  tunnel%(n)d {
    version = %(v)d
    local_addrs = %(cgw)s
    remote_addrs = %(aws)s
    proposals = %(ike)s
%(ike_l)s    dpd_delay = 10s
    dpd_timeout = 30s
    mobike = no
    local {
      auth = psk
      id = %(cgw)s
    }
    remote {
      auth = psk
      id = %(aws)s
    }
    children {
      tunnel%(n)d {
        local_ts = 0.0.0.0/0
        remote_ts = 0.0.0.0/0
        mode = tunnel
        esp_proposals = %(esp)s
        rekey_time = %(p2r)ds
        life_time = %(p2)ds
        if_id_in = %(n)d
        if_id_out = %(n)d
        start_action = start
        dpd_action = restart
        close_action = start
      }
    }
  }
""" % {"n": n, "v": v, "cgw": t["cgw_ip"], "aws": t["aws_ip"], "ike": ike_proposals(o).split(",")[0],
       "esp": esp_proposals(o).split(",")[0], "ike_l": ike_l, "p2r": p2 - 540, "p2": p2}
        secrets += "  ike-tunnel%d {\n    id-1 = %s\n    id-2 = %s\n    secret = \"%s\"\n  }\n" % (
            n, t["cgw_ip"], t["aws_ip"], t["psk"])
    write(a.dir, "strongswan.conf", strongswan_conf(a.dir))
    write(a.dir, "swanctl.conf", "# generated by tests/lab/render.py: baseline CGW\nconnections {\n%s}\nsecrets {\n%s}\n"
          % (conns, secrets), 0o600)
    asn = tunnels[0]["cgw_asn"] or 65000
    nb = "".join(" neighbor %s remote-as %d\n neighbor %s timers %d %d\n"
                 % (t["aws_inside"], t["aws_asn"], t["aws_inside"], t["hold"] // 3, t["hold"])
                 for t in tunnels)
    nets = "".join("  network %s\n" % n for n in a.lan)
    write(a.dir, "zebra.conf", "hostname cgw\nlog file %s/zebra.log informational\n" % a.dir)
    write(a.dir, "bgpd.conf", """! generated by tests/lab/render.py: baseline customer gateway
hostname cgw
log file %(d)s/bgpd.log informational
!
router bgp %(asn)d
 bgp router-id %(rid)s
 bgp log-neighbor-changes
 no bgp ebgp-requires-policy
%(nb)s !
 address-family ipv4 unicast
%(nets)s exit-address-family
!
""" % {"d": a.dir, "asn": asn, "rid": tunnels[0]["cgw_ip"], "nb": nb, "nets": nets})


def cmd_all(a):
    """Everything the lab needs in one run (python starts slowly under QEMU TCG):
    DIR/info.sh, DIR/vgw-ep1/, DIR/vgw-ep2/ (AWS endpoints), DIR/vgw/ (VGW BGP),
    DIR/baseline/ (the hand-made gateway)."""
    conn, tunnels, static, routes = load(a.json)
    os.makedirs(a.dir, exist_ok=True)
    with open(os.path.join(a.dir, "info.sh"), "w") as f:
        cmd_info(a, f)
    ns = argparse.Namespace
    for n, ip in ((1, a.ep1), (2, a.ep2)):
        d = os.path.join(a.dir, "vgw-ep%d" % n)
        os.makedirs(d, exist_ok=True)
        updown = ("%s %d %s" % (a.static_updown, n, " ".join(routes))) if static and a.static_updown else None
        cmd_vgw_ike(ns(json=a.json, aws_ip=ip, if_id=n, dir=d, updown=updown))
    d = os.path.join(a.dir, "vgw")
    os.makedirs(d, exist_ok=True)
    cmd_vgw_bgp(ns(json=a.json, dir=d, vpc=a.vpc, router_id="10.2.0.1", connect=2, max_prefix=100,
                   max_prefix_restart=1))
    d = os.path.join(a.dir, "baseline")
    os.makedirs(d, exist_ok=True)
    cmd_baseline(ns(json=a.json, dir=d, lan=a.lan, if_id=["%s=1" % a.ep1, "%s=2" % a.ep2]))


def main():
    p = argparse.ArgumentParser()
    sub = p.add_subparsers(dest="cmd", required=True)
    s = sub.add_parser("info")
    s.add_argument("--json", required=True)
    s = sub.add_parser("vgw-ike")
    s.add_argument("--json", required=True)
    s.add_argument("--aws-ip", required=True)
    s.add_argument("--if-id", type=int, required=True)
    s.add_argument("--dir", required=True)
    s.add_argument("--updown")
    s = sub.add_parser("vgw-bgp")
    s.add_argument("--json", required=True)
    s.add_argument("--dir", required=True)
    s.add_argument("--vpc", action="append", required=True)
    s.add_argument("--router-id", default="10.2.0.1")
    s.add_argument("--connect", type=int, default=2, help="BGP connect-retry (s)")
    s.add_argument("--max-prefix", type=int, default=100)
    s.add_argument("--max-prefix-restart", type=int, default=1, help="minutes before retrying")
    s = sub.add_parser("baseline")
    s.add_argument("--json", required=True)
    s.add_argument("--dir", required=True)
    s.add_argument("--lan", action="append", required=True)
    s.add_argument("--if-id", action="append", required=True, help="AWS_IP=N")
    s = sub.add_parser("all")
    s.add_argument("--json", required=True)
    s.add_argument("--dir", required=True)
    s.add_argument("--ep1", required=True, help="AWS endpoint 1 outside IP (tunnel/if_id 1)")
    s.add_argument("--ep2", required=True)
    s.add_argument("--vpc", action="append", required=True)
    s.add_argument("--lan", action="append", required=True)
    s.add_argument("--static-updown", help="updown script for AWS endpoints in static mode")
    a = p.parse_args()
    {"all": cmd_all, "info": cmd_info, "vgw-ike": cmd_vgw_ike, "vgw-bgp": cmd_vgw_bgp, "baseline": cmd_baseline}[a.cmd](a)


if __name__ == "__main__":
    main()
