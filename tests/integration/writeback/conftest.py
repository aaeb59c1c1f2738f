# Copyright: odc.buildout developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Fixtures for the write-back tests against the REAL lab NetBox (127.0.0.1:8001).

* ``nb``          the collection's NetBoxClient (token from /var/lib/odc-lab/netbox-token, never printed)
* ``RUN``         a per-session run id; every changelog message of these tests contains it
* ``wb_model``    the two write-back custom fields of the data model (odc_firmware, odc_bios_version)
* ``wb_device``   a throwaway server in the test site ``wb-test`` (deleted afterwards)
* ``play``        runs tasks through ansible-playbook (json callback) -> list of task results
* ``adhoc``       runs one module with ``ansible localhost -m`` (json callback) -> result
* ``changes``     NetBox's object changes (/api/core/object-changes/) whose message contains a text

The demo site odc-rsw1 is only read. At the end of the session every object
change carrying this session's run id must concern a wb-test device.
"""

import datetime
import json
import os
import subprocess
import sys

import pytest
import yaml
from lab_access import lab_token
from wb_support import RUN, SITE, device_macs, message

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", "..", ".."))
COLLECTIONS = os.path.join(ROOT, ".cache", "collections")
VENV_BIN = os.path.dirname(sys.executable)
NETBOX_URL = os.environ.get("ODC_NETBOX_URL", "http://127.0.0.1:8001")
WB_FIELDS = ("odc_firmware", "odc_bios_version")

_link = os.path.join(COLLECTIONS, "ansible_collections", "odc", "buildout")
if not os.path.exists(_link):
    os.makedirs(os.path.dirname(_link), exist_ok=True)
    os.symlink(ROOT, _link)
if COLLECTIONS not in sys.path:
    sys.path.insert(0, COLLECTIONS)

from ansible_collections.odc.buildout.plugins.module_utils._errors import OdcError
from ansible_collections.odc.buildout.plugins.module_utils._netbox_apply import (
    NetBoxApply,
)
from ansible_collections.odc.buildout.plugins.module_utils._netbox_client import (
    NetBoxClient,
)

_created = set()   # ids of the devices this session created


def pytest_configure(config):
    config.addinivalue_line("markers", "integration: needs the real lab NetBox on 127.0.0.1:8001")


class _TestClient(NetBoxClient):
    """Opens a fresh connection for every write: between tests the keep-alive connection sits idle
    while ansible runs, gunicorn closes it, and the client retries only reads on a closed connection."""

    def request(self, method, path, params=None, body=None):
        if method != "GET":
            self.close()
        return super().request(method, path, params=params, body=body)


@pytest.fixture(scope="session")
def nb():
    client = _TestClient(NETBOX_URL, lab_token())
    try:
        client.check_version()
    except OdcError as exc:
        pytest.skip(f"lab NetBox not usable: {exc}")
    yield client
    client.close()


@pytest.fixture(scope="session")
def netbox_env():
    """Environment for ansible subprocesses: the token travels in NETBOX_TOKEN, never in a file or argv."""
    return dict(os.environ, ANSIBLE_COLLECTIONS_PATH=COLLECTIONS, ANSIBLE_STDOUT_CALLBACK="json",
                ANSIBLE_LOAD_CALLBACK_PLUGINS="1", ANSIBLE_LOCALHOST_WARNING="False",
                ANSIBLE_INVENTORY_UNPARSED_WARNING="False", ANSIBLE_PYTHON_INTERPRETER=sys.executable,
                ANSIBLE_NOCOLOR="1", NETBOX_API=NETBOX_URL, NETBOX_TOKEN=lab_token(),
                PATH=VENV_BIN + os.pathsep + os.environ.get("PATH", ""))


@pytest.fixture(scope="session")
def wb_model(nb):
    """The write-back custom fields as playbooks/vars/odc_data_model.yml declares them (idempotent)."""
    with open(os.path.join(ROOT, "playbooks", "vars", "odc_data_model.yml")) as handle:
        model = yaml.safe_load(handle)
    fields = [o for s in model["sections"] if s["endpoint"] == "extras.custom-fields"
              for o in s["objects"] if o["name"] in WB_FIELDS]
    assert [f["name"] for f in fields] == list(WB_FIELDS), "data model lacks the write-back custom fields"
    NetBoxApply(nb, changelog_message=message("model")).apply([{"endpoint": "extras.custom-fields", "objects": fields}])
    return fields


def _sweep(nb):
    """Remove test devices an interrupted session left behind (older than an hour, so that a
    concurrent session, e.g. another pytest-xdist worker, keeps its own)."""
    cutoff = datetime.datetime.now(datetime.timezone.utc) - datetime.timedelta(hours=1)
    stale = [d["id"] for d in nb.list("dcim.devices", {"site": SITE, "name__isw": "wbtest-"})
             if datetime.datetime.fromisoformat(d["created"]) < cutoff]
    nb.delete("dcim.devices", stale, message("sweep"))


@pytest.fixture(scope="session")
def wb_site(nb):
    NetBoxApply(nb, changelog_message=message("setup")).apply([
        {"endpoint": "dcim.sites", "objects": [{"name": "WB test", "slug": SITE, "status": "planned",
                                                "description": "throwaway site of tests/integration/writeback"}]}])
    _sweep(nb)
    yield SITE
    site = nb.list("dcim.sites", {"slug": SITE})
    if site and not nb.list("dcim.devices", {"site_id": site[0]["id"]}, brief=True):
        nb.delete("dcim.sites", [site[0]["id"]], message("teardown"))


@pytest.fixture(scope="session")
def wb_refs(nb, wb_model, wb_site):
    """Ids for a test server, resolved once: the demo's device type poweredge-r650 and role server."""
    refs = {}
    for field, endpoint, slug in (("site", "dcim.sites", wb_site), ("device_type", "dcim.device-types", "poweredge-r650"),
                                  ("role", "dcim.device-roles", "server")):
        found = nb.list(endpoint, {"slug": slug}, brief=True)
        if not found:
            pytest.skip(f"lab NetBox lacks {endpoint} {slug} (run the data model and demo seed playbooks)")
        refs[field] = found[0]["id"]
    return refs


