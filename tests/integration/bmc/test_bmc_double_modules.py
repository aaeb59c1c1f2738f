# -*- coding: utf-8 -*-
# Copyright: odc.buildout developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Module behaviour against the Redfish double, per vendor shape: declarative
(second run changes nothing and writes nothing), check mode writes nothing,
vendor differences are honoured."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest

from ansible_collections.odc.buildout.plugins.module_utils import _errors
from ansible_collections.odc.buildout.plugins.module_utils._redfish._parallel import run_on_bmcs
from ansible_collections.odc.buildout.plugins.modules import (
    bmc_account,
    bmc_bios,
    bmc_boot,
    bmc_firmware,
    bmc_info,
    bmc_power,
    bmc_settings,
    bmc_virtual_media,
)

pytestmark = pytest.mark.integration

VENDORS = ["dell", "hpe", "lenovo", "supermicro", "generic"]


def power(params, state="on", **extra):
    return dict(params, state=state, force=False, graceful_timeout=1, wait_timeout=2, poll_interval=0.05, **extra)


def boot(params, target="pxe", persistence="once", mode=None):
    return dict(params, target=target, persistence=persistence, mode=mode)


def media(params, image, state="present"):
    return dict(params, image=image, state=state, media_type="cd", slot_id=None, write_protected=True,
                transfer_protocol=None)


def bios(params, attributes, reboot=False):
    return dict(params, attributes=attributes, reboot=reboot, force=False, graceful_timeout=1,
                apply_timeout=2, poll_interval=0.05)


def account(params, name="odc-admin", password="New-Admin-Pass-1", **extra):
    base = dict(params, account_name=name, account_password=password, role="administrator", enabled=True,
                state="present", update_password="on_create", retire=[], retire_mode="disable")
    base.update(extra)
    return base


def settings(params, **extra):
    base = dict(params, ntp_servers=None, ntp_enabled=None, syslog=None, protocols=None, lockout=None,
                hardening=False)
    base.update(extra)
    return base


def firmware(params, baseline, update=False, images=None):
    return dict(params, baseline=baseline, update=update, images=images or {}, transfer_protocol=None,
                task_timeout=10, poll_interval=0.1)


# -- power ------------------------------------------------------------------------------
def test_power_is_declarative(make_double, params_for):
    double = make_double("dell")
    params = params_for(double)
    first = bmc_power.run(power(params))
    assert (first["changed"], first["before"], first["power_state"]) == (True, "Off", "On")
    assert first["diff"] == {"before": {"power_state": "Off"}, "after": {"power_state": "On"}}
    second = bmc_power.run(power(params))
    assert second["changed"] is False
    assert len(double.log.writes("Reset")) == 1
    restarted = bmc_power.run(power(params, "restarted"))
    assert restarted["actions"] == ["GracefulShutdown", "On"]
    assert double.summary()["boots"] == 2


def test_power_off_is_graceful_and_force_needs_permission(make_double, params_for):
    double = make_double("generic", power="On", faults={"ignore_graceful": True})
    params = params_for(double)
    with pytest.raises(_errors.SafetyRefusal, match="set force: true"):
        bmc_power.run(power(params, "off"))
    assert double.summary()["power"] == "On"
    forced = bmc_power.run(dict(power(params, "off"), force=True))
    assert forced["actions"] == ["GracefulShutdown", "ForceOff"]
    assert forced["power_state"] == "Off"


def test_power_polls_a_slow_bmc(make_double, params_for):
    double = make_double("hpe", power_delay=0.5)
    result = bmc_power.run(power(params_for(double)))
    assert result["power_state"] == "On"
    polls = [e for e in double.log.entries() if e["method"] == "GET" and e["path"] == "/redfish/v1/Systems/1/"]
    assert len(polls) > 3


