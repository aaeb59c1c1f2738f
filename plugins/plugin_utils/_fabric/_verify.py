# -*- coding: utf-8 -*-
# Copyright: odc.buildout developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Verify the fabric from OPERATIONAL state (vtysh JSON, pings), not from config.

* bgp: every planned session (interface, peer ASN) Established for ipv4 unicast and l2vpn evpn
* evpn: on every leaf, every VNI of the plan is known to zebra with all other leaves as
  remote VTEPs (learnt from EVPN type-3 routes), and BGP holds type-3 routes from each of them
* reachability: servers in different racks in the same VLAN ping each other (bridged over
  VXLAN); servers in different L3 VLANs ping each other through the anycast gateway; then
  the servers' NetBox MACs show up as EVPN type-2 routes on the remote racks' leaves
"""

from __future__ import annotations

import ipaddress
import time

from ansible_collections.odc.buildout.plugins.plugin_utils._fabric import _frr, _lab

CHECKS = ("bgp", "evpn", "reachability")


def _poll(fn, timeout, interval=0.5):
    deadline = time.monotonic() + timeout
    while True:
        failures = fn()
        if not failures or time.monotonic() >= deadline:
            return failures
        time.sleep(interval)


class Verifier:
    def __init__(self, result, lab):
        self.result = result
        self.lab = lab
        self.switches = {n: s for n, s in result["switches"].items()
                         if s["metadata"]["role"] in ("spine", "leaf") and lab.vty(n)}
        self.leaves = {n: s for n, s in self.switches.items() if s["metadata"]["role"] == "leaf"}

    # -- BGP -------------------------------------------------------------------
    def bgp_failures(self):
        out = []
        for name, sw in self.switches.items():
            try:
                summary = _frr.vtysh(self.lab.vty(name), "show bgp summary json", as_json=True)
            except Exception as exc:          # noqa: BLE001 - reported as a failed check
                out.append("%s: %s" % (name, exc))
                continue
            for nbr in sw["router_bgp"]["neighbors"]:
                for af, key in (("ipv4_unicast", "ipv4Unicast"), ("l2vpn_evpn", "l2VpnEvpn")):
                    if af not in nbr["address_families"]:
                        continue
                    peer = ((summary.get(key) or {}).get("peers") or {}).get(nbr["interface"])
                    if not peer:
                        out.append("%s %s (%s): no %s session" % (name, nbr["interface"], nbr["peer_device"], af))
                    elif peer.get("state") != "Established":
                        out.append("%s %s (%s): %s %s" % (name, nbr["interface"], nbr["peer_device"], af,
                                                          peer.get("state")))
                    elif peer.get("remoteAs") != nbr["remote_as"]:
                        out.append("%s %s: peer AS %s, NetBox says %s (%s)" % (name, nbr["interface"],
                                                                               peer.get("remoteAs"), nbr["remote_as"],
                                                                               nbr["peer_device"]))
        return out

    def sessions(self):
        return sum(len(sw["router_bgp"]["neighbors"]) for sw in self.switches.values())

    # -- EVPN ------------------------------------------------------------------
    def evpn_failures(self):
        out = []
        vteps = {n: s["vtep"]["source_address"] for n, s in self.leaves.items()}
        for name, leaf in self.leaves.items():
            want_remote = sorted(v for n, v in vteps.items() if n != name)
            try:
                vnis = _frr.vtysh(self.lab.vty(name), "show evpn vni detail json", as_json=True)
                type3 = _frr.vtysh(self.lab.vty(name), "show bgp l2vpn evpn route type multicast json", as_json=True)
            except Exception as exc:          # noqa: BLE001
                out.append("%s: %s" % (name, exc))
                continue
            by_vni = _vni_index(vnis)
            origins = _type3_origins(type3)
            for vlan in leaf["vlans"]:
                if not vlan["vni"]:
                    continue
                info = by_vni.get(vlan["vni"])
                if info is None:
                    out.append("%s VNI %s (VLAN %s): unknown to zebra" % (name, vlan["vni"], vlan["vid"]))
                    continue
                remote = sorted(_remote_vteps(info))
                missing = [v for v in want_remote if v not in remote]
                if missing:
                    out.append("%s VNI %s: remote VTEPs missing %s (have %s)"
                               % (name, vlan["vni"], ", ".join(missing), ", ".join(remote) or "none"))
            missing = [v for v in want_remote if v not in origins]
            if missing:
                out.append("%s: no EVPN type-3 routes from %s" % (name, ", ".join(missing)))
        return out

    # -- reachability ------------------------------------------------------------
    def lab_servers(self):
        have = _lab.namespaces()
        out = {}
        for name, srv in self.result["servers"].items():
            lab = srv["lab"]
            if lab["address"] and name in have and lab["leaf"] in self.leaves:
                out[name] = {"name": name, "rack": srv["metadata"]["rack"], "vlan": lab["vlan"],
                             "ip": lab["address"].split("/")[0], "gateway": lab["gateway"], "leaf": lab["leaf"],
                             "mac": next((e["mac"] for e in srv["ethernets"] if e["name"] == lab["uplink"]), None)}
        return out

    def pairs(self, servers):
        """Deterministic pairs: same VLAN across racks; different L3 VLANs (across racks if possible)."""
        by_vlan = {}
        for srv in sorted(servers.values(), key=lambda s: s["name"]):
            by_vlan.setdefault(srv["vlan"], []).append(srv)
        out = []
        for _vid, members in sorted(by_vlan.items()):
            first = members[0]
            for rack in sorted({m["rack"] for m in members} - {first["rack"]}):
                other = next(m for m in members if m["rack"] == rack)
                out.append(("same-vlan", first, other))
        l3 = [vid for vid in sorted(by_vlan) if by_vlan[vid][0]["gateway"]]
        for i, va in enumerate(l3):
            for vb in l3[i + 1:]:
                a = by_vlan[va][0]
                b = next((m for m in by_vlan[vb] if m["rack"] != a["rack"]), by_vlan[vb][0])
                out.append(("routed", a, b))
        return out

    def reachability(self, timeout):
        servers = self.lab_servers()
        pairs = self.pairs(servers)
        involved = {s["name"]: s for _k, a, b in pairs for s in (a, b)}
        for srv in involved.values():     # servers announce themselves (ARP to the gateway / a ping)
            if srv["gateway"]:
                _lab.ping(srv["name"], srv["gateway"], wait=0.5)
        results, failures = [], []
        for kind, a, b in pairs:
            ok, attempts, started = False, 0, time.monotonic()
            while not ok and time.monotonic() - started < timeout:
                attempts += 1
                ok = _lab.ping(a["name"], b["ip"], wait=1.0)
                if not ok:
                    time.sleep(0.2)
            results.append({"kind": kind, "from": a["name"], "to": b["name"], "from_ip": a["ip"], "to_ip": b["ip"],
                            "vlans": [a["vlan"], b["vlan"]], "racks": [a["rack"], b["rack"]], "ok": ok,
                            "attempts": attempts})
            if not ok:
                failures.append("%s: %s %s (VLAN %s, rack %s) -> %s %s (VLAN %s, rack %s): no reply"
                                % (kind, a["name"], a["ip"], a["vlan"], a["rack"], b["name"], b["ip"], b["vlan"],
                                   b["rack"]))
        failures += self.type2_failures(involved)
        return results, failures

    def type2_failures(self, involved):
        """Each pinged server's NetBox MAC is an EVPN type-2 route on the leaves of other racks."""
        out = []
        for name, leaf in self.leaves.items():
            try:
                routes = _frr.vtysh(self.lab.vty(name), "show bgp l2vpn evpn route type macip json", as_json=True)
            except Exception as exc:          # noqa: BLE001
                out.append("%s: %s" % (name, exc))
                continue
            macs = _type2_macs(routes)
            for srv in involved.values():
                if srv["mac"] and self.result["switches"][srv["leaf"]]["metadata"]["rack"] != leaf["metadata"]["rack"]:
                    if srv["mac"].lower() not in macs:
                        out.append("%s: no EVPN type-2 route for %s MAC %s" % (name, srv["name"], srv["mac"]))
        return out

    def run(self, checks=CHECKS, timeout=30.0):
        report = {"checks": {}, "failed": []}
        started = time.monotonic()
        if "bgp" in checks:
            failures = _poll(self.bgp_failures, timeout)
            report["checks"]["bgp"] = {"sessions": self.sessions(), "failures": failures,
                                       "seconds": round(time.monotonic() - started, 2)}
            report["failed"] += failures
        if "evpn" in checks:
            failures = _poll(self.evpn_failures, max(timeout - (time.monotonic() - started), 5))
            report["checks"]["evpn"] = {"leaves": len(self.leaves), "failures": failures,
                                        "seconds": round(time.monotonic() - started, 2)}
            report["failed"] += failures
        if "reachability" in checks:
            pings, failures = self.reachability(timeout=max(timeout / 2, 10))
            report["checks"]["reachability"] = {"pings": pings, "failures": failures,
                                                "seconds": round(time.monotonic() - started, 2)}
            report["failed"] += failures
        report["ok"] = not report["failed"]
        return report


