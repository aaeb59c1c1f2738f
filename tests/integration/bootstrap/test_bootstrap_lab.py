# -*- coding: utf-8 -*-
# Copyright: odc.buildout developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""bmc_bootstrap against the running lab (real NetBox, sushy-tools, ipmi_sim) for the demo site.

Runs the playbook for real (powers the lab servers on, as the demo does), then
again: Redfish servers must report changed=0.  Skips when the lab is not up."""

import json
import os
import subprocess

import pytest
from conftest import ROOT

pytestmark = pytest.mark.integration
LAB = "/var/lib/odc-lab"


def _run(*extra):
    token_file = os.path.join(LAB, "netbox-token")
    if not os.access(token_file, os.R_OK) or not os.path.exists(os.path.join(LAB, "lab.json")):
        pytest.skip("lab not up (or not root)")
    env = dict(os.environ, ANSIBLE_CONFIG=os.path.join(ROOT, "ansible.cfg"),
               ANSIBLE_COLLECTIONS_PATH=os.path.join(ROOT, ".cache", "collections"),
               NETBOX_API="http://127.0.0.1:8001", ANSIBLE_STDOUT_CALLBACK="json",
               NETBOX_TOKEN=open(token_file).read().strip())
    creds = os.path.join(LAB, "bmc", "credentials.yml")
    cmd = [os.path.join(ROOT, ".venv", "bin", "ansible-playbook"), os.path.join(ROOT, "playbooks", "bmc_bootstrap.yml"),
           "-e", "@" + creds, "-e", "bmc_bootstrap_credentials_file=" + creds,
           "-e", "bmc_bootstrap_ipmi_pacing=0.2", "-e", "bmc_bootstrap_poll_interval=0.5", *extra]
    proc = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=240, check=False)
    data = json.loads(proc.stdout)
    tasks = data["plays"][0]["tasks"]
    action = [t for t in tasks if "Bootstrap every BMC" in t["task"]["name"]][0]
    return proc.returncode, action["hosts"]["localhost"]


def test_lab_demo_site_bootstrap_then_idempotent():
    lab = json.load(open(os.path.join(LAB, "lab.json")))
    rc, first = _run()
    results = first["results"]
    planned = [n for n, r in results.items() if r["status"] != "refused"]
    assert set(results) == set(lab["bmcs"]) | set(results)
    for name in planned:
        res = results[name]
        assert res["ok"], res
        steps = res["steps"]
        if lab["bmcs"][name]["protocol"] == "redfish":
            # sushy's fake driver: these are reported, not faked
            assert steps["credentials"]["status"] == "unsupported"
            assert steps["hardening"]["status"] == "unsupported"
            assert steps["firmware"]["status"] == "unsupported"
        assert steps["power"]["status"] in ("ok", "changed")
        if res["changed"]:
            # the audit trail: a NetBox journal entry for this device and run
            assert res["journal"].get("entry_id"), res["journal"]
    rc2, second = _run()
    for name in planned:
        if lab["bmcs"][name]["protocol"] == "redfish":
            assert not second["results"][name]["changed"], second["results"][name]
            assert "journal" not in second["results"][name]


def test_lab_check_mode_plans_only():
    rc, out = _run("--check")
    assert out["summary"]["check_mode"] is True
    assert len(out["plan"]) == out["summary"]["total"]
