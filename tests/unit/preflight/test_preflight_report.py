# Copyright: odc.buildout developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Report (table, JSON and its schema), scope, registry and the rule catalogue in the docs."""

import json
import os
import re

import jsonschema
import pytest
from preflight_demo import ROOT_DOC, choice

from ansible_collections.odc.buildout.plugins.module_utils._errors import ConfigError
from ansible_collections.odc.buildout.plugins.plugin_utils._preflight._finding import (
    ERROR,
    WARNING,
    Finding,
    object_name,
    object_url,
)
from ansible_collections.odc.buildout.plugins.plugin_utils._preflight._registry import RULES, rule
from ansible_collections.odc.buildout.plugins.plugin_utils._preflight._report import REPORT_SCHEMA, Report
from ansible_collections.odc.buildout.plugins.plugin_utils._preflight._run import rule_catalogue, rule_ids


def test_report_json_follows_its_schema(site):
    site.device("r02-srv08")["status"] = choice("offline")
    report = site.run(racks=["R02"], stage_destructive=True, force=True, force_reason="CHG-9")
    data = json.loads(report.to_json())
    jsonschema.validate(data, REPORT_SCHEMA)
    assert data["passed"] is False
    assert data["summary"] == {"errors": 1, "warnings": 1, "devices": 14}
    assert data["scope"] == {"site": "odc-rsw1", "racks": ["R02"], "devices": [], "stage_destructive": True,
                             "force": True, "force_reason": "CHG-9"}
    assert data["rules"] == rule_ids()
    assert data["findings"][0] == {
        "severity": "error", "rule": "ODC-STATUS-001", "object_type": "dcim.device", "object_id": 82,
        "object_name": "r02-srv08", "url": "http://127.0.0.1:8001/dcim/devices/82/", "field": "status",
        "message": "r02-srv08 is offline; only planned or staged devices are built. Set the status to planned "
                   "(or staged) or leave the device out of the scope."}


def test_table_lines_up(site):
    site.device("r02-srv08")["status"] = choice("offline")
    lines = site.run().text().splitlines()
    assert lines[0] == "Preflight FAILED for site odc-rsw1 (28 devices, 35 rules): 1 error(s), 1 warning(s)."
    header, first, second = lines[1:]
    assert header.split() == ["SEVERITY", "RULE", "OBJECT", "FIELD", "MESSAGE"]
    for column in ("RULE", "OBJECT", "FIELD", "MESSAGE"):
        start = header.index(column)
        assert first[start - 2:start] == "  " and first[start] != " "
        assert second[start - 2:start] == "  " and second[start] != " "
    assert first.startswith("error     ODC-STATUS-001  r02-srv08  ")
    assert second.startswith("warning   ODC-CTX-002     odc-rsw1-services  ")


def test_empty_report_has_no_table():
    report = Report(scope={"site": "x", "racks": [], "devices": ["a"]}, findings=[], rules=["ODC-X-001"], devices=1)
    assert report.text() == "Preflight passed for site x; devices a (1 device, 1 rules): 0 error(s), 0 warning(s)."


def test_errors_sort_before_warnings():
    warn = Finding(WARNING, "ODC-A-001", "a", "f", "m")
    err = Finding(ERROR, "ODC-Z-001", "z", "f", "m")
    report = Report(scope={"site": "x", "racks": [], "devices": []}, findings=[err, warn], rules=[])
    assert not report.passed and report.errors == [err] and report.warnings == [warn]


def test_object_names_and_urls():
    iface = {"id": 3, "name": "ens1f0", "device": {"name": "r01-srv01"}}
    assert object_name("dcim.interface", iface) == "r01-srv01 ens1f0"
    assert object_name("ipam.ipaddress", {"address": "10.0.0.1/24", "vrf": {"name": "blue"}}) == "10.0.0.1/24 (VRF blue)"
    assert object_name("dcim.device", {"id": 4, "name": None}) == "#4"
    assert object_url("dcim.interface", iface, "https://nb.example/") == "https://nb.example/dcim/interfaces/3/"
    assert object_url("dcim.interface", dict(iface, display_url="https://x/y/"), "") == "https://x/y/"
    assert object_url("dcim.cable", {"id": 5}, "https://nb.example") == ""


# -- scope ----------------------------------------------------------------------
def test_scope_adds_racks_and_devices(site):
    assert site.run(racks=["R01"]).devices == 14
    assert site.run(racks=["R01"], devices=["r02-srv01", "r01-srv01"]).devices == 15
    assert site.run(devices=["spine02"]).devices == 1


@pytest.mark.parametrize(("kwargs", "message"), [
    ({"racks": ["R03"]}, "Rack(s) R03 not found in site odc-rsw1 (known: R01, R02)."),
    ({"devices": ["r09-srv01"]}, "Device(s) r09-srv01 not found in site odc-rsw1."),
    ({"site": "elsewhere"}, "The NetBox snapshot holds no site with slug 'elsewhere'."),
])
def test_scope_input_errors(site, kwargs, message):
    with pytest.raises(ConfigError) as err:
        site.run(**kwargs)
    assert str(err.value) == message


def test_selected_rules_only(site):
    site.device("r02-srv08")["status"] = choice("offline")
    report = site.run(rules=["ODC-BMC-001", "ODC-STATUS-001"])
    assert report.rules == ["ODC-BMC-001", "ODC-STATUS-001"]
    assert [f.rule for f in report.findings] == ["ODC-STATUS-001"]


# -- registry ---------------------------------------------------------------------
def test_rule_ids_are_unique_and_well_formed():
    ids = rule_ids()
    assert len(ids) == len(set(ids)) == len(RULES) == 35
    assert all(re.fullmatch(r"ODC-[A-Z]+-[0-9]{3}", i) for i in ids)


def test_registry_refuses_duplicates_and_bad_severity(site):
    with pytest.raises(ValueError, match="duplicate preflight rule id ODC-BMC-001"):
        rule("ODC-BMC-001", "again")(lambda ctx, report: None)

    @rule("ODC-TEST-001", "bad severity")
    def bad(ctx, report):
        report("dcim.site", ctx.scope.site, "name", "x", "fatal")

    try:
        with pytest.raises(ValueError, match="unknown severity 'fatal'"):
            site.run(rules=["ODC-TEST-001"])
    finally:
        del RULES["ODC-TEST-001"]


def test_every_rule_is_documented():
    with open(os.path.join(ROOT_DOC, "docs", "preflight.md")) as handle:
        doc = handle.read()
    documented = re.findall(r"^\| `(ODC-[A-Z]+-[0-9]{3})` \| (error|warning) \|", doc, re.MULTILINE)
    assert documented == [(rid, severity) for rid, severity, _title in rule_catalogue()]
