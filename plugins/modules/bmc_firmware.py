#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: odc.buildout developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
---
module: bmc_firmware
short_description: Check firmware against a baseline and optionally update it
version_added: 0.1.0
description:
  - "Compares the firmware inventory with a baseline C({component: version}) and reports drift."
  - A component matches inventory entries by Id, Name or SoftwareId; all matching entries must have the
    version. Rollback/staged images (Dell C(Previous-), C(Available-)) are ignored.
  - With O(update=true), each drifted component is updated through C(UpdateService.SimpleUpdate) with its image
    from O(images); the task is followed to its end and the version is read back afterwards.
  - Without O(update=true) the task never changes anything (drift is reported, C(changed=false)).
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
  baseline:
    description:
      - Component (inventory Id, Name or SoftwareId) to wanted version.
      - Order matters for updates; list the BMC itself last (its update restarts the BMC).
    type: dict
    required: true
  update:
    description:
      - Update drifted components.
    type: bool
    default: false
  images:
    description:
      - Component to image URL (reachable from the BMC). Needed for every drifted component when O(update=true).
    type: dict
    default: {}
  transfer_protocol:
    description:
      - C(TransferProtocol) for SimpleUpdate, when the BMC needs it.
    type: str
    choices: [HTTP, HTTPS, NFS, CIFS, FTP, SFTP, TFTP, SCP]
  task_timeout:
    description:
      - Seconds to wait for one update task.
    type: int
    default: 3600
  poll_interval:
    description:
      - Seconds between two reads of an update task (a C(Retry-After) from the BMC wins).
    type: float
    default: 10.0
author:
  - odc.buildout developers (@odc-buildout)
"""

EXAMPLES = r"""
- name: Report firmware drift
  odc.buildout.bmc_firmware:
    address: 10.0.10.21
    username: "{{ bmc_user }}"
    password: "{{ bmc_password }}"
    baseline:
      BIOS: 1.12.1
      Integrated Dell Remote Access Controller: 7.10.30.00
  register: fw

- name: Bring BIOS to the baseline
  odc.buildout.bmc_firmware:
    address: 10.0.10.21
    username: "{{ bmc_user }}"
    password: "{{ bmc_password }}"
    expected_serial: CZ2D1F0ABC
    baseline:
      BIOS: 1.12.1
    images:
      BIOS: http://10.0.0.5/fw/BIOS_1.12.1.exe
    update: true
"""

RETURN = r"""
compliant:
  description: True when every baseline component has its version.
  returned: always
  type: bool
drift:
  description: Components that differ from the baseline or are missing.
  returned: always
  type: list
  elements: str
components:
  description: Per component, expected and installed version and status (ok, drift, missing).
  returned: always
  type: list
  elements: dict
updated:
  description: Components updated by this task.
  returned: always
  type: list
  elements: str
vendor:
  description: Vendor profile used.
  returned: always
  type: str
"""

from ansible.module_utils.basic import AnsibleModule

from ansible_collections.odc.buildout.plugins.module_utils import _bmc_argspec, _errors
from ansible_collections.odc.buildout.plugins.module_utils._redfish import _runner

OPTIONS = {
    "baseline": {"type": "dict", "required": True},
    "update": {"type": "bool", "default": False},
    "images": {"type": "dict", "default": {}},
    "transfer_protocol": {"type": "str", "choices": ["HTTP", "HTTPS", "NFS", "CIFS", "FTP", "SFTP", "TFTP", "SCP"]},
    "task_timeout": {"type": "int", "default": 3600},
    "poll_interval": {"type": "float", "default": 10.0},
}


def _versions(components):
    return {c["component"]: c["installed"] for c in components}


def run(params, check_mode=False):
    _runner.require_redfish(params, "bmc_firmware")
    baseline = {str(k): str(v) for k, v in params["baseline"].items()}

    def work(bmc):
        service = bmc.firmware
        service.task_timeout = params["task_timeout"]
        bmc.client.task_poll_interval = params["poll_interval"]
        before = service.compliance(baseline)
        outcome = service.ensure(baseline, params["images"], params["update"], params["transfer_protocol"],
                                 check_mode)
        after = _versions(outcome["components"])
        if check_mode and outcome["updated"]:
            after.update({name: baseline[name] for name in outcome["updated"]})
        return {"changed": outcome["changed"], "compliant": outcome["compliant"], "drift": outcome["drift"],
                "components": outcome["components"], "updated": outcome["updated"],
                "diff": _runner.diff(_versions(before["components"]), after)}
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