# -- boot ---------------------------------------------------------------------------------
@pytest.mark.parametrize("vendor", VENDORS)
def test_boot_override_per_vendor(make_double, params_for, vendor):
    double = make_double(vendor)
    params = params_for(double)
    first = bmc_boot.run(boot(params, "pxe", "once", "uefi"))
    assert first["changed"] and first["boot"] == {"target": "pxe", "persistence": "once", "mode": "uefi"}
    assert first["before"]["target"] == "none"
    assert bmc_boot.run(boot(params, "pxe", "once", "uefi"))["changed"] is False
    assert len(double.log.writes()) == 1
    bmc_power.run(power(params))  # the one-time override is consumed by the boot
    assert double.summary()["boot"]["BootSourceOverrideTarget"] == "None"


def test_boot_target_not_offered_fails_before_writing(make_double, params_for):
    double = make_double("generic")
    with pytest.raises(_errors.ValidationFailed, match="not offered"):
        bmc_boot.run(boot(params_for(double), "sdcard"))
    assert double.log.writes() == []


# -- virtual media ----------------------------------------------------------------------------
@pytest.mark.parametrize("vendor,slot_path", [
    ("dell", "/Managers/iDRAC.Embedded.1/VirtualMedia/CD"),
    ("hpe", "/Managers/1/VirtualMedia/2/"),
    ("lenovo", "/Managers/1/VirtualMedia/EXT1"),
    ("supermicro", "/Managers/1/VirtualMedia/CD1"),
    ("generic", "/Systems/1/VirtualMedia/CD1"),
])
def test_virtual_media_per_vendor(make_double, params_for, vendor, slot_path):
    double = make_double(vendor)
    params = params_for(double)
    image = "http://10.0.0.5/iso/boot.iso"
    first = bmc_virtual_media.run(media(params, image))
    assert first["changed"] and first["media"]["image"] == image and first["media"]["inserted"] is True
    writes = double.log.writes()
    assert len(writes) == 1 and writes[0]["path"].startswith("/redfish/v1" + slot_path.rstrip("/"))
    assert bmc_virtual_media.run(media(params, image))["changed"] is False
    replaced = bmc_virtual_media.run(media(params, "http://10.0.0.5/iso/other.iso"))
    assert replaced["steps"] == ["eject", "insert"]
    gone = bmc_virtual_media.run(media(params, None, "absent"))
    assert gone["changed"] and gone["media"]["inserted"] is False
    assert len(double.log.writes()) == 4


# -- BIOS ----------------------------------------------------------------------------------------
@pytest.mark.parametrize("vendor", ["generic", "dell"])
def test_bios_pending_then_applied_by_reboot(make_double, params_for, vendor):
    double = make_double(vendor, power="On")
    params = params_for(double)
    first = bmc_bios.run(bios(params, {"SriovGlobalEnable": "Enabled", "ProcVirtualization": "Enabled"}))
    assert first["changed"] and first["pending"] == {"SriovGlobalEnable": "Enabled"}
    assert first["reboot_required"] and not first["rebooted"]
    assert double.summary()["bios"]["SriovGlobalEnable"] == "Disabled"
    again = bmc_bios.run(bios(params, {"SriovGlobalEnable": "Enabled"}))
    assert again["changed"] is False and again["pending"] == {"SriovGlobalEnable": "Enabled"}
    rebooted = bmc_bios.run(bios(params, {"SriovGlobalEnable": "Enabled"}, reboot=True))
    assert rebooted["rebooted"] and rebooted["pending"] == {}
    assert double.summary()["bios"]["SriovGlobalEnable"] == "Enabled"
    assert bmc_bios.run(bios(params, {"SriovGlobalEnable": "Enabled"}, reboot=True))["changed"] is False


def test_unknown_bios_attribute_fails_before_writing(make_double, params_for):
    double = make_double("generic")
    with pytest.raises(_errors.ValidationFailed, match="NoSuchKnob"):
        bmc_bios.run(bios(params_for(double), {"NoSuchKnob": "On"}))
    assert double.log.writes() == []


