# -*- coding: utf-8 -*-
# Copyright: odc.buildout developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Unit-test fixtures (helpers live in bmc_fakes.py)."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import os
import sys

import pytest

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", "..", ".."))
COLLECTIONS = os.path.join(ROOT, ".cache", "collections")
if COLLECTIONS not in sys.path:
    sys.path.insert(0, COLLECTIONS)
_LINK = os.path.join(COLLECTIONS, "ansible_collections", "odc", "buildout")
if not os.path.exists(_LINK):
    os.makedirs(os.path.dirname(_LINK), exist_ok=True)
    os.symlink(ROOT, _LINK)

from bmc_fakes import FakeClock, FakeTransport  # noqa: E402

from ansible_collections.odc.buildout.plugins.module_utils._redfish import _guards  # noqa: E402


@pytest.fixture()
def clock():
    return FakeClock()


@pytest.fixture()
def make_client(tmp_path, clock):
    from ansible_collections.odc.buildout.plugins.module_utils._redfish._client import RedfishClient

    def make(script, **options):
        transport = FakeTransport(script)
        settings = {"address": "10.0.0.9", "username": "admin", "password": "S3cret!", "transport": transport,
                    "state_dir": str(tmp_path / "state"), "clock": clock.clock, "sleep": clock.sleep,
                    "rng": lambda: 0.5, "retry_budget": 30, "task_poll_interval": 1.0}
        settings.update(options)
        return RedfishClient(**settings), transport
    return make


@pytest.fixture(autouse=True)
def _fresh_login_guard():
    _guards.forget_failures()
    yield
    _guards.forget_failures()
