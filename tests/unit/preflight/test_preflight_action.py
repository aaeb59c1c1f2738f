# Copyright: odc.buildout developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The action plugin, the role and the playbook, against a recorded NetBox (fake_netbox.py).

The same paths run against the real lab NetBox in tests/integration/preflight.
"""

import json
import socket

import jsonschema
import pytest
from fake_netbox import TOKEN, FakeNetBox
from preflight_demo import choice
from preflight_play import run_preflight_playbook

from ansible_collections.odc.buildout.plugins.action.preflight import write_report
from ansible_collections.odc.buildout.plugins.module_utils._netbox_client import NetBoxClient
from ansible_collections.odc.buildout.plugins.plugin_utils._preflight._report import REPORT_SCHEMA
from ansible_collections.odc.buildout.plugins.plugin_utils._preflight._run import fetch_snapshot, preflight


@pytest.fixture
def netbox(site):
    with FakeNetBox(site.data) as fake:
        yield fake


def test_playbook_passes_on_the_demo_site(netbox, baseline, tmp_path):
    path = tmp_path / "out" / "report.json"
    args = {"preflight_site": "odc-rsw1", "preflight_report_path": str(path)}
    rc, result, _play = run_preflight_playbook(netbox.url, TOKEN, args)
    assert rc == 0, result
    assert result["passed"] is True and result["changed"] is True
    assert result["findings"] == [f.to_dict() for f in baseline.findings]
    assert result["summary"] == {"errors": 0, "warnings": 1, "devices": 28}
    assert result["stdout_lines"][0] == result["msg"]  # one warning: the table is there
    assert result["stdout_lines"][1].split() == ["SEVERITY", "RULE", "OBJECT", "FIELD", "MESSAGE"]
    report = json.loads(path.read_text())
    jsonschema.validate(report, REPORT_SCHEMA)
    assert report["findings"] == result["findings"]
    assert report["scope"] == {"site": "odc-rsw1", "racks": [], "devices": [], "stage_destructive": False,
                               "force": False, "force_reason": ""}
    # read-only and NetBox only: GETs with the token, one paged read per kind
    assert {method for method, _path, _auth in netbox.requests} == {"GET"}
    assert {auth for _m, _p, auth in netbox.requests} == {"Token " + TOKEN}
    assert len(netbox.requests) == result["requests"] == 17


def test_playbook_fails_with_every_finding(site, netbox, tmp_path):
    site.device("r02-srv08")["status"] = choice("offline")
    site.device("r01-srv05")["serial"] = site.device("r01-srv04")["serial"]
    path = tmp_path / "report.json"
    args = {"preflight_site": "odc-rsw1", "preflight_report_path": str(path)}
    rc, result, _play = run_preflight_playbook(netbox.url, TOKEN, args)
    assert rc == 2
    assert result["failed"] is True and result["passed"] is False
    assert result["msg"] == ("Preflight FAILED for site odc-rsw1 (28 devices, 35 rules): 3 error(s), 1 warning(s).")
    assert [(f["rule"], f["object_name"]) for f in result["findings"]] == [
        ("ODC-ID-002", "r01-srv04"), ("ODC-ID-002", "r01-srv05"), ("ODC-STATUS-001", "r02-srv08"),
        ("ODC-CTX-002", "odc-rsw1-services")]
    assert json.loads(path.read_text())["passed"] is False


def test_playbook_scope_and_check_mode(netbox, tmp_path):
    path = tmp_path / "report.json"
    rc, result, _play = run_preflight_playbook(netbox.url, TOKEN, {
        "preflight_site": "odc-rsw1", "preflight_racks": ["R02"], "preflight_devices": ["spine01"],
        "preflight_report_path": str(path)}, check=True)
    assert rc == 0, result
    assert result["summary"]["devices"] == 15  # R02 (14 devices) + spine01
    assert result["changed"] is True and not path.exists()  # check mode: the report would be written


def test_playbook_without_findings_says_it_once(site, netbox):
    site.context("odc-rsw1-services")["data"]["syslog_servers"] = ["10.255.255.14"]  # the demo's one warning
    site.device("spine01")["config_context"]["syslog_servers"] = ["10.255.255.14"]
    rc, result, _play = run_preflight_playbook(netbox.url, TOKEN, {
        "preflight_site": "odc-rsw1", "preflight_devices": ["spine01"]})
    assert rc == 0, result
    assert result["findings"] == [] and result["passed"] is True
    assert result["msg"] == ("Preflight passed for site odc-rsw1; devices spine01 (1 device, 35 rules): "
                             "0 error(s), 0 warning(s).")
    assert "stdout" not in result and "stdout_lines" not in result  # nothing to add to msg


@pytest.mark.parametrize(("extra", "message"), [
    ({"preflight_stage_destructive": True, "preflight_force": True},
     "force is True but all of the following are missing: force_reason"),
    ({"preflight_racks": ["R09"]}, "Rack(s) R09 not found in site odc-rsw1 (known: R01, R02)."),
    ({"preflight_site": "nowhere"}, "NetBox at {url} has no site with slug 'nowhere'."),
])
def test_playbook_input_errors(netbox, extra, message):
    if "preflight_site" == next(iter(extra)):
        netbox.data = dict(netbox.data, sites=[])
    args = dict({"preflight_site": "odc-rsw1"}, **extra)
    rc, result, _play = run_preflight_playbook(netbox.url, TOKEN, args)
    assert rc == 2
    assert message.format(url=netbox.url) in result["msg"]
    assert "findings" not in result


def test_wrong_token_is_a_clean_failure(netbox):
    rc, result, _play = run_preflight_playbook(netbox.url, "wrong", {"preflight_site": "odc-rsw1"})
    assert rc == 2
    assert result["error_type"] == "AuthenticationError"
    assert "wrong" not in json.dumps(result)


def test_no_request_leaves_for_anything_but_netbox(site, netbox, monkeypatch):
    """The preflight reads NetBox and nothing else: every connection goes to NetBox's address."""
    seen = []
    real_connect = socket.socket.connect
    real_create = socket.create_connection

    def spy_connect(sock, address):
        seen.append(address[:2])
        return real_connect(sock, address)

    def spy_create(address, *args, **kwargs):
        seen.append(tuple(address[:2]))
        return real_create(address, *args, **kwargs)

    monkeypatch.setattr(socket.socket, "connect", spy_connect)
    monkeypatch.setattr(socket, "create_connection", spy_create)
    client = NetBoxClient(netbox.url, TOKEN)
    try:
        report = preflight(fetch_snapshot(client, "odc-rsw1"), "odc-rsw1", stage_destructive=True)
    finally:
        client.close()
    host, port = netbox.server.server_address[:2]
    assert seen and set(seen) == {(host, port)}
    assert report.devices == 28 and report.passed
    assert client.requests == len(netbox.requests) == 17


def test_write_report(tmp_path):
    path = tmp_path / "a" / "b" / "report.json"
    assert write_report(str(path), "one\n", check_mode=True) is True
    assert not path.exists()
    assert write_report(str(path), "one\n", check_mode=False) is True
    assert path.read_text() == "one\n"
    assert write_report(str(path), "one\n", check_mode=False) is False
    assert write_report(str(path), "two\n", check_mode=True) is True
    assert path.read_text() == "one\n"
    assert sorted(p.name for p in path.parent.iterdir()) == ["report.json"]
