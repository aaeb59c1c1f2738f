# -*- coding: utf-8 -*-
# Copyright: odc.buildout developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Shared BMC option sets.  Each constant has a doc fragment of the same
name in plugins/doc_fragments/bmc_connection.py (keep them in step) and the
modules form the ``odc.buildout.bmc`` action group, so credentials are set
once with ``module_defaults``."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

VENDORS = ["auto", "dell", "hpe", "lenovo", "supermicro", "generic"]

BMC_CONNECTION_SPEC = {
    "address": {"type": "str", "required": True},
    "port": {"type": "int"},
    "protocol": {"type": "str", "default": "redfish", "choices": ["redfish", "ipmi"]},
    "username": {"type": "str", "required": True},
    "password": {"type": "str", "required": True, "no_log": True},
    "ca_path": {"type": "path"},
    "validate_certs": {"type": "bool", "default": True},
    "timeout": {"type": "int", "default": 30},
    "retry_budget": {"type": "int", "default": 60},
    "vendor": {"type": "str", "default": "auto", "choices": VENDORS},
    "system_id": {"type": "str"},
    "run_id": {"type": "str"},
    "state_dir": {"type": "path"},
    "reserve_sessions": {"type": "int", "default": 2},
    "ipmi_pacing": {"type": "float", "default": 2.0},
}

BMC_IDENTITY_SPEC = {
    "expected_serial": {"type": "str"},
    "expected_uuid": {"type": "str"},
    "expected_macs": {"type": "list", "elements": "str"},
}


def argument_spec(*extra, **options):
    """Connection spec + identity guard (write modules) + module options."""
    spec = dict(BMC_CONNECTION_SPEC)
    for part in extra:
        spec.update(part)
    spec.update(options)
    return spec


def identity(params):
    """The identity-guard options as keyword arguments."""
    return {key: params.get(key) for key in BMC_IDENTITY_SPEC}
