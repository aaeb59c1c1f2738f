# Copyright: odc.buildout developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The rule registry: one small function per rule, registered with its id.

A rule is ``fn(ctx, report)``; it calls ``report(object_type, obj, field,
message[, severity])`` once per problem. The registry turns those calls into
:class:`Finding` objects (with the rule id, the object's name and URL).
"""

from dataclasses import dataclass

from ansible_collections.odc.buildout.plugins.plugin_utils._preflight._finding import (
    ERROR,
    SEVERITIES,
    Finding,
    object_name,
    object_url,
    sort_key,
)

RULES = {}


@dataclass(frozen=True)
class Rule:
    id: str
    title: str
    severity: str
    func: object

    def run(self, ctx):
        found = []

        def report(object_type, obj, field, message, severity=None):
            severity = severity or self.severity
            if severity not in SEVERITIES:
                raise ValueError(f"{self.id}: unknown severity {severity!r}")
            found.append(Finding(
                severity=severity, rule=self.id, object_name=object_name(object_type, obj), field=field,
                message=message, object_type=object_type, object_id=obj.get("id") or 0,
                url=object_url(object_type, obj, ctx.netbox_url)))

        self.func(ctx, report)
        return found


def rule(rule_id, title, severity=ERROR):
    """Register ``fn(ctx, report)`` as rule ``rule_id`` (default severity ``severity``)."""

    def register(func):
        if rule_id in RULES:
            raise ValueError(f"duplicate preflight rule id {rule_id}")
        RULES[rule_id] = Rule(rule_id, title, severity, func)
        return func

    return register


def run_rules(ctx, rules=None):
    """Run the rules (all by default, or the given ids) and return every finding, sorted."""
    selected = [RULES[r] for r in rules] if rules else list(RULES.values())
    findings = []
    for item in selected:
        findings.extend(item.run(ctx))
    return sorted(set(findings), key=sort_key)
