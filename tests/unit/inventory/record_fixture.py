# -*- coding: utf-8 -*-
# Copyright: odc.buildout developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Record fixtures/graphql_raw.json: what ``_graphql.fetch`` returns from the lab NetBox.

Two reads, merged: the demo site ``odc-rsw1`` (devices, cables, BMCs, tags,
clusters; IPs nested per interface) and 12 VMs of the benchmark site
(``bench-site``, status staged; tests/bench/scale_fixture.py). Objects other
tests may leave in the demo site (names outside the demo's naming, duplicate
names) are dropped, so the fixture only holds the documented demo.

    .venv/bin/python tests/unit/inventory/record_fixture.py   # needs the lab NetBox
"""

import json
import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", "..", ".."))
sys.path.insert(0, os.path.join(ROOT, ".cache", "collections"))

from ansible_collections.odc.buildout.plugins.module_utils._netbox_client import NetBoxClient  # noqa: E402
from ansible_collections.odc.buildout.plugins.plugin_utils._netbox import _graphql  # noqa: E402

DEMO_NAME = re.compile(r"^(spine\d\d|r\d\d-(leaf|oob|srv)\d\d|r\d\d-pdu-[ab])$")
VMS = 12


def token():
    if os.environ.get("NETBOX_TOKEN"):
        return os.environ["NETBOX_TOKEN"].strip()
    with open(os.path.join(os.environ.get("ODC_LAB_HOME", "/var/lib/odc-lab"), "netbox-token")) as handle:
        return handle.read().strip()


def main():
    url = os.environ.get("NETBOX_API", "http://127.0.0.1:8001")
    tok = token()

    def factory():
        return NetBoxClient(url, tok)

    demo, _fetcher = _graphql.fetch(factory, {"site": ["odc-rsw1"], "ip_scope": "scoped", "virtual_machines": False})
    bench, _fetcher = _graphql.fetch(factory, {"site": ["bench-site"], "status": ["staged"], "ip_scope": "scoped",
                                               "devices": False})
    keep, seen = set(), set()
    for dev in sorted(demo["devices"], key=lambda d: int(d["id"])):
        if dev.get("name") and DEMO_NAME.match(dev["name"]) and dev["name"] not in seen:
            seen.add(dev["name"])
            keep.add(dev["id"])
    demo["devices"] = [d for d in demo["devices"] if d["id"] in keep]
    demo["interfaces"] = [i for i in demo["interfaces"] if i["device"]["id"] in keep]
    iface_ids = {i["id"] for i in demo["interfaces"]}
    demo["interface_ips"] = [i for i in demo["interface_ips"] if i["id"] in iface_ids]
    demo["tagged_vlans"] = [i for i in demo["tagged_vlans"] if i["id"] in iface_ids]
    for key in list(demo):
        if key.startswith("tag:d:"):
            demo[key] = [r for r in demo[key] if r["id"] in keep]
    vms = sorted(bench["virtual_machines"], key=lambda v: int(v["id"]))[:VMS]
    vm_ids = {v["id"] for v in vms}
    demo["virtual_machines"] = vms
    demo["vm_interfaces"] = [i for i in bench["vm_interfaces"] if i["virtual_machine"]["id"] in vm_ids]
    vmif_ids = {i["id"] for i in demo["vm_interfaces"]}
    demo["vm_interface_ips"] = [i for i in bench["vm_interface_ips"] if i["id"] in vmif_ids]
    demo["vm_tagged_vlans"] = [i for i in bench["vm_tagged_vlans"] if i["id"] in vmif_ids]
    for key in bench:
        if key.startswith("tag:v:"):
            demo[key] = [r for r in bench[key] if r["id"] in vm_ids]
    # both reads were pinned to one site (no site { slug } per row): make it explicit per row
    for dev in demo["devices"]:
        dev.setdefault("site", {"slug": "odc-rsw1"})
    for vm in vms:
        vm.setdefault("site", {"slug": "bench-site"})
    demo["_pinned"] = {}
    out = os.path.join(HERE, "fixtures", "graphql_raw.json")
    with open(out, "w") as handle:
        json.dump(demo, handle, indent=1, sort_keys=True)
        handle.write("\n")
    print("wrote %s: %d devices, %d VMs" % (out, len(demo["devices"]), len(vms)))


if __name__ == "__main__":
    main()
