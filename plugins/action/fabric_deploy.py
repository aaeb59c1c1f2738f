# -*- coding: utf-8 -*-
# Copyright: odc.buildout developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Controller action: push the fabric into the namespace lab (FRR via frr-reload, Linux
bridges/VXLAN via the rendered script, server namespaces).  Check mode plans only."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible.plugins.action import ActionBase

from ansible_collections.odc.buildout.plugins.module_utils._errors import OdcError


class ActionModule(ActionBase):
    TRANSFERS_FILES = False
    _requires_connection = False

    def run(self, tmp=None, task_vars=None):
        from ansible_collections.odc.buildout.plugins.plugin_utils._fabric import _action, _deploy, _lab

        result = super(ActionModule, self).run(tmp, task_vars)
        validation, params = self.validate_argument_spec(argument_spec=_action.DEPLOY_SPEC)
        try:
            structured, files = _action.pipeline(params, formats=("frr", "lab"))
            lab = _lab.Lab.load(params["lab_file"])
            lab.check_site(params["site"])
            report = _deploy.deploy(structured, files, lab, check_mode=self._task.check_mode,
                                    limit=params["limit"], force=params["force"],
                                    force_reason=params["force_reason"], servers=params["servers"])
        except OdcError as err:
            result.update(failed=True, **err.to_dict())
            return result
        devices = report["devices"]
        result.update(changed=report["changed"], forced=report["forced"],
                      devices={n: {k: v for k, v in d.items() if k != "diff"} for n, d in devices.items()},
                      changed_devices=sorted(n for n, d in devices.items() if d.get("changed")))
        if report.get("force_reason"):
            result["force_reason"] = report["force_reason"]
        if report["errors"]:
            result.update(failed=True, msg="Lab namespaces missing for: %s" % ", ".join(report["errors"]))
        if self._task.diff:
            result["diff"] = _action.diff_entries(devices)
        return result
