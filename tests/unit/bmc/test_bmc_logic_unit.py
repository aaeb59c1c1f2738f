# -*- coding: utf-8 -*-
# Copyright: odc.buildout developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Pure logic: vendor detection, identity comparison, power plans, firmware
compliance, BIOS comparison, session slots, and that option specs match docs."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import importlib
import threading
import uuid

import pytest
import yaml
from bmc_fakes import fixture
from hypothesis import given
from hypothesis import strategies as st

from ansible_collections.odc.buildout.plugins.doc_fragments import bmc_connection
from ansible_collections.odc.buildout.plugins.module_utils import _bmc_argspec, _errors
from ansible_collections.odc.buildout.plugins.module_utils._redfish import _bios, _firmware, _guards, _identity, _messages, _power, _vendors

MODULES = ["bmc_info", "bmc_power", "bmc_boot", "bmc_virtual_media", "bmc_bios", "bmc_account",
           "bmc_settings", "bmc_firmware"]


# -- vendor table ---------------------------------------------------------------------
@pytest.mark.parametrize("name,key", [("idrac9_root.json", "dell"), ("ilo5_root.json", "hpe"),
                                      ("xcc_root.json", "lenovo"), ("supermicro_root.json", "supermicro")])
def test_vendor_detected_from_recorded_service_roots(name, key):
    assert _vendors.detect(fixture(name)).key == key


def test_unknown_vendor_is_generic_and_override_wins():
    root = {"Vendor": "Contoso", "Product": "Joo Janta 200", "Oem": {}}
    assert _vendors.detect(root).key == "generic"
    assert _vendors.detect(root, "supermicro").key == "supermicro"


def test_vendor_table_rows_that_matter():
    dell, smc, generic = _vendors.BY_KEY["dell"], _vendors.BY_KEY["supermicro"], _vendors.BY_KEY["generic"]
    assert dell.session_limit == 8 and dell.basic_auth is False and dell.media_home == "manager"
    assert smc.insert_fields == () and generic.media_home == "system"
    assert set(_vendors.VENDOR_CHOICES) == set(_bmc_argspec.VENDORS)


# -- identity ---------------------------------------------------------------------------
def test_identity_mismatch_lists_every_problem():
    actual = {"serial": "ABC", "uuid": "4c4c4544-0047-3510-8052-c4c04f335a32", "macs": ["aa:bb:cc:dd:ee:01"]}
    problems = _identity.compare(actual, "XYZ", "00000000-0000-0000-0000-000000000000", ["AA-BB-CC-DD-EE-02"])
    assert len(problems) == 3
    assert _identity.compare(actual, "abc", "4C4C4544-0047-3510-8052-C4C04F335A32", ["AA-BB-CC-DD-EE-01"]) == []


@given(st.uuids())
def test_uuid_matches_in_both_byte_orders(value):
    swapped = str(uuid.UUID(bytes_le=value.bytes))
    assert _identity.compare({"uuid": swapped.upper()}, expected_uuid=str(value)) == []


def test_verify_reads_nothing_when_nothing_is_expected():
    def explode(with_macs):
        raise AssertionError("must not read")
    assert _identity.verify(explode, "10.0.0.1") is None
    with pytest.raises(_errors.IdentityMismatch, match="refusing to write"):
        _identity.verify(lambda m: {"serial": "A"}, "10.0.0.1", expected_serial="B")


# -- power ----------------------------------------------------------------------------------
@pytest.mark.parametrize("desired,current,plan", [
    ("on", "On", []), ("on", "Off", ["on"]), ("off", "Off", []), ("off", "On", ["off"]),
    ("restarted", "On", ["off", "on"]), ("restarted", "Off", ["on"]), ("off", "Paused", ["off"]),
])
def test_power_plan(desired, current, plan):
    assert _power.PowerControl.plan(desired, current) == plan


# -- firmware ---------------------------------------------------------------------------------
class _Inventory(_firmware.FirmwareService):
    def __init__(self, entries):
        self.entries = entries

    def inventory(self):
        return self.entries


def dell_inventory():
    skip = _vendors.BY_KEY["dell"].firmware_skip
    return [_firmware.entry_summary(e) for e in fixture("idrac9_firmware_inventory.json")["members"]
            if not e["Id"].startswith(skip)]


