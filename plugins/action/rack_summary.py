# -*- coding: utf-8 -*-
# Copyright: odc.buildout developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Controller-side action: rack summary of a site, read from NetBox (read-only)."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible.errors import AnsibleActionFail
from ansible.plugins.action import ActionBase

from ansible_collections.odc.buildout.plugins.module_utils._errors import OdcError
from ansible_collections.odc.buildout.plugins.module_utils._netbox_client import NetBoxClient
from ansible_collections.odc.buildout.plugins.plugin_utils._netbox._snapshot import Snapshot
from ansible_collections.odc.buildout.plugins.plugin_utils._reports._racks import rack_summaries, summary_lines

ARGS = dict(
    site=dict(type="str", required=True),
    netbox_url=dict(type="str"),
    netbox_token=dict(type="str", no_log=True),
    validate_certs=dict(type="bool", default=True),
    ca_path=dict(type="path"),
    timeout=dict(type="int", default=60),
)


class ActionModule(ActionBase):
    _supports_check_mode = True
    TRANSFERS_FILES = False

    def run(self, tmp=None, task_vars=None):
        result = super(ActionModule, self).run(tmp, task_vars)
        _spec, args = self.validate_argument_spec(argument_spec=ARGS)
        import os

        url = args["netbox_url"] or os.environ.get("NETBOX_API") or os.environ.get("NETBOX_URL")
        token = args["netbox_token"] or os.environ.get("NETBOX_TOKEN")
        try:
            client = NetBoxClient(url, token, validate_certs=args["validate_certs"], ca_path=args["ca_path"],
                                  timeout=args["timeout"])
            try:
                snap = Snapshot.fetch(client, args["site"], extra=("device_types",))
            finally:
                client.close()
        except OdcError as exc:
            raise AnsibleActionFail(exc.message) from exc
        racks = rack_summaries(snap)
        result.update(changed=False, racks=racks, lines=summary_lines(args["site"], racks))
        return result
