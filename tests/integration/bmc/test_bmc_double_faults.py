# -*- coding: utf-8 -*-
# Copyright: odc.buildout developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Each injected fault of the Redfish double, with the expected outcome and the
EXACT number of requests that reached the BMC (from its request log)."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import time

import pytest

from ansible_collections.odc.buildout.plugins.module_utils import _errors
from ansible_collections.odc.buildout.plugins.module_utils._redfish._bmc import Bmc
from ansible_collections.odc.buildout.plugins.modules import bmc_firmware, bmc_power, bmc_virtual_media

pytestmark = pytest.mark.integration

RESET = "ComputerSystem.Reset"


def power_params(params, **extra):
    base = dict(params, state="on", force=False, graceful_timeout=5, wait_timeout=5, poll_interval=0.05)
    base.update(extra)
    return base


def count(double, method, part):
    return len([e for e in double.log.entries() if e["method"] == method and part in e["path"]])


def test_session_is_deleted_even_when_the_work_fails(make_double, params_for):
    double = make_double("dell")
    with pytest.raises(RuntimeError):
        with Bmc.from_params(params_for(double)) as bmc:
            bmc.system.read()
            assert double.summary()["sessions"] == 1
            raise RuntimeError("boom")
    assert double.summary()["sessions"] == 0
    assert count(double, "POST", "/SessionService/Sessions") == 1
    assert count(double, "DELETE", "/SessionService/Sessions/") == 1


def test_expired_session_mid_run_logs_in_again_once(make_double, params_for):
    double = make_double("hpe")
    with Bmc.from_params(params_for(double)) as bmc:
        assert bmc.system.power_state() == "Off"
        double.faults.set({"expire_sessions": True})
        assert bmc.system.identity(with_macs=False)["serial"] == "SN-TEST-0001"
        assert any("logged in again" in w for w in bmc.client.warnings)
    assert count(double, "POST", "/SessionService/Sessions") == 2
    statuses = [e["status"] for e in double.log.entries() if e["method"] == "GET"]
    assert statuses.count(401) == 1


def test_get_honours_retry_after_on_503(make_double, params_for):
    double = make_double("generic", faults={"unavailable": {"count": 2, "retry_after": 1, "method": "GET",
                                                            "path": "/redfish/v1/Systems/1"}})
    started = time.monotonic()
    with Bmc.from_params(params_for(double)) as bmc:
        assert bmc.system.power_state() == "Off"
    assert time.monotonic() - started >= 2.0
    gets = [e["status"] for e in double.log.entries() if e["method"] == "GET" and e["path"] == "/redfish/v1/Systems/1"]
    assert gets[:3] == [503, 503, 200]


def test_get_gives_up_when_the_retry_budget_is_spent(make_double, params_for):
    double = make_double("generic", faults={"unavailable": {"count": 50, "retry_after": 2, "method": "GET",
                                                            "path": "/redfish/v1/Systems"}})
    with pytest.raises(_errors.ApiError, match="503"):
        with Bmc.from_params(params_for(double, retry_budget=3)) as bmc:
            bmc.system.power_state()
    assert 2 <= count(double, "GET", "/redfish/v1/Systems") <= 3


def test_reset_answered_503_with_retry_after_is_sent_again(make_double, params_for):
    double = make_double("generic", faults={"unavailable": {"count": 1, "retry_after": 1, "method": "POST",
                                                            "path": RESET}})
    result = bmc_power.run(power_params(params_for(double)))
    assert result["changed"] and result["power_state"] == "On"
    resets = double.log.writes(RESET)
    assert [e["status"] for e in resets] == [503, 204]
    assert len(double.log.writes(RESET, applied=True)) == 1


def test_timed_out_reset_reaches_the_bmc_exactly_once(make_double, params_for):
    """The BMC applies the reset, then stalls past our timeout: re-read, do not resend."""
    double = make_double("dell", faults={"timeout_after_apply": {"count": 1, "delay": 3, "method": "POST",
                                                                 "path": RESET}})
    result = bmc_power.run(power_params(params_for(double, timeout=1)))
    assert result["changed"] and result["power_state"] == "On"
    assert result["actions"] == ["On"]
    assert any("may have been applied" in w for w in result["warnings"])
    assert len(double.log.writes(RESET)) == 1
    assert double.summary()["boots"] == 1


def test_reset_lost_before_the_bmc_applied_it_is_resent_once(make_double, params_for):
    double = make_double("generic", faults={"drop_before_apply": {"count": 1, "method": "POST", "path": RESET}})
    params = power_params(params_for(double))
    params["wait_timeout"] = 1  # bounds the re-read window after the lost answer
    result = bmc_power.run(params)
    assert result["power_state"] == "On"
    assert result["actions"] == ["On", "On"]
    assert [e["status"] for e in double.log.writes(RESET)] == ["dropped", 204]
    assert double.summary()["boots"] == 1


def test_lost_restart_is_never_resent_blindly(make_double, params_for):
    double = make_double("generic", power="On",
                         faults={"drop_before_apply": {"count": 5, "method": "POST", "path": RESET}})
    with Bmc.from_params(params_for(double)) as bmc:
        control = bmc.power(wait_timeout=0.3, poll_interval=0.05)
        with pytest.raises(_errors.WriteOutcomeUnknown, match="not resending"):
            control._send("GracefulRestart", ("Off",))
    assert len(double.log.writes(RESET)) == 1


