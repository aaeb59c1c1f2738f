# Copyright: odc.buildout developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The pure decisions of the NetBox write-back: identity conflicts, MAC plan,
firmware diff, status gate, journal marker. No NetBox needed."""

import pytest

from ansible_collections.odc.buildout.plugins.module_utils import (
    _netbox_writeback as wb,
)
from ansible_collections.odc.buildout.plugins.module_utils._errors import (
    ConfigError,
    IdentityMismatch,
    NotFound,
    SafetyRefusal,
)

LABEL = "r01-srv01 (site odc-rsw1, id 67)"


# -- serial ---------------------------------------------------------------------
@pytest.mark.parametrize(("current", "discovered", "expected"), [
    ("", "D41F36A", "D41F36A"),
    (None, " D41F36A ", "D41F36A"),
    ("D41F36A", "D41F36A", None),
    ("D41F36A", "d41f36a ", None),  # same serial, NetBox's spelling is kept
])
def test_plan_serial(current, discovered, expected):
    assert wb.plan_serial(LABEL, current, discovered) == expected


def test_plan_serial_different_is_identity_mismatch_naming_everything():
    with pytest.raises(IdentityMismatch) as err:
        wb.plan_serial(LABEL, "D41F36A", "XYZ999")
    assert str(err.value).startswith(
        "r01-srv01 (site odc-rsw1, id 67): NetBox has serial 'D41F36A' but the hardware reports 'XYZ999'.")
    assert err.value.to_dict() == {
        "msg": str(err.value), "error_type": "IdentityMismatch", "device": LABEL,
        "netbox_value": "D41F36A", "discovered_value": "XYZ999"}


@pytest.mark.parametrize("discovered", ["", "   ", None])
def test_plan_serial_refuses_empty(discovered):
    with pytest.raises(ConfigError, match="discovered serial is empty"):
        wb.plan_serial(LABEL, "", discovered)


# -- MAC ------------------------------------------------------------------------
@pytest.mark.parametrize("spelling", ["b0:7b:25:73:91:96", "B0-7B-25-73-91-96", "b07b.2573.9196", "b07b25739196",
                                      " B0:7B:25:73:91:96 "])
def test_normalize_mac(spelling):
    assert wb.normalize_mac(spelling) == "B0:7B:25:73:91:96"


@pytest.mark.parametrize("bad", ["", "b0:7b:25:73:91", "zz:7b:25:73:91:96", 1234567, None])
def test_normalize_mac_rejects(bad):
    with pytest.raises(ConfigError, match="is not a MAC address"):
        wb.normalize_mac(bad)


def iface(iid, name, primary=None, macs=()):
    objs = [{"id": 100 + n, "mac_address": m} for n, m in enumerate(macs)]
    prim = next(({"id": o["id"], "mac_address": o["mac_address"]} for o in objs if o["mac_address"] == primary), None)
    return {"id": iid, "name": name, "primary_mac_address": prim, "mac_addresses": objs}


def mac_obj(oid, mac, device_id=None, device_name=None, iface_name=None, otype="dcim.interface"):
    if device_id is None:
        return {"id": oid, "mac_address": mac, "assigned_object_type": None, "assigned_object": None}
    return {"id": oid, "mac_address": mac, "assigned_object_type": otype, "assigned_object_id": 9,
            "assigned_object": {"id": 9, "name": iface_name, "device": {"id": device_id, "name": device_name}}}


A, B, C = "02:00:00:00:00:0A", "02:00:00:00:00:0B", "02:00:00:00:00:0C"


def test_plan_macs_all_cases_at_once():
    interfaces = [
        iface(1, "eno1"),                                 # nothing recorded -> create
        iface(2, "eno2", primary=B, macs=[B]),            # already primary -> unchanged
        iface(3, "ens1f0", macs=[C]),                     # recorded, not primary -> primary
        iface(4, "ens1f1"),                               # orphan object exists -> adopt
    ]
    orphan = mac_obj(77, "02:00:00:00:00:0D")
    plan = wb.plan_macs(LABEL, 67, interfaces, [
        {"interface": "eno1", "mac": A.lower()}, {"interface": "eno2", "mac": B},
        {"interface": "ens1f0", "mac": C}, {"interface": "ens1f1", "mac": "02-00-00-00-00-0d"},
    ], [orphan])
    assert plan["create"] == [{"interface": "eno1", "interface_id": 1, "mac": A}]
    assert plan["unchanged"] == [{"interface": "eno2", "mac": B}]
    assert plan["primary"] == [{"interface": "ens1f0", "interface_id": 3, "mac": C, "mac_id": 100}]
    assert plan["adopt"] == [{"interface": "ens1f1", "interface_id": 4, "mac": "02:00:00:00:00:0D", "mac_id": 77}]
    assert plan["before"] == {"eno1": None, "eno2": B, "ens1f0": None, "ens1f1": None}
    assert plan["after"] == {"eno1": A, "eno2": B, "ens1f0": C, "ens1f1": "02:00:00:00:00:0D"}


def test_plan_macs_lists_every_conflict_and_plans_nothing():
    interfaces = [iface(1, "eno1", primary=A, macs=[A]), iface(2, "eno2", macs=[B]), iface(3, "ens1f0"),
                  iface(4, "ens1f1")]
    known = [mac_obj(50, C, device_id=99, device_name="r02-srv07", iface_name="ens1f0")]
    with pytest.raises(IdentityMismatch) as err:
        wb.plan_macs(LABEL, 67, interfaces, [
            {"interface": "eno1", "mac": B},           # primary differs
            {"interface": "eno2", "mac": C},           # other MAC recorded
            {"interface": "ens1f0", "mac": C},         # on another device
            {"interface": "ens1f1", "mac": "02:00:00:00:00:0F"},  # fine, but nothing is written
        ], known)
    assert err.value.details["conflicts"] == [
        f"interface eno1: NetBox has primary MAC {A}, the hardware reports {B}",
        f"interface eno2: NetBox records MAC {B}, the hardware reports {C}",
        f"interface ens1f0: MAC {C} is already recorded on r02-srv07 ens1f0",
    ]
    assert str(err.value).startswith(f"{LABEL}: discovered MACs contradict NetBox (nothing written):\n  interface eno1")


def test_plan_macs_same_mac_on_another_interface_of_the_same_device_is_fine():
    known = [mac_obj(50, A, device_id=67, device_name="r01-srv01", iface_name="ens1f0")]
    plan = wb.plan_macs(LABEL, 67, [iface(1, "bond0")], [{"interface": "bond0", "mac": A}], known)
    assert plan["create"] == [{"interface": "bond0", "interface_id": 1, "mac": A}]


def test_plan_macs_missing_interface_and_bad_input():
    with pytest.raises(NotFound, match=r"has no interface\(s\) ens9, ens10 in NetBox"):
        wb.plan_macs(LABEL, 67, [iface(1, "eno1")], [{"interface": "ens9", "mac": A}, {"interface": "ens10", "mac": B}], [])
    with pytest.raises(ConfigError, match="given twice with different MACs"):
        wb.plan_macs(LABEL, 67, [iface(1, "eno1")], [{"interface": "eno1", "mac": A}, {"interface": "eno1", "mac": B}], [])
    with pytest.raises(ConfigError, match=r"macs\[0\] needs the keys interface and mac"):
        wb.plan_macs(LABEL, 67, [], [{"mac": A}], [])


# -- firmware -------------------------------------------------------------------
EMPTY_CF = {"odc_firmware": None, "odc_bios_version": None, "odc_bmc_protocol": "redfish"}


def test_plan_firmware_first_write_and_unchanged():
    before, after = wb.plan_firmware(LABEL, EMPTY_CF, {"BMC": "7.10", "NIC": 22}, "1.13.2")
    assert before == {"odc_firmware": None, "odc_bios_version": None}
    assert after == {"odc_firmware": {"BMC": "7.10", "NIC": "22"}, "odc_bios_version": "1.13.2"}
    current = dict(EMPTY_CF, **after)
    assert wb.plan_firmware(LABEL, current, {"BMC": "7.10"}, " 1.13.2 ") is None


def test_plan_firmware_merge_and_replace():
    current = dict(EMPTY_CF, odc_firmware={"BMC": "7.10", "NIC": "22"})
    assert wb.plan_firmware(LABEL, current, {"BMC": "7.20"})[1] == {"odc_firmware": {"BMC": "7.20", "NIC": "22"}}
    assert wb.plan_firmware(LABEL, current, {"BMC": "7.20"}, merge=False)[1] == {"odc_firmware": {"BMC": "7.20"}}
    assert wb.plan_firmware(LABEL, current, {"BMC": "7.10", "NIC": "22"}, merge=False) is None


def test_plan_firmware_errors():
    with pytest.raises(ConfigError, match="no custom field odc_firmware, odc_bios_version on dcim.device"):
        wb.plan_firmware(LABEL, {"odc_bmc_protocol": None}, {"BMC": "1"}, "2")
    with pytest.raises(ConfigError, match="give firmware, bios_version or both"):
        wb.plan_firmware(LABEL, EMPTY_CF)
    with pytest.raises(ConfigError, match="firmware version empty for NIC"):
        wb.plan_firmware(LABEL, EMPTY_CF, {"BMC": "1", "NIC": " "})
    with pytest.raises(ConfigError, match="bios_version is empty"):
        wb.plan_firmware(LABEL, EMPTY_CF, bios_version="")


# -- status ---------------------------------------------------------------------
@pytest.mark.parametrize(("current", "target"), [
    ("planned", "staged"), ("staged", "active"), ("planned", "failed"), ("staged", "failed"),
    ("failed", "planned"), ("failed", "staged"),
])
def test_plan_status_allowed(current, target):
    assert wb.plan_status(LABEL, current, target) == target


@pytest.mark.parametrize("status", wb.LIFECYCLE)
def test_plan_status_same_is_no_change(status):
    assert wb.plan_status(LABEL, status, status) is None


@pytest.mark.parametrize(("current", "target"), [
    ("active", "planned"), ("active", "staged"), ("active", "failed"), ("planned", "active"),
    ("staged", "planned"), ("failed", "active"), ("inventory", "planned"), ("offline", "active"),
])
def test_plan_status_refused_unless_forced(current, target):
    with pytest.raises(SafetyRefusal) as err:
        wb.plan_status(LABEL, current, target)
    assert f"refusing status {current} -> {target}" in str(err.value)
    assert wb.plan_status(LABEL, current, target, force=True, reason="CHG0042") == target


def test_plan_status_refusal_message_and_force_needs_reason():
    with pytest.raises(SafetyRefusal, match=r"refusing status active -> planned \(allowed from active: nothing "
                                            r"without force\)"):
        wb.plan_status(LABEL, "active", "planned")
    with pytest.raises(ConfigError, match="force needs a force_reason"):
        wb.plan_status(LABEL, "active", "planned", force=True, reason=" ")
    with pytest.raises(ConfigError, match="status must be one of"):
        wb.plan_status(LABEL, "planned", "offline")


# -- journal --------------------------------------------------------------------
def test_journal_comments_and_marker():
    text = wb.journal_comments("20261128-1", "bmc", "ok", "details\nhere")
    assert text == "[odc.buildout run=20261128-1 stage=bmc]\nresult: ok\n\ndetails\nhere"
    assert wb.journal_comments("r", "s", "failed: x") == "[odc.buildout run=r stage=s]\nresult: failed: x"


@pytest.mark.parametrize(("run_id", "stage", "result"), [
    ("bad id", "bmc", "ok"), ("r1", "st]age", "ok"), ("", "bmc", "ok"), ("r1", "bmc", ""), ("r1", "bmc", "two\nlines"),
    ("x" * 65, "bmc", "ok"),
])
def test_journal_comments_rejects(run_id, stage, result):
    with pytest.raises(ConfigError):
        wb.journal_comments(run_id, stage, result)


def test_plan_journal():
    marker = wb.journal_marker("r1", "bmc")
    comments = wb.journal_comments("r1", "bmc", "ok")
    assert wb.plan_journal([], marker, "info", comments) == ("create", None)
    # another run whose id starts the same, and an entry quoting the marker later: not ours
    others = [{"id": 5, "kind": {"value": "info"}, "comments": "[odc.buildout run=r1 stage=bmc2]\nresult: ok"},
              {"id": 6, "kind": "info", "comments": "see\n" + marker}]
    assert wb.plan_journal(others, marker, "info", comments) == ("create", None)
    mine = {"id": 7, "kind": {"value": "info", "label": "Info"}, "comments": comments}
    assert wb.plan_journal([*others, mine], marker, "info", comments) == (None, mine)
    assert wb.plan_journal([mine], marker, "success", comments) == ("update", mine)
    assert wb.plan_journal([mine], marker, "info", wb.journal_comments("r1", "bmc", "failed")) == ("update", mine)
    with pytest.raises(ConfigError, match="kind must be one of"):
        wb.plan_journal([], marker, "error", comments)


# -- plumbing -------------------------------------------------------------------
def test_changelog_message_limit():
    assert wb.check_changelog_message("  x ") == "x"
    assert wb.check_changelog_message(None) is None
    assert wb.check_changelog_message("x" * 200) == "x" * 200
    with pytest.raises(ConfigError, match="201 characters; NetBox keeps at most 200"):
        wb.check_changelog_message("x" * 201)


def test_module_result_diff_only_when_changed():
    res = {"changed": True, "device": {"id": 1, "name": "d", "site": "s"}, "before": {"serial": ""},
           "after": {"serial": "X"}}
    out = wb.module_result(res, diff_mode=True)
    assert out["diff"] == {"before": {"serial": ""}, "after": {"serial": "X"},
                           "before_header": "netbox dcim.device d (site s, id 1)",
                           "after_header": "netbox dcim.device d (site s, id 1)"}
    assert "diff" not in wb.module_result(res, diff_mode=False)
    assert "diff" not in wb.module_result(dict(res, changed=False), diff_mode=True)
