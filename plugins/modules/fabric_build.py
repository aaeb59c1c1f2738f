#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: odc.buildout developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: fabric_build
short_description: Build and render the EVPN/VXLAN fabric of a site from NetBox
version_added: 0.1.0
description:
  - Action plugin, runs on the controller. One bulk read of the site (C(plugin_utils/_netbox/_snapshot.py)),
    a typed model with preflight checks (every problem at once, each naming the NetBox object), one
    builder per domain (underlay/BGP, EVPN/VXLAN, server LAGs/ESI, OOB/DHCP, host NMState, lab stand-in,
    docs), structured config validated against JSON schemas, then templates that only print it.
  - "Writes to O(artifacts_dir): C(frr/<switch>.conf), C(lab/<switch>.sh), C(sonic/<switch>.config_db.json),
    C(nmstate/<server>.nmstate.yml), C(dhcp/dnsmasq.conf), C(docs/devices/*.md), C(docs/servers/*.md),
    C(docs/topology.md) (Mermaid), C(structured/**.json)."
  - Only files whose content changed are written; files no longer produced are removed.
  - See C(docs/fabric.md).
options:
  anycast_mac:
    description:
      - MAC address of the anycast gateway on every leaf (same on all leaves).
    type: str
    default: "02:0d:c0:00:00:01"
  artifacts_dir:
    description:
      - Where the rendered files go. Default C(<playbook_dir>/artifacts/fabric/<site>).
    type: path
  formats:
    description:
      - Output formats to render.
    type: list
    elements: str
    choices: [frr, lab, sonic, nmstate, dhcp, docs, structured]
    default: [frr, lab, sonic, nmstate, dhcp, docs, structured]
  return_structured:
    description:
      - Return the structured config (C(site), C(switches), C(servers)) in the result.
    type: bool
    default: true
extends_documentation_fragment:
  - odc.buildout.fabric_source
attributes:
  check_mode:
    description: Can run in check mode and return changed status prediction without modifying the target.
    support: full
    details: Computes which files would change; writes nothing.
  diff_mode:
    description: Will return details on what has changed (or possibly needs changing in check mode), when in diff mode.
    support: full
    details: One diff per changed file.
author:
  - odc.buildout developers (@odc-buildout)
"""

EXAMPLES = r"""
- name: Build the fabric of the site
  odc.buildout.fabric_build:
    site: odc-rsw1
    artifacts_dir: "{{ playbook_dir }}/artifacts/fabric/odc-rsw1"
"""

RETURN = r"""
artifacts_dir:
  description: Directory holding the rendered files.
  returned: success
  type: str
files_changed:
  description: Relative paths written (or that would be written in check mode).
  returned: success
  type: list
  elements: str
files_removed:
  description: Relative paths removed because the site no longer produces them.
  returned: success
  type: list
  elements: str
summary:
  description: Counts of spines, leaves, OOB switches, servers, VNIs and BGP sessions.
  returned: success
  type: dict
structured:
  description: The schema-validated structured config (site, switches, servers).
  returned: success and O(return_structured)
  type: dict
findings:
  description: Every preflight or schema problem, each naming the NetBox object.
  returned: failure
  type: list
  elements: str
"""
