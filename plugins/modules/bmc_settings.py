#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: odc.buildout developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
---
module: bmc_settings
short_description: Declare BMC manager settings (NTP, syslog, network protocols, account lockout)
version_added: 0.1.0
description:
  - Reads C(ManagerNetworkProtocol), the C(AccountService) and the vendor's syslog settings, and writes only
    what differs.
  - The O(hardening) profile turns IPMI-over-LAN, SSDP and Telnet off and sets account lockout
    (5 failures, 600 s lockout, counter reset after 600 s). Explicit options win over the profile.
  - HTTPS is never turned off (it is how Redfish reaches the BMC).
  - "Syslog per vendor: iDRAC C(SysLog.1.*) attributes, iLO C(Oem.Hpe) on NetworkProtocol, others a DMTF
    C(Syslog) event subscription."
  - Redfish only.
extends_documentation_fragment:
  - odc.buildout.bmc_connection
  - odc.buildout.bmc_connection.identity
attributes:
  check_mode:
    description: Reads the BMC and reports what would change; writes nothing.
    support: full
  diff_mode:
    description: Returns the managed state before and after (never secrets).
    support: full
options:
  ntp_servers:
    description:
      - NTP servers, in order. NTP is enabled when the list is not empty (unless O(ntp_enabled) says otherwise).
    type: list
    elements: str
  ntp_enabled:
    description:
      - Enable or disable NTP explicitly.
    type: bool
  syslog:
    description:
      - Remote syslog target.
    type: dict
    suboptions:
      server:
        description: Syslog server address.
        type: str
        required: true
      port:
        description: UDP port.
        type: int
        default: 514
      enabled:
        description: Whether remote syslog is on.
        type: bool
        default: true
  protocols:
    description:
      - Protocol name to enabled (true) or disabled (false).
      - Names are V(http), V(https), V(ipmi), V(ssh), V(ssdp), V(telnet), V(snmp), V(kvmip), V(virtual_media).
    type: dict
  lockout:
    description:
      - Account lockout policy of the AccountService.
    type: dict
    suboptions:
      threshold:
        description: Failed logins before an account is locked (0 disables lockout).
        type: int
      duration:
        description: Seconds an account stays locked.
        type: int
      reset_after:
        description: Seconds after which the failure counter resets.
        type: int
  hardening:
    description:
      - Apply the hardening profile described above.
    type: bool
    default: false
author:
  - odc.buildout developers (@odc-buildout)
"""

EXAMPLES = r"""
- name: Harden the BMC, set time and logging
  odc.buildout.bmc_settings:
    address: 10.0.10.21
    username: "{{ bmc_user }}"
    password: "{{ bmc_password }}"
    expected_serial: CZ2D1F0ABC
    hardening: true
    ntp_servers: [10.0.0.1, 10.0.0.2]
    syslog:
      server: 10.0.0.30
"""

RETURN = r"""
settings:
  description: Managed settings after the task, per section (network_protocol, lockout, syslog).
  returned: always
  type: dict
  sample: {network_protocol: {ipmi: false, ssdp: false, telnet: false}, lockout: {threshold: 5}}
before:
  description: The same settings before the task.
  returned: always
  type: dict
vendor:
  description: Vendor profile used.
  returned: always
  type: str
"""

from ansible.module_utils.basic import AnsibleModule

from ansible_collections.odc.buildout.plugins.module_utils import _bmc_argspec, _errors
from ansible_collections.odc.buildout.plugins.module_utils._redfish import _runner, _settings

OPTIONS = {
    "ntp_servers": {"type": "list", "elements": "str"},
    "ntp_enabled": {"type": "bool"},
    "syslog": {"type": "dict", "options": {
        "server": {"type": "str", "required": True},
        "port": {"type": "int", "default": 514},
        "enabled": {"type": "bool", "default": True},
    }},
    "protocols": {"type": "dict"},
    "lockout": {"type": "dict", "options": {
        "threshold": {"type": "int"},
        "duration": {"type": "int"},
        "reset_after": {"type": "int"},
    }},
    "hardening": {"type": "bool", "default": False},
}


def _protocols(value):
    out = {}
    for name, enabled in (value or {}).items():
        if name not in _settings.PROTOCOLS:
            raise _errors.ConfigError(f"unknown protocol {name!r}; use one of {sorted(_settings.PROTOCOLS)}")
        if not isinstance(enabled, bool):
            raise _errors.ConfigError(f"protocols.{name} must be true or false")
        out[name] = enabled
    return out


def run(params, check_mode=False):
    _runner.require_redfish(params, "bmc_settings")
    protocols = _protocols(params["protocols"])

    def work(bmc):
        outcome = bmc.settings.ensure(params["ntp_servers"], params["ntp_enabled"], params["syslog"], protocols,
                                      params["lockout"], params["hardening"], check_mode)
        return {"changed": outcome["changed"], "settings": outcome["after"], "before": outcome["before"],
                "warnings": outcome["warnings"], "diff": _runner.diff(outcome["before"], outcome["after"])}
    return _runner.run_redfish(params, work)


def main():
    module = AnsibleModule(
        argument_spec=_bmc_argspec.argument_spec(_bmc_argspec.BMC_IDENTITY_SPEC, **OPTIONS),
        supports_check_mode=True)
    try:
        result = run(module.params, module.check_mode)
    except _errors.OdcError as exc:
        module.fail_json(**exc.to_dict())
    for warning in result.pop("warnings", []):
        module.warn(warning)
    module.exit_json(**result)


if __name__ == "__main__":
    main()
