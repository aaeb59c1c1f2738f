# -*- coding: utf-8 -*-
# Copyright: odc.buildout developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""NETBOX_SPEC: the shared NetBox connection options (doc fragment: odc.buildout.netbox_connection)."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible.module_utils.basic import env_fallback

NETBOX_SPEC = dict(
    netbox_url=dict(type="str", required=True, fallback=(env_fallback, ["NETBOX_API", "NETBOX_URL"])),
    netbox_token=dict(type="str", required=True, no_log=True, fallback=(env_fallback, ["NETBOX_TOKEN"])),
    validate_certs=dict(type="bool", default=True),
    ca_path=dict(type="path"),
    timeout=dict(type="int", default=60),
)


def client_from_params(params):
    """The one NetBox client, built from module parameters."""
    from ansible_collections.odc.buildout.plugins.module_utils._netbox_client import NetBoxClient

    return NetBoxClient(params["netbox_url"], params["netbox_token"], validate_certs=params["validate_certs"],
                        ca_path=params.get("ca_path"), timeout=params["timeout"])
