# -*- coding: utf-8 -*-
# Copyright: odc.buildout developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Fixtures for the BMC integration tests: real peers on 127.0.2.x.

* ``certs``        throwaway CA + leaf (IP SANs 127.0.2.1-40), openssl CLI
* ``make_double``  the Redfish test double in a thread (port 0 = free port)
* ``sushy``        real sushy-emulator, fake driver, TLS, bcrypt htpasswd
* ``static_mockup`` real sushy-static serving the DMTF rackmount mockup (TLS)
* ``ipmi_sim``     real OpenIPMI ipmi_sim with a chassis_control script
* ``image_server`` a small file on loopback HTTP (virtual media downloads it)
* ``run_playbook`` runs a module the way Ansible does (ansible-playbook, json callback)
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json
import os
import shutil
import socket
import subprocess
import sys
import threading
import time
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

import pytest

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", "..", ".."))
COLLECTIONS = os.path.join(ROOT, ".cache", "collections")
DOUBLES = os.path.join(ROOT, "tests", "doubles")
VENV_BIN = os.path.dirname(sys.executable)
MOCKUP = os.environ.get("ODC_DMTF_MOCKUP", "/work/shared/redfish-mockups/dmtf-public-rackmount1")

for path in (COLLECTIONS, DOUBLES):
    if path not in sys.path:
        sys.path.insert(0, path)


def _ensure_collection_link():
    link = os.path.join(COLLECTIONS, "ansible_collections", "odc", "buildout")
    if not os.path.exists(link):
        os.makedirs(os.path.dirname(link), exist_ok=True)
        os.symlink(ROOT, link)


_ensure_collection_link()

from bmc_peers import free_port, stop, wait_tcp  # noqa: E402
from redfish_double import RedfishDouble  # noqa: E402
from tls_certs import make_certs  # noqa: E402

ADDR = {"double": "127.0.2.10", "sushy": "127.0.2.11", "static": "127.0.2.12", "ipmi": "127.0.2.13",
        "files": "127.0.2.14", "double2": "127.0.2.15"}


@pytest.fixture(autouse=True)
def _fresh_login_guard():
    from ansible_collections.odc.buildout.plugins.module_utils._redfish import _guards
    _guards.forget_failures()
    yield
    _guards.forget_failures()


@pytest.fixture(scope="session")
def certs(tmp_path_factory):
    return make_certs(str(tmp_path_factory.mktemp("certs")), [f"127.0.2.{i}" for i in range(1, 41)])


@pytest.fixture()
def state_dir(tmp_path):
    return str(tmp_path / "bmc-state")


@pytest.fixture()
def make_double(certs):
    started = []

    def make(vendor="generic", address=ADDR["double"], **options):
        double = RedfishDouble(address=address, port=0, cert=certs["cert"], key=certs["key"],
                               vendor=vendor, **options).start()
        started.append(double)
        return double
    yield make
    for double in started:
        double.stop()


@pytest.fixture()
def params_for(certs, state_dir):
    """Module params (BMC_CONNECTION_SPEC) for a double, fast timings for tests."""
    def params(double, **extra):
        base = {"address": double.address, "port": double.port, "protocol": "redfish", "username": "admin",
                "password": "password", "ca_path": certs["ca"], "validate_certs": True, "timeout": 5,
                "retry_budget": 10, "vendor": "auto", "system_id": None, "run_id": None,
                "state_dir": state_dir, "reserve_sessions": 2, "ipmi_pacing": 0.0,
                "expected_serial": None, "expected_uuid": None, "expected_macs": None}
        base.update(extra)
        return base
    return params


# -- real sushy-emulator (fake driver) -------------------------------------------
@pytest.fixture(scope="module")
def sushy(tmp_path_factory, certs):
    import bcrypt
    work = tmp_path_factory.mktemp("sushy")
    password = "sushy-Pass-1"
    hashed = bcrypt.hashpw(password.encode(), bcrypt.gensalt(rounds=4)).decode()
    (work / "htpasswd").write_text(f"admin:{hashed}\n")
    uuid = "27946b59-9e44-4fa7-8e91-f3527a1ef094"
    port = free_port(ADDR["sushy"])
    config = work / "emulator.conf"
    config.write_text("\n".join([
        "SUSHY_EMULATOR_FAKE_DRIVER = True",
        f"SUSHY_EMULATOR_STATE_DIR = {str(work / 'state')!r}",
        f"SUSHY_EMULATOR_LISTEN_IP = {ADDR['sushy']!r}",
        f"SUSHY_EMULATOR_LISTEN_PORT = {port}",
        f"SUSHY_EMULATOR_SSL_CERT = {certs['cert']!r}",
        f"SUSHY_EMULATOR_SSL_KEY = {certs['key']!r}",
        f"SUSHY_EMULATOR_AUTH_FILE = {str(work / 'htpasswd')!r}",
        "SUSHY_EMULATOR_FAKE_SYSTEMS = [{'uuid': %r, 'name': 'node-a', 'power_state': 'Off',"
        " 'nics': [{'mac': '52:54:00:aa:bb:01', 'ip': '10.0.0.5'}]}]" % uuid,
        "",
    ]))
    log = open(work / "sushy.log", "w")
    process = subprocess.Popen([os.path.join(VENV_BIN, "sushy-emulator"), "--config", str(config)],
                               stdout=log, stderr=subprocess.STDOUT)
    try:
        wait_tcp(ADDR["sushy"], port, process=process)
        yield {"address": ADDR["sushy"], "port": port, "username": "admin", "password": password,
               "uuid": uuid, "mac": "52:54:00:aa:bb:01", "log": str(work / "sushy.log")}
    finally:
        stop(process)
        log.close()


