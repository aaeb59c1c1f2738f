# -*- coding: utf-8 -*-
# Copyright: odc.buildout developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Domain: server-facing ports on leaves (LAGs, EVPN multihoming ESIs, access ports)."""

from __future__ import annotations

from ansible_collections.odc.buildout.plugins.plugin_utils._fabric import _names
from ansible_collections.odc.buildout.plugins.plugin_utils._fabric._base import Builder, peer_fields

PROTECTED_STATUS = ("active",)


class AccessBuilder(Builder):
    KEYS = ("port_channels", "access_ports")
    ROLES = ("leaf",)

    def port_channels(self, sw):
        out = []
        for pc in sw.port_channels:
            out.append({
                "name": pc.name, "description": "%s %s" % (pc.server, pc.server_lag), "members": list(pc.members),
                "mode": pc.mode, "untagged_vlan": pc.untagged_vlan, "tagged_vlans": list(pc.tagged_vlans),
                "mtu": self.settings.server_mtu, "peer_device": pc.server, "peer_interface": pc.server_lag,
                "peer_status": pc.server_status, "protected": pc.server_status in PROTECTED_STATUS,
                "lacp": {"mode": "active", "rate": "fast"},
                "evpn_mh": {"es_id": pc.es_id, "es_sys_mac": pc.es_sys_mac,
                            "esi": _names.esi_type3(pc.es_sys_mac, pc.es_id)},
            })
        return out

    def access_ports(self, sw):
        """Every non-fabric port with a cable: LAG members, OOB uplink, management."""
        return [access_port(p, self.settings.server_mtu if p.kind == "server" else 1500)
                for p in sw.ports if p.kind != "fabric"]


def access_port(port, mtu):
    out = {"name": port.name, "description": port.description, "kind": port.kind, "mode": port.mode,
           "untagged_vlan": port.untagged_vlan, "tagged_vlans": list(port.tagged_vlans), "mtu": mtu,
           "channel_group": port.lag,
           "protected": bool(port.peer and port.peer.status in PROTECTED_STATUS)}
    out.update(peer_fields(port.peer))
    return out
