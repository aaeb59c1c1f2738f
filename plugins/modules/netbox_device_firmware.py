#!/usr/bin/python
# Copyright: odc.buildout developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r"""
module: netbox_device_firmware
short_description: Record discovered firmware and BIOS versions on a NetBox device
version_added: 0.1.0
description:
  - Stores the firmware inventory in the device custom field C(odc_firmware) (JSON, component -> version) and the
    BIOS version in C(odc_bios_version) (text). Both are part of the ODC data model
    (C(playbooks/vars/odc_data_model.yml)); the module fails with C(error_type=ConfigError) if NetBox lacks them.
  - Unlike serials and MACs, a different version is not an identity problem (firmware gets updated), so it is
    simply recorded. Compare with the site's C(odc-firmware-baseline) config context elsewhere.
  - Other custom fields of the device are never touched.
extends_documentation_fragment:
  - odc.buildout.netbox_connection
  - odc.buildout.netbox_device
options:
  firmware:
    description:
      - 'Discovered versions, component name -> version string (for example C({"BMC": "7.10.30.00"})).'
      - At least one of O(firmware) and O(bios_version) is required.
    type: dict
  bios_version:
    description:
      - Discovered BIOS version.
    type: str
  merge:
    description:
      - V(true) updates and adds the given components and keeps the others already recorded.
      - V(false) makes C(odc_firmware) exactly O(firmware) (components not given are removed).
    type: bool
    default: true
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
- name: Record the firmware inventory read from the BMC
  odc.buildout.netbox_device_firmware:
    device: r01-srv01
    site: odc-rsw1
    firmware:
      BMC: "7.10.30.00"
      NIC.Slot.1: "22.31.6"
    bios_version: "1.13.2"
    merge: false
    changelog_message: "odc.buildout run {{ odc_run_id }} stage firmware"
"""

RETURN = r"""
device:
  description: The device written to.
  returned: success
  type: dict
  sample: {"id": 67, "name": "r01-srv01", "site": "odc-rsw1"}
before:
  description: The custom fields that change, before the module ran (all of them when nothing changes).
  returned: success
  type: dict
  sample: {"odc_bios_version": null}
after:
  description: The custom fields that change, afterwards (planned, in check mode).
  returned: success
  type: dict
  sample: {"odc_bios_version": "1.13.2"}
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
    spec.update(
        firmware={"type": "dict"},
        bios_version={"type": "str"},
        merge={"type": "bool", "default": True},
        changelog_message={"type": "str", "required": True},
    )
    rules = {**DEVICE_RULES, "required_one_of": [*DEVICE_RULES["required_one_of"], ("firmware", "bios_version")]}
    module = AnsibleModule(argument_spec=spec, supports_check_mode=True, **rules)
    params = module.params
    client = None
    try:
        client = client_from_params(params)
        service = WriteBack(client, module.check_mode, params["changelog_message"])
        result = service.record_firmware(device_ref(params), params["firmware"], params["bios_version"], params["merge"])
    except OdcError as exc:
        module.fail_json(**exc.to_dict())
    finally:
        if client is not None:
            client.close()
    module.exit_json(**module_result(result, module._diff))


if __name__ == "__main__":
    main()
