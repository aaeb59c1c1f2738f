# Copyright: odc.buildout developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""WriteBack's read -> plan -> write flow over a recording fake client: which
requests go out, with which bodies and changelog message, and none in check mode.
(The real NetBox is exercised in tests/integration/writeback.)"""

import copy

import pytest

from ansible_collections.odc.buildout.plugins.module_utils._errors import (
    ConfigError,
    NotFound,
)
from ansible_collections.odc.buildout.plugins.module_utils._netbox_writeback import (
    WriteBack,
)

DEVICE = {"id": 67, "name": "r01-srv01", "site": {"id": 1, "slug": "odc-rsw1"}, "serial": "",
          "status": {"value": "planned", "label": "Planned"},
          "custom_fields": {"odc_firmware": None, "odc_bios_version": None}}
REF = {"name": "r01-srv01", "site": "odc-rsw1", "device_id": None}


class FakeClient:
    def __init__(self, lists=None):
        self.lists = {"dcim.sites": [{"id": 1, "slug": "odc-rsw1"}], "dcim.devices": [copy.deepcopy(DEVICE)]}
        self.lists.update(lists or {})
        self.writes = []

    def list(self, endpoint, params=None, brief=False):
        return copy.deepcopy(self.lists.get(endpoint, []))

    def request(self, method, path, params=None, body=None):
        if path == "/api/dcim/devices/67/":
            return copy.deepcopy(DEVICE)
        raise NotFound(f"NetBox has no {method} {path} (404)")

    def _write(self, kind, endpoint, objects, message):
        self.writes.append((kind, endpoint, objects, message))
        return [dict(o, id=o.get("id", 900 + n)) for n, o in enumerate(objects)]

    def create(self, endpoint, objects, changelog_message=None):
        return self._write("create", endpoint, objects, changelog_message)

    def update(self, endpoint, objects, changelog_message=None):
        return self._write("update", endpoint, objects, changelog_message)


MSG = "odc.buildout run r1 stage unit"


@pytest.mark.parametrize("check_mode", [True, False])
def test_serial_writes_only_outside_check_mode(check_mode):
    client = FakeClient()
    res = WriteBack(client, check_mode, MSG).record_serial(REF, "D41F36A")
    assert res["changed"] and res["before"] == {"serial": ""} and res["after"] == {"serial": "D41F36A"}
    assert res["device"] == {"id": 67, "name": "r01-srv01", "site": "odc-rsw1"}
    expected = [] if check_mode else [("update", "dcim.devices", [{"id": 67, "serial": "D41F36A"}], MSG)]
    assert client.writes == expected


def test_records_share_a_device_already_read():
    client = FakeClient()
    reads = []
    client.request = lambda method, path, params=None, body=None: reads.append(path) or copy.deepcopy(DEVICE)
    svc = WriteBack(client, False, MSG)
    ref = {"name": None, "site": None, "device_id": 67}
    device = svc.device(**ref)
    svc.record_serial(ref, "D41F36A", device=device)
    svc.record_firmware(ref, {"BMC": "7.10"}, "1.0", device=device)
    assert reads == ["/api/dcim/devices/67/"]  # one read for both records
    assert [w[2][0] for w in client.writes] == [
        {"id": 67, "serial": "D41F36A"},
        {"id": 67, "custom_fields": {"odc_firmware": {"BMC": "7.10"}, "odc_bios_version": "1.0"}}]


def test_device_by_id_and_identity_errors():
    client = FakeClient()
    svc = WriteBack(client, True, MSG)
    assert svc.device(device_id=67)["name"] == "r01-srv01"
    with pytest.raises(NotFound, match="no device with id 5"):
        svc.device(device_id=5)
    with pytest.raises(ConfigError, match="device \\+ site"):
        svc.device(name="r01-srv01")
    with pytest.raises(ConfigError, match="not both"):
        svc.device(name="r01-srv01", site="odc-rsw1", device_id=67)
    client.lists["dcim.devices"].append(dict(DEVICE, id=68))
    with pytest.raises(ConfigError, match="ambiguous .2 devices, ids 67, 68.; use device_id"):
        svc.device(name="r01-srv01", site="odc-rsw1")
    client.lists["dcim.sites"] = []
    with pytest.raises(NotFound, match="no site with slug 'odc-rsw1'"):
        svc.device(name="r01-srv01", site="odc-rsw1")


def test_macs_write_order_create_then_primary():
    interfaces = [{"id": 1, "name": "eno1", "primary_mac_address": None, "mac_addresses": []},
                  {"id": 2, "name": "eno2", "primary_mac_address": None, "mac_addresses": [
                      {"id": 40, "mac_address": "02:00:00:00:00:0B"}]}]
    client = FakeClient({"dcim.interfaces": interfaces})
    res = WriteBack(client, False, MSG).record_macs(REF, [{"interface": "eno1", "mac": "02:00:00:00:00:0a"},
                                                          {"interface": "eno2", "mac": "02:00:00:00:00:0b"}])
    assert res["changed"]
    assert res["create"] == [{"interface": "eno1", "mac": "02:00:00:00:00:0A"}]
    assert res["primary"] == [{"interface": "eno2", "mac": "02:00:00:00:00:0B"}]
    assert client.writes == [
        ("create", "dcim.mac-addresses", [{"mac_address": "02:00:00:00:00:0A", "assigned_object_type": "dcim.interface",
                                           "assigned_object_id": 1}], MSG),
        ("update", "dcim.interfaces", [{"id": 2, "primary_mac_address": 40},
                                       {"id": 1, "primary_mac_address": 900}], MSG),
    ]


def test_forced_status_carries_reason_in_changelog():
    client = FakeClient()
    client.lists["dcim.devices"][0]["status"] = {"value": "active"}
    res = WriteBack(client, False, MSG).set_status(REF, "staged", force=True, reason="CHG0042 reinstall")
    assert res["forced"] and res["before"] == {"status": "active"} and res["after"] == {"status": "staged"}
    assert client.writes == [("update", "dcim.devices", [{"id": 67, "status": "staged"}],
                              MSG + " (forced: CHG0042 reinstall)")]


def test_firmware_patches_only_changed_custom_fields():
    client = FakeClient()
    client.lists["dcim.devices"][0]["custom_fields"]["odc_bios_version"] = "1.0"
    WriteBack(client, False, MSG).record_firmware(REF, {"BMC": "7.10"}, "1.0")
    assert client.writes == [("update", "dcim.devices", [{"id": 67, "custom_fields": {"odc_firmware": {"BMC": "7.10"}}}],
                              MSG)]


def test_journal_create_then_nothing():
    client = FakeClient()
    svc = WriteBack(client, False, MSG)
    res = svc.journal(REF, "r1", "unit", "ok", "success")
    assert res["operation"] == "create" and res["entry_id"] == 900
    body = client.writes[0][2][0]
    assert body == {"assigned_object_type": "dcim.device", "assigned_object_id": 67, "kind": "success",
                    "comments": "[odc.buildout run=r1 stage=unit]\nresult: ok"}
    client.lists["extras.journal-entries"] = [dict(body, id=900, kind={"value": "success"})]
    again = svc.journal(REF, "r1", "unit", "ok", "success")
    assert not again["changed"] and again["operation"] == "none" and len(client.writes) == 1
