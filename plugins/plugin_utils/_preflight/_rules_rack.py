# Copyright: odc.buildout developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Rack space and rack power.

Power: the load of a rack is the sum of ``allocated_draw`` (else
``maximum_draw``) of every power port of its devices, PDUs excepted (a PDU's
inlet carries the load of what is plugged into it). A feed delivers
``voltage x amperage x max_utilization %`` (x sqrt(3) for three-phase).
Redundancy: when the rack has ``redundant`` feeds (A+B), the whole load must
fit on the primary side alone and on the redundant side alone (lose one
side, keep the rack up); with primary feeds only, their capacities add up.
"""

import math
from decimal import Decimal

from ansible_collections.odc.buildout.plugins.plugin_utils._netbox._snapshot import (
    value,
)
from ansible_collections.odc.buildout.plugins.plugin_utils._preflight._context import (
    role,
)
from ansible_collections.odc.buildout.plugins.plugin_utils._preflight._registry import (
    rule,
)

HALF = Decimal("0.5")


def _racked(ctx, rack):
    """(device, position, height, full depth, face) for devices mounted in a rack unit."""
    out = []
    for dev in ctx.site_devices():
        if (dev.get("rack") or {}).get("id") != rack["id"] or dev.get("position") is None:
            continue
        dtype = ctx.device_types.get((dev.get("device_type") or {}).get("id"), {})
        height = Decimal(str(dtype.get("u_height", 1)))
        if height <= 0:
            continue
        out.append((dev, Decimal(str(dev["position"])), height, dtype.get("is_full_depth", True),
                    value(dev.get("face"))))
    return sorted(out, key=lambda item: (item[1], item[0].get("name") or ""))


def _units(position, height):
    unit = position
    while unit < position + height:
        yield unit
        unit += HALF


def _u(number):
    return f"U{number.normalize():f}"


@rule("ODC-RACK-001", "Rack units do not overlap")
def rack_overlap(ctx, report):
    for rack in ctx.racks():
        taken = {}  # (unit, face) -> device
        for dev, pos, height, full_depth, face in _racked(ctx, rack):
            faces = ("front", "rear") if full_depth or not face else (face,)
            clash = sorted({taken[(u, f)]["name"] for u in _units(pos, height) for f in faces if (u, f) in taken})
            if clash and ctx.in_scope(dev):
                report("dcim.device", dev, "position",
                       f"{dev['name']} ({_u(pos)}, {height.normalize():f}U, {'full depth' if full_depth else face}) "
                       f"overlaps {', '.join(clash)} in rack {rack['name']}.")
            for u in _units(pos, height):
                for f in faces:
                    taken.setdefault((u, f), dev)


@rule("ODC-RACK-002", "Devices fit in their rack")
def rack_fit(ctx, report):
    for rack in ctx.racks():
        start = Decimal(str(rack.get("starting_unit") or 1))
        top = start + Decimal(str(rack.get("u_height") or 0)) - 1
        for dev, pos, height, _full, _face in _racked(ctx, rack):
            last = pos + height - 1 if height >= 1 else pos
            if ctx.in_scope(dev) and (pos < start or last > top):
                report("dcim.device", dev, "position",
                       f"{dev['name']} at {_u(pos)} is {height.normalize():f}U tall and does not fit in rack "
                       f"{rack['name']} ({_u(start)}-{_u(top)}).")


def feed_capacity(feed):
    """Watts one feed can deliver."""
    volts = feed.get("voltage") or 0
    amps = feed.get("amperage") or 0
    util = feed.get("max_utilization") or 0
    watts = abs(volts) * amps * util / 100.0
    if value(feed.get("phase")) == "three-phase":
        watts *= math.sqrt(3)
    return int(watts)


def rack_load(ctx, rack):
    devices = {d["id"] for d in ctx.site_devices()
               if (d.get("rack") or {}).get("id") == rack["id"] and role(d) != "pdu"}
    return sum(p.get("allocated_draw") or p.get("maximum_draw") or 0
               for p in ctx.nb.data["power_ports"] if (p.get("device") or {}).get("id") in devices)


def _feeds(ctx, rack):
    return sorted((f for f in ctx.nb.data["power_feeds"] if (f.get("rack") or {}).get("id") == rack["id"]),
                  key=lambda f: f["name"])


def _fmt(watts):
    return f"{watts:,} W"


@rule("ODC-PWR-001", "The allocated power of a rack fits its feeds (with A+B feeds: on one side)")
def rack_power(ctx, report):
    for rack in ctx.racks():
        feeds = _feeds(ctx, rack)
        load = rack_load(ctx, rack)
        if not feeds or not load:
            continue  # ODC-PWR-002
        primary = [f for f in feeds if value(f.get("type")) != "redundant"]
        redundant = [f for f in feeds if value(f.get("type")) == "redundant"]
        sides = [("primary", primary)] + ([("redundant", redundant)] if redundant else [])
        for side, side_feeds in sides:
            capacity = sum(feed_capacity(f) for f in side_feeds)
            if load <= capacity:
                continue
            detail = ", ".join(f"{f['name']}: {f.get('voltage')} V x {f.get('amperage')} A x "
                               f"{f.get('max_utilization')} % = {_fmt(feed_capacity(f))}" for f in side_feeds)
            rule_text = ("with A+B feeds the whole load must fit on one side" if redundant
                         else "the primary feeds add up")
            report("dcim.rack", rack, "power_feeds",
                   f"Rack {rack['name']} allocates {_fmt(load)} but its {side} feed side delivers "
                   f"{_fmt(capacity)} ({detail}); {rule_text}.")


@rule("ODC-PWR-002", "A rack with powered devices has a power feed")
def rack_has_feed(ctx, report):
    for rack in ctx.racks():
        load = rack_load(ctx, rack)
        if load and not _feeds(ctx, rack):
            report("dcim.rack", rack, "power_feeds",
                   f"Rack {rack['name']} allocates {_fmt(load)} but has no power feed.")