def _vni_index(data):
    out = {}
    items = data.values() if isinstance(data, dict) else data
    for item in items:
        if isinstance(item, dict) and "vni" in item:
            out[int(item["vni"])] = item
    return out


def _remote_vteps(info):
    """FRR 8.4 'show evpn vni detail json' lists them under numRemoteVteps (strings); others use remoteVteps."""
    out = set()
    for key in ("remoteVteps", "numRemoteVteps"):
        value = info.get(key)
        if isinstance(value, list):
            for item in value:
                out.add(item.get("ip") if isinstance(item, dict) else item)
    out.discard(None)
    return out


def _walk_routes(data):
    """Yield (prefix text, path dict) from FRR's 'show bgp l2vpn evpn route ... json' (RD -> prefix -> paths)."""
    for rd_val in (data or {}).values():
        if not isinstance(rd_val, dict):
            continue
        for prefix, pval in rd_val.items():
            if not isinstance(pval, dict):
                continue
            for path in pval.get("paths") or []:
                for item in (path if isinstance(path, list) else [path]):
                    yield prefix, item


def _type3_origins(data):
    out = set()
    for prefix, path in _walk_routes(data):
        if path.get("ip"):
            out.add(path["ip"])
        elif "]:[" in prefix:
            candidate = prefix.strip("[]").split(":")[-1].split("]")[0]
            try:
                ipaddress.ip_address(candidate)
                out.add(candidate)
            except ValueError:
                pass
    return out


def _type2_macs(data):
    out = set()
    for _prefix, path in _walk_routes(data):
        if path.get("mac"):
            out.add(path["mac"].lower())
    return out


def verify(result, lab, checks=CHECKS, timeout=30.0):
    return Verifier(result, lab).run(checks=checks, timeout=timeout)