# -- accounts ------------------------------------------------------------------------------------------
@pytest.mark.parametrize("vendor", ["generic", "dell", "lenovo"])
def test_account_rotation_verifies_before_retiring(make_double, params_for, vendor):
    double = make_double(vendor, username="root", password="calvin-factory")
    factory = params_for(double, username="root", password="calvin-factory", run_id="rotate")
    result = bmc_account.run(account(factory, retire=["root"]))
    assert result["changed"] and result["verified"] and result["retired"] == ["root"]
    accounts = double.summary()["accounts"]
    assert {a["UserName"]: a["Enabled"] for a in accounts.values()} == {"root": False, "odc-admin": True}
    assert double.password_of("odc-admin") == "New-Admin-Pass-1"
    logins = [e for e in double.log.entries() if e["method"] == "POST" and "Sessions" in e["path"]]
    assert [e["user"] for e in logins] == ["root", "odc-admin"]
    # The next run logs in with the new account: nothing to do.
    site = params_for(double, username="odc-admin", password="New-Admin-Pass-1")
    again = bmc_account.run(account(site, update_password="always", retire=["root"]))
    assert again["changed"] is False and again["verified"] is False
    if vendor == "dell":
        assert "1" not in accounts and accounts["3"]["UserName"] == "odc-admin"


def test_unverified_credential_stops_the_rotation(make_double, params_for):
    double = make_double("hpe", faults={"ignore_password_change": True})
    params = params_for(double, run_id="rotation-run")
    bmc_account.run(account(params, name="ops", password="First-Pass-123"))
    with pytest.raises(_errors.AuthenticationError):
        bmc_account.run(account(params, name="ops", password="Second-Pass-456",
                                update_password="always", retire=["admin"]))
    assert double.summary()["accounts"]["1"]["Enabled"] is True  # old admin untouched
    failed = [e for e in double.log.entries() if e["method"] == "POST" and "Sessions" in e["path"]
              and e["status"] == 401]
    assert len(failed) == 1
    logins = len([e for e in double.log.entries() if "Sessions" in e["path"] and e["method"] == "POST"])
    with pytest.raises(_errors.AuthenticationError, match="already failed in this run"):
        bmc_info.run(dict(params, sections=["power"], ipmi_user_slots=16))
    assert len([e for e in double.log.entries() if "Sessions" in e["path"] and e["method"] == "POST"]) == logins


def test_last_administrator_is_never_retired(make_double, params_for):
    double = make_double("generic")
    params = params_for(double)
    with pytest.raises(_errors.SafetyRefusal, match="no enabled Administrator"):
        bmc_account.run(account(params, name="viewer", role="readonly", retire=["admin"]))
    with pytest.raises(_errors.SafetyRefusal):
        bmc_account.run(account(params, name="admin", password=None, role="operator"))
    assert double.log.writes() == []


def test_account_absent(make_double, params_for):
    double = make_double("supermicro")
    params = params_for(double)
    bmc_account.run(account(params, name="temp", role="readonly"))
    gone = bmc_account.run(account(params, name="temp", password=None, state="absent"))
    assert gone["changed"] and gone["account"] is None
    assert bmc_account.run(account(params, name="temp", password=None, state="absent"))["changed"] is False
    assert "temp" not in [a["UserName"] for a in double.summary()["accounts"].values()]


# -- settings --------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("vendor", ["dell", "hpe", "generic"])
def test_hardening_and_syslog_per_vendor(make_double, params_for, vendor):
    double = make_double(vendor)
    params = settings(params_for(double), hardening=True, ntp_servers=["10.0.0.1", "10.0.0.2"],
                      syslog={"server": "10.0.0.30", "port": 514, "enabled": True})
    first = bmc_settings.run(params)
    assert first["changed"]
    state = double.summary()
    assert [state["protocols"][p]["ProtocolEnabled"] for p in ("IPMI", "SSDP", "Telnet", "HTTPS")] == \
        [False, False, False, True]
    assert state["protocols"]["NTP"] == {"ProtocolEnabled": True, "NTPServers": ["10.0.0.1", "10.0.0.2"]}
    assert state["policy"]["AccountLockoutThreshold"] == 5 and state["policy"]["AccountLockoutDuration"] == 600
    if vendor == "generic":
        assert [s["Destination"] for s in state["subscriptions"].values()] == ["syslog://10.0.0.30:514"]
    else:
        assert state["syslog"] == {"enabled": True, "server": "10.0.0.30", "port": 514}
    writes = len(double.log.writes())
    assert bmc_settings.run(params)["changed"] is False
    assert len(double.log.writes()) == writes


