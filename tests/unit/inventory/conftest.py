# -*- coding: utf-8 -*-
# Copyright: odc.buildout developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Fixtures for the inventory unit tests.

``fixtures/graphql_raw.json`` is what ``_graphql.fetch`` returned from the lab
NetBox (demo site + 12 benchmark VMs), recorded by ``record_fixture.py``.
"""

import copy
import json
import os

import pytest

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", "..", ".."))
COLLECTIONS = os.path.join(ROOT, ".cache", "collections")
FIXTURE = os.path.join(HERE, "fixtures", "graphql_raw.json")
# tests/conftest.py links the collection and puts COLLECTIONS on sys.path


@pytest.fixture(scope="session")
def raw_recorded():
    with open(FIXTURE) as handle:
        return json.load(handle)


@pytest.fixture
def raw(raw_recorded):
    """A mutable copy of the recorded GraphQL read."""
    return copy.deepcopy(raw_recorded)


@pytest.fixture
def hosts(raw):
    """``{name: [odc, ansible_host, groups]}`` built from the recorded read."""
    from ansible_collections.odc.buildout.plugins.plugin_utils._netbox import _hostvars

    data = _hostvars.build(raw)
    return {name: (odc, address, groups) for name, odc, address, groups in data["hosts"]}
