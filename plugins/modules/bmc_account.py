#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: odc.buildout developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
---
module: bmc_account
short_description: Declare a local BMC account, with safe credential rotation
version_added: 0.1.0
description:
  - Creates, updates or removes one local BMC account (name, role, enabled, password).
  - "Rotation order: the new credential is written, then VERIFIED by logging in with it, and only then are
    the accounts in O(retire) disabled or deleted. If the verification login fails, nothing else is touched."
  - Never disables, demotes or deletes the last enabled Administrator; never deletes the account the task
    is logged in with.
  - After one failed login on a BMC, no further login is tried on that BMC in the same run (see O(run_id)),
    so a wrong password cannot lock an account out.
  - Passwords cannot be read back. With O(update_password=always) the password is written (and verified) on
    every run unless the task is logged in with exactly that account and password.
  - Vendors with fixed account slots (iDRAC, XCC) get an empty slot; slot 1 on iDRAC is never used.
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
  account_name:
    description:
      - User name of the account to manage.
    type: str
    required: true
  account_password:
    description:
      - Password of O(account_name). Required to create the account.
    type: str
  role:
    description:
      - Redfish role of the account.
    type: str
    default: administrator
    choices: [administrator, operator, readonly]
  enabled:
    description:
      - Whether the account may log in.
    type: bool
    default: true
  state:
    description:
      - V(present) or V(absent).
    type: str
    default: present
    choices: [present, absent]
  update_password:
    description:
      - V(on_create) sets the password only when creating the account; V(always) also rotates it.
    type: str
    default: on_create
    choices: [on_create, always]
  retire:
    description:
      - Accounts to retire after O(account_name) has been verified (for example the factory C(root)).
    type: list
    elements: str
    default: []
  retire_mode:
    description:
      - V(disable) keeps retired accounts but disables them; V(delete) removes them.
    type: str
    default: disable
    choices: [disable, delete]
author:
  - odc.buildout developers (@odc-buildout)
"""

EXAMPLES = r"""
- name: Replace the factory root account by the site admin account
  odc.buildout.bmc_account:
    address: 10.0.10.21
    username: root
    password: "{{ factory_password }}"
    run_id: "{{ odc_run_id }}"
    expected_serial: CZ2D1F0ABC
    account_name: odc-admin
    account_password: "{{ vault_bmc_admin_password }}"
    role: administrator
    retire: [root]
"""

RETURN = r"""
account:
  description: The account after the task (never a password).
  returned: always
  type: dict
  sample: {username: odc-admin, role: Administrator, enabled: true}
verified:
  description: True when a login with the new credential succeeded in this task.
  returned: always
  type: bool
password_changed:
  description: True when the password was written.
  returned: always
  type: bool
retired:
  description: Accounts disabled or deleted by this task.
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
    "account_name": {"type": "str", "required": True},
    "account_password": {"type": "str", "no_log": True},
    "role": {"type": "str", "default": "administrator", "choices": ["administrator", "operator", "readonly"]},
    "enabled": {"type": "bool", "default": True},
    "state": {"type": "str", "default": "present", "choices": ["present", "absent"]},
    "update_password": {"type": "str", "default": "on_create", "choices": ["on_create", "always"], "no_log": False},
    "retire": {"type": "list", "elements": "str", "default": []},
    "retire_mode": {"type": "str", "default": "disable", "choices": ["disable", "delete"]},
}


def run(params, check_mode=False):
    _runner.require_redfish(params, "bmc_account")

    def work(bmc):
        outcome = bmc.accounts.ensure(
            params["account_name"], params["state"], params["role"], params["account_password"],
            params["enabled"], params["update_password"], params["retire"], params["retire_mode"], check_mode)
        before = outcome.get("before")
        after = outcome.get("after")
        return {"changed": outcome["changed"], "account": after, "verified": outcome.get("verified", False),
                "password_changed": outcome.get("password_changed", False),
                "retired": outcome.get("retired", []), "warnings": outcome["warnings"],
                "diff": _runner.diff(before, dict(after or {}, retire=outcome.get("retired", [])))}
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
