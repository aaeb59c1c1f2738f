#!/usr/bin/python
# Copyright: odc.buildout developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r"""
module: netbox_journal
short_description: Record the result of a run stage as a NetBox journal entry on a device
version_added: 0.1.0
description:
  - Creates one journal entry (C(extras.journal-entries)) on the device per run and stage. Its first line is the
    marker C([odc.buildout run=<run_id> stage=<stage>]), the second line C(result) followed by the O(result),
    then the optional O(details).
  - The marker makes the module idempotent. Rerunning the same run and stage with the same content changes
    nothing. With a new result or kind, that entry is updated instead of adding a second one.
    A new run id gives a new entry.
extends_documentation_fragment:
  - odc.buildout.netbox_connection
  - odc.buildout.netbox_device
options:
  run_id:
    description:
      - "Identifier of the run: 1-64 characters of letters, digits and C(_ . : @ + -)."
    type: str
    required: true
  stage:
    description:
      - Name of the stage (same character set as O(run_id)), for example V(bmc) or V(firmware).
    type: str
    required: true
  result:
    description:
      - "One line summarising the outcome, for example V(ok) or V(failed: BMC unreachable)."
    type: str
    required: true
  kind:
    description:
      - NetBox journal kind; the colour of the entry.
    type: str
    choices: [info, success, warning, danger]
    default: info
  details:
    description:
      - Further text (Markdown) after the result line.
    type: str
  changelog_message:
    description:
      - Message recorded in NetBox's change log with the change. At most 200 characters.
      - Defaults to C(odc.buildout run <run_id> stage <stage>).
    type: str
attributes:
  check_mode:
    description: Reads NetBox and reports what would change; writes nothing.
    support: full
  diff_mode:
    description: Returns the NetBox values before and after.
    support: full
author:
  - odc.buildout developers (@odc-buildout)
"""

EXAMPLES = r"""
- name: Note the BMC stage result on the device
  odc.buildout.netbox_journal:
    device: r01-srv01
    site: odc-rsw1
    run_id: "{{ odc_run_id }}"
    stage: bmc
    result: ok
    kind: success
    details: "Firmware BMC 7.10.30.00, serial D41F36A verified."
"""

RETURN = r"""
device:
  description: The device the entry belongs to.
  returned: success
  type: dict
  sample: {"id": 67, "name": "r01-srv01", "site": "odc-rsw1"}
entry_id:
  description: Id of the journal entry (null in check mode when it would be created).
  returned: success
  type: int
operation:
  description: What was (or, in check mode, would be) done to the entry.
  returned: success
  type: str
  choices: [create, update, none]
before:
  description: Kind and comments of the existing entry, or null.
  returned: success
  type: dict
after:
  description: Kind and comments of the entry afterwards.
  returned: success
  type: dict
  sample: {"kind": "success", "comments": "[odc.buildout run=20261128-1 stage=bmc]\nresult: ok"}
"""

from ansible.module_utils.basic import AnsibleModule

from ansible_collections.odc.buildout.plugins.module_utils._errors import OdcError
from ansible_collections.odc.buildout.plugins.module_utils._netbox_argspec import (
    NETBOX_SPEC,
    client_from_params,
)
from ansible_collections.odc.buildout.plugins.module_utils._netbox_writeback import (
    DEVICE_RULES,
    DEVICE_SPEC,
    JOURNAL_KINDS,
    WriteBack,
    device_ref,
    module_result,
)


def main():
    spec = dict(NETBOX_SPEC, **DEVICE_SPEC)
    spec.update(
        run_id={"type": "str", "required": True},
        stage={"type": "str", "required": True},
        result={"type": "str", "required": True},
        kind={"type": "str", "choices": list(JOURNAL_KINDS), "default": "info"},
        details={"type": "str"},
        changelog_message={"type": "str"},
    )
    module = AnsibleModule(argument_spec=spec, supports_check_mode=True, **DEVICE_RULES)
    params = module.params
    message = params["changelog_message"] or f"odc.buildout run {params['run_id']} stage {params['stage']}"
    client = None
    try:
        client = client_from_params(params)
        service = WriteBack(client, module.check_mode, message)
        result = service.journal(device_ref(params), params["run_id"], params["stage"], params["result"],
                                 params["kind"], params["details"])
    except OdcError as exc:
        module.fail_json(**exc.to_dict())
    finally:
        if client is not None:
            client.close()
    module.exit_json(**module_result(result, module._diff))


if __name__ == "__main__":
    main()
