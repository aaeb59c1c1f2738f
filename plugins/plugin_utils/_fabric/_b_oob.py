# -*- coding: utf-8 -*-
# Copyright: odc.buildout developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Domain: out-of-band network (oob switch ports, BMC DHCP reservations)."""

from __future__ import annotations

import ipaddress

from ansible_collections.odc.buildout.plugins.plugin_utils._fabric import _names
from ansible_collections.odc.buildout.plugins.plugin_utils._fabric._b_access import access_port
from ansible_collections.odc.buildout.plugins.plugin_utils._fabric._base import Builder


class OobSwitchBuilder(Builder):
    KEYS = ("access_ports", "vlans")
    ROLES = ("oob-switch",)

    def access_ports(self, sw):
        return [access_port(p, 1500) for p in sw.ports]

    def vlans(self, sw):
        members = {}
        for port in sw.ports:
            if port.untagged_vlan:
                members.setdefault(port.untagged_vlan, []).append(port.name)
        return [{"vid": vid, "name": self.fabric.vlans[vid].name if vid in self.fabric.vlans else "vlan%d" % vid,
                 "vni": None, "bridge": _names.bridge(vid), "vxlan_interface": None, "gateway": None,
                 "untagged_ports": ports, "tagged_ports": []}
                for vid, ports in sorted(members.items())]


class DhcpBuilder(Builder):
    """Site key ``dhcp``: one reservation per BMC MAC -> its NetBox IP."""
    KEYS = ("dhcp",)
    SCOPE = "site"

    def dhcp(self, fabric):
        reservations, subnets = [], {}
        for srv in sorted(fabric.servers.values(), key=lambda s: s.name):
            bmc = srv.bmc
            if bmc is None:
                continue
            iface = ipaddress.ip_interface(bmc.address)
            vlan = next((v for v in fabric.vlans.values()
                         if v.prefix and iface.ip in ipaddress.ip_network(v.prefix)), None)
            subnet = str(iface.network)
            subnets.setdefault(subnet, {"prefix": subnet, "network": str(iface.network.network_address),
                                        "vlan": vlan.vid if vlan else None,
                                        "vlan_name": vlan.name if vlan else None,
                                        "router": vlan.gateway.split("/")[0] if vlan and vlan.gateway else None,
                                        "netmask": str(iface.network.netmask), "tag": "bmc%d" % len(subnets)})
            reservations.append({"host": (bmc.dns_name or "%s-bmc" % srv.name).split(".")[0],
                                 "fqdn": bmc.dns_name, "mac": bmc.mac, "ip": str(iface.ip), "device": srv.name,
                                 "interface": bmc.interface, "oob_switch": bmc.oob_switch,
                                 "oob_port": bmc.oob_port, "subnet": subnet})
        services = fabric.services
        return {"subnets": [subnets[k] for k in sorted(subnets)], "reservations": reservations,
                "dns_servers": list(services.dns_servers), "ntp_servers": list(services.ntp_servers),
                "domain": services.dns_search[0] if services.dns_search else None, "lease_time": "12h"}
