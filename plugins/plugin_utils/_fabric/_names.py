# -*- coding: utf-8 -*-
# Copyright: odc.buildout developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Naming conventions of the fabric design, in one place."""

from __future__ import annotations

import re


def bridge(vid):
    """Linux bridge (traditional mode, one per VLAN: the kernel has no vlan_filtering)."""
    return "br%d" % vid


def vxlan(vni):
    return "vni%d" % vni


def esi_type3(sys_mac, es_id):
    """RFC 7432 type-3 (MAC-based) ESI as FRR derives it from es-sys-mac + es-id."""
    local = "%06x" % es_id
    return "03:%s:%s:%s:%s" % (sys_mac.lower(), local[0:2], local[2:4], local[4:6])


def sonic_port(name):
    """NetBox port name -> SONiC name (swpN -> Ethernet{4(N-1)}, bondN -> PortChannelN)."""
    match = re.fullmatch(r"swp(\d+)", name)
    if match:
        return "Ethernet%d" % (4 * (int(match.group(1)) - 1))
    match = re.fullmatch(r"bond(\d+)", name)
    if match:
        return "PortChannel%d" % int(match.group(1))
    if name == "eth0":
        return "eth0"
    return name
