# -*- coding: utf-8 -*-
# Copyright: odc.buildout developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""bmc_info reads the DMTF public rackmount mockup (served by the real
sushy-static over TLS) completely; values asserted are from the mockup files."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest

from ansible_collections.odc.buildout.plugins.modules import bmc_info

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def info(static_mockup, certs, tmp_path_factory):
    params = {"address": static_mockup["address"], "port": static_mockup["port"], "protocol": "redfish",
              "username": "Administrator", "password": "mockup-Pass-1", "ca_path": certs["ca"],
              "validate_certs": True, "timeout": 10, "retry_budget": 10, "vendor": "auto", "system_id": None,
              "run_id": None, "state_dir": str(tmp_path_factory.mktemp("st")), "reserve_sessions": 2,
              "ipmi_pacing": 0.0, "sections": None, "ipmi_user_slots": 16}
    return bmc_info.run(params)


def test_every_section_is_read(info):
    data = info["bmc"]
    assert data["unavailable"] == []
    assert data["vendor"] == "generic" and data["redfish_version"] == "1.15.0"


def test_identity(info):
    assert info["bmc"]["identity"] == {
        "uuid": "38947555-7742-3448-3784-823347823834", "serial": "437XR1138R2", "model": "3500",
        "manufacturer": "Contoso", "sku": "8675309", "part_number": "224071-J23",
        "asset_tag": "Chicago-45Z-2381", "hostname": "web483", "system_id": "437XR1138R2",
        "bios_version": "P79 v1.45 (12/06/2017)"}


def test_power_and_boot(info):
    assert info["bmc"]["power"] == "On"
    assert info["bmc"]["boot"]["target"] == "pxe"
    assert info["bmc"]["boot"]["persistence"] == "once"
    assert info["bmc"]["boot"]["mode"] == "uefi"
    assert "UefiTarget" in info["bmc"]["boot"]["allowed_targets"]


def test_nics_with_macs(info):
    nics = {n["id"]: n for n in info["bmc"]["nics"]}
    assert sorted(nics) == ["12446A3B0411", "12446A3B8890", "ToManager", "VLAN1"]
    assert nics["12446A3B0411"]["mac"] == "12:44:6a:3b:04:11"
    assert nics["12446A3B8890"]["mac"] == "aa:bb:cc:dd:ee:00"
    assert nics["12446A3B8890"]["permanent_mac"] == "12:44:6a:3b:88:90"
    assert nics["12446A3B8890"]["vlan"] == 101 and nics["12446A3B0411"]["vlan"] is None
    assert nics["VLAN1"]["interface_type"] == "Virtual" and nics["VLAN1"]["vlan"] == 1000
    assert nics["12446A3B0411"]["ipv4"] == ["192.168.0.10"]


def test_firmware_inventory_follows_members_not_the_count(info):
    """The collection says Members@odata.count 2 but lists 3 members."""
    firmware = {f["id"]: f["version"] for f in info["bmc"]["firmware"]}
    assert firmware == {"BMC": "1.45.455b66-rev4", "SS": "2.50", "BIOS": "P79 v1.45"}


def test_bios_applied_and_pending(info):
    bios = info["bmc"]["bios"]
    assert bios["attributes"]["ProcTurboMode"] == "Enabled"
    assert bios["attributes"]["EmbeddedSata"] == "Raid"
    assert len(bios["attributes"]) == 10
    assert bios["pending"] == {"AdminPhone": "(404) 555-1212", "EmbeddedSata": "Ahci",
                               "NicBoot2": "NetworkBoot", "ProcTurboMode": "Disabled"}


def test_secure_boot(info):
    assert info["bmc"]["secure_boot"] == {"enabled": False, "current_boot": "Disabled", "mode": "UserMode"}


def test_manager_and_network_protocol(info):
    manager = info["bmc"]["manager"]
    assert manager["model"] == "Joo Janta 200" and manager["firmware_version"] == "1.45.455b66-rev4"
    assert manager["uuid"] == "58893887-8974-2487-2389-841168418919"
    assert {n["id"]: n["mac"] for n in manager["nics"]}["eth0"] == "23:11:8a:33:cf:ea"
    network = manager["network"]
    assert network["hostname"] == "web483-bmc" and network["fqdn"] == "web483-bmc.dmtf.org"
    assert network["protocols"]["ipmi"] == {"enabled": True, "port": 623}
    assert network["protocols"]["ssdp"] == {"enabled": True, "port": 1900}
    assert network["protocols"]["telnet"] == {"enabled": True, "port": 23}
    assert network["protocols"]["https"] == {"enabled": True, "port": 443}
    assert network["ntp"] == {"enabled": None, "servers": []}


def test_accounts_names_and_roles_only(info):
    accounts = info["bmc"]["accounts"]
    assert accounts["accounts"] == [{"id": "1", "username": "Administrator", "role": "Administrator",
                                     "enabled": True, "locked": False}]
    assert accounts["policy"] == {"AccountLockoutThreshold": 5, "AccountLockoutDuration": 30,
                                  "AccountLockoutCounterResetAfter": 30, "MinPasswordLength": 8}
    assert all("password" not in key.lower() for a in accounts["accounts"] for key in a)


def test_virtual_media(info):
    slots = {s["id"]: s for s in info["bmc"]["virtual_media"]}
    assert slots["CD1"]["image"] == "redfish.dmtf.org/freeImages/freeOS.1.1.iso"
    assert slots["CD1"]["inserted"] is True and slots["CD1"]["media_types"] == ["CD", "DVD"]
    assert set(slots) == {"CD1", "Floppy1"}
    assert slots["Floppy1"]["image"] == "https://www.dmtf.org/freeImages/Sardine.img"
    assert slots["Floppy1"]["write_protected"] is False


def test_basic_auth_warning_because_sessions_give_no_token(info):
    assert any("without X-Auth-Token" in w for w in info["warnings"])
