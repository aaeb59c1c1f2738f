# -*- coding: utf-8 -*-
# Copyright: odc.buildout developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Domain: host network of each fabric-attached server (rendered as NMState)."""

from __future__ import annotations

import ipaddress

from ansible_collections.odc.buildout.plugins.plugin_utils._fabric._base import Builder


class HostBuilder(Builder):
    KEYS = ("metadata", "ethernets", "bond", "vlan_interfaces", "addresses", "routes", "dns")
    SCOPE = "server"

    def metadata(self, srv):
        return {"hostname": srv.name, "site": self.fabric.site, "rack": srv.rack, "status": srv.status,
                "platform": srv.platform, "netbox_url": srv.url}

    def ethernets(self, srv):
        return [{"name": u.name, "mac": u.mac, "mtu": self.settings.server_mtu, "boot": u.boot,
                 "peer_device": u.leaf, "peer_interface": u.leaf_port} for u in srv.uplinks]

    def bond(self, srv):
        return {"name": srv.lag, "mode": self.settings.bond_mode, "ports": [u.name for u in srv.uplinks],
                "mtu": self.settings.server_mtu,
                "options": {"miimon": 100, "lacp_rate": "fast", "xmit_hash_policy": "layer3+4"},
                "untagged_vlan": srv.untagged_vlan, "tagged_vlans": list(srv.tagged_vlans)}

    def vlan_interfaces(self, srv):
        named = dict((vid, name) for name, vid in srv.vlan_interfaces)
        out = []
        for vid in srv.tagged_vlans:
            out.append({"name": named.get(vid, "%s.%d" % (srv.lag, vid)), "id": vid, "base": srv.lag,
                        "mtu": self.settings.server_mtu})
        return out

    def addresses(self, srv):
        return [{"interface": a.interface, "address": a.address, "ip": a.address.split("/")[0],
                 "prefix_length": int(a.address.split("/")[1]), "vlan": a.vlan, "dns_name": a.dns_name}
                for a in srv.addresses]

    def routes(self, srv):
        """Default route via the anycast gateway of the primary address's VLAN (else the first L3 one)."""
        ordered = sorted(srv.addresses, key=lambda a: a.address != srv.primary_ip)
        for addr in ordered:
            vlan = self.fabric.vlans.get(addr.vlan)
            if vlan and vlan.gateway:
                gateway = str(ipaddress.ip_interface(vlan.gateway).ip)
                return [{"destination": "0.0.0.0/0", "next_hop": gateway, "interface": addr.interface}]
        return []

    def dns(self, srv):
        return {"servers": list(self.fabric.services.dns_servers), "search": list(self.fabric.services.dns_search)}