def test_failed_update_task_raises_and_is_not_repeated(make_double, params_for):
    double = make_double("dell", faults={"task_fails": 1},
                         firmware_images={"http://fw/bios.exe": {"Installed-159-1.10.2__BIOS.Setup.1-1": "1.12.1"}})
    params = dict(params_for(double), baseline={"BIOS": "1.12.1"}, update=True,
                  images={"BIOS": "http://fw/bios.exe"}, transfer_protocol=None, task_timeout=10,
                  poll_interval=0.1)
    with pytest.raises(_errors.TaskFailed, match="Transfer of image failed"):
        bmc_firmware.run(params)
    assert len(double.log.writes("SimpleUpdate")) == 1
    assert double.summary()["firmware"][2]["Version"] == "1.10.2"


def test_insert_reporting_not_inserted_fails_after_one_insert(make_double, params_for, image_server):
    double = make_double("generic", faults={"insert_not_inserted": True})
    params = dict(params_for(double), image=image_server + "/boot.iso", state="present", media_type="cd",
                  slot_id=None, write_protected=True, transfer_protocol=None)
    with pytest.raises(_errors.ApiError, match="Inserted=False"):
        bmc_virtual_media.run(params)
    assert len(double.log.writes("InsertMedia")) == 1


def test_bmc_unreachable_after_reset_is_waited_for(make_double, params_for):
    double = make_double("generic", faults={"unreachable_after_reset": 1.5})
    result = bmc_power.run(power_params(params_for(double)))
    assert result["power_state"] == "On"
    assert len(double.log.writes(RESET)) == 1
    # Polls after the reset could not connect; the GET retries waited it out.
    assert double.refused >= 1
    assert time.time() >= double.faults.unreachable_until


def test_wrong_serial_means_zero_writes(make_double, params_for):
    double = make_double("lenovo", serial="J300ABCD")
    with pytest.raises(_errors.IdentityMismatch, match="serial is 'J300ABCD', expected 'J300WXYZ'"):
        bmc_power.run(power_params(params_for(double, expected_serial="J300WXYZ")))
    assert double.log.writes() == []
    assert double.summary()["power"] == "Off"


def test_serial_changed_at_runtime_is_caught(make_double, params_for):
    double = make_double("generic", serial="GOOD-1")
    assert bmc_power.run(power_params(params_for(double, expected_serial="GOOD-1")))["changed"]
    double.set_state({"serial": "SWAPPED-2"})
    with pytest.raises(_errors.IdentityMismatch):
        bmc_power.run(power_params(params_for(double, expected_serial="GOOD-1"), state="off"))
    assert len(double.log.writes(RESET)) == 1


def test_wrong_mac_means_zero_writes(make_double, params_for):
    double = make_double("generic", macs=["02:00:00:00:10:01"])
    with pytest.raises(_errors.IdentityMismatch, match="MACs"):
        bmc_power.run(power_params(params_for(double, expected_macs=["02-00-00-00-10-99"])))
    assert double.log.writes() == []
    ok = bmc_power.run(power_params(params_for(double, expected_macs=["02-00-00-00-10-01"],
                                               expected_uuid=double.state.uuid.lower())))
    assert ok["changed"]


def test_failed_login_is_not_repeated_in_the_same_run(make_double, params_for):
    double = make_double("generic")
    params = params_for(double, password="wrong-password", run_id="run-42")
    for _attempt in range(3):
        with pytest.raises(_errors.AuthenticationError):
            bmc_power.run(power_params(params))
    assert count(double, "POST", "/SessionService/Sessions") == 1
    # A new run may try again.
    with pytest.raises(_errors.AuthenticationError):
        bmc_power.run(power_params(dict(params, run_id="run-43")))
    assert count(double, "POST", "/SessionService/Sessions") == 2


def test_session_cap_limits_concurrent_sessions(make_double, params_for):
    """Supermicro allows 4 sessions; with 2 reserved we never hold more than 2."""
    import threading
    double = make_double("supermicro")
    errors = []

    def worker():
        try:
            with Bmc.from_params(params_for(double)) as bmc:
                bmc.system.read()
                time.sleep(0.3)
        except Exception as exc:  # noqa: BLE001 - collected and asserted below
            errors.append(exc)
    threads = [threading.Thread(target=worker) for index in range(5)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert double.summary()["max_sessions_seen"] == 2
    assert double.summary()["sessions"] == 0


def test_stale_etag_is_reported_not_overwritten(make_double, params_for):
    double = make_double("hpe")
    with Bmc.from_params(params_for(double)) as bmc:
        etag = bmc.system.read_with_etag()[1]
        bmc.client.patch(bmc.system.uri, {"Boot": {"BootSourceOverrideTarget": "Pxe"}}, etag)
        with pytest.raises(_errors.ApiError, match="changed since it was read"):
            bmc.client.patch(bmc.system.uri, {"Boot": {"BootSourceOverrideTarget": "Cd"}}, etag)
    assert double.summary()["boot"]["BootSourceOverrideTarget"] == "Pxe"


def test_dell_refuses_basic_auth_and_we_never_try_it(make_double, params_for):
    double = make_double("dell", sessions=False)
    with pytest.raises(_errors.AuthenticationError, match="does not accept HTTP Basic"):
        with Bmc.from_params(params_for(double)):
            pass
    assert [e["path"] for e in double.log.entries()] == ["/redfish/v1/"]


def test_basic_auth_only_without_session_service(make_double, params_for):
    double = make_double("generic", sessions=False)
    with Bmc.from_params(params_for(double)) as bmc:
        assert bmc.client.auth_mode == "basic"
        assert bmc.system.power_state() == "Off"
    assert count(double, "POST", "/SessionService") == 0
