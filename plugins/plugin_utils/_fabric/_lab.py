# -*- coding: utf-8 -*-
# Copyright: odc.buildout developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The namespace lab: switch namespaces come from lab/peers.py (lab.json);
server namespaces and their cables to the leaves are created here.

A server namespace is named after the NetBox server; each uplink cable is a
veth pair: the server's NIC (NetBox name and MAC) <-> the leaf port (NetBox
name) in the leaf's namespace.  Only the lab uplink carries an address; the
others stay down (no bonding in this kernel).
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess

from ansible_collections.odc.buildout.plugins.module_utils._errors import ConfigError, ConnectionFailure

DEFAULT_LAB_FILE = "/var/lib/odc-lab/lab.json"


def run(cmd, check=True, timeout=30, env=None):
    try:
        done = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, check=False, env=env)
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise ConnectionFailure("%s failed: %s" % (" ".join(cmd), exc)) from exc
    if check and done.returncode != 0:
        raise ConnectionFailure("%s failed (%d): %s" % (" ".join(cmd), done.returncode,
                                                        (done.stderr or done.stdout).strip()[-600:]))
    return done


class Lab:
    """lab.json as written by lab/peers.py."""

    def __init__(self, data, path=DEFAULT_LAB_FILE):
        self.data = data
        self.path = path
        self.namespaces = data.get("namespaces") or {}

    @classmethod
    def load(cls, path=DEFAULT_LAB_FILE):
        if not os.path.exists(path):
            raise ConfigError("No lab description at %s: bring the lab up first (lab/peers.py up)." % path)
        with open(path) as handle:
            return cls(json.load(handle), path)

    def switch(self, name):
        return self.namespaces.get(name)

    def vty(self, name):
        entry = self.namespaces.get(name) or {}
        return entry.get("vty_socket") or entry.get("frr_dir")

    def check_site(self, site):
        if self.data.get("site") and self.data["site"] != site:
            raise ConfigError("The lab at %s was built for site %s, not %s." % (self.path, self.data["site"], site))


def namespaces():
    try:
        return set(os.listdir("/run/netns"))
    except FileNotFoundError:
        return set()


def links(ns):
    done = run(["ip", "-n", ns, "-j", "-d", "link", "show"], check=False)
    if done.returncode != 0 or not done.stdout.strip():
        return {}
    return {item["ifname"]: item for item in json.loads(done.stdout)}


def _tmpname(*parts):
    return "odc" + hashlib.sha1("|".join(parts).encode()).hexdigest()[:10]


class ServerPlan:
    """Plan (and apply) one server's namespace, cables and lab address."""

    def __init__(self, name, lab_data, structured_ethernets):
        self.name = name
        self.lab = lab_data
        self.macs = {e["name"]: e["mac"] for e in structured_ethernets}
        self.changes = []

    def plan(self, have_ns, leaf_links_by_ns):
        self.changes = []
        mine = links(self.name) if self.name in have_ns else {}
        if self.name not in have_ns:
            self.changes.append(("netns", "%s create namespace" % self.name))
        for cable in self.lab["cables"]:
            leaf_links = leaf_links_by_ns.get(cable["leaf"], {})
            a, b = mine.get(cable["interface"]), leaf_links.get(cable["leaf_port"])
            if not (a and b and _peers(a, b)):
                ends = (self.name, cable["interface"], cable["leaf"], cable["leaf_port"])
                text = "%s %s <-> %s %s create veth" % ends
                self.changes.append(("cable", text))
                continue
            mac = self.macs.get(cable["interface"])
            if mac and a.get("address") != mac:
                self.changes.append(("mac", "%s %s mac %s" % (self.name, cable["interface"], mac)))
        self._plan_addressing(mine)
        return self.changes

    def _plan_addressing(self, mine):
        lab = self.lab
        up = mine.get(lab["uplink"]) or {}
        if "UP" not in up.get("flags", []) or up.get("mtu") != lab["mtu"]:
            self.changes.append(("link", "%s %s up mtu %s" % (self.name, lab["uplink"], lab["mtu"])))
        for other in lab["standby"]:
            if "UP" in (mine.get(other) or {}).get("flags", ["UP"]):
                self.changes.append(("link", "%s %s down (standby: no bonding in the lab)" % (self.name, other)))
        if lab["address"]:
            have = _addresses(self.name) if mine else set()
            if lab["address"] not in have or len(have) != 1:
                self.changes.append(("address", "%s %s address %s" % (self.name, lab["uplink"], lab["address"])))
            if lab["gateway"] and (not mine or _default_via(self.name) != lab["gateway"]):
                self.changes.append(("route", "%s default via %s" % (self.name, lab["gateway"])))

    def apply(self, have_ns):
        if self.name not in have_ns:
            run(["ip", "netns", "add", self.name])
            run(["ip", "-n", self.name, "link", "set", "lo", "up"])
        mine = links(self.name)
        for cable in self.lab["cables"]:
            leaf_links = links(cable["leaf"])
            a, b = mine.get(cable["interface"]), leaf_links.get(cable["leaf_port"])
            if not (a and b and _peers(a, b)):
                if a:
                    run(["ip", "-n", self.name, "link", "del", cable["interface"]])
                if b:
                    run(["ip", "-n", cable["leaf"], "link", "del", cable["leaf_port"]])
                ta, tb = _tmpname(self.name, cable["interface"]), _tmpname(cable["leaf"], cable["leaf_port"])
                run(["ip", "link", "add", ta, "type", "veth", "peer", "name", tb])
                run(["ip", "link", "set", ta, "netns", self.name])
                run(["ip", "link", "set", tb, "netns", cable["leaf"]])
                run(["ip", "-n", self.name, "link", "set", ta, "name", cable["interface"]])
                run(["ip", "-n", cable["leaf"], "link", "set", tb, "name", cable["leaf_port"]])
            mac = self.macs.get(cable["interface"])
            if mac:
                run(["ip", "-n", self.name, "link", "set", cable["interface"], "address", mac])
        lab = self.lab
        run(["ip", "-n", self.name, "link", "set", lab["uplink"], "mtu", str(lab["mtu"]), "up"])
        for other in lab["standby"]:
            run(["ip", "-n", self.name, "link", "set", other, "down"])
        if lab["address"]:
            have = _addresses(self.name)
            for addr in have - {lab["address"]}:
                run(["ip", "-n", self.name, "addr", "del", addr, "dev", lab["uplink"]], check=False)
            if lab["address"] not in have:
                run(["ip", "-n", self.name, "addr", "add", lab["address"], "dev", lab["uplink"]])
            if lab["gateway"] and _default_via(self.name) != lab["gateway"]:
                run(["ip", "-n", self.name, "route", "replace", "default", "via", lab["gateway"]])


