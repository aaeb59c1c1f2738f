# -*- coding: utf-8 -*-
# Copyright: odc.buildout developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""fabric_build through ansible-playbook: check + diff, idempotence, clean failures."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json

from fabric_testlib import DEMO, Edit, demo_data
from playbook_runner import run_task


def test_check_diff_then_write_then_idempotent(tmp_path):
    dest = tmp_path / "artifacts"
    args = {"site": "odc-rsw1", "snapshot_path": DEMO, "artifacts_dir": str(dest), "return_structured": False}
    check = run_task(tmp_path, "odc.buildout.fabric_build", args, check=True, diff=True)
    assert check["changed"] is True and not check.get("failed"), check
    assert "frr/r01-leaf01.conf" in check["files_changed"] and not dest.exists()
    assert any(d["after_header"] == "frr/spine01.conf" for d in check["diff"])
    first = run_task(tmp_path, "odc.buildout.fabric_build", args)
    assert first["changed"] is True and first["files"] == 91
    assert (dest / "sonic" / "r02-leaf02.config_db.json").exists()
    second = run_task(tmp_path, "odc.buildout.fabric_build", args)
    assert second["changed"] is False and second["files_changed"] == []
    assert second["summary"] == {"bgp_sessions": 8, "leaves": 4, "oob_switches": 2, "servers": 16, "spines": 2,
                                 "vnis": 4}


def test_bad_cabling_fails_with_findings_not_a_traceback(tmp_path):
    data = demo_data()
    Edit(data).uncable("r01-leaf01", "swp52")
    snap = tmp_path / "bad.json"
    snap.write_text(json.dumps(data))
    out = run_task(tmp_path, "odc.buildout.fabric_build",
                   {"site": "odc-rsw1", "snapshot_path": str(snap), "artifacts_dir": str(tmp_path / "a")})
    assert out["failed"] is True
    assert out["error_type"] == "ValidationFailed"
    assert out["findings"][0] == ("r01-leaf01 swp52: odc_link_role fabric but no cable to another interface "
                                  "[http://127.0.0.1:8001/dcim/interfaces/1421/]")
    assert "Traceback" not in json.dumps(out)


def test_snapshot_of_another_site_is_refused(tmp_path):
    out = run_task(tmp_path, "odc.buildout.fabric_build", {"site": "odc-other", "snapshot_path": DEMO})
    assert out["failed"] is True
    assert out["msg"] == "Snapshot %s holds site 'odc-rsw1', not 'odc-other'." % DEMO
