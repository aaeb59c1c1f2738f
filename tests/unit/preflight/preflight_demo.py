# Copyright: odc.buildout developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The demo site as a mutable REST dump, with finders (shared by the preflight tests)."""

import json
import os

from ansible_collections.odc.buildout.plugins.plugin_utils._netbox._snapshot import Snapshot
from ansible_collections.odc.buildout.plugins.plugin_utils._preflight._run import preflight

FIXTURE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "fixtures", "demo_site.json")
SITE = "odc-rsw1"

SERVERS = [f"r0{r}-srv0{n}" for r in (1, 2) for n in range(1, 9)]
BMC_NAME = {1: "iDRAC", 2: "iDRAC", 3: "iDRAC", 4: "iDRAC", 5: "iLO", 6: "iLO", 7: "BMC", 8: "BMC"}
LEAVES = ["r01-leaf01", "r01-leaf02", "r02-leaf01", "r02-leaf02"]
SPINES = ["spine01", "spine02"]
CONTROL_PLANE = ["r01-srv01", "r01-srv02", "r02-srv01"]
WORKERS = ["r01-srv03", "r01-srv04", "r02-srv02", "r02-srv03", "r02-srv04"]
KVM = ["r01-srv05", "r02-srv05"]
SPARE = ["r01-srv06", "r01-srv07", "r01-srv08", "r02-srv06", "r02-srv07", "r02-srv08"]


_TEXT = []


def load_demo():
    """A fresh, mutable copy of the demo site dump (parsing is faster than deepcopy)."""
    if not _TEXT:
        with open(FIXTURE) as handle:
            _TEXT.append(handle.read())
    return json.loads(_TEXT[0])


def bmc_name(server):
    return BMC_NAME[int(server[-1])]


class DemoSite:
    """Finders return the REST dicts themselves: mutate them, then ``run()``."""

    def __init__(self, data):
        self.data = data

    # -- finders -------------------------------------------------------------
    def _one(self, kind, pred, what):
        found = [o for o in self.data[kind] if pred(o)]
        if len(found) != 1:
            raise KeyError(f"{kind}: {len(found)} matches for {what}")
        return found[0]

    def device(self, name):
        return self._one("devices", lambda d: d["name"] == name, name)

    def iface(self, device, name):
        return self._one("interfaces", lambda i: i["device"]["name"] == device and i["name"] == name,
                         f"{device} {name}")

    def bmc(self, server):
        return self.iface(server, bmc_name(server))

    def ip(self, address):
        return self._one("ip_addresses", lambda i: i["address"] == address, address)

    def ips_of(self, device, iface):
        target = self.iface(device, iface)["id"]
        return [i for i in self.data["ip_addresses"]
                if i.get("assigned_object_type") == "dcim.interface" and i.get("assigned_object_id") == target]

    def prefix(self, cidr):
        return self._one("prefixes", lambda p: p["prefix"] == cidr, cidr)

    def rack(self, name):
        return self._one("racks", lambda r: r["name"] == name, name)

    def feed(self, name):
        return self._one("power_feeds", lambda f: f["name"] == name, name)

    def cluster(self, name):
        return self._one("clusters", lambda c: c["name"] == name, name)

    def vlan(self, vid):
        return self._one("vlans", lambda v: v["vid"] == vid, vid)

    def context(self, name):
        return self._one("config_contexts", lambda c: c["name"] == name, name)

    def power_ports(self, device):
        return [p for p in self.data["power_ports"] if p["device"]["name"] == device]

    # -- mutations shared by tests -------------------------------------------
    def uncable(self, device, name):
        """Remove the cable of an interface (both ends)."""
        iface = self.iface(device, name)
        for peer in iface.get("link_peers") or []:
            far = self.iface(peer["device"]["name"], peer["name"])
            _clear_cable(far)
        _clear_cable(iface)

    def cable(self, a, b):
        """Cable two interfaces ((device, name) each), replacing what was there."""
        ia, ib = self.iface(*a), self.iface(*b)
        for iface, other in ((ia, ib), (ib, ia)):
            iface["cable"] = {"id": 990000 + ia["id"], "display": "#test"}
            nested = {"id": other["id"], "name": other["name"],
                      "device": {"id": other["device"]["id"], "name": other["device"]["name"]}}
            iface["link_peers"] = [nested]
            iface["link_peers_type"] = "dcim.interface"
            iface["connected_endpoints"] = [nested]
            iface["connected_endpoints_type"] = "dcim.interface"

    def set_cf(self, obj, **values):
        obj.setdefault("custom_fields", {}).update(values)

    def run(self, **kw):
        kw.setdefault("site", SITE)
        return preflight(Snapshot.from_dict(self.data), **kw)


def _clear_cable(iface):
    iface["cable"] = None
    iface["link_peers"] = []
    iface["link_peers_type"] = None
    iface["connected_endpoints"] = None
    iface["connected_endpoints_type"] = None


def choice(value_, label=None):
    return {"value": value_, "label": label or value_}


ROOT_DOC = os.path.abspath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", ".."))
