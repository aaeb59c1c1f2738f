#!/usr/bin/python
# Copyright: odc.buildout developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r"""
module: netbox_device_serial
short_description: Record a discovered serial number on a NetBox device
version_added: 0.1.0
description:
  - Writes the serial number read from the hardware (BMC, DMI) to the device's C(serial) field when NetBox has none.
  - When NetBox already has the same serial (ignoring case and surrounding blanks) nothing changes.
  - When NetBox has a B(different) serial the module fails with C(error_type=IdentityMismatch), naming the device,
    the NetBox value and the discovered value, and writes nothing.
  - There is deliberately no option to overwrite. A different serial means the hardware answering is not the
    device NetBox describes (wrong BMC address, swapped cable, replaced board). Correct NetBox by hand once the
    cause is known.
extends_documentation_fragment:
  - odc.buildout.netbox_connection
  - odc.buildout.netbox_device
options:
  serial:
    description:
      - The serial number the hardware reports. Must not be empty.
    type: str
    required: true
  changelog_message:
    description:
      - Message recorded in NetBox's change log with the change, for example C(odc.buildout run <run_id> stage <stage>).
      - At most 200 characters.
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
- name: Record the serial the BMC reported
  odc.buildout.netbox_device_serial:
    device: "{{ inventory_hostname }}"
    site: odc-rsw1
    serial: "{{ bmc_info.system.serial_number }}"
    changelog_message: "odc.buildout run {{ odc_run_id }} stage discover"
"""

RETURN = r"""
device:
  description: The device written to.
  returned: success
  type: dict
  sample: {"id": 67, "name": "r01-srv01", "site": "odc-rsw1"}
before:
  description: The serial in NetBox before the module ran.
  returned: success
  type: dict
  sample: {"serial": ""}
after:
  description: The serial in NetBox afterwards (planned, in check mode).
  returned: success
  type: dict
  sample: {"serial": "D41F36A"}
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
    WriteBack,
    device_ref,
    module_result,
)


def main():
    spec = dict(NETBOX_SPEC, **DEVICE_SPEC)
    spec.update(serial={"type": "str", "required": True},
                changelog_message={"type": "str", "required": True})
    module = AnsibleModule(argument_spec=spec, supports_check_mode=True, **DEVICE_RULES)
    client = None
    try:
        client = client_from_params(module.params)
        service = WriteBack(client, module.check_mode, module.params["changelog_message"])
        result = service.record_serial(device_ref(module.params), module.params["serial"])
    except OdcError as exc:
        module.fail_json(**exc.to_dict())
    finally:
        if client is not None:
            client.close()
    module.exit_json(**module_result(result, module._diff))


if __name__ == "__main__":
    main()
