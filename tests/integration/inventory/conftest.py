# -*- coding: utf-8 -*-
# Copyright: odc.buildout developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Fixtures for the inventory integration tests: the real lab NetBox.

* ``inventory_env``   environment for ``ansible-inventory`` (NETBOX_API/NETBOX_TOKEN
                      from the lab, collection path, an empty ansible.cfg)
* ``run_inventory``   runs ``ansible-inventory`` and returns (rc, stdout, stderr)
* ``proxy``           a recording HTTP proxy in front of NetBox: every request
                      (path, GraphQL query and variables) and the rows answered
* ``noperm_token``    a v2 token of a NetBox user without any permission (ORM)
* ``limited_token``   makes a v2 token that may view all the inventory reads but one object type

The token is read from the lab's token file and never printed.
"""

import http.client
import json
import os
import subprocess
import sys
import threading
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from lab_access import lab_token as read_lab_token

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", "..", ".."))
COLLECTIONS = os.path.join(ROOT, ".cache", "collections")
VENV_BIN = os.path.dirname(sys.executable)
LAB_HOME = os.environ.get("ODC_LAB_HOME", "/var/lib/odc-lab")
NETBOX = os.environ.get("NETBOX_API", "http://127.0.0.1:8001")
LAB_INVENTORY = os.path.join(ROOT, "inventories", "lab", "netbox.yml")


def pytest_configure(config):
    config.addinivalue_line("markers", "integration: needs the real lab NetBox (lab/netbox.sh up)")


def _ensure_collection_link():
    link = os.path.join(COLLECTIONS, "ansible_collections", "odc", "buildout")
    if not os.path.exists(link):
        os.makedirs(os.path.dirname(link), exist_ok=True)
        os.symlink(ROOT, link)


@pytest.fixture(scope="session")
def lab_token():
    token = read_lab_token(required=False)
    if not token:
        pytest.skip("no lab NetBox token (run lab/netbox.sh up)")
    try:
        urllib.request.urlopen(urllib.request.Request(NETBOX + "/api/status/", headers={
            "Authorization": "Bearer " + token, "Accept": "application/json"}), timeout=10).read()
    except OSError as exc:
        pytest.skip("lab NetBox not reachable at %s: %s" % (NETBOX, exc))
    return token


@pytest.fixture(scope="session")
def inventory_env(lab_token, tmp_path_factory):
    _ensure_collection_link()
    cfg = tmp_path_factory.mktemp("ansiblecfg") / "ansible.cfg"
    cfg.write_text("[defaults]\n")
    env = dict(os.environ, NETBOX_API=NETBOX, NETBOX_TOKEN=lab_token, ANSIBLE_COLLECTIONS_PATH=COLLECTIONS,
               ANSIBLE_CONFIG=str(cfg), ANSIBLE_NOCOLOR="1", ANSIBLE_INVENTORY_UNPARSED_FAILED="true",
               PATH=VENV_BIN + os.pathsep + os.environ.get("PATH", ""))
    env.pop("NETBOX_URL", None)
    return env


@pytest.fixture
def run_inventory(inventory_env):
    def run(inventory, *args, **env):
        full = dict(inventory_env)
        for key, value in env.items():
            if value is None:
                full.pop(key, None)
            else:
                full[key] = value
        proc = subprocess.run([os.path.join(VENV_BIN, "ansible-inventory"), "-i", str(inventory)] + list(args),
                              env=full, capture_output=True, text=True, timeout=300, check=False)
        return proc.returncode, proc.stdout, proc.stderr
    return run


class _Recorder:
    def __init__(self):
        self.lock = threading.Lock()
        self.requests = []          # dicts: method, path, query, variables, rows
        self.status_version = None  # replace netbox-version in /api/status/ answers

    def graphql(self, field=None):
        return [r for r in self.requests if r["path"].startswith("/graphql/")
                and (field is None or "rows: %s(" % field in (r["query"] or ""))]


def _handler(recorder, upstream):
    host, port = upstream.split("//", 1)[1].split(":")

    class Proxy(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args):  # quiet; never logs headers (the token)
            pass

        def _forward(self):
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else None
            headers = {k: v for k, v in self.headers.items() if k.lower() not in ("host", "connection")}
            conn = http.client.HTTPConnection(host, int(port), timeout=300)
            conn.request(self.command, self.path, body=body, headers=headers)
            resp = conn.getresponse()
            data = resp.read()
            status = resp.status
            entry = {"method": self.command, "path": self.path, "status": status, "query": None,
                     "variables": None, "rows": None}
            if body and self.path.startswith("/graphql/"):
                sent = json.loads(body)
                entry["query"], entry["variables"] = sent.get("query"), sent.get("variables")
                try:
                    entry["rows"] = len((json.loads(data).get("data") or {}).get("rows") or [])
                except ValueError:
                    pass
            if self.path.startswith("/api/status/") and recorder.status_version and status == 200:
                doc = json.loads(data)
                doc["netbox-version"] = recorder.status_version
                data = json.dumps(doc).encode()
            with recorder.lock:
                recorder.requests.append(entry)
            self.send_response(status)
            self.send_header("Content-Type", resp.getheader("Content-Type") or "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)
            conn.close()

        do_GET = do_POST = _forward

    return Proxy


@pytest.fixture
def proxy(lab_token):
    """A recording proxy to the lab NetBox; ``proxy.url`` goes into NETBOX_API."""
    recorder = _Recorder()
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(recorder, NETBOX))
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    recorder.url = "http://127.0.0.1:%d" % server.server_address[1]
    yield recorder
    server.shutdown()
    server.server_close()


def _user_token(user, grant=""):
    """A v2 token of a fresh NetBox user (through nbshell); ``grant``: more nbshell code, ``u`` is the user.

    Returns ``(token, remove)``, or skips the test when nbshell does not work.
    """
    env = dict(os.environ, NETBOX_ROOT=os.path.join(LAB_HOME, "netbox"))
    nbshell = [os.path.join(LAB_HOME, "netbox-venv", "bin", "netbox"), "nbshell", "-c"]
    code = (
        "from users.models import User, Token\n"
        "u, _ = User.objects.get_or_create(username=%r)\n"
        "Token.objects.filter(user=u).delete()\n"
        "%s\n"
        "t = Token(user=u, version=2, description='odc inventory test', write_enabled=False); t.save()\n"
        "print('TOKEN=nbt_%%s.%%s' %% (t.key, t.token))\n" % (user, grant))
    proc = subprocess.run(nbshell + [code], env=env, capture_output=True, text=True, timeout=300, check=False)
    lines = [x for x in proc.stdout.splitlines() if x.startswith("TOKEN=")]
    if proc.returncode != 0 or not lines:
        pytest.skip("could not create a test user through nbshell: %s" % proc.stderr[-500:])

    def remove():
        subprocess.run(nbshell + ["from users.models import User, ObjectPermission\n"
                                  "ObjectPermission.objects.filter(name=%r).delete()\n"
                                  "User.objects.filter(username=%r).delete()" % (user, user)],
                       env=env, capture_output=True, text=True, timeout=300, check=False)

    return lines[-1].split("=", 1)[1], remove


@pytest.fixture(scope="session")
def noperm_token(lab_token):
    """A v2 token of a user with no permission at all (created through nbshell, removed afterwards)."""
    token, remove = _user_token("odc-inventory-test-noperm")
    yield token
    remove()


@pytest.fixture
def limited_token(lab_token):
    """``limited_token("dcim.rack")``: a v2 token that may view all the inventory reads but that object type."""
    from ansible_collections.odc.buildout.plugins.plugin_utils._netbox._graphql import PERMISSIONS

    removers = []

    def make(missing):
        user = "odc-inventory-test-no-%s" % missing.replace(".", "-")
        view = [tuple(x.strip().split(".")) for x in PERMISSIONS.split(",") if x.strip() != missing]
        grant = (
            "from users.models import ObjectPermission\n"
            "from core.models import ObjectType\n"
            "ObjectPermission.objects.filter(name=%r).delete()\n"
            "p = ObjectPermission.objects.create(name=%r, actions=['view'])\n"
            "p.object_types.set([ObjectType.objects.get(app_label=a, model=m) for a, m in %r])\n"
            "p.users.set([u])" % (user, user, view))
        token, remove = _user_token(user, grant)
        removers.append(remove)
        return token

    yield make
    for remove in removers:
        remove()