# -- real sushy-static serving the DMTF mockup ----------------------------------------
@pytest.fixture(scope="module")
def static_mockup(certs):
    if not os.path.isdir(MOCKUP):
        pytest.skip(f"DMTF mockup not found at {MOCKUP}")
    port = free_port(ADDR["static"])
    process = subprocess.Popen(
        [os.path.join(VENV_BIN, "sushy-static"), "--mockup-files", MOCKUP, "--interface", ADDR["static"],
         "--port", str(port), "--ssl-certificate", certs["cert"], "--ssl-key", certs["key"]],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_tcp(ADDR["static"], port, process=process)
        yield {"address": ADDR["static"], "port": port}
    finally:
        stop(process)


# -- real ipmi_sim ------------------------------------------------------------------
CHASSIS_SCRIPT = """#!/bin/sh
# chassis_control for ipmi_sim: keeps power and boot state in files next to it
dir=$(dirname "$0")
shift
op=$1; shift
case $op in
  get) while [ -n "$1" ]; do
         case $1 in
           power) v=$(cat "$dir/power" 2>/dev/null || echo 0);;
           boot) v=$(cat "$dir/boot" 2>/dev/null || echo default);;
           *) echo "Invalid parameter: $1"; exit 1;;
         esac
         echo "$1:$v"; shift
       done;;
  set) while [ -n "$1" ]; do
         p=$1; v=$2; shift 2
         case $p in
           power) echo "$v" > "$dir/power";;
           reset) echo "$v" >> "$dir/resets";;
           boot) echo "$v" > "$dir/boot";;
           identify) shift;;
           *) echo "Invalid parameter: $p"; exit 1;;
         esac
       done;;
  *) exit 1;;
esac
"""

IPMI_GUID = "61120bdcc43211edb674ef2f47d8b462"


@pytest.fixture(scope="module")
def ipmi_sim(tmp_path_factory):
    if shutil.which("ipmi_sim") is None:
        pytest.skip("ipmi_sim (openipmi) is not installed")
    work = tmp_path_factory.mktemp("ipmisim")
    port = free_port(ADDR["ipmi"], socket.SOCK_DGRAM)
    script = work / "chassis.sh"
    script.write_text(CHASSIS_SCRIPT)
    script.chmod(0o755)
    (work / "state").mkdir()
    (work / "lan.conf").write_text(f"""name "odctest"
set_working_mc 0x20
  startlan 1
    addr {ADDR['ipmi']} {port}
    priv_limit admin
    allowed_auths_callback none md2 md5 straight
    allowed_auths_user none md2 md5 straight
    allowed_auths_operator none md2 md5 straight
    allowed_auths_admin none md2 md5 straight
    guid {IPMI_GUID}
  endlan
  chassis_control "{script} 0x20"
  user 1 true  ""      "test"     user     10 none md2 md5 straight
  user 2 true  "admin" "ipmi-Pass-1" admin 10 none md2 md5 straight
""")
    (work / "bmc.emu").write_text("mc_setbmc 0x20\n"
                                  "mc_add 0x20 0 no-device-sdrs 0x23 9 8 0x9f 0x1291 0xf02 persist_sdr\n"
                                  "sel_enable 0x20 1000 0x0a\nmc_enable 0x20\n")
    process = subprocess.Popen(["ipmi_sim", "-c", str(work / "lan.conf"), "-f", str(work / "bmc.emu"),
                                "-s", str(work / "state"), "-n"],
                               stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    time.sleep(0.5)
    if process.poll() is not None:
        pytest.fail("ipmi_sim did not start")
    try:
        yield {"address": ADDR["ipmi"], "port": port, "username": "admin", "password": "ipmi-Pass-1",
               "dir": str(work)}
    finally:
        stop(process)


# -- image server for virtual media -------------------------------------------------
@pytest.fixture(scope="module")
def image_server(tmp_path_factory):
    root = tmp_path_factory.mktemp("images")
    (root / "boot.iso").write_bytes(b"\0" * 4096)
    (root / "other.iso").write_bytes(b"\1" * 4096)
    handler = partial(SimpleHTTPRequestHandler, directory=str(root))
    handler.log_message = lambda *args: None
    server = ThreadingHTTPServer((ADDR["files"], 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://{ADDR['files']}:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


# -- run modules the way Ansible does ---------------------------------------------------
@pytest.fixture()
def run_playbook(tmp_path):
    """run_playbook(module, args, check=False, diff=False) -> the task result dict."""
    def run(module, args, check=False, diff=False):
        playbook = tmp_path / "play.yml"
        task = {"name": "under test", module: args, "register": "out", "ignore_errors": True}
        playbook.write_text(json.dumps([{"hosts": "localhost", "gather_facts": False, "tasks": [task]}]))
        env = dict(os.environ, ANSIBLE_COLLECTIONS_PATH=COLLECTIONS, ANSIBLE_STDOUT_CALLBACK="json",
                   ANSIBLE_LOCALHOST_WARNING="False", ANSIBLE_INVENTORY_UNPARSED_WARNING="False",
                   ANSIBLE_PYTHON_INTERPRETER=sys.executable, ANSIBLE_NOCOLOR="1",
                   PATH=VENV_BIN + os.pathsep + os.environ.get("PATH", ""))
        command = [os.path.join(VENV_BIN, "ansible-playbook"), "-i", "localhost,", "-c", "local", str(playbook)]
        if check:
            command.append("--check")
        if diff:
            command.append("--diff")
        done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=120, check=False)
        try:
            report = json.loads(done.stdout)
        except ValueError:
            raise AssertionError(f"ansible-playbook output is not JSON:\n{done.stdout}\n{done.stderr}")
        result = report["plays"][0]["tasks"][0]["hosts"]["localhost"]
        result["_stdout"] = done.stdout
        return result
    return run
