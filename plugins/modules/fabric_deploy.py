#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: odc.buildout developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: fabric_deploy
short_description: Push the fabric into the namespace lab (FRR, Linux bridges/VXLAN, server namespaces)
version_added: 0.1.0
description:
  - Action plugin, runs on the controller against the lab of C(lab/peers.py) (one namespace per switch,
    FRR zebra+bgpd each). Builds like M(odc.buildout.fabric_build), then plans every device before
    changing any, with the rendered lab script in dry-run mode and C(frr-reload.py --test) against the
    RUNNING config. Then it applies, in order, server namespaces and their veth cables to the leaves (named as in
    NetBox, NIC MACs from NetBox), the lab script, C(frr-reload.py --reload), and saves the startup C(frr.conf).
  - "Lab stand-in: the kernel has no bonding, 802.1Q or vlan_filtering. One bridge per VLAN; leaf LAG
    members are bridged directly; a server uses one uplink (the boot NIC), the others stay down; tagged
    VLANs are not carried. See C(docs/fabric.md)."
  - Safety. A planned change that re-bridges, detaches or deletes a port facing a device whose NetBox
    status is C(active) (or changes that LAG in FRR) is refused, and nothing is applied, unless O(force)
    with O(force_reason).
options:
  anycast_mac:
    description:
      - MAC address of the anycast gateway on every leaf (same on all leaves).
    type: str
    default: "02:0d:c0:00:00:01"
  lab_file:
    description:
      - The lab description written by C(lab/peers.py) (namespaces, vty socket directories).
    type: path
    default: /var/lib/odc-lab/lab.json
  limit:
    description:
      - Only these devices (switch or server names). Empty means all.
    type: list
    elements: str
    default: []
  force:
    description:
      - Apply even when ports facing active devices would be re-purposed. Needs O(force_reason).
    type: bool
    default: false
  force_reason:
    description:
      - Why the force is needed; returned in the result.
    type: str
  servers:
    description:
      - Also create/converge the server namespaces and their cables.
    type: bool
    default: true
extends_documentation_fragment:
  - odc.buildout.fabric_source
attributes:
  check_mode:
    description: Can run in check mode and return changed status prediction without modifying the target.
    support: full
    details: Plans only; the diff is against the running config.
  diff_mode:
    description: Will return details on what has changed (or possibly needs changing in check mode), when in diff mode.
    support: full
    details: Per device, the FRR running-config vs intended diff and the interface changes.
author:
  - odc.buildout developers (@odc-buildout)
"""

EXAMPLES = r"""
- name: Show what would change (touches nothing)
  odc.buildout.fabric_deploy:
    site: odc-rsw1
  check_mode: true
  diff: true

- name: Push
  odc.buildout.fabric_deploy:
    site: odc-rsw1
"""

RETURN = r"""
changed_devices:
  description: Devices with planned (check mode) or applied changes.
  returned: success
  type: list
  elements: str
devices:
  description: Per device, the interface changes, the FRR lines to delete and add, and absent ports.
  returned: success
  type: dict
forced:
  description: Refusals overridden by O(force).
  returned: success
  type: list
  elements: str
refusals:
  description: Changes refused because they touch ports facing active devices.
  returned: when refused
  type: list
  elements: str
"""
