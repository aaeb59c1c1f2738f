#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: odc.buildout developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
---
module: bmc_bios
short_description: Declare BIOS attributes (pending until reboot, applied after)
version_added: 0.1.0
description:
  - Compares the wanted attributes with what is applied (C(Bios)) and what is already pending
    (the C(@Redfish.Settings) object); writes only attributes that are neither.
  - BIOS changes take effect at the next boot. The server is rebooted only with O(reboot=true);
    the reboot is graceful first (see M(odc.buildout.bmc_power)) and the task then waits until the
    attributes are applied.
  - Unknown attribute names fail before any write. Redfish only.
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
  attributes:
    description:
      - BIOS attribute names and values as the BMC's attribute registry names them.
    type: dict
    required: true
  reboot:
    description:
      - Reboot the server when changes are pending, then wait until they are applied.
    type: bool
    default: false
  force:
    description:
      - Allow a forced power-off when the graceful shutdown of the reboot times out.
    type: bool
    default: false
  graceful_timeout:
    description:
      - Seconds to wait for the graceful shutdown of the reboot.
    type: int
    default: 300
  apply_timeout:
    description:
      - Seconds to wait, after the reboot, for the attributes to be applied.
    type: int
    default: 1800
  poll_interval:
    description:
      - Seconds between reads while waiting.
    type: float
    default: 10.0
author:
  - odc.buildout developers (@odc-buildout)
"""

EXAMPLES = r"""
- name: Enable virtualization and SR-IOV, reboot to apply
  odc.buildout.bmc_bios:
    address: 10.0.10.21
    username: "{{ bmc_user }}"
    password: "{{ bmc_password }}"
    expected_serial: CZ2D1F0ABC
    attributes:
      ProcVirtualization: Enabled
      SriovGlobalEnable: Enabled
    reboot: true
"""

RETURN = r"""
pending:
  description: Wanted attributes not applied yet (they wait for a reboot); empty when all are applied.
  returned: always
  type: dict
  sample: {SriovGlobalEnable: Enabled}
applied:
  description: Values of the wanted attributes that are in effect now.
  returned: always
  type: dict
reboot_required:
  description: True when attributes still wait for a reboot.
  returned: always
  type: bool
rebooted:
  description: True when this task rebooted the server.
  returned: always
  type: bool
vendor:
  description: Vendor profile used.
  returned: always
  type: str
"""

from ansible.module_utils.basic import AnsibleModule

from ansible_collections.odc.buildout.plugins.module_utils import _bmc_argspec, _errors
from ansible_collections.odc.buildout.plugins.module_utils._redfish import _runner

OPTIONS = {
    "attributes": {"type": "dict", "required": True},
    "reboot": {"type": "bool", "default": False},
    "force": {"type": "bool", "default": False},
    "graceful_timeout": {"type": "int", "default": 300},
    "apply_timeout": {"type": "int", "default": 1800},
    "poll_interval": {"type": "float", "default": 10.0},
}


def _reboot_and_wait(bmc, params, attributes):
    power = bmc.power(force=params["force"], graceful_timeout=params["graceful_timeout"],
                      poll_interval=params["poll_interval"])
    outcome = power.ensure("restarted")
    client = bmc.client
    deadline = client.clock() + params["apply_timeout"]
    while not bmc.bios.applied(attributes):
        if client.clock() >= deadline:
            raise _errors.TimeoutExpired(f"BIOS attributes still pending {params['apply_timeout']}s after the reboot")
        client.sleep(params["poll_interval"])
    return outcome["warnings"]


def run(params, check_mode=False):
    _runner.require_redfish(params, "bmc_bios")
    attributes = params["attributes"]

    def work(bmc):
        outcome = bmc.bios.ensure(attributes, check_mode)
        result = {"changed": outcome["changed"], "pending": outcome["pending"], "applied": outcome["applied"],
                  "reboot_required": outcome["reboot_required"], "rebooted": False,
                  "warnings": outcome["warnings"], "diff": _runner.diff(outcome["before"], outcome["after"])}
        if params["reboot"] and outcome["reboot_required"]:
            result["changed"] = True
            if not check_mode:
                result["warnings"] += _reboot_and_wait(bmc, params, attributes)
                result.update(rebooted=True, pending={}, reboot_required=False,
                              applied=dict(attributes))
        return result
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
