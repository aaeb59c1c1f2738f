# -*- coding: utf-8 -*-
# Copyright: odc.buildout developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Domain: underlay (loopbacks, fabric links, eBGP unnumbered, EVPN sessions)."""

from __future__ import annotations

from ansible_collections.odc.buildout.plugins.plugin_utils._fabric._base import Builder


class UnderlayBuilder(Builder):
    KEYS = ("loopback", "fabric_interfaces", "router_bgp")
    ROLES = ("spine", "leaf")

    def loopback(self, sw):
        return {"interface": "lo", "address": sw.loopback}

    def fabric_interfaces(self, sw):
        return [{"name": p.name, "description": p.description, "mtu": self.settings.fabric_mtu,
                 "peer_device": p.peer.device, "peer_interface": p.peer.interface,
                 "evpn_mh_uplink": sw.role == "leaf"}
                for p in sw.ports if p.kind == "fabric"]

    def router_bgp(self, sw):
        """eBGP unnumbered on every fabric link; the same session carries ipv4 and l2vpn evpn."""
        neighbors = []
        for port in sw.ports:
            if port.kind != "fabric":
                continue
            peer = self.fabric.switches[port.peer.device]
            neighbors.append({"interface": port.name, "remote_as": peer.asn, "peer_device": peer.name,
                              "peer_interface": port.peer.interface,
                              "description": "%s %s" % (peer.name, port.peer.interface),
                              "address_families": ["ipv4_unicast", "l2vpn_evpn"]})
        return {"asn": sw.asn, "router_id": sw.router_id, "neighbors": neighbors,
                "networks": [sw.loopback], "maximum_paths": self.settings.maximum_paths}
