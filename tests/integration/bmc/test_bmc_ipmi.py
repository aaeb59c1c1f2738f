# -*- coding: utf-8 -*-
# Copyright: odc.buildout developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The pyghmi IPMI client against the real OpenIPMI ipmi_sim (RMCP+)."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import os
import uuid

import pytest

from ansible_collections.odc.buildout.plugins.module_utils import _errors, _ipmi
from ansible_collections.odc.buildout.plugins.modules import bmc_boot, bmc_info, bmc_power

pytestmark = pytest.mark.integration

GUID = "61120bdc-c432-11ed-b674-ef2f47d8b462"  # as written in lan.conf


@pytest.fixture()
def params(ipmi_sim, state_dir):
    return {"address": ipmi_sim["address"], "port": ipmi_sim["port"], "protocol": "ipmi",
            "username": ipmi_sim["username"], "password": ipmi_sim["password"], "ca_path": None,
            "validate_certs": True, "timeout": 10, "retry_budget": 10, "vendor": "auto", "system_id": None,
            "run_id": None, "state_dir": state_dir, "reserve_sessions": 2, "ipmi_pacing": 0.0,
            "expected_serial": None, "expected_uuid": None, "expected_macs": None}


def chassis_file(ipmi_sim, name):
    path = os.path.join(ipmi_sim["dir"], name)
    return open(path).read().strip() if os.path.exists(path) else None


def test_info_over_ipmi(params):
    data = bmc_info.run(dict(params, sections=None, ipmi_user_slots=3))["bmc"]
    assert data["vendor"] == "ipmi"
    swapped = str(uuid.UUID(bytes_le=uuid.UUID(GUID).bytes))
    assert data["identity"]["uuid"] in (GUID, swapped)
    assert data["controller"]["firmware_version"] == "9.08"
    assert data["controller"]["manufacturer_id"] == 0x1291 and data["controller"]["product_id"] == 0x0F02
    assert data["controller"]["ipmi_version"] == "2.0"
    assert data["firmware"] == [{"name": "BMC Version", "version": "9.8"}]
    assert {u["name"]: u["privilege"] for u in data["users"]} == {"admin": "administrator"}
    assert data["power"] in ("on", "off")


def test_power_over_ipmi_is_declarative_and_guarded(params, ipmi_sim):
    base = dict(params, force=True, graceful_timeout=3, wait_timeout=5, poll_interval=0.2)
    with pytest.raises(_errors.IdentityMismatch):
        bmc_power.run(dict(base, state="on", expected_uuid="00000000-0000-0000-0000-000000000001"))
    assert chassis_file(ipmi_sim, "power") in (None, "0")
    on = bmc_power.run(dict(base, state="on", expected_uuid=GUID))
    assert on["changed"] and on["power_state"] == "On" and chassis_file(ipmi_sim, "power") == "1"
    assert bmc_power.run(dict(base, state="on"))["changed"] is False
    off = bmc_power.run(dict(base, state="off"))
    assert off["power_state"] == "Off" and chassis_file(ipmi_sim, "power") == "0"
    # ipmi_sim refuses the soft-off; with force the task falls back to a hard power-off.
    assert off["actions"] == ["GracefulShutdown", "ForceOff"]
    assert any("refused GracefulShutdown" in w for w in off["warnings"])


def test_boot_device_over_ipmi(params, ipmi_sim):
    result = bmc_boot.run(dict(params, target="pxe", persistence="once", mode="uefi"))
    assert result["changed"] and result["boot"]["bootdev"] == "network"
    assert chassis_file(ipmi_sim, "boot") == "pxe"


def test_users_and_lan_over_ipmi(ipmi_sim, state_dir):
    with _ipmi.IpmiClient(ipmi_sim["address"], "admin", ipmi_sim["password"], ipmi_sim["port"], pacing=0,
                          state_dir=state_dir, run_id="ipmi-run") as ipmi:
        ipmi.set_user(3, "odc-ops", "Ops-Pass-123", "operator")
        assert {"uid": 3, "name": "odc-ops", "privilege": "operator"} in ipmi.users(3)
        assert ipmi.verify_login("odc-ops", "Ops-Pass-123")
        ipmi.set_lan(ipv4_address="10.20.30.40/24", ipv4_source="Static", ipv4_gateway="10.20.30.1")
        lan = ipmi.lan()
        assert (lan["ipv4_address"], lan["ipv4_source"], lan["ipv4_gateway"]) == \
            ("10.20.30.40/24", "Static", "10.20.30.1")
        with pytest.raises(_errors.AuthenticationError):
            ipmi.verify_login("odc-ops", "wrong-password")
    # The failed login is remembered for this run: no further attempt, not even with good credentials.
    with pytest.raises(_errors.AuthenticationError, match="already failed"):
        _ipmi.IpmiClient(ipmi_sim["address"], "admin", ipmi_sim["password"], ipmi_sim["port"], pacing=0,
                         state_dir=state_dir, run_id="ipmi-run").open()


def test_pacing_spaces_commands(ipmi_sim, state_dir):
    with _ipmi.IpmiClient(ipmi_sim["address"], "admin", ipmi_sim["password"], ipmi_sim["port"], pacing=0.3,
                          state_dir=state_dir) as ipmi:
        started = ipmi.clock()
        ipmi.power_state()
        ipmi.power_state()
        assert ipmi.clock() - started >= 0.6
