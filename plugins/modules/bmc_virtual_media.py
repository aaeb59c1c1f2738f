#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: odc.buildout developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
---
module: bmc_virtual_media
short_description: Declare the image mounted in a BMC virtual CD/USB slot
version_added: 0.1.0
description:
  - Reads the slot first; mounts, replaces or ejects only on a difference.
  - After a change the slot is read back and must report C(Inserted=true) with the image (or nothing after
    an eject); otherwise the task fails.
  - Finds the slots where the vendor keeps them (iDRAC, iLO, XCC, Supermicro under the Manager; DMTF
    under the ComputerSystem) and sends only the optional fields the vendor accepts.
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
  image:
    description:
      - URL of the image the BMC downloads (HTTP or HTTPS reachable from the BMC network).
      - Required for O(state=present). With O(state=absent), eject only if this image is mounted.
    type: str
  state:
    description:
      - V(present) mounts O(image) (ejecting another image first), V(absent) ejects.
    type: str
    default: present
    choices: [present, absent]
  media_type:
    description:
      - Kind of slot to use.
    type: str
    default: cd
    choices: [cd, usb, floppy]
  slot_id:
    description:
      - Use this slot Id instead of the first slot of O(media_type).
    type: str
  write_protected:
    description:
      - Mount read-only (when the vendor accepts the flag).
    type: bool
    default: true
  transfer_protocol:
    description:
      - C(TransferProtocolType) to send; most BMCs infer it from the URL.
    type: str
    choices: [HTTP, HTTPS, NFS, CIFS]
author:
  - odc.buildout developers (@odc-buildout)
"""

EXAMPLES = r"""
- name: Mount the installer ISO
  odc.buildout.bmc_virtual_media:
    address: 10.0.10.21
    username: "{{ bmc_user }}"
    password: "{{ bmc_password }}"
    expected_serial: CZ2D1F0ABC
    image: http://10.0.0.5/iso/rhcos-live.iso

- name: Eject whatever is in the virtual CD
  odc.buildout.bmc_virtual_media:
    address: 10.0.10.21
    username: "{{ bmc_user }}"
    password: "{{ bmc_password }}"
    state: absent
"""

RETURN = r"""
media:
  description: Slot as read back after the task.
  returned: always
  type: dict
  sample: {id: CD, image: http://10.0.0.5/iso/rhcos-live.iso, inserted: true, media_types: [CD, DVD]}
before:
  description: Slot before the task.
  returned: always
  type: dict
steps:
  description: Operations performed (C(eject), C(insert)).
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
    "image": {"type": "str"},
    "state": {"type": "str", "default": "present", "choices": ["present", "absent"]},
    "media_type": {"type": "str", "default": "cd", "choices": ["cd", "usb", "floppy"]},
    "slot_id": {"type": "str"},
    "write_protected": {"type": "bool", "default": True},
    "transfer_protocol": {"type": "str", "choices": ["HTTP", "HTTPS", "NFS", "CIFS"]},
}


def run(params, check_mode=False):
    _runner.require_redfish(params, "bmc_virtual_media")

    def work(bmc):
        outcome = bmc.media.ensure(params["image"], params["state"], params["media_type"], params["slot_id"],
                                   params["write_protected"], params["transfer_protocol"], check_mode)
        return {"changed": outcome["changed"], "media": outcome["after"], "before": outcome["before"],
                "steps": outcome["steps"], "warnings": outcome["warnings"],
                "diff": _runner.diff(outcome["before"], outcome["after"])}
    return _runner.run_redfish(params, work)


def main():
    module = AnsibleModule(
        argument_spec=_bmc_argspec.argument_spec(_bmc_argspec.BMC_IDENTITY_SPEC, **OPTIONS),
        required_if=[("state", "present", ["image"])],
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
