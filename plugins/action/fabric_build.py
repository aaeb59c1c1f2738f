# -*- coding: utf-8 -*-
# Copyright: odc.buildout developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Controller action: NetBox -> fabric structured config -> rendered files in an artifacts dir."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible.plugins.action import ActionBase

from ansible_collections.odc.buildout.plugins.module_utils._errors import OdcError


class ActionModule(ActionBase):
    TRANSFERS_FILES = False
    _requires_connection = False

    def run(self, tmp=None, task_vars=None):
        from ansible_collections.odc.buildout.plugins.plugin_utils._fabric import _action, _render

        result = super(ActionModule, self).run(tmp, task_vars)
        validation, params = self.validate_argument_spec(argument_spec=_action.BUILD_SPEC)
        try:
            structured, files = _action.pipeline(params, formats=params["formats"])
            dest = params["artifacts_dir"] or _action.default_artifacts(task_vars or {}, params["site"])
            written = _render.write_files(files, dest, check_mode=self._task.check_mode)
        except OdcError as err:
            result.update(failed=True, **err.to_dict())
            return result
        result.update(changed=bool(written["changed"] or written["removed"]), artifacts_dir=dest,
                      files_changed=written["changed"], files_removed=written["removed"], files=len(files),
                      summary=structured["site"]["summary"])
        if params["return_structured"]:
            result["structured"] = structured
        if self._task.diff and written["diff"]:
            result["diff"] = written["diff"]
        return result
