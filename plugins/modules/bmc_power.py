#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: odc.buildout developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
---
module: bmc_power
short_description: Declare the power state of a server through its BMC
version_added: 0.1.0
description:
  - Reads the power state first and acts only on a difference.
  - Powering off is graceful first (C(GracefulShutdown) and a wait); C(ForceOff) only with O(force=true).
  - V(restarted) is a shutdown followed by a power-on, both observed, so it works the same on every BMC.
  - Every change is polled until the BMC reports the settled state.
  - Works over Redfish and over IPMI (O(protocol=ipmi)).
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
  state:
    description:
      - V(on), V(off), or V(restarted) (always changes).
      - Quote V("on") and V("off") in YAML (unquoted they are booleans; they are still understood).
    type: str
    required: true
    choices: ["on", "off", restarted]
  force:
    description:
      - Allow C(ForceOff) when the graceful shutdown does not finish within O(graceful_timeout).
    type: bool
    default: false
  graceful_timeout:
    description:
      - Seconds to wait for a graceful shutdown.
    type: int
    default: 300
  wait_timeout:
    description:
      - Seconds to wait for the BMC to report the new state after a power-on or forced power-off.
    type: int
    default: 300
  poll_interval:
    description:
      - Seconds between two reads of the power state while waiting.
    type: float
    default: 5.0
author:
  - odc.buildout developers (@odc-buildout)
"""

EXAMPLES = r"""
- name: Power on, refusing to touch a BMC that is not the expected server
  odc.buildout.bmc_power:
    address: 10.0.10.21
    username: "{{ bmc_user }}"
    password: "{{ bmc_password }}"
    ca_path: /etc/pki/odc/bmc-ca.pem
    expected_serial: CZ2D1F0ABC
    state: "on"

- name: Power off, forcing if the OS ignores the shutdown for 2 minutes
  odc.buildout.bmc_power:
    address: 10.0.10.21
    username: "{{ bmc_user }}"
    password: "{{ bmc_password }}"
    state: "off"
    force: true
    graceful_timeout: 120
"""

RETURN = r"""
power_state:
  description: Power state reported by the BMC at the end (C(On), C(Off), ...).
  returned: always
  type: str
  sample: On
before:
  description: Power state before the task.
  returned: always
  type: str
  sample: Off
actions:
  description: Reset types sent to the BMC, in order.
  returned: always
  type: list
  elements: str
  sample: [GracefulShutdown, On]
vendor:
  description: Vendor profile used (C(ipmi) for IPMI).
  returned: always
  type: str
  sample: dell
"""

from ansible.module_utils.basic import AnsibleModule

from ansible_collections.odc.buildout.plugins.module_utils import _bmc_argspec, _errors
from ansible_collections.odc.buildout.plugins.module_utils._redfish import _power, _runner

OPTIONS = {
    "state": {"type": "str", "required": True, "choices": ["on", "off", "restarted"]},
    "force": {"type": "bool", "default": False},
    "graceful_timeout": {"type": "int", "default": 300},
    "wait_timeout": {"type": "int", "default": 300},
    "poll_interval": {"type": "float", "default": 5.0},
}


def _control(system, params):
    return _power.PowerControl(system, force=params["force"], graceful_timeout=params["graceful_timeout"],
                               wait_timeout=params["wait_timeout"], poll_interval=params["poll_interval"])


def _result(outcome):
    return {"changed": outcome["changed"], "power_state": outcome["after"], "before": outcome["before"],
            "actions": outcome["actions"], "warnings": outcome["warnings"],
            "diff": _runner.diff({"power_state": outcome["before"]}, {"power_state": outcome["after"]})}


def run(params, check_mode=False):
    if params["protocol"] == "ipmi":
        from ansible_collections.odc.buildout.plugins.module_utils import _ipmi
        with _runner.ipmi_client(params) as ipmi:
            _runner.guard_ipmi(ipmi, params)
            result = _result(_control(_ipmi.IpmiSystem(ipmi), params).ensure(params["state"], check_mode))
            result["warnings"] += ipmi.warnings
        result["vendor"] = "ipmi"
        return result
    return _runner.run_redfish(
        params, lambda bmc: _result(_control(bmc.system, params).ensure(params["state"], check_mode)))


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
