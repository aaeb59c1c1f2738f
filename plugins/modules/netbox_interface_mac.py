#!/usr/bin/python
# Copyright: odc.buildout developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r"""
module: netbox_interface_mac
short_description: Record discovered MAC addresses on a NetBox device's interfaces
version_added: 0.1.0
description:
  - For each C({interface, mac}) pair, makes the MAC a NetBox MAC address object (C(dcim.mac-addresses), NetBox 4.2+)
    assigned to the interface and sets it as the interface's C(primary_mac_address).
  - An interface whose primary MAC already equals the discovered one is left alone.
  - A recorded but non-primary MAC equal to the discovered one is made primary; an unassigned MAC object with
    that address is adopted instead of creating a duplicate.
  - Identity conflicts fail with C(error_type=IdentityMismatch) and write nothing, all of them listed at once in
    the failure's C(conflicts). A conflict is an interface with a different primary MAC, an interface with other
    MACs recorded and not the discovered one, or the MAC recorded on another device. Only an interface without
    any MAC is filled in.
  - Interfaces the device does not have in NetBox fail with C(error_type=NotFound), also before any write.
extends_documentation_fragment:
  - odc.buildout.netbox_connection
  - odc.buildout.netbox_device
options:
  macs:
    description:
      - The discovered MACs of this device, one entry per interface.
      - Any usual spelling is accepted (V(b0:7b:25:73:91:96), V(B0-7B-25-73-91-96), V(b07b.2573.9196)).
        Quote MACs in YAML.
    type: list
    elements: dict
    required: true
    suboptions:
      interface:
        description:
          - Interface name on the device in NetBox.
        type: str
        required: true
      mac:
        description:
          - MAC address the hardware reports for that interface.
        type: str
        required: true
  changelog_message:
    description:
      - Message recorded in NetBox's change log with every change, for example C(odc.buildout run <run_id> stage <stage>).
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
- name: Record the MACs the BMC reported
  odc.buildout.netbox_interface_mac:
    device: r01-srv01
    site: odc-rsw1
    macs:
      - {interface: ens1f0, mac: "b0:7b:25:8c:c8:f1"}
      - {interface: ens1f1, mac: "b0:7b:25:f6:8a:92"}
    changelog_message: "odc.buildout run {{ odc_run_id }} stage discover"
"""

RETURN = r"""
device:
  description: The device written to.
  returned: success
  type: dict
  sample: {"id": 67, "name": "r01-srv01", "site": "odc-rsw1"}
before:
  description: Primary MAC per given interface before the module ran (null when none).
  returned: success
  type: dict
  sample: {"ens1f0": null}
after:
  description: Primary MAC per given interface afterwards (planned, in check mode).
  returned: success
  type: dict
  sample: {"ens1f0": "B0:7B:25:8C:C8:F1"}
create:
  description: MAC objects created (planned, in check mode) and made primary.
  returned: success
  type: list
  elements: dict
  sample: [{"interface": "ens1f0", "mac": "B0:7B:25:8C:C8:F1"}]
adopt:
  description: Unassigned MAC objects assigned to the interface and made primary.
  returned: success
  type: list
  elements: dict
primary:
  description: MAC objects already on the interface that were made primary.
  returned: success
  type: list
  elements: dict
unchanged:
  description: Interfaces whose primary MAC already matched.
  returned: success
  type: list
  elements: dict
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
        macs={"type": "list", "elements": "dict", "required": True,
              "options": {"interface": {"type": "str", "required": True}, "mac": {"type": "str", "required": True}}},
        changelog_message={"type": "str", "required": True},
    )
    module = AnsibleModule(argument_spec=spec, supports_check_mode=True, **DEVICE_RULES)
    client = None
    try:
        client = client_from_params(module.params)
        service = WriteBack(client, module.check_mode, module.params["changelog_message"])
        result = service.record_macs(device_ref(module.params), module.params["macs"])
    except OdcError as exc:
        module.fail_json(**exc.to_dict())
    finally:
        if client is not None:
            client.close()
    module.exit_json(**module_result(result, module._diff))


if __name__ == "__main__":
    main()