@pytest.fixture()
def wb_device(nb, wb_refs):
    """A fresh planned server (PowerEdge R650: eno1, eno2, ens1f0, ens1f1, iDRAC from the type's templates)
    in wb-test, deleted afterwards with everything hanging off it (interfaces, MACs, journal)."""
    name = f"{RUN}-{len(_created)}"
    device, = nb.create("dcim.devices", [dict(wb_refs, name=name, status="planned", custom_fields={
        "odc_bmc_protocol": "redfish", "odc_bmc_port": 443})], message("setup"))
    _created.add(device["id"])
    yield nb.request("GET", f"/api/dcim/devices/{device['id']}/")
    nb.delete("dcim.devices", [device["id"]], message("teardown"))
    left = nb.list("dcim.mac-addresses", {"mac_address": list(device_macs(device).values())}, brief=True)
    nb.delete("dcim.mac-addresses", [m["id"] for m in left], message("teardown"))


@pytest.fixture()
def play(netbox_env, tmp_path):
    """play(tasks, check=False, diff=False) -> one result dict per task (a task is {module: args, ...})."""
    def run(tasks, check=False, diff=False):
        body = []
        for pos, task in enumerate(tasks):
            body.append(dict(task, name=f"task {pos}", register=f"r{pos}", ignore_errors=True))
        playbook = tmp_path / "play.yml"
        playbook.write_text(json.dumps([{"hosts": "localhost", "gather_facts": False, "tasks": body}]))
        command = [os.path.join(VENV_BIN, "ansible-playbook"), "-i", "localhost,", "-c", "local", str(playbook)]
        command += ["--check"] if check else []
        command += ["--diff"] if diff else []
        done = subprocess.run(command, env=netbox_env, capture_output=True, text=True, timeout=300, check=False)
        try:
            report = json.loads(done.stdout)
        except ValueError as exc:
            raise AssertionError(f"ansible-playbook output is not JSON:\n{done.stdout}\n{done.stderr}") from exc
        return [t["hosts"]["localhost"] for t in report["plays"][0]["tasks"]]
    return run


@pytest.fixture()
def adhoc(netbox_env):
    """adhoc(module, args_dict, check=False) -> the module result (ansible localhost -m ...)."""
    def run(module, args, check=False):
        command = [os.path.join(VENV_BIN, "ansible"), "localhost", "-c", "local", "-m", module, "-a", json.dumps(args)]
        command += ["--check"] if check else []
        done = subprocess.run(command, env=netbox_env, capture_output=True, text=True, timeout=120, check=False)
        try:
            report = json.loads(done.stdout)
        except ValueError as exc:
            raise AssertionError(f"ansible output is not JSON:\n{done.stdout}\n{done.stderr}") from exc
        return report["plays"][0]["tasks"][0]["hosts"]["localhost"]
    return run


@pytest.fixture()
def changes(nb):
    """changes(text) -> object changes whose message is text (or contains it, exact=False), newest first."""
    def find(text, exact=True):
        found = nb.list("core.object-changes", {"q": text})   # ?q= searches message (icontains)
        return [c for c in found if c["message"] == text or (not exact and text in c["message"])]
    return find


@pytest.fixture(scope="session", autouse=True)
def only_wb_test_touched(nb):
    """After the session: every change with this run id concerns a wb-test device or what hangs off it."""
    yield
    bad = []
    for change in nb.list("core.object-changes", {"q": RUN}):
        kind, oid = change["changed_object_type"], change["changed_object_id"]
        data = change.get("postchange_data") or change.get("prechange_data") or {}
        if kind == "dcim.device" and (oid in _created or change["object_repr"].startswith("wbtest-")):
            continue
        if kind == "dcim.interface" and data.get("device") in _created:
            continue
        if kind == "extras.journalentry" and data.get("assigned_object_id") in _created:
            continue
        if kind == "dcim.site" and change["object_repr"] == "WB test":
            continue
        if kind == "dcim.macaddress" and str(data.get("mac_address", "")).upper().startswith("02:"):
            continue  # the locally administered test MACs (a demo MAC is never written)
        if kind == "extras.customfield" and change["object_repr"] in WB_FIELDS:
            continue
        bad.append(f"{kind} {oid} {change['object_repr']}: {change['message']}")
    assert not bad, "changes outside wb-test:\n" + "\n".join(bad)
