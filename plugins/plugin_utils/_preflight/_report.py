# Copyright: odc.buildout developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The preflight report: a table for people, JSON (with its schema) for CI and NetBox-triggered runs."""

import json
from dataclasses import dataclass, field

from ansible_collections.odc.buildout.plugins.plugin_utils._preflight._finding import (
    ERROR,
    WARNING,
)

REPORT_VERSION = 1

FINDING_SCHEMA = {
    "type": "object",
    "required": ["severity", "rule", "object_type", "object_id", "object_name", "url", "field", "message"],
    "additionalProperties": False,
    "properties": {
        "severity": {"enum": [ERROR, WARNING]},
        "rule": {"type": "string", "pattern": "^ODC-[A-Z]+-[0-9]{3}$"},
        "object_type": {"type": "string"},
        "object_id": {"type": "integer"},
        "object_name": {"type": "string"},
        "url": {"type": "string"},
        "field": {"type": "string"},
        "message": {"type": "string"},
    },
}

REPORT_SCHEMA = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "title": "odc.buildout preflight report",
    "type": "object",
    "required": ["version", "passed", "scope", "netbox_url", "summary", "rules", "findings"],
    "additionalProperties": False,
    "properties": {
        "version": {"const": REPORT_VERSION},
        "passed": {"type": "boolean"},
        "netbox_url": {"type": "string"},
        "scope": {
            "type": "object",
            "required": ["site", "racks", "devices"],
            "properties": {
                "site": {"type": "string"},
                "racks": {"type": "array", "items": {"type": "string"}},
                "devices": {"type": "array", "items": {"type": "string"}},
                "stage_destructive": {"type": "boolean"},
                "force": {"type": "boolean"},
                "force_reason": {"type": "string"},
            },
        },
        "summary": {
            "type": "object",
            "required": ["errors", "warnings", "devices"],
            "properties": {
                "errors": {"type": "integer", "minimum": 0},
                "warnings": {"type": "integer", "minimum": 0},
                "devices": {"type": "integer", "minimum": 0},
            },
        },
        "rules": {"type": "array", "items": {"type": "string"}},
        "findings": {"type": "array", "items": FINDING_SCHEMA},
    },
}

COLUMNS = (("SEVERITY", "severity"), ("RULE", "rule"), ("OBJECT", "object_name"), ("FIELD", "field"),
           ("MESSAGE", "message"))


@dataclass
class Report:
    scope: dict
    findings: list
    rules: list
    devices: int = 0
    netbox_url: str = ""
    options: dict = field(default_factory=dict)

    @property
    def errors(self):
        return [f for f in self.findings if f.severity == ERROR]

    @property
    def warnings(self):
        return [f for f in self.findings if f.severity == WARNING]

    @property
    def passed(self):
        return not self.errors

    def summary_line(self):
        scope = self.scope
        parts = [f"site {scope['site']}"]
        if scope.get("racks"):
            parts.append("racks " + ", ".join(scope["racks"]))
        if scope.get("devices"):
            parts.append("devices " + ", ".join(scope["devices"]))
        verdict = "passed" if self.passed else "FAILED"
        devices = "1 device" if self.devices == 1 else f"{self.devices} devices"
        return (f"Preflight {verdict} for {'; '.join(parts)} ({devices}, {len(self.rules)} rules): "
                f"{len(self.errors)} error(s), {len(self.warnings)} warning(s).")

    def table(self):
        """Findings as a plain-text table (one line per finding)."""
        if not self.findings:
            return ""
        rows = [[str(getattr(f, attr)) for _title, attr in COLUMNS] for f in self.findings]
        widths = [max(len(title), *(len(r[i]) for r in rows)) for i, (title, _a) in enumerate(COLUMNS)]
        widths[-1] = 0  # the message is last and not padded

        def line(cells):
            return "  ".join(c.ljust(w) for c, w in zip(cells, widths)).rstrip()

        return "\n".join([line([t for t, _a in COLUMNS])] + [line(r) for r in rows])

    def text(self):
        table = self.table()
        return self.summary_line() + ("\n" + table if table else "")

    def to_dict(self):
        scope = dict(self.scope)
        scope.update(self.options)
        return {
            "version": REPORT_VERSION,
            "passed": self.passed,
            "netbox_url": self.netbox_url,
            "scope": scope,
            "summary": {"errors": len(self.errors), "warnings": len(self.warnings), "devices": self.devices},
            "rules": list(self.rules),
            "findings": [f.to_dict() for f in self.findings],
        }

    def to_json(self):
        return json.dumps(self.to_dict(), indent=2, sort_keys=True) + "\n"
