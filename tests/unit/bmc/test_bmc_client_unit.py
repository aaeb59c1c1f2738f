# -*- coding: utf-8 -*-
# Copyright: odc.buildout developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""RedfishClient rules with recorded vendor payloads and a scripted transport."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import email.utils
import ssl
import time

import pytest
from bmc_fakes import SESSION_OK, fixture, session_script

from ansible_collections.odc.buildout.plugins.module_utils import _errors
from ansible_collections.odc.buildout.plugins.module_utils._redfish import _client, _transport

SYSTEMS = "/redfish/v1/Systems"
DELL_SESSIONS = "/redfish/v1/SessionService/Sessions"


def test_session_login_token_and_logout(make_client):
    client, transport = make_client(session_script(fixture("idrac9_root.json"), {
        ("GET", SYSTEMS): [(200, {"Members": []})]}))
    with client:
        assert client.vendor.key == "dell" and client.auth_mode == "session"
        client.get(SYSTEMS)
    login = transport.sent("POST", DELL_SESSIONS)[0]
    assert login["body"] == {"UserName": "admin", "Password": "S3cret!"}
    assert transport.sent("GET", SYSTEMS)[0]["headers"]["X-Auth-Token"] == "tok-1"
    assert "Authorization" not in transport.sent("GET", SYSTEMS)[0]["headers"]
    assert len(transport.sent("DELETE", "/redfish/v1/SessionService/Sessions/s1")) == 1


def test_session_deleted_when_the_work_raises(make_client):
    client, transport = make_client(session_script(fixture("ilo5_root.json"), {
        ("POST", "/redfish/v1/SessionService/Sessions/"): [SESSION_OK]}))
    with pytest.raises(ZeroDivisionError):
        with client:
            raise ZeroDivisionError("work failed")
    assert len(transport.sent("DELETE")) == 1


def test_dell_without_session_service_never_uses_basic(make_client):
    root = fixture("idrac9_root.json")
    del root["SessionService"], root["Links"]
    client, transport = make_client({("GET", "/redfish/v1/"): [(200, root)]})
    with pytest.raises(_errors.AuthenticationError, match="does not accept HTTP Basic"):
        client.open()
    assert [c["method"] for c in transport.calls] == ["GET"]


def test_basic_only_when_there_is_no_session_service(make_client):
    root = fixture("supermicro_root.json")
    del root["SessionService"], root["Links"]
    client, transport = make_client({("GET", "/redfish/v1/"): [(200, root)],
                                     ("GET", SYSTEMS): [(200, {"Members": []})]})
    with client:
        assert client.auth_mode == "basic"
    assert transport.sent("GET", SYSTEMS)[0]["headers"]["Authorization"].startswith("Basic ")
    assert transport.sent("POST") == []


def test_session_answer_without_token_falls_back_to_basic_with_a_warning(make_client):
    client, transport = make_client(session_script(fixture("xcc_root.json"), {
        ("POST", DELL_SESSIONS): [(204, None)], ("GET", SYSTEMS): [(200, {"Members": []})]}))
    with client:
        assert client.auth_mode == "basic"
    assert any("without X-Auth-Token" in w for w in client.warnings)


def test_session_limit_at_login_waits_and_retries(make_client, clock):
    client, transport = make_client(session_script(fixture("idrac9_root.json"), {
        ("POST", DELL_SESSIONS): [(400, fixture("idrac9_error_session_limit.json")), SESSION_OK]}))
    with client:
        pass
    assert len(transport.sent("POST", DELL_SESSIONS)) == 2
    assert clock.sleeps == [0.5 * 0.75]  # first backoff step with rng=0.5 (equal jitter)


def test_refused_login_is_remembered_for_the_run(make_client, tmp_path):
    script = session_script(fixture("idrac9_root.json"), {("POST", DELL_SESSIONS): [(401, {})]})
    client, transport = make_client(script, run_id="run-1")
    with pytest.raises(_errors.AuthenticationError, match="refused"):
        client.open()
    again, transport2 = make_client(script, run_id="run-1")
    with pytest.raises(_errors.AuthenticationError, match="already failed in this run"):
        again.open()
    assert transport2.sent("POST") == []
    marker_dir = tmp_path / "state" / "login-guard"
    assert marker_dir.exists() and "S3cret" not in "".join(p.name for p in marker_dir.rglob("*"))


