# -*- coding: utf-8 -*-
# Copyright: odc.buildout developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Domain: documentation data (site topology for the Mermaid diagram, summary)."""

from __future__ import annotations

import re

from ansible_collections.odc.buildout.plugins.plugin_utils._fabric._base import Builder
from ansible_collections.odc.buildout.plugins.plugin_utils._fabric._load import natural_key


def node_id(name):
    return "n_" + re.sub(r"[^A-Za-z0-9]", "_", name)


class SiteBuilder(Builder):
    KEYS = ("metadata", "vlans", "topology", "summary")
    SCOPE = "site"

    def metadata(self, fabric):
        return {"site": fabric.site, "name": fabric.site_name, "netbox_url": fabric.netbox_url}

    def vlans(self, fabric):
        return [{"vid": v.vid, "name": v.name, "vni": v.vni, "prefix": v.prefix, "gateway": v.gateway}
                for v in sorted(fabric.vlans.values(), key=lambda v: v.vid)]

    def topology(self, fabric):
        """Nodes and links for the Mermaid diagram (ids are Mermaid-safe)."""
        links, seen = [], set()
        for sw in sorted(fabric.switches.values(), key=lambda s: natural_key(s.name)):
            for port in sw.ports:
                if port.kind != "fabric":
                    continue
                key = tuple(sorted([(sw.name, port.name), (port.peer.device, port.peer.interface)]))
                if key in seen:
                    continue
                seen.add(key)
                links.append({"a": sw.name, "a_id": node_id(sw.name), "a_interface": port.name,
                              "b": port.peer.device, "b_id": node_id(port.peer.device),
                              "b_interface": port.peer.interface})
        racks = []
        for rack in sorted({s.rack for s in fabric.switches.values()} | {s.rack for s in fabric.servers.values()},
                           key=natural_key):
            servers = [s for s in sorted(fabric.servers.values(), key=lambda s: natural_key(s.name))
                       if s.rack == rack and s.uplinks]
            leaves = sorted(fabric.leaves_in(rack), key=lambda s: natural_key(s.name))
            oobs = sorted((s for s in fabric.by_role("oob-switch") if s.rack == rack), key=lambda s: natural_key(s.name))
            if not (leaves or servers or oobs):
                continue
            vids = sorted({v for s in servers for v in ([s.untagged_vlan] if s.untagged_vlan else [])
                           + list(s.tagged_vlans)})
            racks.append({
                "rack": rack, "id": node_id("rack " + rack),
                "leaves": [{"id": node_id(s.name), "name": s.name, "asn": s.asn, "loopback": s.loopback}
                           for s in leaves],
                "oob_switches": [{"id": node_id(s.name), "name": s.name} for s in oobs],
                "servers": {"id": node_id("servers " + rack), "count": len(servers),
                            "names": [s.name for s in servers], "vlans": vids},
            })
        return {"spines": [{"id": node_id(s.name), "name": s.name, "asn": s.asn, "loopback": s.loopback}
                           for s in sorted(fabric.by_role("spine"), key=lambda s: natural_key(s.name))],
                "racks": racks, "links": links}

    def summary(self, fabric):
        return {"spines": len(fabric.by_role("spine")), "leaves": len(fabric.by_role("leaf")),
                "oob_switches": len(fabric.by_role("oob-switch")),
                "servers": sum(1 for s in fabric.servers.values() if s.uplinks),
                "vnis": sum(1 for v in fabric.vlans.values() if v.vni is not None),
                "bgp_sessions": sum(1 for s in fabric.by_role("leaf") for p in s.ports if p.kind == "fabric")}
