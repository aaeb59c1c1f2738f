#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: odc.buildout developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: fabric_verify
short_description: Verify the lab fabric from operational state and report drift
version_added: 0.1.0
description:
  - Action plugin, runs on the controller. Reads state, never config, except for the drift report.
  - C(bgp) every planned session (fabric interface, peer ASN from NetBox) is Established for ipv4 unicast
    and l2vpn evpn (C(show bgp summary json)).
  - C(evpn) every leaf knows every VNI with all other leaves as remote VTEPs, and holds EVPN type-3 routes
    from each of them.
  - C(reachability) servers in different racks in the same VLAN ping each other; servers in different L3
    VLANs ping each other through the anycast gateway; their NetBox MACs then appear as EVPN type-2
    routes on the other racks' leaves.
  - Drift (running vs intended, per device) is always reported; it fails the task only with O(fail_on_drift).
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
  checks:
    description:
      - Which checks to run.
    type: list
    elements: str
    choices: [bgp, evpn, reachability]
    default: [bgp, evpn, reachability]
  wait_timeout:
    description:
      - Seconds to wait for sessions and routes to converge before failing.
    type: float
    default: 30.0
  fail_on_drift:
    description:
      - Fail when the running state differs from what NetBox intends.
    type: bool
    default: false
extends_documentation_fragment:
  - odc.buildout.fabric_source
attributes:
  check_mode:
    description: Can run in check mode and return changed status prediction without modifying the target.
    support: full
    details: Read only in any mode.
  diff_mode:
    description: Will return details on what has changed (or possibly needs changing in check mode), when in diff mode.
    support: none
author:
  - odc.buildout developers (@odc-buildout)
"""

EXAMPLES = r"""
- name: Verify BGP, EVPN and reachability
  odc.buildout.fabric_verify:
    site: odc-rsw1
"""

RETURN = r"""
ok:
  description: All checks passed.
  returned: success
  type: bool
checks:
  description: Per check, its failures, timing and (reachability) each ping.
  returned: success
  type: dict
drift:
  description: Devices whose running state differs from the intended one, with the differences.
  returned: success
  type: dict
in_sync:
  description: No drift.
  returned: success
  type: bool
"""
