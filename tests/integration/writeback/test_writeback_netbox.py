# Copyright: odc.buildout developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The write-back modules against the real lab NetBox, run the Ansible way.

Each test works on its own throwaway device in site wb-test. Each task gets a
unique changelog message, so "check mode wrote nothing" is proven by NetBox's
own change log: no object change carries the check-mode task's message.
"""

import pytest
from wb_support import RUN, SITE, device_macs, message

pytestmark = pytest.mark.integration

NS = "odc.buildout."


def task(module, step, /, **args):
    """One task; its changelog_message names the step (the journal module derives its own)."""
    if module != "netbox_journal":
        args.setdefault("changelog_message", message(step))
    return {NS + module: args}


def target(device):
    return {"device": device["name"], "site": SITE}


def reread(nb, device):
    return nb.request("GET", f"/api/dcim/devices/{device['id']}/")


def test_serial_check_apply_rerun_and_changelog(nb, wb_device, play, changes):
    dev = target(wb_device)
    check, = play([task("netbox_device_serial", "serial-check", serial="SN-WB-1", **dev)], check=True, diff=True)
    assert check["changed"] is True
    assert check["diff"]["before"] == {"serial": ""} and check["diff"]["after"] == {"serial": "SN-WB-1"}
    assert reread(nb, wb_device)["serial"] == ""
    assert changes(message("serial-check")) == []

    first, second = play([task("netbox_device_serial", "serial", serial="SN-WB-1", **dev),
                          task("netbox_device_serial", "serial-rerun", serial=" sn-wb-1 ", **dev)])
    assert first["changed"] is True and first["before"] == {"serial": ""} and first["after"] == {"serial": "SN-WB-1"}
    assert second["changed"] is False and second["after"] == {"serial": "SN-WB-1"}
    assert reread(nb, wb_device)["serial"] == "SN-WB-1"
    logged = changes(message("serial"))
    assert [(c["changed_object_type"], c["changed_object_id"], c["message"]) for c in logged] == [
        ("dcim.device", wb_device["id"], message("serial"))]
    assert logged[0]["postchange_data"]["serial"] == "SN-WB-1"
    assert changes(message("serial-rerun")) == []


def test_differing_serial_is_identity_error_and_changes_nothing(nb, wb_device, play, changes):
    dev = target(wb_device)
    play([task("netbox_device_serial", "serial", serial="SN-WB-1", **dev)])
    failed, = play([task("netbox_device_serial", "serial-conflict", serial="SN-OTHER", **dev)])
    assert failed["failed"] is True and failed["changed"] is False
    assert failed["error_type"] == "IdentityMismatch"
    assert failed["netbox_value"] == "SN-WB-1" and failed["discovered_value"] == "SN-OTHER"
    assert failed["msg"].startswith(f"{wb_device['name']} (site wb-test, id {wb_device['id']}): NetBox has serial "
                                    "'SN-WB-1' but the hardware reports 'SN-OTHER'.")
    assert reread(nb, wb_device)["serial"] == "SN-WB-1"
    assert changes(message("serial-conflict")) == []


def test_serial_module_has_no_overwrite_option(wb_device, play):
    failed, = play([task("netbox_device_serial", "serial-force", serial="X", allow_overwrite=True,
                         **target(wb_device))])
    assert failed["failed"] is True and "allow_overwrite" in failed["msg"]


def _interfaces(nb, device):
    return {i["name"]: i for i in nb.list("dcim.interfaces", {"device_id": device["id"]})}


def test_macs_created_primary_set_idempotent(nb, wb_device, play, changes):
    macs = device_macs(wb_device)
    wanted = [{"interface": n, "mac": m.lower()} for n, m in macs.items()]
    dev = target(wb_device)
    check, = play([task("netbox_interface_mac", "mac-check", macs=wanted, **dev)], check=True, diff=True)
    assert check["changed"] is True and len(check["create"]) == 5
    assert check["diff"]["before"] == dict.fromkeys(macs) and check["diff"]["after"] == macs
    assert all(not i["mac_addresses"] for i in _interfaces(nb, wb_device).values())
    assert changes(message("mac-check")) == []

    first, second = play([task("netbox_interface_mac", "mac", macs=wanted, **dev),
                          task("netbox_interface_mac", "mac-rerun", macs=wanted, **dev)])
    assert first["changed"] is True and [c["interface"] for c in first["create"]] == list(macs)
    assert second["changed"] is False and len(second["unchanged"]) == 5
    for name, iface in _interfaces(nb, wb_device).items():
        assert iface["primary_mac_address"]["mac_address"] == macs[name]
        assert [m["mac_address"] for m in iface["mac_addresses"]] == [macs[name]]
    logged = {(c["changed_object_type"], c["action"]["value"]) for c in changes(message("mac"))}
    assert logged == {("dcim.macaddress", "create"), ("dcim.interface", "update")}
    assert changes(message("mac-rerun")) == []


def test_mac_conflicts_fail_and_write_nothing(nb, wb_device, play, changes):
    macs = device_macs(wb_device)
    dev = target(wb_device)
    play([task("netbox_interface_mac", "mac", macs=[{"interface": "ens1f0", "mac": macs["ens1f0"]}], **dev)])
    demo = nb.list("dcim.interfaces", {"device": "r01-srv01", "name": "ens1f0"})[0]["primary_mac_address"]
    conflict, = play([task("netbox_interface_mac", "mac-conflict", **dev, macs=[
        {"interface": "ens1f0", "mac": macs["ens1f1"]},         # a different MAC than recorded
        {"interface": "eno1", "mac": demo["mac_address"]},      # a MAC of demo server r01-srv01
        {"interface": "eno2", "mac": macs["eno2"]},             # fine alone, but the call is all or nothing
    ])])
    assert conflict["failed"] is True and conflict["error_type"] == "IdentityMismatch"
    assert conflict["conflicts"] == [
        f"interface ens1f0: NetBox has primary MAC {macs['ens1f0']}, the hardware reports {macs['ens1f1']}",
        f"interface eno1: MAC {demo['mac_address']} is already recorded on r01-srv01 ens1f0",
    ]
    ifaces = _interfaces(nb, wb_device)
    assert ifaces["ens1f0"]["primary_mac_address"]["mac_address"] == macs["ens1f0"]
    assert not ifaces["eno1"]["mac_addresses"] and not ifaces["eno2"]["mac_addresses"]
    assert changes(message("mac-conflict")) == []

    missing, = play([task("netbox_interface_mac", "mac-missing", macs=[{"interface": "ens9", "mac": macs["eno1"]}],
                          **dev)])
    assert missing["failed"] is True and missing["error_type"] == "NotFound"
    assert missing["missing_interfaces"] == ["ens9"]


def test_mac_recorded_or_orphan_objects_are_reused(nb, wb_device, play, changes):
    macs = device_macs(wb_device)
    ifaces = _interfaces(nb, wb_device)
    nb.create("dcim.mac-addresses", [
        {"mac_address": macs["eno1"], "assigned_object_type": "dcim.interface", "assigned_object_id": ifaces["eno1"]["id"]},
        {"mac_address": macs["eno2"]},   # unassigned
    ], message("setup"))
    out, = play([task("netbox_interface_mac", "mac-reuse", **target(wb_device), macs=[
        {"interface": "eno1", "mac": macs["eno1"]}, {"interface": "eno2", "mac": macs["eno2"]}])])
    assert out["changed"] is True and out["create"] == []
    assert out["primary"] == [{"interface": "eno1", "mac": macs["eno1"]}]
    assert out["adopt"] == [{"interface": "eno2", "mac": macs["eno2"]}]
    ifaces = _interfaces(nb, wb_device)
    for name in ("eno1", "eno2"):
        assert ifaces[name]["primary_mac_address"]["mac_address"] == macs[name]
        assert len(nb.list("dcim.mac-addresses", {"mac_address": macs[name]})) == 1


def test_firmware_custom_fields(nb, wb_device, play, changes):
    dev = target(wb_device)
    fw = {"BMC": "7.10.30.00", "NIC.Slot.1": "22.31.6"}
    check, = play([task("netbox_device_firmware", "fw-check", firmware=fw, bios_version="1.13.2", **dev)],
                  check=True)
    assert check["changed"] is True
    assert reread(nb, wb_device)["custom_fields"]["odc_firmware"] is None
    assert changes(message("fw-check")) == []

    first, second, merged, replaced = play([
        task("netbox_device_firmware", "fw", firmware=fw, bios_version="1.13.2", **dev),
        task("netbox_device_firmware", "fw-rerun", firmware=fw, bios_version="1.13.2", **dev),
        task("netbox_device_firmware", "fw-merge", firmware={"BMC": "7.20.0.0"}, **dev),
        task("netbox_device_firmware", "fw-replace", firmware={"BMC": "7.20.0.0"}, merge=False, **dev),
    ])
    assert first["changed"] is True and first["before"] == {"odc_firmware": None, "odc_bios_version": None}
    assert second["changed"] is False
    assert merged["changed"] is True and merged["after"] == {"odc_firmware": {"BMC": "7.20.0.0", "NIC.Slot.1": "22.31.6"}}
    assert replaced["changed"] is True and replaced["after"] == {"odc_firmware": {"BMC": "7.20.0.0"}}
    fields = reread(nb, wb_device)["custom_fields"]
    assert fields["odc_firmware"] == {"BMC": "7.20.0.0"} and fields["odc_bios_version"] == "1.13.2"
    assert fields["odc_bmc_protocol"]["value"] == "redfish" and fields["odc_bmc_port"] == 443   # untouched
    assert [c["message"] for c in changes(message("fw-rerun"))] == []


def test_status_transition_gate(nb, wb_device, play, changes):
    dev = target(wb_device)
    results = play([
        task("netbox_device_status", "st-skip", status="active", **dev),      # planned -> active: refused
        task("netbox_device_status", "st-staged", status="staged", **dev),
        task("netbox_device_status", "st-staged-again", status="staged", **dev),
        task("netbox_device_status", "st-active", status="active", **dev),
        task("netbox_device_status", "st-back", status="planned", **dev),     # active -> planned: refused
        task("netbox_device_status", "st-failed", status="failed", **dev),    # active -> failed: refused too
    ])
    skip, staged, again, active, back, failed = results
    assert skip["failed"] is True and skip["error_type"] == "SafetyRefusal"
    assert "refusing status planned -> active" in skip["msg"]
    assert staged["changed"] is True and staged["before"] == {"status": "planned"} and staged["after"] == {"status": "staged"}
    assert again["changed"] is False
    assert active["changed"] is True and active["after"] == {"status": "active"}
    assert back["failed"] is True and back["error_type"] == "SafetyRefusal" and back["current_status"] == "active"
    assert failed["failed"] is True and failed["error_type"] == "SafetyRefusal"
    assert reread(nb, wb_device)["status"]["value"] == "active"
    for stage in ("st-skip", "st-staged-again", "st-back", "st-failed"):
        assert changes(message(stage)) == [], stage

    check, forced = play([task("netbox_device_status", "st-force-check", status="planned", force=True,
                               force_reason="test reset", **dev)], check=True) + \
        play([task("netbox_device_status", "st-force", status="planned", force=True, force_reason="test reset", **dev)])
    assert check["changed"] is True and changes(message("st-force-check")) == []
    assert forced["changed"] is True and forced["forced"] is True
    assert reread(nb, wb_device)["status"]["value"] == "planned"
    logged = changes(message("st-force"), exact=False)
    assert [c["message"] for c in logged] == [message("st-force") + " (forced: test reset)"]


def test_journal_once_per_run_and_stage(nb, wb_device, play, changes):
    dev = target(wb_device)

    def entries():
        return nb.list("extras.journal-entries", {"assigned_object_type": "dcim.device",
                                                  "assigned_object_id": wb_device["id"]})

    check, = play([task("netbox_journal", None, run_id=RUN, stage="bmc", result="ok", **dev)], check=True)
    assert check["changed"] is True and check["operation"] == "create" and entries() == []

    first, second, updated, other = play([
        task("netbox_journal", None, run_id=RUN, stage="bmc", result="ok", kind="success", **dev),
        task("netbox_journal", None, run_id=RUN, stage="bmc", result="ok", kind="success", **dev),
        task("netbox_journal", None, run_id=RUN, stage="bmc", result="failed: BMC unreachable", kind="danger",
             details="after 3 attempts", **dev),
        task("netbox_journal", None, run_id=RUN, stage="firmware", result="ok", **dev),
    ])
    assert first["changed"] is True and first["operation"] == "create"
    assert second["changed"] is False and second["entry_id"] == first["entry_id"]
    assert updated["changed"] is True and updated["operation"] == "update" and updated["entry_id"] == first["entry_id"]
    assert other["changed"] is True and other["operation"] == "create"
    got = {e["id"]: (e["kind"]["value"], e["comments"]) for e in entries()}
    bmc_text = f"[odc.buildout run={RUN} stage=bmc]\nresult: failed: BMC unreachable\n\nafter 3 attempts"
    assert got == {
        first["entry_id"]: ("danger", bmc_text),
        other["entry_id"]: ("info", f"[odc.buildout run={RUN} stage=firmware]\nresult: ok"),
    }
    logged = changes(message("bmc"))   # the default changelog message of the journal module
    assert [(c["changed_object_type"], c["action"]["value"]) for c in reversed(logged)] == [
        ("extras.journalentry", "create"), ("extras.journalentry", "update")]


def test_adhoc_and_device_id(nb, wb_device, adhoc):
    args = {"device_id": wb_device["id"], "run_id": RUN, "stage": "adhoc", "result": "ok"}
    first = adhoc(NS + "netbox_journal", args)
    second = adhoc(NS + "netbox_journal", args)
    assert first["changed"] is True and second["changed"] is False
    assert first["device"] == {"id": wb_device["id"], "name": wb_device["name"], "site": "wb-test"}


def test_device_identity_is_explicit(wb_device, play):
    wrong_site, no_site, both = play([
        task("netbox_device_serial", "id-1", device="r01-srv01", site="wb-test", serial="X"),
        task("netbox_device_serial", "id-2", device="r01-srv01", serial="X"),
        task("netbox_device_serial", "id-3", device="r01-srv01", site="odc-rsw1", device_id=wb_device["id"],
             serial="X"),
    ])
    assert wrong_site["failed"] is True and wrong_site["error_type"] == "NotFound"
    assert wrong_site["msg"] == "NetBox has no device 'r01-srv01' in site wb-test"
    assert no_site["failed"] is True and "parameters are required together: device, site" in no_site["msg"]
    assert both["failed"] is True and "mutually exclusive" in both["msg"]


def test_demo_site_read_only_checks(play):
    """Check mode against the demo site: plans, writes nothing (the session guard proves it)."""
    same, = play([task("netbox_device_serial", "demo-check", device="r01-srv01", site="odc-rsw1",
                       serial="d41f36a")], check=True)
    assert same["changed"] is False
