# -*- coding: utf-8 -*-
# Copyright: odc.buildout developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Generate NetBox-shaped (REST) snapshots of fabric topologies in memory.

The shape follows what NetBox 4.7 returns (and what Snapshot.fetch stores),
reduced to the fields the fabric stage reads.  Used by the unit tests (golden
files for a single rack and a 4-pair site), the negative tests (mutate one
object) and the benchmark (2 spines, 16 leaves, 320 servers).

Conventions mirror the demo site: spines AS 65000, leaf ASN 65000+100*rack+n,
loopbacks 10.255.0.S (spines) and 10.255.R.N (leaves), leaf swp51/52 -> spine01/02, server ens1f0 -> leaf01
swpN, ens1f1 -> leaf02 swpN, bond0 / leaf bondN, BMC -> oob swpN (VLAN 100).
"""

from __future__ import annotations

import itertools

BASE = "http://netbox.example"
VLANS = ((10, "hv-mgmt", 10010, "10.10.0.0/22", "10.10.0.1/22"),
         (20, "vm-prod", 10020, "10.20.0.0/24", "10.20.0.1/24"),
         (30, "storage", 10030, "10.30.0.0/24", None),
         (40, "ocp-machine", 10040, "10.40.0.0/22", "10.40.0.1/22"),
         (100, "oob-bmc", None, "127.0.12.0/22", None))
SERVICES = {"dns_servers": ["10.255.255.53"], "ntp_servers": ["10.255.255.1", "10.255.255.2"],
            "dns_search": ["lab.odc.example"], "syslog_servers": []}


class Gen:
    def __init__(self, site="odc-gen"):
        self.site = site
        self.ids = itertools.count(1)
        self.data = {k: [] for k in ("sites", "racks", "devices", "interfaces", "ip_addresses", "prefixes", "vlans",
                                     "asns", "l2vpns", "l2vpn_terminations", "cables")}
        self.data["sites"].append({"id": 1, "name": site.upper(), "slug": site})
        self.data["netbox_url"] = BASE
        self.dev = {}
        self.ifs = {}
        self.vlan_by_vid = {}

    def _url(self, kind, oid):
        return "%s/%s/%d/" % (BASE, kind, oid)

    def vlan_nested(self, vid):
        vlan = self.vlan_by_vid[vid]
        return {"id": vlan["id"], "vid": vid, "name": vlan["name"]}

    def vlans(self, vlans=VLANS):
        for vid, name, vni, prefix, gateway in vlans:
            vlan = {"id": next(self.ids), "vid": vid, "name": name, "status": {"value": "active"}}
            vlan["display_url"] = self._url("ipam/vlans", vlan["id"])
            self.data["vlans"].append(vlan)
            self.vlan_by_vid[vid] = vlan
            self.data["prefixes"].append({"id": next(self.ids), "prefix": prefix, "vlan": {"id": vlan["id"], "vid": vid}})
            if vni:
                l2 = {"id": next(self.ids), "identifier": vni, "name": "vni-%d" % vni, "type": {"value": "vxlan-evpn"}}
                self.data["l2vpns"].append(l2)
                self.data["l2vpn_terminations"].append({"id": next(self.ids), "l2vpn": {"id": l2["id"]},
                                                        "assigned_object_type": "ipam.vlan",
                                                        "assigned_object_id": vlan["id"]})
            if gateway:
                self.ip(gateway, None, role="anycast")

    def device(self, name, role, rack, status="staged", platform="cumulus-linux", asn=None, tags=(), context=None):
        dev = {"id": next(self.ids), "name": name, "role": {"slug": role}, "platform": {"slug": platform},
               "status": {"value": status}, "rack": {"name": rack}, "site": {"slug": self.site},
               "custom_fields": {"odc_asn": {"asn": asn} if asn else None}, "tags": [{"slug": t} for t in tags],
               "primary_ip4": None, "config_context": context}
        dev["display_url"] = self._url("dcim/devices", dev["id"])
        self.data["devices"].append(dev)
        self.dev[name] = dev
        return dev

    def iface(self, device, name, kind="25gbase-x-sfp28", link_role=None, lag=None, mode=None, untagged=None,
              tagged=(), mac=None, mgmt_only=False, boot=None, parent=None):
        dev = self.dev[device]
        iface = {"id": next(self.ids), "name": name, "device": {"id": dev["id"], "name": device},
                 "type": {"value": kind}, "enabled": True, "mtu": None, "mgmt_only": mgmt_only,
                 "lag": {"id": self.ifs[(device, lag)]["id"], "name": lag} if lag else None,
                 "parent": {"id": self.ifs[(device, parent)]["id"], "name": parent} if parent else None,
                 "mode": {"value": mode} if mode else None,
                 "untagged_vlan": self.vlan_nested(untagged) if untagged else None,
                 "tagged_vlans": [self.vlan_nested(v) for v in tagged],
                 "custom_fields": {"odc_link_role": {"value": link_role} if link_role else None, "odc_boot": boot},
                 "mac_address": mac, "primary_mac_address": None, "cable": None, "cable_end": None,
                 "link_peers": [], "link_peers_type": None, "tags": [], "l2vpn_termination": None}
        iface["display_url"] = self._url("dcim/interfaces", iface["id"])
        self.data["interfaces"].append(iface)
        self.ifs[(device, name)] = iface
        return iface

    def cable(self, a_dev, a_if, b_dev, b_if):
        a, b = self.ifs[(a_dev, a_if)], self.ifs[(b_dev, b_if)]
        cid = next(self.ids)
        for end, this, other in (("A", a, b), ("B", b, a)):
            this["cable"] = {"id": cid}
            this["cable_end"] = end
            this["link_peers"] = [{"id": other["id"], "name": other["name"], "device": dict(other["device"])}]
            this["link_peers_type"] = "dcim.interface"
        self.data["cables"].append({"id": cid})

    def ip(self, address, iface, role=None, dns_name=""):
        ip = {"id": next(self.ids), "address": address, "role": {"value": role} if role else None,
              "status": {"value": "active"}, "dns_name": dns_name,
              "assigned_object_type": "dcim.interface" if iface else None,
              "assigned_object_id": iface["id"] if iface else None}
        ip["display_url"] = self._url("ipam/ip-addresses", ip["id"])
        self.data["ip_addresses"].append(ip)
        return ip


def generate(site="odc-gen", spines=2, racks=2, servers_per_rack=8, oob=True, uplinks=2, status="planned",
             server_vlans=None):
    """A site: ``racks`` racks with one leaf pair each, ``servers_per_rack`` dual-homed servers per rack.

    ``server_vlans(rack, n)`` -> (mode, untagged, tagged) picks each server's VLANs; the default alternates
    VLAN 40 (first half) and VLAN 10 (second half), with server 5 trunking 10 + 20,30 as in the demo site.
    """
    gen = Gen(site)
    gen.vlans()
    context = dict(SERVICES)
    for s in range(1, spines + 1):
        name = "spine%02d" % s
        gen.device(name, "spine", "R%02d" % min(s, racks), asn=65000, context=context if s == 1 else None)
        gen.iface(name, "lo", kind="virtual")
        gen.ip("10.255.0.%d/32" % s, gen.ifs[(name, "lo")], role="loopback")
        for port in range(1, 2 * racks + 1):
            gen.iface(name, "swp%d" % port, kind="100gbase-x-qsfp28", link_role="fabric")
    host = itertools.count(10)
    bmc_host = itertools.count(11)
    pick = server_vlans or _default_vlans(servers_per_rack)
    for r in range(1, racks + 1):
        rack = "R%02d" % r
        leaves = []
        for n in (1, 2):
            leaf = "r%02d-leaf%02d" % (r, n)
            leaves.append(leaf)
            gen.device(leaf, "leaf", rack, asn=65000 + 100 * r + n)
            gen.iface(leaf, "lo", kind="virtual")
            gen.ip("10.255.%d.%d/32" % (r, n), gen.ifs[(leaf, "lo")], role="loopback")
            for s in range(1, spines + 1):
                gen.iface(leaf, "swp%d" % (50 + s), kind="100gbase-x-qsfp28", link_role="fabric")
                gen.cable(leaf, "swp%d" % (50 + s), "spine%02d" % s, "swp%d" % (2 * (r - 1) + n))
        if oob:
            oob_name = "r%02d-oob01" % r
            gen.device(oob_name, "oob-switch", rack)
        for i in range(1, servers_per_rack + 1):
            srv = "r%02d-srv%02d" % (r, i)
            mode, untagged, tagged = pick(r, i)
            gen.device(srv, "server", rack, status=status, platform="rhel-kvm", tags=("dual-homed",))
            gen.iface(srv, "bond0", kind="lag", mode=mode, untagged=untagged, tagged=tagged)
            for u in range(uplinks):
                nic = "ens1f%d" % u
                leaf = leaves[u]
                gen.iface(leaf, "bond%d" % i, kind="lag", mode=mode, untagged=untagged, tagged=tagged) \
                    if (leaf, "bond%d" % i) not in gen.ifs else None
                gen.iface(leaf, "swp%d" % i, link_role="uplink", lag="bond%d" % i)
                gen.iface(srv, nic, link_role="uplink", lag="bond0", mac=_mac(0xB0, r, i, u), boot=(u == 0))
                gen.cable(srv, nic, leaf, "swp%d" % i)
            vlan = gen.vlan_by_vid[untagged]
            prefix = next(p["prefix"] for p in gen.data["prefixes"] if p["vlan"]["id"] == vlan["id"])
            net, plen = prefix.split("/")
            octets = net.split(".")
            h = next(host)
            addr = "%s.%s.%d.%d/%s" % (octets[0], octets[1], int(octets[2]) + h // 250, h % 250 + 2, plen)
            ip = gen.ip(addr, gen.ifs[(srv, "bond0")], dns_name="%s.lab.odc.example" % srv)
            gen.dev[srv]["primary_ip4"] = {"id": ip["id"], "address": addr}
            if oob:
                gen.iface(srv, "BMC", kind="1000base-t", link_role="bmc", mgmt_only=True, mac=_mac(0xAC, r, i, 9))
                gen.iface(oob_name, "swp%d" % i, kind="1000base-t", mode="access", untagged=100)
                gen.cable(srv, "BMC", oob_name, "swp%d" % i)
                b = next(bmc_host)
                gen.ip("127.0.%d.%d/22" % (12 + b // 250, b % 250 + 1), gen.ifs[(srv, "BMC")],
                       dns_name="%s-bmc.lab.odc.example" % srv)
        if oob:
            for n, leaf in enumerate(leaves, 1):
                gen.iface(leaf, "swp49", kind="100gbase-x-qsfp28", link_role="oob-uplink", mode="access", untagged=100)
                gen.iface(oob_name, "swp%d" % (48 + n), kind="100gbase-x-qsfp28", link_role="oob-uplink",
                          mode="access", untagged=100)
                gen.cable(leaf, "swp49", oob_name, "swp%d" % (48 + n))
    return gen.data


def _default_vlans(per_rack):
    def pick(rack, n):
        if n == 5:
            return "tagged", 10, (20, 30)
        return ("access", 40, ()) if n <= per_rack // 2 else ("access", 10, ())
    return pick


def _mac(prefix, rack, n, port):
    return "%02X:7B:%02X:%02X:%02X:%02X" % (prefix, rack & 0xFF, (n >> 8) & 0xFF, n & 0xFF, port)


def single_rack():
    """One rack, one leaf pair, 2 spines, 4 servers."""
    return generate(site="odc-single", spines=2, racks=1, servers_per_rack=4)


def four_pairs():
    """2 spines, 4 racks with a leaf pair each, 6 servers per rack."""
    return generate(site="odc-quad", spines=2, racks=4, servers_per_rack=6)


def bench_site():
    """2 spines, 16 leaves (8 pairs), 320 dual-homed servers (40 per rack)."""
    return generate(site="odc-bench", spines=2, racks=8, servers_per_rack=40)
