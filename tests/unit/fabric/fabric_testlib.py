# -*- coding: utf-8 -*-
# Copyright: odc.buildout developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Shared helpers of the fabric tests (unit, integration, bench): collection link, demo snapshot,
generated topologies, snapshot edits."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import copy
import json
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", "..", ".."))
COLLECTIONS = os.path.join(ROOT, ".cache", "collections")
DEMO = os.path.join(HERE, "fixtures", "demo_snapshot.json")
GOLDEN = os.path.join(HERE, "golden")

for path in (COLLECTIONS, HERE):
    if path not in sys.path:
        sys.path.insert(0, path)


def _ensure_collection_link():
    link = os.path.join(COLLECTIONS, "ansible_collections", "odc", "buildout")
    if not os.path.exists(link):
        os.makedirs(os.path.dirname(link), exist_ok=True)
        os.symlink(ROOT, link)


_ensure_collection_link()

import topology_gen  # noqa: E402

_DEMO = []


def demo_data():
    if not _DEMO:
        with open(DEMO) as handle:
            _DEMO.append(json.load(handle))
    return copy.deepcopy(_DEMO[0])


TOPOLOGIES = {
    "demo": demo_data,
    "single-rack": topology_gen.single_rack,
    "four-pairs": topology_gen.four_pairs,
}


class Edit:
    """Helpers to mutate a snapshot dict like an engineer would in NetBox."""

    def __init__(self, data):
        self.data = data

    def device(self, name):
        return next(d for d in self.data["devices"] if d["name"] == name)

    def iface(self, device, name):
        return next(i for i in self.data["interfaces"] if i["device"]["name"] == device and i["name"] == name)

    def recable(self, a_dev, a_if, b_dev, b_if):
        """Move the cable at a_dev a_if so that it ends at b_dev b_if (both ends updated)."""
        a, b = self.iface(a_dev, a_if), self.iface(b_dev, b_if)
        for old in a["link_peers"]:
            self.iface(old["device"]["name"], old["name"]).update(link_peers=[], link_peers_type=None, cable=None)
        for old in b["link_peers"]:
            self.iface(old["device"]["name"], old["name"]).update(link_peers=[], link_peers_type=None, cable=None)
        a.update(link_peers=[{"id": b["id"], "name": b["name"], "device": dict(b["device"])}],
                 link_peers_type="dcim.interface")
        b.update(link_peers=[{"id": a["id"], "name": a["name"], "device": dict(a["device"])}],
                 link_peers_type="dcim.interface")

    def uncable(self, device, name):
        iface = self.iface(device, name)
        for old in iface["link_peers"]:
            self.iface(old["device"]["name"], old["name"]).update(link_peers=[], link_peers_type=None, cable=None)
        iface.update(link_peers=[], link_peers_type=None, cable=None)
