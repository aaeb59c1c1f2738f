# -*- coding: utf-8 -*-
# Copyright: odc.buildout developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type


class ModuleDocFragment(object):
    # the site a fabric module reads: from NetBox, or from a snapshot file
    DOCUMENTATION = r"""
options:
  site:
    description:
      - Slug of the NetBox site whose fabric is built.
    type: str
    required: true
  snapshot_path:
    description:
      - Read the site from a NetBox snapshot file (C(Snapshot.to_dict()) JSON) instead of NetBox.
      - For offline builds and tests; NetBox options are then ignored.
    type: path
  netbox_url:
    description:
      - Base URL of NetBox. Falls back to E(NETBOX_API) or E(NETBOX_URL). Required unless O(snapshot_path) is set.
    type: str
  netbox_token:
    description:
      - NetBox API token. Falls back to E(NETBOX_TOKEN). Never logged.
    type: str
  validate_certs:
    description:
      - Verify NetBox's TLS certificate.
    type: bool
    default: true
  ca_path:
    description:
      - PEM file with the CA that signed NetBox's certificate.
    type: path
  timeout:
    description:
      - Timeout in seconds of each NetBox request.
    type: int
    default: 60
"""
