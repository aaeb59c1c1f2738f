#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: odc.buildout developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
---
module: bmc_info
short_description: Read identity, power, NICs, firmware, BIOS and BMC settings from a BMC
version_added: 0.1.0
description:
  - Reads a server through its BMC and returns it as structured data; never changes anything.
  - Sections the BMC does not implement are returned as C(null) and listed in C(unavailable).
  - Accounts are returned with names and roles only, never passwords.
  - Over IPMI (O(protocol=ipmi)) it returns what IPMI offers, that is the system GUID, power state, boot device,
    controller info and firmware, LAN settings and user names with privileges.
extends_documentation_fragment:
  - odc.buildout.bmc_connection
attributes:
  check_mode:
    description: The module only reads, so it runs unchanged in check mode.
    support: full
  diff_mode:
    description: Nothing changes, so there is no diff.
    support: none
options:
  sections:
    description:
      - Sections to read (Redfish). All by default.
    type: list
    elements: str
    choices: [identity, power, boot, nics, firmware, bios, secure_boot, manager, accounts, virtual_media]
  ipmi_user_slots:
    description:
      - Number of IPMI user slots to scan (IPMI has no call that lists users).
    type: int
    default: 16
author:
  - odc.buildout developers (@odc-buildout)
"""

EXAMPLES = r"""
- name: Read everything
  odc.buildout.bmc_info:
    address: 10.0.10.21
    username: "{{ bmc_user }}"
    password: "{{ bmc_password }}"
    ca_path: /etc/pki/odc/bmc-ca.pem
  register: bmc

- name: Only identity and NICs (for NetBox)
  odc.buildout.bmc_info:
    address: 10.0.10.21
    username: "{{ bmc_user }}"
    password: "{{ bmc_password }}"
    sections: [identity, nics]
"""

RETURN = r"""
bmc:
  description: What the BMC reports, one key per section plus C(vendor), C(redfish_version), C(unavailable).
  returned: always
  type: dict
  contains:
    identity:
      description: uuid, serial, model, manufacturer, sku, part_number, asset_tag, hostname, system_id, bios_version.
      type: dict
      returned: when read
    power:
      description: PowerState.
      type: str
      returned: when read
    nics:
      description: System Ethernet interfaces (id, name, mac, permanent_mac, link_status, speed_mbps, ipv4, vlan).
      type: list
      elements: dict
      returned: when read
    firmware:
      description: Firmware inventory (id, name, version, software_id, updateable).
      type: list
      elements: dict
      returned: when read
    bios:
      description: Applied BIOS attributes and the pending ones that differ.
      type: dict
      returned: when read
    accounts:
      description: Accounts (username, role, enabled, locked) and the lockout policy.
      type: dict
      returned: when read
    manager:
      description: BMC model, firmware, NICs, network protocols and NTP.
      type: dict
      returned: when read
  sample:
    vendor: dell
    identity: {serial: CZ2D1F0ABC, uuid: 4c4c4544-0047-3510-8052-c4c04f335a32}
    power: On
vendor:
  description: Vendor profile used (C(ipmi) for IPMI).
  returned: always
  type: str
  sample: dell
"""

from ansible.module_utils.basic import AnsibleModule

from ansible_collections.odc.buildout.plugins.module_utils import _bmc_argspec, _errors
from ansible_collections.odc.buildout.plugins.module_utils._redfish import _info, _runner

OPTIONS = {
    "sections": {"type": "list", "elements": "str", "choices": list(_info.SECTIONS)},
    "ipmi_user_slots": {"type": "int", "default": 16},
}


def ipmi_info(ipmi, user_slots):
    return {"vendor": "ipmi", "identity": {"uuid": ipmi.guid()}, "power": ipmi.power_state(),
            "boot": ipmi.boot_device(), "controller": ipmi.mc_info(), "firmware": ipmi.firmware(),
            "lan": ipmi.lan(), "users": ipmi.users(user_slots), "unavailable": []}


def run(params, check_mode=False):
    if params["protocol"] == "ipmi":
        with _runner.ipmi_client(params) as ipmi:
            data = ipmi_info(ipmi, params["ipmi_user_slots"])
            warnings = list(ipmi.warnings)
        return {"changed": False, "bmc": data, "warnings": warnings, "vendor": "ipmi"}
    sections = params["sections"] or list(_info.SECTIONS)
    return _runner.run_redfish(params, lambda bmc: {"changed": False, "bmc": bmc.info(sections)}, guard=False)


def main():
    module = AnsibleModule(argument_spec=_bmc_argspec.argument_spec(**OPTIONS), supports_check_mode=True)
    try:
        result = run(module.params, module.check_mode)
    except _errors.OdcError as exc:
        module.fail_json(**exc.to_dict())
    for warning in result.pop("warnings", []):
        module.warn(warning)
    module.exit_json(**result)


if __name__ == "__main__":
    main()
