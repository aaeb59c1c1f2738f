# -*- coding: utf-8 -*-
# Copyright: odc.buildout developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Controller action: verify the lab fabric from operational state and report drift."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible.plugins.action import ActionBase

from ansible_collections.odc.buildout.plugins.module_utils._errors import OdcError


class ActionModule(ActionBase):
    TRANSFERS_FILES = False
    _requires_connection = False

    def run(self, tmp=None, task_vars=None):
        from ansible_collections.odc.buildout.plugins.plugin_utils._fabric import _action, _deploy, _lab, _verify

        result = super(ActionModule, self).run(tmp, task_vars)
        validation, params = self.validate_argument_spec(argument_spec=_action.VERIFY_SPEC)
        try:
            structured, files = _action.pipeline(params, formats=("frr", "lab"))
            lab = _lab.Lab.load(params["lab_file"])
            lab.check_site(params["site"])
            plan = _deploy.deploy(structured, files, lab, check_mode=True, limit=params["limit"],
                                  force=True, force_reason="drift report (read only)")
            report = _verify.verify(structured, lab, checks=params["checks"], timeout=params["wait_timeout"])
        except OdcError as err:
            result.update(failed=True, **err.to_dict())
            return result
        drift = {}
        for name, dev in plan["devices"].items():
            if dev.get("changed"):
                frr = dev.get("frr") or {}
                drift[name] = {"interfaces": dev.get("interfaces") or []}
                if frr.get("delete") or frr.get("add"):
                    drift[name]["frr"] = frr
        result.update(changed=False, ok=report["ok"], checks=report["checks"], failures=report["failed"],
                      drift=drift, in_sync=not drift)
        if not report["ok"]:
            result.update(failed=True, msg="Fabric verification failed (%d problem(s)): %s"
                          % (len(report["failed"]), "; ".join(report["failed"][:10])))
        elif drift and params["fail_on_drift"]:
            result.update(failed=True, msg="Running config drifts from NetBox on: %s" % ", ".join(sorted(drift)))
        return result
