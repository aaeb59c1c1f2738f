#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: odc.buildout developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: rack_summary
short_description: Summarise the racks of a site from NetBox
version_added: 0.1.0
description:
  - Reads one site from NetBox in bulk and reports, per rack, the devices by role and status,
    the rack units used and the allocated power against the power feeds.
  - Runs on the controller (action plugin); read-only.
extends_documentation_fragment:
  - odc.buildout.netbox_connection
options:
  site:
    description: Slug of the NetBox site.
    type: str
    required: true
attributes:
  check_mode:
    description: Read-only; behaves the same in check mode.
    support: full
  diff_mode:
    description: Nothing is changed, so there is no diff.
    support: none
author:
  - odc.buildout developers (@odc-buildout)
"""

EXAMPLES = r"""
- name: Rack summary of the demo site
  odc.buildout.rack_summary:
    site: odc-rsw1
  register: racks
"""

RETURN = r"""
racks:
  description: One entry per rack.
  returned: always
  type: list
  elements: dict
lines:
  description: Human-readable summary, one line per rack.
  returned: always
  type: list
  elements: str
"""
