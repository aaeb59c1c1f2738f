# -*- coding: utf-8 -*-
# Copyright: odc.buildout developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type


class ModuleDocFragment(object):
    DOCUMENTATION = r"""
options:
  netbox_url:
    description:
      - Base URL of NetBox, for example C(https://netbox.example.org).
      - Falls back to the E(NETBOX_API) or E(NETBOX_URL) environment variable.
    type: str
    required: true
  netbox_token:
    description:
      - NetBox API token. v2 tokens (C(nbt_<key>.<secret>)) are sent as C(Bearer), v1 tokens as C(Token).
      - Falls back to the E(NETBOX_TOKEN) environment variable. Never logged.
    type: str
    required: true
  validate_certs:
    description:
      - Verify NetBox's TLS certificate. Only turn this off for a throwaway lab.
    type: bool
    default: true
  ca_path:
    description:
      - PEM file with the CA that signed NetBox's certificate.
    type: path
  timeout:
    description:
      - Timeout in seconds for each request to NetBox.
    type: int
    default: 60
"""
