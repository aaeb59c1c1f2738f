# -*- coding: utf-8 -*-
# Copyright: odc.buildout developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Rack summary: devices per role, rack units and allocated power, from a Snapshot."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.odc.buildout.plugins.plugin_utils._netbox._snapshot import slug, value


def feed_capacity_w(feed):
    """Usable watts of a power feed: V x A x max utilisation (x sqrt(3) for three-phase)."""
    watts = float(feed.get("voltage") or 0) * float(feed.get("amperage") or 0) * float(feed.get("max_utilization") or 100) / 100.0
    if value(feed.get("phase")) == "three-phase":
        watts *= 1.732
    return int(watts)


def rack_summaries(snap):
    """One dict per rack, in name order."""
    ports_by_device = {}
    for port in snap.data["power_ports"]:
        ports_by_device.setdefault(port["device"]["id"], []).append(port)
    u_height = {t["id"]: float(t.get("u_height") or 0) for t in snap.data.get("device_types", [])}
    out = []
    for rack in sorted(snap.data["racks"], key=lambda r: r["name"]):
        devices = [d for d in snap.data["devices"] if (d.get("rack") or {}).get("id") == rack["id"]]
        roles = {}
        units = 0
        power = 0
        for dev in devices:
            roles[slug(dev.get("role"))] = roles.get(slug(dev.get("role")), 0) + 1
            if dev.get("position"):
                units += int(u_height.get((dev.get("device_type") or {}).get("id"), 0))
            power += sum(int(p.get("allocated_draw") or 0) for p in ports_by_device.get(dev["id"], []))
        feeds = [f for f in snap.data["power_feeds"] if (f.get("rack") or {}).get("id") == rack["id"]]
        statuses = {}
        for dev in devices:
            statuses[value(dev.get("status"))] = statuses.get(value(dev.get("status")), 0) + 1
        out.append({
            "rack": rack["name"],
            "id": rack["id"],
            "u_height": rack.get("u_height"),
            "devices": len(devices),
            "roles": dict(sorted(roles.items())),
            "statuses": dict(sorted(statuses.items())),
            "units_used": units,
            "allocated_power_w": power,
            "feeds": [f["name"] for f in feeds],
            "feed_capacity_w": min([feed_capacity_w(f) for f in feeds]) if feeds else 0,
        })
    return out


def summary_lines(site, racks):
    lines = ["Site %s: %d racks" % (site, len(racks))]
    for r in racks:
        roles = ", ".join("%d %s" % (n, role) for role, n in r["roles"].items())
        lines.append("%s: %d devices (%s); %s/%s U used; %d W allocated, %d W per feed (%s); status %s" % (
            r["rack"], r["devices"], roles, r["units_used"], r["u_height"], r["allocated_power_w"],
            r["feed_capacity_w"], "+".join(r["feeds"]) or "no feeds",
            ", ".join("%s=%d" % kv for kv in r["statuses"].items())))
    return lines
