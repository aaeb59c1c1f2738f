# -*- coding: utf-8 -*-
# Copyright: odc.buildout developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Benchmark control: the same hosts with only ``ansible_host``, from a local file.

Not part of the collection. ``tests/bench/bench_inventory.py`` writes
``hosts.benchhosts`` (JSON: ``[[name, address], ...]``, what the raw GraphQL
floor read) and times ``ansible-inventory --list`` on it. No NetBox, no
request: what is left is Ansible's own cost of adding, collecting and printing
that many hosts, which no inventory plugin can go below.
"""

from __future__ import annotations

import json

from ansible.plugins.inventory import BaseInventoryPlugin


class InventoryModule(BaseInventoryPlugin):
    NAME = "odc_bench_hosts"

    def verify_file(self, path):
        return path.endswith(".benchhosts")

    def parse(self, inventory, loader, path, cache=True):
        super().parse(inventory, loader, path)
        with open(path) as handle:
            rows = json.load(handle)
        for name, address in rows:
            self.inventory.add_host(name)
            if address:
                self.inventory.set_variable(name, "ansible_host", address)
