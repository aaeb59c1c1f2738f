# Copyright: odc.buildout developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Controller-side action ``odc.buildout.preflight`` (documentation: plugins/modules/preflight.py).

Reads NetBox once (the scoped snapshot), runs every preflight rule and
reports all findings at once: a table in ``stdout``, the findings as data,
optionally a JSON report file. Fails when any finding is an error. Talks to
NetBox only, never to a BMC or a switch.
"""

import os
import tempfile

from ansible.errors import AnsibleActionFail
from ansible.plugins.action import ActionBase

from ansible_collections.odc.buildout.plugins.module_utils._errors import (
    ConfigError,
    OdcError,
)
from ansible_collections.odc.buildout.plugins.module_utils._netbox_argspec import (
    NETBOX_SPEC,
    client_from_params,
)
from ansible_collections.odc.buildout.plugins.plugin_utils._preflight._run import (
    fetch_snapshot,
    preflight,
)

PREFLIGHT_SPEC = {
    "site": {"type": "str", "required": True},
    "racks": {"type": "list", "elements": "str", "default": []},
    "devices": {"type": "list", "elements": "str", "default": []},
    "stage_destructive": {"type": "bool", "default": False},
    "force": {"type": "bool", "default": False},
    "force_reason": {"type": "str"},
    "report_path": {"type": "path"},
}
ARGUMENT_SPEC = dict(PREFLIGHT_SPEC, **NETBOX_SPEC)
REQUIRED_IF = [("force", True, ("force_reason",))]


def write_report(path, text, check_mode):
    """Write ``text`` to ``path`` atomically; return True when the content changed."""
    try:
        with open(path, encoding="utf-8") as handle:
            if handle.read() == text:
                return False
    except FileNotFoundError:
        pass
    except OSError as exc:
        raise ConfigError(f"Cannot read the report file {path}: {exc}") from exc
    if check_mode:
        return True
    directory = os.path.dirname(os.path.abspath(path))
    try:
        os.makedirs(directory, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=".preflight-", dir=directory)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except OSError as exc:
        raise ConfigError(f"Cannot write the report file {path}: {exc}") from exc
    return True


class ActionModule(ActionBase):
    TRANSFERS_FILES = False
    _requires_connection = False
    _supports_check_mode = True
    _supports_async = False

    def run(self, tmp=None, task_vars=None):
        result = super().run(tmp, task_vars)
        _validation, args = self.validate_argument_spec(argument_spec=ARGUMENT_SPEC, required_if=REQUIRED_IF)
        if args["force"] and not (args["force_reason"] or "").strip():
            raise AnsibleActionFail("force: true needs a force_reason (it is recorded in the report).")
        try:
            client = client_from_params(args)
            try:
                snapshot = fetch_snapshot(client, args["site"])
            finally:
                client.close()
            report = preflight(snapshot, args["site"], racks=args["racks"], devices=args["devices"],
                               stage_destructive=args["stage_destructive"], force=args["force"],
                               force_reason=args["force_reason"])
            changed = False
            if args["report_path"]:
                changed = write_report(args["report_path"], report.to_json(), self._task.check_mode)
        except OdcError as exc:
            result.update(failed=True, msg=exc.message, error_type=type(exc).__name__)
            return result
        text = report.text()
        result.update(
            changed=changed,
            failed=not report.passed,
            passed=report.passed,
            msg=report.summary_line(),
            findings=[f.to_dict() for f in report.findings],
            summary=report.to_dict()["summary"],
            requests=client.requests,
            _ansible_verbose_always=True,
        )
        if report.findings:
            # the summary line and the table; without findings it would only repeat msg
            result.update(stdout=text, stdout_lines=text.splitlines())
        if args["report_path"]:
            result["report_path"] = args["report_path"]
        return result
