# -*- coding: utf-8 -*-
# Copyright: odc.buildout developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Golden files: every output format for the demo site, a single rack and four leaf pairs.

Regenerate after an intended change with ``UPDATE_GOLDEN=1 pytest tests/unit/fabric`` and
review the diff like code.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import os

import pytest
from fabric_testlib import GOLDEN, TOPOLOGIES

from ansible_collections.odc.buildout.plugins.plugin_utils._fabric._build import build_fabric
from ansible_collections.odc.buildout.plugins.plugin_utils._fabric._render import render_all
from ansible_collections.odc.buildout.plugins.plugin_utils._netbox._snapshot import Snapshot

FORMAT_DIRS = {"frr", "lab", "sonic", "nmstate", "dhcp", "docs", "structured"}


def _golden_files(root):
    out = {}
    for dirpath, _dirs, names in os.walk(root):
        for name in names:
            path = os.path.join(dirpath, name)
            with open(path) as handle:
                out[os.path.relpath(path, root)] = handle.read()
    return out


@pytest.mark.parametrize("topology", sorted(TOPOLOGIES))
def test_golden(topology):
    files = render_all(build_fabric(Snapshot.from_dict(TOPOLOGIES[topology]())))
    assert {rel.split("/")[0] for rel in files} == FORMAT_DIRS
    root = os.path.join(GOLDEN, topology)
    if os.environ.get("UPDATE_GOLDEN"):
        for rel, text in files.items():
            path = os.path.join(root, rel)
            os.makedirs(os.path.dirname(path), exist_ok=True)
            with open(path, "w") as handle:
                handle.write(text)
        for rel in set(_golden_files(root)) - set(files):
            os.remove(os.path.join(root, rel))
    golden = _golden_files(root)
    assert sorted(files) == sorted(golden), "file set differs from golden/%s" % topology
    for rel in sorted(files):
        assert files[rel] == golden[rel], "%s/%s differs from its golden file" % (topology, rel)


def test_rendering_is_deterministic():
    first = render_all(build_fabric(Snapshot.from_dict(TOPOLOGIES["four-pairs"]())))
    second = render_all(build_fabric(Snapshot.from_dict(TOPOLOGIES["four-pairs"]())))
    assert first == second
