# -*- coding: utf-8 -*-
# Copyright: odc.buildout developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Fixtures for the fabric integration tests: the namespace lab of lab/peers.py (real FRR)."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json
import os
import sys

import pytest
from lab_access import lab_token

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", "..", ".."))
UNIT = os.path.join(ROOT, "tests", "unit", "fabric")
LAB_FILE = os.environ.get("ODC_LAB_FILE", "/var/lib/odc-lab/lab.json")
if UNIT not in sys.path:
    sys.path.insert(0, UNIT)

import fabric_testlib  # noqa: E402  (links the collection under .cache/collections)

COLLECTIONS = fabric_testlib.COLLECTIONS


def pytest_configure(config):
    config.addinivalue_line("markers", "integration: needs the namespace lab (lab/peers.py up) with real FRR")


@pytest.fixture(scope="session")
def lab():
    if os.geteuid() != 0:
        pytest.skip("the namespace lab needs root")
    if not os.path.exists(LAB_FILE):
        pytest.skip("no lab at %s (run lab/peers.py up)" % LAB_FILE)
    with open(LAB_FILE) as handle:
        data = json.load(handle)
    if data.get("status") != "up" or data.get("site") != "odc-rsw1":
        pytest.skip("lab at %s is %s for site %s" % (LAB_FILE, data.get("status"), data.get("site")))
    have = set(os.listdir("/run/netns")) if os.path.isdir("/run/netns") else set()
    missing = sorted(set(data.get("namespaces", {})) - have)
    if missing:
        pytest.skip("lab namespaces missing: %s" % ", ".join(missing))
    return data


@pytest.fixture(scope="session")
def netbox_env():
    """NETBOX_API/NETBOX_TOKEN for the real lab NetBox (the token is read, never printed)."""
    return {"NETBOX_API": "http://127.0.0.1:8001", "NETBOX_TOKEN": lab_token()}
