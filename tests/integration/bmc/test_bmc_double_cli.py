# -*- coding: utf-8 -*-
# Copyright: odc.buildout developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The double as a standalone process (how the lab and the benchmark start it),
its control endpoints over HTTP, and account lockout."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json
import os
import ssl
import subprocess
import sys
import urllib.error
import urllib.request

import pytest
from bmc_peers import DOUBLES, free_port, stop

from ansible_collections.odc.buildout.plugins.module_utils._redfish._bmc import Bmc

pytestmark = pytest.mark.integration

ADDRESS = "127.0.2.16"


@pytest.fixture()
def process_double(certs):
    port = free_port(ADDRESS)
    process = subprocess.Popen(
        [sys.executable, os.path.join(DOUBLES, "redfish_double.py"), "--address", ADDRESS, "--port", str(port),
         "--cert", certs["cert"], "--key", certs["key"], "--vendor", "dell", "--serial", "CLI-SERIAL-1",
         "--uuid", "4C4C4544-0047-3510-8052-C4C04F335A32", "--password", "cli-Pass-1",
         "--faults", json.dumps({"latency": 0.01})],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    line = process.stdout.readline()
    assert line.startswith("READY https://"), process.stderr.read()
    yield {"port": port, "url": line.split()[1]}
    stop(process)


def call(url, ca, method="GET", body=None, headers=None):
    context = ssl.create_default_context(cafile=ca)
    data = None if body is None else json.dumps(body).encode()
    all_headers = dict(headers or {}, **{"Content-Type": "application/json"})
    request = urllib.request.Request(url, data=data, method=method, headers=all_headers)
    try:
        with urllib.request.urlopen(request, context=context, timeout=5) as answer:
            return answer.status, json.loads(answer.read() or b"{}")
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read() or b"{}")


def test_standalone_process_with_control_endpoints(process_double, certs, state_dir):
    url, ca = process_double["url"], certs["ca"]
    assert call(url + "/redfish/v1/", ca)[1]["Vendor"] == "Dell"
    params = {"address": ADDRESS, "port": process_double["port"], "username": "admin", "password": "cli-Pass-1",
              "ca_path": ca, "state_dir": state_dir}
    with Bmc.from_params(params) as bmc:
        assert bmc.system.identity(with_macs=False)["serial"] == "CLI-SERIAL-1"
        assert bmc.system.uri == "/redfish/v1/Systems/System.Embedded.1"
    log = call(url + "/_control/requests", ca)[1]["requests"]
    assert [(e["method"], e["status"]) for e in log if "Sessions" in e["path"]] == [("POST", 201), ("DELETE", 204)]
    status, faults = call(url + "/_control/faults", ca, "POST", {"task_fails": 2})
    assert status == 200 and faults["task_fails"] == 2 and faults["latency"] == 0.01
    state = call(url + "/_control/state", ca, "POST", {"serial": "SWAPPED"})[1]
    assert state["serial"] == "SWAPPED" and state["sessions"] == 0
    assert call(url + "/_control/requests", ca, "DELETE")[1] == {"requests": []}


def test_account_lockout_after_threshold(make_double, params_for, certs):
    double = make_double("generic")
    with Bmc.from_params(params_for(double)) as bmc:
        bmc.settings.ensure(lockout={"threshold": 2, "duration": 60})
    sessions = double.url + "/redfish/v1/SessionService/Sessions"
    for password in ("bad-1", "bad-2", "password"):
        status = call(sessions, certs["ca"], "POST", {"UserName": "admin", "Password": password})[0]
    assert status == 401  # locked: even the right password is refused now
    assert double.summary()["policy"]["AccountLockoutThreshold"] == 2
