# -*- coding: utf-8 -*-
# Copyright: odc.buildout developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""bmc_bootstrap against Redfish test doubles: every step, gate, identity, check mode, idempotence.

Write counts come from each double's request log (logins are not writes)."""

import pytest

from ansible_collections.odc.buildout.plugins.action.bmc_bootstrap import bootstrap

pytestmark = pytest.mark.integration

FACTORY = {"username": "admin", "password": "password"}
BASELINE = {"BMC": "0.0.0-not-installed"}


def target(double, name, serial, status="planned", vault=None):
    return {"name": name, "address": double.address, "port": double.port, "protocol": "redfish",
            "status": status, "device_type": "poweredge-r650", "expected_serial": serial,
            "factory": dict(FACTORY), "credential": vault, "firmware_baseline": BASELINE}


def opts(certs, state_dir, **extra):
    base = {"ca_path": certs["ca"], "validate_certs": True, "timeout": 5, "retry_budget": 10,
            "state_dir": state_dir, "poll_interval": 0.05, "power_timeout": 5, "workers": 8,
            "boot_target": "pxe", "boot_persistence": "continuous", "boot_mode": "uefi", "power_on": True,
            "hardening": True, "ntp_servers": ["10.0.0.1"], "bios": {"ProcVirtualization": "Disabled"},
            "retire_factory": True, "force": False, "force_reason": None}
    base.update(extra)
    return base


@pytest.fixture()
def rack(make_double):
    doubles = [make_double("dell", address=f"127.0.2.{20 + i}", serial=f"SRV{i}") for i in range(3)]
    vault = [{"username": "odcadmin", "password": f"Vault-Pass-{i}x"} for i in range(3)]
    return doubles, vault


def run(doubles, vault, certs, state_dir, check=False, run_id="r1", statuses=None, serials=None, **extra):
    statuses = statuses or ["planned"] * len(doubles)
    serials = serials or [f"SRV{i}" for i in range(len(doubles))]
    targets = [target(d, f"srv{i}", serials[i], statuses[i], dict(vault[i])) for i, d in enumerate(doubles)]
    return bootstrap(targets, opts(certs, state_dir, run_id=run_id, **extra), check_mode=check)


def test_full_steps_then_idempotent(rack, certs, state_dir):
    doubles, vault = rack
    first = run(doubles, vault, certs, state_dir, run_id="first")
    for res in first["results"].values():
        assert res["ok"], res
        steps = res["steps"]
        assert list(steps) == ["reach", "identity", "inventory", "credentials", "hardening", "bios",
                               "firmware", "boot", "power"]
        assert steps["credentials"]["status"] == "changed" and steps["credentials"]["retired"] == ["admin"]
        assert steps["hardening"]["changed"] and steps["bios"]["changed"] and steps["boot"]["changed"]
        assert steps["firmware"]["status"] == "drift"
        assert steps["power"]["status"] == "changed" and steps["power"]["verified"]
    for i, d in enumerate(doubles):
        s = d.summary()
        assert s["power"] == "On"
        assert s["boot"]["BootSourceOverrideTarget"] == "Pxe"
        assert s["accounts"]["odcadmin"]["RoleId"] == "Administrator" if "odcadmin" in s["accounts"] else True
        assert d.password_of("odcadmin") == vault[i]["password"]
        assert s["protocols"]["IPMI"]["ProtocolEnabled"] is False
    for d in doubles:
        d.log.clear()
    second = run(doubles, vault, certs, state_dir, run_id="second")
    assert second["summary"]["changed"] == [], second
    assert all(r["steps"]["reach"]["credential"] == "vault" for r in second["results"].values())
    assert all(d.log.writes() == [] for d in doubles)


def test_check_mode_writes_nothing(rack, certs, state_dir):
    doubles, vault = rack
    out = run(doubles, vault, certs, state_dir, check=True)
    assert out["summary"]["ok"] == 3 and len(out["summary"]["changed"]) == 3
    assert all(r["steps"]["power"]["status"] == "would change" for r in out["results"].values())
    assert all(d.log.writes() == [] for d in doubles)
    assert all(d.summary()["power"] == "Off" for d in doubles)


def test_active_refused_and_identity_mismatch_isolated(rack, certs, state_dir):
    doubles, vault = rack
    out = run(doubles, vault, certs, state_dir, statuses=["active", "planned", "planned"],
              serials=["SRV0", "WRONG", "SRV2"])
    res = out["results"]
    assert res["srv0"]["status"] == "refused" and "status is 'active'" in res["srv0"]["error"]["msg"]
    assert res["srv1"]["status"] == "failed" and res["srv1"]["error"]["error_type"] == "IdentityMismatch"
    assert "serial is 'SRV1', expected 'WRONG'" in res["srv1"]["error"]["msg"]
    assert res["srv2"]["ok"] and res["srv2"]["changed"]
    assert doubles[0].log.entries() == []          # refused before any contact
    assert doubles[1].log.writes() == []           # identity mismatch: nothing written
    assert doubles[2].summary()["power"] == "On"
    assert out["summary"]["refused"] == ["srv0"] and out["summary"]["failed"] == ["srv1"]


def test_force_needs_reason_and_is_recorded(rack, certs, state_dir):
    doubles, vault = rack
    logged = []
    targets = [target(doubles[0], "srv0", "SRV0", "active", dict(vault[0]))]
    no_reason = bootstrap(targets, opts(certs, state_dir, force=True), check_mode=False)
    assert no_reason["results"]["srv0"]["status"] == "refused"
    out = bootstrap([dict(targets[0])], opts(certs, state_dir, force=True, force_reason="RMA board swap"),
                    journal=lambda t, o, e: logged.append((t["name"], t["forced"])) or {"entry_id": 1})
    assert out["results"]["srv0"]["ok"]
    assert out["results"]["srv0"]["forced"]["reason"] == "RMA board swap"
    assert logged == [("srv0", "RMA board swap")]