def _peers(a, b):
    return a.get("link_index") == b.get("ifindex") and b.get("link_index") == a.get("ifindex")


def _addresses(ns):
    done = run(["ip", "-n", ns, "-j", "-4", "addr", "show"], check=False)
    out = set()
    for item in json.loads(done.stdout or "[]"):
        if item.get("ifname") == "lo":
            continue
        for info in item.get("addr_info", []):
            out.add("%s/%s" % (info["local"], info["prefixlen"]))
    return out


def _default_via(ns):
    done = run(["ip", "-n", ns, "-j", "-4", "route", "show", "default"], check=False)
    routes = json.loads(done.stdout or "[]")
    return routes[0].get("gateway") if routes else None


PING = r"""
import os, select, socket, struct, sys, time
dst, count, wait = sys.argv[1], int(sys.argv[2]), float(sys.argv[3])
def csum(data):
    data += b"\0" * (len(data) % 2)
    s = sum(struct.unpack("!%dH" % (len(data) // 2), data))
    s = (s >> 16) + (s & 0xFFFF)
    return ~(s + (s >> 16)) & 0xFFFF
sock = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_ICMP)
ident = os.getpid() & 0xFFFF
for seq in range(count):
    body = struct.pack("!d", time.time()) + b"odc-fabric-verify"
    head = struct.pack("!BBHHH", 8, 0, 0, ident, seq)
    sock.sendto(struct.pack("!BBHHH", 8, 0, csum(head + body), ident, seq) + body, (dst, 0))
    end = time.time() + wait
    while time.time() < end:
        ready, _, _ = select.select([sock], [], [], max(end - time.time(), 0))
        if not ready:
            break
        pkt, addr = sock.recvfrom(2048)
        ihl = (pkt[0] & 0x0F) * 4
        kind, _code, _sum, pid, pseq = struct.unpack("!BBHHH", pkt[ihl:ihl + 8])
        if kind == 0 and pid == ident and pseq == seq and addr[0] == dst:
            print("reply from %s seq %d" % (dst, seq))
            sys.exit(0)
sys.exit(1)
"""


def ping(ns, dst, count=1, wait=1.0):
    """ICMP echo from inside a namespace (no dependency on iputils-ping): True on a reply."""
    import sys
    done = run(["ip", "netns", "exec", ns, sys.executable, "-c", PING, dst, str(count), str(wait)], check=False,
               timeout=count * wait + 10)
    return done.returncode == 0


def ns_exec(ns, cmd, env=None, timeout=60):
    return run(["ip", "netns", "exec", ns] + cmd, check=False, timeout=timeout, env=env)
