#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: odc.buildout developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
---
module: bmc_boot
short_description: Declare the next boot device (one-time or continuous) and boot mode
version_added: 0.1.0
description:
  - Reads the boot override first and changes it only on a difference, then reads it back.
  - A one-time override is consumed by the next boot; run this task again before each reboot that needs it.
  - Over IPMI (O(protocol=ipmi)) many BMCs do not report the boot device back; the task then always
    reports a change and warns.
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
  target:
    description:
      - Boot source. V(none) removes the override.
      - Over IPMI only V(none), V(pxe), V(hdd), V(cd), V(bios), V(usb) and V(floppy) exist.
    type: str
    required: true
    choices: [none, pxe, cd, usb, hdd, bios, uefi_http, uefi_target, utilities, diags, sdcard, floppy]
  persistence:
    description:
      - V(once) for the next boot only, V(continuous) until changed.
    type: str
    default: once
    choices: [once, continuous]
  mode:
    description:
      - Boot mode to request with the override; unchanged when omitted.
    type: str
    choices: [uefi, legacy]
author:
  - odc.buildout developers (@odc-buildout)
"""

EXAMPLES = r"""
- name: Network-boot the next start only
  odc.buildout.bmc_boot:
    address: 10.0.10.21
    username: "{{ bmc_user }}"
    password: "{{ bmc_password }}"
    expected_uuid: 4c4c4544-0047-3510-8052-c4c04f335a32
    target: pxe
    persistence: once
    mode: uefi
"""

RETURN = r"""
boot:
  description: Boot override read back after the task.
  returned: always
  type: dict
  sample: {target: pxe, persistence: once, mode: uefi}
before:
  description: Boot override before the task.
  returned: always
  type: dict
  sample: {target: none, persistence: disabled, mode: uefi}
vendor:
  description: Vendor profile used (C(ipmi) for IPMI).
  returned: always
  type: str
  sample: hpe
"""

from ansible.module_utils.basic import AnsibleModule

from ansible_collections.odc.buildout.plugins.module_utils import _bmc_argspec, _errors
from ansible_collections.odc.buildout.plugins.module_utils._redfish import _boot, _runner

OPTIONS = {
    "target": {"type": "str", "required": True, "choices": list(_boot.TARGETS)},
    "persistence": {"type": "str", "default": "once", "choices": ["once", "continuous"]},
    "mode": {"type": "str", "choices": ["uefi", "legacy"]},
}


def _result(outcome):
    return {"changed": outcome["changed"], "boot": outcome["after"], "before": outcome["before"],
            "warnings": outcome["warnings"], "diff": _runner.diff(outcome["before"], outcome["after"])}


def _ipmi_boot(ipmi, params, check_mode):
    from ansible_collections.odc.buildout.plugins.module_utils import _ipmi
    if params["target"] not in _ipmi.BOOT_DEVICES:
        raise _errors.ConfigError(f"boot target {params['target']} does not exist over IPMI")
    current = ipmi.boot_device()
    want = {"bootdev": _ipmi.BOOT_DEVICES[params["target"]], "persistent": params["persistence"] == "continuous"}
    before = {"bootdev": current.get("bootdev"), "persistent": current.get("persistent")}
    outcome = {"changed": before != want, "before": before, "after": want, "warnings": []}
    if outcome["changed"] and not check_mode:
        ipmi.set_boot_device(params["target"], want["persistent"], params["mode"] != "legacy")
        readback = ipmi.boot_device()
        if readback.get("bootdev") != want["bootdev"]:
            outcome["warnings"].append(f"the BMC reports boot device {readback.get('bootdev')} after setting "
                                       f"{want['bootdev']} (many BMCs do not read it back over IPMI)")
    return outcome


def run(params, check_mode=False):
    if params["protocol"] == "ipmi":
        with _runner.ipmi_client(params) as ipmi:
            _runner.guard_ipmi(ipmi, params)
            result = _result(_ipmi_boot(ipmi, params, check_mode))
        result["vendor"] = "ipmi"
        return result
    return _runner.run_redfish(params, lambda bmc: _result(
        bmc.boot.ensure(params["target"], params["persistence"], params["mode"], check_mode)))


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