def test_get_honours_retry_after_seconds(make_client, clock):
    client, transport = make_client(session_script(fixture("xcc_root.json"), {
        ("GET", SYSTEMS): [(503, {}, {"Retry-After": "3"}), (200, {"Members": []})]}))
    with client:
        assert client.get(SYSTEMS) == {"Members": []}
    assert clock.sleeps == [3.0]


def test_get_honours_retry_after_http_date(make_client, clock, monkeypatch):
    monkeypatch.setattr(time, "time", lambda: 1_700_000_000.0)
    date = email.utils.formatdate(1_700_000_004.0, usegmt=True)
    client, transport = make_client(session_script(fixture("xcc_root.json"), {
        ("GET", SYSTEMS): [(503, {}, {"Retry-After": date}), (200, {"Members": []})]}))
    with client:
        client.get(SYSTEMS)
    assert clock.sleeps == [4.0]


def test_get_retries_lost_answers_with_growing_backoff_then_gives_up(make_client, clock):
    lost = _transport.NoAnswer("timed out")
    client, transport = make_client(session_script(fixture("xcc_root.json"), {("GET", SYSTEMS): [lost]}),
                                    retry_budget=10)
    with client:
        with pytest.raises(_errors.ConnectionFailure, match="did not answer"):
            client.get(SYSTEMS)
    assert clock.sleeps == [0.375, 0.75, 1.5, 3.0]  # next (6.0) would pass the 10 s budget
    assert len(transport.sent("GET", SYSTEMS)) == 5


def test_lost_write_is_never_resent(make_client):
    client, transport = make_client(session_script(fixture("idrac9_root.json"), {
        ("POST", "/reset"): [_transport.NoAnswer("read timed out")]}))
    with client:
        with pytest.raises(_errors.WriteOutcomeUnknown, match="may have been applied"):
            client.post("/reset", {"ResetType": "On"})
    assert len(transport.sent("POST", "/reset")) == 1


def test_write_that_never_left_is_retried(make_client):
    client, transport = make_client(session_script(fixture("idrac9_root.json"), {
        ("POST", "/reset"): [_transport.NotSent("connection refused"), (204, None)]}))
    with client:
        assert client.post("/reset", {"ResetType": "On"}).status == 204
    assert len(transport.sent("POST", "/reset")) == 2


def test_write_503_is_retried_only_with_retry_after(make_client, clock):
    client, transport = make_client(session_script(fixture("idrac9_root.json"), {
        ("POST", "/a"): [(503, {})], ("POST", "/b"): [(503, {}, {"Retry-After": "2"}), (204, None)]}))
    with client:
        with pytest.raises(_errors.ApiError, match="HTTP 503"):
            client.post("/a")
        client.post("/b")
    assert len(transport.sent("POST", "/a")) == 1
    assert len(transport.sent("POST", "/b")) == 2 and clock.sleeps == [2.0]


def test_expired_session_relogin_once(make_client):
    client, transport = make_client(session_script(fixture("idrac9_root.json"), {
        ("POST", DELL_SESSIONS): [SESSION_OK, (201, {}, {"X-Auth-Token": "tok-2",
                                                         "Location": "/redfish/v1/SessionService/Sessions/s1"})],
        ("GET", SYSTEMS): [(401, {}), (200, {"Members": []})],
        ("GET", "/twice"): [(401, {})]}))
    with client:
        client.get(SYSTEMS)
        assert transport.sent("GET", SYSTEMS)[1]["headers"]["X-Auth-Token"] == "tok-2"
        with pytest.raises(_errors.AuthenticationError):
            client.get("/twice")
    assert len(transport.sent("GET", "/twice")) == 2


def test_patch_sends_if_match(make_client):
    client, transport = make_client(session_script(fixture("ilo5_root.json"), {
        ("POST", "/redfish/v1/SessionService/Sessions/"): [SESSION_OK],
        ("GET", "/redfish/v1/Systems/1/"): [(200, {"@odata.etag": 'W/"A1"'}, {"ETag": 'W/"A2"'})],
        ("PATCH", "/redfish/v1/Systems/1/"): [(204, None)]}))
    with client:
        client.patch("/redfish/v1/Systems/1/", {"Boot": {}})
        client.patch("/redfish/v1/Systems/1/", {"Boot": {}}, etag='W/"X"')
    patches = transport.sent("PATCH")
    assert [p["headers"]["If-Match"] for p in patches] == ['W/"A2"', 'W/"X"']


