# Copyright: odc.buildout developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Entry point of the preflight: read NetBox once, run every rule, report all findings.

The preflight talks to NetBox only (one paged read per object kind); it
never contacts a BMC or a switch.
"""

from ansible_collections.odc.buildout.plugins.plugin_utils._netbox._snapshot import (
    Snapshot,
)
from ansible_collections.odc.buildout.plugins.plugin_utils._preflight import (
    _rules_bmc,
    _rules_cabling,
    _rules_fields,
    _rules_ipam,
    _rules_openshift,
    _rules_rack,
    _rules_status,
)
from ansible_collections.odc.buildout.plugins.plugin_utils._preflight._context import (
    Context,
    Scope,
)
from ansible_collections.odc.buildout.plugins.plugin_utils._preflight._registry import (
    RULES,
    run_rules,
)
from ansible_collections.odc.buildout.plugins.plugin_utils._preflight._report import (
    Report,
)

# rule domains, in the order they run and are listed
DOMAINS = (_rules_status, _rules_fields, _rules_bmc, _rules_cabling, _rules_ipam, _rules_rack, _rules_openshift)

# what the rules need beyond the default snapshot
SNAPSHOT_EXTRA = ("config_contexts", "config_context_profiles", "device_types")


def fetch_snapshot(client, site):
    """The one bulk read of NetBox for a preflight of ``site``."""
    return Snapshot.fetch(client, site, config_context=True, extra=SNAPSHOT_EXTRA)


def preflight(snapshot, site, racks=None, devices=None, stage_destructive=False, force=False, force_reason=None,
              rules=None):
    """Run the rules (all, or the given ids) on a snapshot; return a :class:`Report`."""
    scope = Scope(snapshot, site, racks=racks, devices=devices)
    ctx = Context(snapshot, scope, stage_destructive=stage_destructive, force=force, force_reason=force_reason)
    selected = list(rules) if rules else rule_ids()
    findings = run_rules(ctx, selected)
    options = {"stage_destructive": bool(stage_destructive), "force": bool(force),
               "force_reason": force_reason or ""}
    return Report(scope=scope.to_dict(), findings=findings, rules=selected, devices=len(scope.device_ids),
                  netbox_url=snapshot.netbox_url, options=options)


def rule_ids():
    """Every rule id, domain by domain (DOMAINS), in the order each domain defines them."""
    return [r.id for domain in DOMAINS for r in RULES.values() if r.func.__module__ == domain.__name__]


def rule_catalogue():
    """[(id, default severity, title)] of every rule, in run order."""
    return [(RULES[i].id, RULES[i].severity, RULES[i].title) for i in rule_ids()]
