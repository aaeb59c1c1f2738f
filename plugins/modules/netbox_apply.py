#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: odc.buildout developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: netbox_apply
short_description: Make a set of NetBox objects exist as described, idempotently
version_added: 0.1.0
description:
  - Takes an ordered list of sections, one per NetBox endpoint, whose objects name each other by
    natural key (slug, name, device + interface), never by id.
  - Reads each endpoint once in bulk, compares only the fields given, then creates what is missing
    and updates what differs, with one bulk request per endpoint.
  - Used to create the ODC data model (C(playbooks/netbox_model.yml)) and the demo site.
  - Objects are never deleted.
extends_documentation_fragment:
  - odc.buildout.netbox_connection
options:
  sections:
    description:
      - Ordered list of C({endpoint, objects}) dicts. See C(docs/data-model.md) for the reference syntax.
      - Mutually exclusive with O(src).
    type: list
    elements: dict
  src:
    description:
      - Path of a YAML file whose top-level key C(sections) holds the sections.
    type: path
  changelog_message:
    description:
      - Message recorded in NetBox's change log for every change (use the run id).
    type: str
attributes:
  check_mode:
    description: Computes the full plan and sends no write.
    support: full
  diff_mode:
    description: Shows, per object, the fields before and after.
    support: full
author:
  - odc.buildout developers (@odc-buildout)
"""

EXAMPLES = r"""
- name: Create the ODC data model
  odc.buildout.netbox_apply:
    src: "{{ playbook_dir }}/vars/odc_data_model.yml"
    changelog_message: "odc.buildout run {{ odc_run_id }}"
"""

RETURN = r"""
summary:
  description: Per endpoint, how many objects were created and updated.
  returned: always
  type: dict
  sample: {"dcim.sites": {"created": 1, "updated": 0}}
changes:
  description: Every planned or applied change with the natural key and the fields concerned.
  returned: always
  type: list
  elements: dict
requests:
  description: Number of HTTP requests sent to NetBox.
  returned: always
  type: int
"""

from ansible.module_utils.basic import AnsibleModule

from ansible_collections.odc.buildout.plugins.module_utils._errors import OdcError
from ansible_collections.odc.buildout.plugins.module_utils._netbox_apply import NetBoxApply
from ansible_collections.odc.buildout.plugins.module_utils._netbox_argspec import NETBOX_SPEC, client_from_params


def load_sections(params):
    if params["sections"] is not None:
        return params["sections"]
    import yaml

    with open(params["src"]) as handle:
        data = yaml.safe_load(handle) or {}
    return data.get("sections", [])


def main():
    spec = dict(NETBOX_SPEC)
    spec.update(
        sections=dict(type="list", elements="dict"),
        src=dict(type="path"),
        changelog_message=dict(type="str"),
    )
    module = AnsibleModule(argument_spec=spec, supports_check_mode=True,
                           mutually_exclusive=[("sections", "src")], required_one_of=[("sections", "src")])
    client = client_from_params(module.params)
    try:
        engine = NetBoxApply(client, check_mode=module.check_mode, changelog_message=module.params["changelog_message"])
        summary = engine.apply(load_sections(module.params))
    except OdcError as exc:
        module.fail_json(**exc.to_dict())
    finally:
        client.close()
    changed = any(s["created"] or s["updated"] for s in summary.values())
    result = dict(changed=changed, summary=summary, changes=engine.changes, requests=client.requests)
    if module._diff and changed:
        result["diff"] = {
            "before": "\n".join("%s %s: %s" % (c["endpoint"], c["key"], c.get("before", "(absent)")) for c in engine.changes) + "\n",
            "after": "\n".join("%s %s: %s" % (c["endpoint"], c["key"], c["after"]) for c in engine.changes) + "\n",
        }
    module.exit_json(**result)


if __name__ == "__main__":
    main()