def test_dell_rollback_and_staged_images_are_ignored():
    report = _Inventory(dell_inventory()).compliance({
        "BIOS": "1.10.2", "Integrated Dell Remote Access Controller": "7.00.00.00", "108255": "22.31.6"})
    assert report["compliant"] and report["drift"] == []
    nic = report["components"][2]
    assert len(nic["ids"]) == 2  # both NIC ports matched by SoftwareId


def test_drift_and_missing_components():
    report = _Inventory(dell_inventory()).compliance({"BIOS": "1.12.1", "CPLD": "1.0.0"})
    assert not report["compliant"] and report["drift"] == ["BIOS", "CPLD"]
    assert [c["status"] for c in report["components"]] == ["drift", "missing"]
    assert report["components"][0]["installed"] == "1.10.2"


# -- BIOS / messages ------------------------------------------------------------------------------
def test_bios_values_compare_loosely():
    assert _bios.same("Enabled", "enabled") and _bios.same(1, "1") and not _bios.same("Enabled", "Disabled")


def test_scrub_hides_every_secret():
    assert _messages.scrub("pw S3cret! and tok", ["S3cret!", "", None]) == "pw ******** and tok"


def test_message_ids_match_across_registry_versions():
    body = fixture("idrac9_error_session_limit.json")
    assert _messages.has_message(body, "SessionLimitExceeded")
    assert not _messages.has_message(body, "AccessDenied")


# -- session slots ----------------------------------------------------------------------------------
def test_session_slots_cap_and_release(tmp_path):
    first = _guards.SessionSlots(str(tmp_path), "bmc", 1, wait=0.2, interval=0.05).__enter__()
    with pytest.raises(_errors.TimeoutExpired, match="1 session slots"):
        _guards.SessionSlots(str(tmp_path), "bmc", 1, wait=0.2, interval=0.05).acquire()
    first.release()
    with _guards.SessionSlots(str(tmp_path), "bmc", 1, wait=0.2):
        pass


def test_session_slots_across_threads(tmp_path):
    held, peak, lock = [0], [0], threading.Lock()

    def work():
        with _guards.SessionSlots(str(tmp_path), "bmc", 2, wait=5, interval=0.01):
            with lock:
                held[0] += 1
                peak[0] = max(peak[0], held[0])
            threading.Event().wait(0.05)
            with lock:
                held[0] -= 1
    threads = [threading.Thread(target=work) for index in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert peak[0] == 2


# -- option specs and documentation agree ----------------------------------------------------------------
def _doc_options(text):
    return yaml.safe_load(text)["options"]


def _check(spec, docs, where):
    assert set(spec) == set(docs), where
    for name, option in spec.items():
        doc = docs[name]
        assert doc.get("type", "str") == option.get("type", "str"), f"{where}.{name} type"
        assert doc.get("default") == option.get("default"), f"{where}.{name} default"
        assert doc.get("choices") == option.get("choices"), f"{where}.{name} choices"
        assert bool(doc.get("required")) == bool(option.get("required")), f"{where}.{name} required"
        assert doc.get("elements") == option.get("elements"), f"{where}.{name} elements"
        if "options" in option:
            _check(option["options"], doc["suboptions"], f"{where}.{name}")


def test_doc_fragments_match_the_specs():
    _check(_bmc_argspec.BMC_CONNECTION_SPEC, _doc_options(bmc_connection.ModuleDocFragment.DOCUMENTATION),
           "bmc_connection")
    _check(_bmc_argspec.BMC_IDENTITY_SPEC, _doc_options(bmc_connection.ModuleDocFragment.IDENTITY), "identity")
    assert _bmc_argspec.BMC_CONNECTION_SPEC["password"]["no_log"] is True


@pytest.mark.parametrize("name", MODULES)
def test_module_docs_match_options(name):
    module = importlib.import_module(f"ansible_collections.odc.buildout.plugins.modules.{name}")
    doc = yaml.safe_load(module.DOCUMENTATION)
    _check(module.OPTIONS, doc["options"], name)
    fragments = doc["extends_documentation_fragment"]
    assert "odc.buildout.bmc_connection" in fragments
    writes = name != "bmc_info"
    assert ("odc.buildout.bmc_connection.identity" in fragments) is writes
    yaml.safe_load(module.EXAMPLES)
    yaml.safe_load(module.RETURN)
    secrets = [k for k, v in module.OPTIONS.items() if "password" in k and k != "update_password"]
    assert all(module.OPTIONS[k].get("no_log") for k in secrets)
