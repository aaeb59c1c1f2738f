# -*- coding: utf-8 -*-
# Copyright: odc.buildout developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Domain: EVPN/VXLAN on leaves (VTEP, VLAN bridges, VNIs, anycast gateways).

Design: every VNI-mapped VLAN of the site exists on every leaf, so routing
between L3 VLANs is asymmetric IRB in the default VRF (no L3VNI/VRF needed).
"""

from __future__ import annotations

from ansible_collections.odc.buildout.plugins.plugin_utils._fabric import _names
from ansible_collections.odc.buildout.plugins.plugin_utils._fabric._base import Builder


class EvpnBuilder(Builder):
    KEYS = ("vtep", "evpn", "vlans")
    ROLES = ("leaf",)

    def vtep(self, sw):
        return {"source_address": sw.router_id, "udp_port": self.settings.vxlan_port,
                "mtu": self.settings.server_mtu}

    def evpn(self, sw):
        return {"advertise_all_vni": True, "anycast_gateway_mac": self.settings.anycast_mac}

    def vlans(self, sw):
        untagged, tagged = {}, {}
        for item in list(sw.port_channels) + [p for p in sw.ports if p.kind in ("oob-uplink", "access") and p.mode]:
            if item.untagged_vlan:
                untagged.setdefault(item.untagged_vlan, []).append(item.name)
            for vid in item.tagged_vlans:
                tagged.setdefault(vid, []).append(item.name)
        out = []
        for vid in sorted(self.fabric.vlans):
            vlan = self.fabric.vlans[vid]
            if vlan.vni is None and vid not in untagged and vid not in tagged:
                continue
            out.append({
                "vid": vid, "name": vlan.name, "vni": vlan.vni, "bridge": _names.bridge(vid),
                "vxlan_interface": _names.vxlan(vlan.vni) if vlan.vni is not None else None,
                "gateway": ({"address": vlan.gateway, "mac": self.settings.anycast_mac}
                            if vlan.gateway and vlan.vni is not None else None),
                "untagged_ports": untagged.get(vid, []), "tagged_ports": tagged.get(vid, []),
            })
        return out
