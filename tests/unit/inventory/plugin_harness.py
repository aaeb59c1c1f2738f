# -*- coding: utf-8 -*-
# Copyright: odc.buildout developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Run the inventory plugin through Ansible's plugin loader on the recorded read.

    python plugin_harness.py INVENTORY_FILE

Runs in its own process (Ansible's collection loader must own the
``ansible_collections`` package). NetBox is replaced by the recorded GraphQL
read: ``_graphql.fetch`` returns it, ``check_version`` answers 4.7.3. Prints
one JSON object: groups, host vars, how often NetBox was read, the auth scheme
the client would send, or the error the plugin raised.
"""

import copy
import json
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
COLLECTIONS = os.path.abspath(os.path.join(HERE, "..", "..", "..", ".cache", "collections"))


def main(path):
    from ansible.inventory.data import InventoryData
    from ansible.parsing.dataloader import DataLoader
    from ansible.plugins.loader import init_plugin_loader, inventory_loader

    init_plugin_loader([COLLECTIONS])
    from ansible_collections.odc.buildout.plugins.module_utils import _netbox_client
    from ansible_collections.odc.buildout.plugins.plugin_utils._netbox import _graphql

    with open(os.path.join(HERE, "fixtures", "graphql_raw.json")) as handle:
        recorded = json.load(handle)
    seen = {"fetches": 0, "options": None, "auth": None}

    class Fetcher:
        requests = 1
        seconds = 0.0

    def fake_fetch(factory, options):
        seen["fetches"] += 1
        seen["options"] = options
        client = factory()
        seen["auth"] = client._auth.split(" ")[0]
        seen["url"] = client.url
        return copy.deepcopy(recorded), Fetcher()

    _graphql.fetch = fake_fetch
    _netbox_client.NetBoxClient.check_version = lambda self, minimum=None: "4.7.3"
    plugin = inventory_loader.get("odc.buildout.netbox")
    inventory = InventoryData()
    if not plugin.verify_file(path):
        print(json.dumps({"error": "verify_file declined %s" % path, "type": "declined"}))
        return
    try:
        plugin.parse(inventory, DataLoader(), path, cache=os.environ.get("HARNESS_FLUSH") != "1")
        try:
            plugin.update_cache_if_changed()
        except AttributeError:  # no cache configured: InventoryManager ignores this too
            pass
    except Exception as exc:  # the plugin's error is the result
        print(json.dumps({"error": str(exc), "type": type(exc).__name__}))
        return
    groups = {name: sorted(h.name for h in group.get_hosts()) for name, group in inventory.groups.items()}
    hostvars = {name: host.vars for name, host in inventory.hosts.items()}
    print(json.dumps({"groups": groups, "hostvars": hostvars, "fetches": seen["fetches"],
                      "options": seen["options"], "auth": seen["auth"],
                      "url": seen.get("url")}, sort_keys=True, default=str))


if __name__ == "__main__":
    main(sys.argv[1])
