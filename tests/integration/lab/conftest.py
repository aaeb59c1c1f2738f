# Copyright: odc.buildout developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Fixtures for the tests of the lab itself (lab/peers.py): the lab must be up.

Expectations come from NetBox directly (lab_support.read_netbox); what the lab
runs comes from $ODC_LAB_HOME/lab.json. The tests skip when NetBox is not
reachable (or without root) and fail when the lab is not up.
"""

import json
import os
import stat

import pytest
import yaml
from lab_support import LAB_HOME, LAB_JSON, read_netbox

_CACHE = {}


def pytest_configure(config):
    config.addinivalue_line("markers", "integration: needs real peers (lab emulators, namespaces, NetBox)")


def netbox_expectations():
    if "data" not in _CACHE:
        _CACHE["data"] = read_netbox()
    return _CACHE["data"]


def pytest_generate_tests(metafunc):
    """One test per NetBox BMC / switch / inter-switch cable (a skipped placeholder without NetBox)."""
    wanted = {"redfish_bmc", "ipmi_bmc", "switch", "cable"} & set(metafunc.fixturenames)
    if not wanted:
        return
    data, reason = netbox_expectations()
    for name in sorted(wanted):
        if data is None:
            values, ids = [pytest.param(None, marks=pytest.mark.skip(reason=reason))], ["netbox-unreachable"]
        elif name == "redfish_bmc":
            values = ids = sorted(n for n, b in data["bmcs"].items() if b["protocol"] == "redfish")
        elif name == "ipmi_bmc":
            values = ids = sorted(n for n, b in data["bmcs"].items() if b["protocol"] == "ipmi")
        elif name == "switch":
            values = ids = sorted(data["switches"])
        else:
            values = sorted(data["cables"], key=lambda c: c["id"])
            ids = [f"cable{c['id']}-{c['ends'][0][0]}-{c['ends'][1][0]}" for c in values]
        metafunc.parametrize(name, values, ids=ids)


@pytest.fixture(scope="session")
def netbox():
    data, reason = netbox_expectations()
    if data is None:
        pytest.skip(reason)
    return data


@pytest.fixture(scope="session")
def lab(netbox):
    if os.geteuid() != 0:
        pytest.skip(f"the lab tests need root (network namespaces, lab files under {LAB_HOME})")
    try:
        with open(LAB_JSON) as handle:
            data = json.load(handle)
    except (OSError, ValueError) as exc:
        pytest.fail(f"the lab is not up ({LAB_JSON}: {exc}): run .venv/bin/python lab/peers.py up")
    if data.get("status") != "up":
        pytest.fail(f"lab.json says the lab is {data.get('status')!r}: run .venv/bin/python lab/peers.py up")
    return data


@pytest.fixture(scope="session")
def credentials(lab):
    path = lab["credentials_file"]
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600, f"{path} must be 0600"
    with open(path) as handle:
        return yaml.safe_load(handle)


@pytest.fixture()
def factory(credentials):
    """factory(name) -> (username, password) the lab seeded that BMC with."""
    def get(name):
        entry = credentials["odc_bmc_factory_devices"][name]
        return entry["username"], entry["password"]
    return get
