# -*- coding: utf-8 -*-
# Copyright: odc.buildout developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Rendering: every format parses back; schema and template failures are clear messages."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json
import shutil
import subprocess

import pytest
import yaml
from fabric_testlib import demo_data

from ansible_collections.odc.buildout.plugins.module_utils._errors import ValidationFailed
from ansible_collections.odc.buildout.plugins.plugin_utils._fabric import _render
from ansible_collections.odc.buildout.plugins.plugin_utils._fabric._build import build_fabric
from ansible_collections.odc.buildout.plugins.plugin_utils._fabric._schema import errors_for, validate_result
from ansible_collections.odc.buildout.plugins.plugin_utils._netbox._snapshot import Snapshot


@pytest.fixture(scope="module")
def built():
    result = build_fabric(Snapshot.from_dict(demo_data()))
    return result, _render.render_all(result)


def test_config_db_parses_back_and_matches_structured(built):
    result, files = built
    doc = json.loads(files["sonic/r01-leaf01.config_db.json"])
    assert errors_for("config_db", doc, "x") == []
    assert doc["VXLAN_TUNNEL_MAP"]["vtep|map_10040_Vlan40"] == {"vlan": "Vlan40", "vni": "10040"}
    assert doc["VLAN_MEMBER"]["Vlan40|PortChannel1"] == {"tagging_mode": "untagged"}
    assert doc["VLAN_MEMBER"]["Vlan20|PortChannel5"] == {"tagging_mode": "tagged"}
    assert doc["BGP_NEIGHBOR"]["default|Ethernet200"]["asn"] == "65000"
    assert doc["SAG"]["GLOBAL"]["gateway_mac"] == result["switches"]["r01-leaf01"]["evpn"]["anycast_gateway_mac"]
    assert doc["PORTCHANNEL"]["PortChannel1"]["system_mac"] == "02:0d:c1:00:00:01"
    spine = json.loads(files["sonic/spine01.config_db.json"])
    assert "VXLAN_TUNNEL" not in spine and len(spine["BGP_NEIGHBOR"]) == 4


def test_nmstate_shape(built):
    _result, files = built
    doc = yaml.safe_load(files["nmstate/r01-srv05.nmstate.yml"])
    by_name = {i["name"]: i for i in doc["interfaces"]}
    assert by_name["bond0"]["link-aggregation"]["mode"] == "802.3ad"
    assert by_name["bond0"]["link-aggregation"]["port"] == ["ens1f0", "ens1f1"]
    assert by_name["bond0.30"]["vlan"] == {"base-iface": "bond0", "id": 30}
    assert by_name["bond0.30"]["ipv4"]["address"] == [{"ip": "10.30.0.21", "prefix-length": 24}]
    assert doc["routes"]["config"] == [{"destination": "0.0.0.0/0", "next-hop-address": "10.10.0.1",
                                        "next-hop-interface": "bond0"}]


def test_dhcp_one_reservation_per_bmc(built):
    result, files = built
    lines = [line for line in files["dhcp/dnsmasq.conf"].splitlines() if line.startswith("dhcp-host=")]
    assert len(lines) == 16
    assert "dhcp-host=b0:7b:25:73:91:96,127.0.10.11,r01-srv01-bmc,12h" in lines


@pytest.mark.skipif(shutil.which("dnsmasq") is None, reason="dnsmasq not installed")
def test_dnsmasq_accepts_the_config(built, tmp_path):
    path = tmp_path / "dnsmasq.conf"
    path.write_text(built[1]["dhcp/dnsmasq.conf"])
    done = subprocess.run(["dnsmasq", "--test", "-C", str(path)], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr


@pytest.mark.skipif(shutil.which("vtysh") is None, reason="FRR (vtysh) not installed")
def test_frr_parses_every_switch_config(built, tmp_path):
    for rel, text in built[1].items():
        if rel.startswith("frr/"):
            path = tmp_path / rel.replace("/", "_")
            path.write_text(text)
            done = subprocess.run(["vtysh", "--dryrun", "-f", str(path)], capture_output=True, text=True, check=False)
            assert done.returncode == 0, "%s: %s" % (rel, done.stdout + done.stderr)


def test_lab_script_is_valid_shell(built, tmp_path):
    for rel, text in built[1].items():
        if rel.startswith("lab/"):
            done = subprocess.run(["sh", "-n"], input=text, capture_output=True, text=True, check=False)
            assert done.returncode == 0, "%s: %s" % (rel, done.stderr)


def test_mermaid_topology(built):
    text = built[1]["docs/topology.md"]
    assert "```mermaid" in text
    assert "n_r01_leaf01 ---|swp51:swp1| n_spine01" in text
    assert 'n_servers_R01[["8 servers<br/>VLANs 10, 20, 30, 40"]]' in text


def test_schema_error_names_device_and_path(built):
    result = json.loads(json.dumps(built[0]))
    result["switches"]["r01-leaf01"]["router_bgp"]["neighbors"][0]["remote_as"] = None
    del result["servers"]["r01-srv01"]["bond"]
    with pytest.raises(ValidationFailed) as info:
        validate_result(result)
    assert info.value.message == (
        "Structured config failed its schema (2 problem(s)):\n"
        "- switch r01-leaf01 /router_bgp/neighbors/0/remote_as: None is not of type 'integer'\n"
        "- server r01-srv01 /: 'bond' is a required property")


def test_broken_config_db_is_caught():
    with pytest.raises(ValidationFailed) as info:
        _render.parse_back({"sonic/x.config_db.json": '{"DEVICE_METADATA": {}, "PORT": {}, "VLAN": {"vlan10": {}}}'})
    assert info.value.message == (
        "Rendered files failed their parse-back check:\n"
        "- sonic/x.config_db.json /DEVICE_METADATA: 'localhost' is a required property\n"
        "- sonic/x.config_db.json /VLAN: 'vlan10' does not match '^Vlan\\\\d+$'\n"
        "- sonic/x.config_db.json /VLAN/vlan10: 'vlanid' is a required property")


def test_template_error_is_not_a_traceback(built):
    sw = json.loads(json.dumps(built[0]["switches"]["spine01"]))
    del sw["metadata"]
    with pytest.raises(ValidationFailed) as info:
        _render._render("frr.conf.j2", sw, "spine01")
    assert info.value.message.startswith("Template frr.conf.j2 failed for spine01: 'metadata' is undefined")


def test_write_files_only_touches_changes(tmp_path, built):
    files = {k: v for k, v in built[1].items() if k.startswith("frr/")}
    first = _render.write_files(files, str(tmp_path))
    assert len(first["changed"]) == len(files)
    assert _render.write_files(files, str(tmp_path))["changed"] == []
    files["frr/spine01.conf"] += "!\n"
    (tmp_path / "frr" / "stale.conf").write_text("x")
    check = _render.write_files(files, str(tmp_path), check_mode=True)
    assert check["changed"] == ["frr/spine01.conf"] and check["removed"] == ["frr/stale.conf"]
    assert (tmp_path / "frr" / "stale.conf").exists()