def test_https_is_never_disabled(make_double, params_for):
    double = make_double("generic")
    with pytest.raises(_errors.SafetyRefusal, match="HTTPS"):
        bmc_settings.run(settings(params_for(double), protocols={"https": False}))
    assert double.log.writes() == []


# -- firmware ----------------------------------------------------------------------------------------------
def test_firmware_drift_and_update(make_double, params_for):
    bios_id = "Installed-159-1.10.2__BIOS.Setup.1-1"
    double = make_double("dell", firmware_images={"http://fw/bios.exe": {bios_id: "1.12.1"}})
    params = params_for(double)
    baseline = {"BIOS": "1.12.1", "Integrated Dell Remote Access Controller": "7.00.00.00"}
    report = bmc_firmware.run(firmware(params, baseline))
    assert report["changed"] is False and report["drift"] == ["BIOS"]
    idrac = [c for c in report["components"] if c["component"] != "BIOS"][0]
    assert idrac["installed"] == "7.00.00.00" and idrac["status"] == "ok"  # "Previous-" image ignored
    with pytest.raises(_errors.ConfigError, match="no image"):
        bmc_firmware.run(firmware(params, baseline, update=True))
    updated = bmc_firmware.run(firmware(params, baseline, update=True, images={"BIOS": "http://fw/bios.exe"}))
    assert updated["changed"] and updated["compliant"] and updated["updated"] == ["BIOS"]
    assert updated["diff"]["before"]["BIOS"] == "1.10.2" and updated["diff"]["after"]["BIOS"] == "1.12.1"
    assert len(double.log.writes("SimpleUpdate")) == 1


# -- check mode never writes ------------------------------------------------------------------------------------
CHECK_CASES = {
    "power": (bmc_power, lambda p, img: power(p, "on")),
    "boot": (bmc_boot, lambda p, img: boot(p, "cd", "continuous")),
    "media": (bmc_virtual_media, media),
    "bios": (bmc_bios, lambda p, img: bios(p, {"SriovGlobalEnable": "Enabled"}, reboot=True)),
    "account": (bmc_account, lambda p, img: account(p, retire=["admin"])),
    "settings": (bmc_settings, lambda p, img: settings(p, hardening=True, ntp_servers=["10.0.0.1"])),
    "firmware": (bmc_firmware, lambda p, img: firmware(p, {"BIOS": "2.0"}, True, {"BIOS": "http://fw/b"})),
}


@pytest.mark.parametrize("case", sorted(CHECK_CASES))
def test_check_mode_reports_the_change_and_writes_nothing(make_double, params_for, case):
    module, make = CHECK_CASES[case]
    double = make_double("generic")
    result = module.run(make(params_for(double), "http://10.0.0.5/boot.iso"), check_mode=True)
    assert result["changed"] is True
    assert double.log.writes() == []
    assert "password" not in repr(result).lower().replace("password_changed", "")


# -- a rack in parallel ---------------------------------------------------------------------------------------
def test_run_on_bmcs_isolates_each_bmc(make_double, params_for):
    good = make_double("dell", serial="R1U01")
    wrong = make_double("hpe", address="127.0.2.15", serial="SOMEONE-ELSE")
    targets = [dict(params_for(good), name="r1-u01", expected_serial="R1U01"),
               dict(params_for(wrong), name="r1-u02", expected_serial="R1U02")]
    results = run_on_bmcs(targets, lambda bmc, target: bmc.power(poll_interval=0.05).ensure("on"), workers=4)
    assert results["r1-u01"]["ok"] and results["r1-u01"]["result"]["after"] == "On"
    assert not results["r1-u02"]["ok"] and results["r1-u02"]["error"]["error_type"] == "IdentityMismatch"
    assert wrong.log.writes() == [] and wrong.summary()["power"] == "Off"
