#!/usr/bin/python
# Copyright: odc.buildout developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r"""
module: netbox_device_status
short_description: Move a NetBox device along the ODC status lifecycle
version_added: 0.1.0
description:
  - Sets the device status along the lifecycle C(planned) -> C(staged) -> C(active), or C(failed).
  - "Allowed without O(force): C(planned) -> C(staged) or C(failed); C(staged) -> C(active) or C(failed);
    C(failed) -> C(planned) or C(staged) (retry)."
  - Everything else fails with C(error_type=SafetyRefusal) and writes nothing. Notably any change away from
    C(active), even to C(failed), because C(planned) is reachable from there, which would open a production
    device to stages that write to hardware. Also skipping C(staged), and leaving a status outside the lifecycle
    (C(offline), C(inventory), C(decommissioning)).
  - Reports the status before and after; a device already in the wanted status is not changed.
extends_documentation_fragment:
  - odc.buildout.netbox_connection
  - odc.buildout.netbox_device
options:
  status:
    description:
      - The wanted status.
    type: str
    required: true
    choices: [planned, staged, active, failed]
  force:
    description:
      - Allow a transition the lifecycle refuses. Needs O(force_reason).
    type: bool
    default: false
  force_reason:
    description:
      - 'Why the transition is forced. It is appended to the change log message as C((forced: <reason>\)),
        and counts towards its 200 characters.'
    type: str
  changelog_message:
    description:
      - Message recorded in NetBox's change log with the change, for example C(odc.buildout run <run_id> stage <stage>).
      - At most 200 characters, including a forced reason.
    type: str
    required: true
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
- name: The server is racked, cabled and its BMC answers
  odc.buildout.netbox_device_status:
    device: r01-srv01
    site: odc-rsw1
    status: staged
    changelog_message: "odc.buildout run {{ odc_run_id }} stage bmc"

- name: Take a production server back for reinstallation
  odc.buildout.netbox_device_status:
    device_id: 67
    status: staged
    force: true
    force_reason: "CHG0042 reinstall after disk replacement"
    changelog_message: "odc.buildout run {{ odc_run_id }} stage reinstall"
"""

RETURN = r"""
device:
  description: The device written to.
  returned: success
  type: dict
  sample: {"id": 67, "name": "r01-srv01", "site": "odc-rsw1"}
before:
  description: The status before the module ran.
  returned: success
  type: dict
  sample: {"status": "planned"}
after:
  description: The status afterwards (planned, in check mode).
  returned: success
  type: dict
  sample: {"status": "staged"}
forced:
  description: Whether the transition needed O(force).
  returned: success
  type: bool
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
    LIFECYCLE,
    WriteBack,
    device_ref,
    module_result,
)


def main():
    spec = dict(NETBOX_SPEC, **DEVICE_SPEC)
    spec.update(
        status={"type": "str", "required": True, "choices": list(LIFECYCLE)},
        force={"type": "bool", "default": False},
        force_reason={"type": "str"},
        changelog_message={"type": "str", "required": True},
    )
    module = AnsibleModule(argument_spec=spec, supports_check_mode=True,
                           required_if=[("force", True, ("force_reason",))], **DEVICE_RULES)
    params = module.params
    client = None
    try:
        client = client_from_params(params)
        service = WriteBack(client, module.check_mode, params["changelog_message"])
        result = service.set_status(device_ref(params), params["status"], params["force"], params["force_reason"])
    except OdcError as exc:
        module.fail_json(**exc.to_dict())
    finally:
        if client is not None:
            client.close()
    module.exit_json(**module_result(result, module._diff))


if __name__ == "__main__":
    main()
