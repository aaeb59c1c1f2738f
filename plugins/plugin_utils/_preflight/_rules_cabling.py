# Copyright: odc.buildout developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Cabling as designed: link roles, uplinks to the leaf pair, VLANs on both ends."""

from ansible_collections.odc.buildout.plugins.plugin_utils._preflight._context import (
    has_tag,
    link_role,
    role,
)
from ansible_collections.odc.buildout.plugins.plugin_utils._preflight._finding import (
    WARNING,
)
from ansible_collections.odc.buildout.plugins.plugin_utils._preflight._registry import (
    rule,
)

# link role at one end -> link roles allowed at the other end (None: not set)
PEER_LINK_ROLES = {
    "uplink": ("uplink",),
    "fabric": ("fabric",),
    "oob-uplink": ("oob-uplink",),
    "bmc": (None, "bmc"),
    "mgmt": (None, "mgmt"),
}
# link role -> device role the far end must have (only where the far end carries no link role)
PEER_DEVICE_ROLES = {"bmc": ("oob-switch",), "mgmt": ("oob-switch",)}


def _label(iface):
    return f"{(iface.get('device') or {}).get('name')} {iface.get('name')}"


def _designed(ctx):
    """(device, interface, link role) for every in-scope interface the design says is cabled."""
    for dev in ctx.devices():
        for iface in ctx.interfaces(dev):
            wanted = link_role(iface)
            if wanted:
                yield dev, iface, wanted


@rule("ODC-CABLE-001", "Interfaces with a link role are cabled")
def cabled(ctx, report):
    for _dev, iface, wanted in _designed(ctx):
        if ctx.peer(iface) is not None:
            continue
        if iface.get("cable") or iface.get("mark_connected"):
            report("dcim.interface", iface, "cable",
                   f"{_label(iface)} (link role {wanted}) is connected but not to an interface NetBox can "
                   "follow; the far end cannot be checked.", WARNING)
        else:
            report("dcim.interface", iface, "cable",
                   f"{_label(iface)} must be cabled (link role {wanted}) but has no cable.")


@rule("ODC-CABLE-002", "Both ends of a designed link agree (uplink-uplink, fabric-fabric, bmc-OOB switch, ...)")
def cable_ends(ctx, report):
    seen_cables = set()
    for _dev, iface, wanted in _designed(ctx):
        peer = ctx.peer(iface)
        if peer is None or "custom_fields" not in peer:
            continue  # ODC-CABLE-001, or the far end is outside the snapshot
        cable = (iface.get("cable") or {}).get("id")
        if cable in seen_cables:
            continue
        peer_role = link_role(peer)
        problem = None
        if peer_role not in PEER_LINK_ROLES.get(wanted, (wanted,)):
            allowed = " or ".join(r or "none" for r in PEER_LINK_ROLES.get(wanted, (wanted,)))
            problem = (f"{_label(iface)} (link role {wanted}) is cabled to {_label(peer)}, whose link role is "
                       f"{peer_role or 'not set'}; expected {allowed}.")
        elif wanted in PEER_DEVICE_ROLES:
            peer_dev = ctx.device(peer.get("device"))
            if peer_dev is not None and role(peer_dev) not in PEER_DEVICE_ROLES[wanted]:
                problem = (f"{_label(iface)} (link role {wanted}) is cabled to {_label(peer)}, a {role(peer_dev)}; "
                           f"it must land on an {' or '.join(PEER_DEVICE_ROLES[wanted])} port.")
        if problem:
            seen_cables.add(cable)
            report("dcim.interface", iface, "custom_fields.odc_link_role", problem)


def _server_uplinks(ctx, dev):
    return [i for i in ctx.interfaces(dev) if link_role(i) == "uplink"]


@rule("ODC-UPLINK-001", "Server uplinks land on leaf ports")
def uplinks_on_leaves(ctx, report):
    for dev in ctx.devices("server"):
        for iface in _server_uplinks(ctx, dev):
            peer = ctx.peer(iface)
            peer_dev = ctx.device(peer.get("device")) if peer else None
            if peer_dev is not None and role(peer_dev) != "leaf":
                report("dcim.interface", iface, "cable",
                       f"Server uplink {_label(iface)} is cabled to {_label(peer)}, a {role(peer_dev)}; "
                       "server uplinks must land on leaf ports.")


def leaf_pair(ctx, rack_ref):
    return sorted((d for d in ctx.site_devices("leaf") if rack_ref and (d.get("rack") or {}).get("id") == rack_ref["id"]),
                  key=lambda d: d["name"])


