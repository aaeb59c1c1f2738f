# -*- coding: utf-8 -*-
# Copyright: odc.buildout developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Domain: the lab stand-in (what the namespace lab can and cannot carry).

The lab kernel has no bonding, no 802.1Q sub-interfaces and no
vlan_filtering.  So, plainly:

* each VLAN is its own Linux bridge on the switch;
* a leaf LAG's member port joins the bridge of the LAG's untagged VLAN
  directly (the bondN exists only in FRR, for EVPN-MH config);
* a server uses ONE uplink (the boot NIC, else the first) for data; its
  other uplinks are cabled but kept down, so no loop and no ARP confusion;
* tagged VLANs are not carried in the lab (listed under ``not_carried``).
"""

from __future__ import annotations

from ansible_collections.odc.buildout.plugins.plugin_utils._fabric import _names
from ansible_collections.odc.buildout.plugins.plugin_utils._fabric._base import Builder


class SwitchLabBuilder(Builder):
    KEYS = ("lab",)

    def lab(self, sw):
        ports, not_carried = {}, []
        items = [(pc.name, pc.members, pc.untagged_vlan, pc.tagged_vlans) for pc in sw.port_channels]
        items += [(p.name, [p.name], p.untagged_vlan, p.tagged_vlans) for p in sw.ports
                  if p.kind in ("oob-uplink", "access", "bmc", "mgmt") and p.mode and not p.lag]
        for name, members, untagged, tagged in items:
            if untagged:
                ports.setdefault(untagged, []).extend(members)
            if tagged:
                not_carried.append({"port": name, "vlans": list(tagged)})
        evpn = {v.vid for v in self.fabric.vlans.values() if v.vni is not None} if sw.role == "leaf" else set()
        bridges = []
        for vid in sorted(set(ports) | evpn):
            vlan = self.fabric.vlans.get(vid)
            vni = vlan.vni if vlan and sw.role == "leaf" else None
            vxlan_if = _names.vxlan(vni) if vni is not None else None
            gateway = ({"address": vlan.gateway, "mac": self.settings.anycast_mac}
                       if vni is not None and vlan.gateway else None)
            members = ([vxlan_if] if vxlan_if else []) + ports.get(vid, [])
            bridges.append({"bridge": _names.bridge(vid), "vid": vid, "name": vlan.name if vlan else "",
                            "vni": vni, "vxlan_interface": vxlan_if, "gateway": gateway,
                            "ports": ports.get(vid, []), "members": members})
        vtep = ({"source_address": sw.router_id, "udp_port": self.settings.vxlan_port, "mtu": self.settings.server_mtu}
                if sw.role == "leaf" else None)
        return {"bridges": bridges, "vtep": vtep, "not_carried": not_carried,
                "bridge_names": [b["bridge"] for b in bridges],
                "vxlan_names": [b["vxlan_interface"] for b in bridges if b["vxlan_interface"]]}


class ServerLabBuilder(Builder):
    KEYS = ("lab",)
    SCOPE = "server"

    def lab(self, srv):
        if not srv.uplinks:
            return None
        uplink = next((u for u in srv.uplinks if u.boot), srv.uplinks[0])
        untagged = [a for a in srv.addresses if a.vlan == srv.untagged_vlan]
        address = untagged[0].address if untagged else None
        vlan = self.fabric.vlans.get(srv.untagged_vlan)
        gateway = vlan.gateway.split("/")[0] if vlan and vlan.gateway else None
        return {"uplink": uplink.name, "leaf": uplink.leaf, "leaf_port": uplink.leaf_port,
                "standby": [u.name for u in srv.uplinks if u is not uplink],
                "cables": [{"interface": u.name, "mac": u.mac, "leaf": u.leaf, "leaf_port": u.leaf_port}
                           for u in srv.uplinks],
                "address": address, "vlan": srv.untagged_vlan, "gateway": gateway,
                "mtu": self.settings.server_mtu,
                "not_carried": [a.address for a in srv.addresses if a.vlan != srv.untagged_vlan]}