@pytest.mark.parametrize("name,status,error,text", [
    ("idrac9_error_vm_attached.json", 400, _errors.ApiError,
     "Virtual Media is already attached to the server. (IDRAC.2.8.VRM0012) Resolution: Detach"),
    ("xcc_error_no_privilege.json", 403, _errors.PermissionDenied, "(Base.1.15.InsufficientPrivilege)"),
    ("supermicro_error_insert.json", 400, _errors.ApiError, "invalid parameter Inserted"),
    ("ilo5_error_password.json", 400, _errors.ApiError, "iLO.2.15.PasswordLengthTooShort"),
])
def test_extended_info_becomes_readable_typed_errors(make_client, name, status, error, text):
    client, transport = make_client(session_script(fixture("idrac9_root.json"), {
        ("POST", "/x"): [(status, fixture(name))]}))
    with client:
        with pytest.raises(error) as caught:
            client.post("/x", {})
    assert text in str(caught.value)
    assert "S3cret!" not in str(caught.value)
    assert caught.value.details["status"] == status


def test_tasks_are_followed_to_the_end(make_client, clock):
    client, transport = make_client(session_script(fixture("xcc_root.json"), {
        ("POST", "/update"): [(202, {}, {"Location": "/redfish/v1/TaskService/1/Monitor"})],
        ("GET", "/redfish/v1/TaskService/1/Monitor"): [
            (202, fixture("xcc_task_monitor_running.json"), {"Retry-After": "5"}),
            (200, fixture("xcc_task_completed.json"))]}))
    with client:
        done = client.action("/update", {"ImageURI": "http://x"})
    assert done["TaskState"] == "Completed" and clock.sleeps == [5.0]


def test_failed_task_raises_with_its_messages(make_client):
    client, transport = make_client(session_script(fixture("ilo5_root.json"), {
        ("POST", "/redfish/v1/SessionService/Sessions/"): [SESSION_OK],
        ("POST", "/update"): [(202, {}, {"Location": "/redfish/v1/TaskService/Tasks/22/"})],
        ("GET", "/redfish/v1/TaskService/Tasks/22/"): [(200, fixture("ilo5_task_failed.json"))]}))
    with client:
        with pytest.raises(_errors.TaskFailed, match="Invalid firmware image"):
            client.action("/update", {})


def test_task_timeout(make_client, clock):
    client, transport = make_client(session_script(fixture("xcc_root.json"), {
        ("POST", "/update"): [(202, {}, {"Location": "/m"})],
        ("GET", "/m"): [(200, fixture("xcc_task_monitor_running.json"))]}))
    with client:
        with pytest.raises(_errors.TimeoutExpired):
            client.follow_task(client.post("/update"), timeout=3)
    assert sum(clock.sleeps) >= 3


def test_tls_context_defaults():
    strict = _transport.build_ssl_context()
    assert strict.minimum_version == ssl.TLSVersion.TLSv1_2
    assert strict.verify_mode == ssl.CERT_REQUIRED and strict.check_hostname
    loose = _transport.build_ssl_context(validate_certs=False)
    assert loose.verify_mode == ssl.CERT_NONE and loose.minimum_version == ssl.TLSVersion.TLSv1_2


def test_members_follow_the_list_not_the_count(make_client):
    client, transport = make_client(session_script(fixture("xcc_root.json"), {
        ("GET", "/c"): [(200, {"Members@odata.count": 1, "Members": [{"@odata.id": "/c/1"}, {"@odata.id": "/c/2"}]})],
        ("GET", "/c/1"): [(200, {"Id": "1"})], ("GET", "/c/2"): [(200, {"Id": "2"})]}))
    with client:
        assert [m["Id"] for m in client.members("/c")] == ["1", "2"]


def test_retry_after_parser():
    response = _transport.Response(503, [("Retry-After", "7")], b"")
    assert _client._retry_after_seconds(response) == 7.0
    assert _client._retry_after_seconds(_transport.Response(503, [], b"")) is None