@rule("ODC-UPLINK-002", "Dual-homed servers land on the two leaves of their rack's leaf pair, in a leaf LAG")
def dual_homed(ctx, report):
    for dev in ctx.devices("server"):
        uplinks = _server_uplinks(ctx, dev)
        lags = {}
        for iface in uplinks:
            if iface.get("lag"):
                lags.setdefault(iface["lag"]["id"], []).append(iface)
        bonded = {k: v for k, v in lags.items() if len(v) >= 2}
        if not has_tag(dev, "dual-homed") and not bonded:
            continue
        if not bonded:
            report("dcim.device", dev, "interfaces.lag",
                   f"{dev['name']} is tagged dual-homed but has no LAG with two uplinks "
                   f"(uplinks: {', '.join(i['name'] for i in uplinks) or 'none'}).")
            continue
        pair = leaf_pair(ctx, dev.get("rack"))
        rack = (dev.get("rack") or {}).get("name") or "no rack"
        if len(pair) != 2:
            report("dcim.device", dev, "rack",
                   f"{dev['name']} is dual-homed but its rack {rack} has {len(pair)} "
                   f"{'leaf' if len(pair) == 1 else 'leaves'} "
                   f"({', '.join(d['name'] for d in pair) or 'none'}); a leaf pair is two leaves in the rack.")
            continue
        pair_names = [d["name"] for d in pair]
        for members in bonded.values():
            lag = ctx.interface(members[0]["lag"]) or members[0]["lag"]
            peers = [(m, ctx.peer(m)) for m in members]
            landed = [(p.get("device") or {}).get("name") for _m, p in peers if p]
            if len(landed) < len(members):
                continue  # ODC-CABLE-001 reports the missing cables
            if set(landed) != set(pair_names):
                report("dcim.interface", lag, "lag",
                       f"{dev['name']} {lag['name']} uplinks land on {', '.join(landed)}; a dual-homed server needs "
                       f"one uplink on each leaf of rack {rack}'s pair ({', '.join(pair_names)}).")
                continue
            for member, peer in peers:
                if "custom_fields" in peer and not peer.get("lag"):
                    report("dcim.interface", peer, "lag",
                           f"{_label(peer)} (to {_label(member)}) is not in a LAG; a dual-homed server port on a leaf "
                           f"is a member of a bond (EVPN multihoming) matching {dev['name']} {lag['name']}.")


def _vlan_name(ctx, vlan_id):
    vlan = ctx.nb.by_id["vlans"].get(vlan_id)
    return f"VLAN {vlan['vid']} ({vlan['name']})" if vlan else f"VLAN #{vlan_id}"


@rule("ODC-VLAN-001", "The VLANs a server interface needs exist on the leaf port (or LAG) it is cabled to")
def vlans_on_leaf(ctx, report):
    for dev in ctx.site_devices("server"):
        for iface in sorted(_server_uplinks(ctx, dev), key=lambda i: i["name"]):
            peer = ctx.peer(iface)
            peer_dev = ctx.device(peer.get("device")) if peer else None
            if peer_dev is None or role(peer_dev) != "leaf" or "custom_fields" not in peer:
                continue  # ODC-CABLE-001 / ODC-UPLINK-001
            if not (ctx.in_scope(dev) or ctx.in_scope(peer_dev)):
                continue
            holder, mode, untagged, tagged = ctx.vlan_config(iface)
            leaf_holder, leaf_mode, leaf_untagged, leaf_tagged = ctx.vlan_config(peer)
            needs = f"which {_label(holder)} needs"
            if untagged and untagged != leaf_untagged:
                have = "tagged only" if untagged in leaf_tagged else (
                    f"untagged {_vlan_name(ctx, leaf_untagged)} instead" if leaf_untagged else "not at all")
                report("dcim.interface", leaf_holder, "untagged_vlan",
                       f"{_label(leaf_holder)} (to {_label(iface)}) does not carry {_vlan_name(ctx, untagged)} "
                       f"untagged ({have}), {needs}.")
            if mode == "tagged-all" or leaf_mode == "tagged-all":
                continue
            for vlan in sorted(tagged - leaf_tagged):
                have = "untagged only" if vlan == leaf_untagged else "not at all"
                report("dcim.interface", leaf_holder, "tagged_vlans",
                       f"{_label(leaf_holder)} (to {_label(iface)}) does not carry {_vlan_name(ctx, vlan)} tagged "
                       f"({have}), {needs}.")
