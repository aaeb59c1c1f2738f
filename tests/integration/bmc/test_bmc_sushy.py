# -*- coding: utf-8 -*-
# Copyright: odc.buildout developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Against the real sushy-emulator (fake driver): TLS verified with our CA,
bcrypt htpasswd (HTTP Basic: it has no SessionService), power changes applied
after a random 1-11 s (polled), boot override, virtual media that really
downloads the image from a loopback HTTP server."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest

from ansible_collections.odc.buildout.plugins.module_utils import _errors
from ansible_collections.odc.buildout.plugins.modules import bmc_boot, bmc_info, bmc_power, bmc_virtual_media

pytestmark = pytest.mark.integration


@pytest.fixture()
def params(sushy, certs, state_dir):
    return {"address": sushy["address"], "port": sushy["port"], "protocol": "redfish",
            "username": sushy["username"], "password": sushy["password"], "ca_path": certs["ca"],
            "validate_certs": True, "timeout": 10, "retry_budget": 20, "vendor": "auto", "system_id": None,
            "run_id": None, "state_dir": state_dir, "reserve_sessions": 2, "ipmi_pacing": 0.0,
            "expected_serial": None, "expected_uuid": None, "expected_macs": None}


def test_info_over_verified_tls_and_basic_auth(params, sushy):
    result = bmc_info.run(dict(params, sections=["identity", "power", "nics", "boot", "virtual_media"],
                               ipmi_user_slots=16))
    data = result["bmc"]
    assert data["identity"]["uuid"] == sushy["uuid"]
    assert [n["mac"] for n in data["nics"]] == [sushy["mac"]]
    assert data["power"] in ("On", "Off")
    assert {slot["id"] for slot in data["virtual_media"]} == {"Cd", "Floppy"}
    assert any("HTTP Basic" in w for w in result["warnings"])


def test_info_reports_what_the_fake_driver_lacks(params):
    data = bmc_info.run(dict(params, sections=None, ipmi_user_slots=16))["bmc"]
    assert set(data["unavailable"]) >= {"bios", "accounts"}
    for name in data["unavailable"]:
        assert data[name] is None
    assert data["manager"]["uuid"] and data["secure_boot"]["enabled"] in (True, False)


def test_tls_without_our_ca_is_refused(params):
    with pytest.raises(_errors.ConnectionFailure, match="TLS verification"):
        bmc_info.run(dict(params, ca_path=None, sections=["power"], ipmi_user_slots=16))


def test_wrong_password_is_authentication_error(params):
    with pytest.raises(_errors.AuthenticationError):
        bmc_info.run(dict(params, password="not-it", sections=["power"], ipmi_user_slots=16))


def test_power_on_then_off_polls_the_delayed_fake_driver(params, sushy):
    common = dict(params, force=True, graceful_timeout=15, wait_timeout=15, poll_interval=0.5,
                  expected_uuid=sushy["uuid"], expected_macs=[sushy["mac"].upper()])
    on = bmc_power.run(dict(common, state="on"))
    assert on["power_state"] == "On"
    assert bmc_power.run(dict(common, state="on"))["changed"] is False
    off = bmc_power.run(dict(common, state="off"))
    assert off["changed"] and off["power_state"] == "Off" and off["actions"] == ["GracefulShutdown"]


def test_boot_override_continuous_is_idempotent(params):
    first = bmc_boot.run(dict(params, target="hdd", persistence="continuous", mode="uefi"))
    pxe = bmc_boot.run(dict(params, target="pxe", persistence="continuous", mode="uefi"))
    assert pxe["changed"] and pxe["boot"]["target"] == "pxe"
    again = bmc_boot.run(dict(params, target="pxe", persistence="continuous", mode="uefi"))
    assert again["changed"] is False
    assert first["boot"]["persistence"] == "continuous"


def test_boot_once_is_read_back_with_a_warning_on_sushy(params):
    """sushy always reports Continuous: the target is verified, the mismatch is a warning."""
    result = bmc_boot.run(dict(params, target="cd", persistence="once", mode=None))
    assert result["boot"]["target"] == "cd"
    assert any("BootSourceOverrideEnabled=Continuous" in w for w in result["warnings"])


def test_virtual_media_downloads_and_mounts(params, image_server):
    image = image_server + "/boot.iso"
    base = dict(params, media_type="cd", slot_id=None, write_protected=True, transfer_protocol=None)
    mounted = bmc_virtual_media.run(dict(base, image=image, state="present"))
    assert mounted["changed"] and mounted["media"]["image"] == image and mounted["media"]["inserted"]
    assert bmc_virtual_media.run(dict(base, image=image, state="present"))["changed"] is False
    ejected = bmc_virtual_media.run(dict(base, image=None, state="absent"))
    assert ejected["changed"] and not ejected["media"]["inserted"]
    with pytest.raises(_errors.OdcError):
        bmc_virtual_media.run(dict(base, image=image_server + "/missing.iso", state="present"))
