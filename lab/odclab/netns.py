# Copyright: odc.buildout developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Switch network namespaces, veth links per NetBox cable, FRR (zebra + bgpd) per namespace.

Each switch owns a namespace named after the NetBox device and
$ODC_LAB_HOME/frr/<name>/ (frr.conf, vtysh.conf, sockets, logs; owned by
frr). A namespace is "ours" when that directory exists: wipe deletes only
those. ``up`` adds what is missing and never deletes an interface it did not
create (a later stage adds bridges/VXLAN/server links to the same namespaces);
a link it created for a cable that is no longer in NetBox is removed.
"""

import json
import os
import shutil
from pathlib import Path

from .common import LabError, log, run, running_pid, spawn, unix_open, write_file, write_pid

NETNS_DIR = Path("/run/netns")
ZEBRA = "/usr/lib/frr/zebra"
BGPD = "/usr/lib/frr/bgpd"
DAEMONS = ("zebra", "bgpd")
SYSCTLS = ("net.ipv4.ip_forward=1", "net.ipv6.conf.all.forwarding=1", "net.ipv6.conf.default.forwarding=1")


def existing():
    try:
        return sorted(os.listdir(NETNS_DIR))
    except FileNotFoundError:
        return []


def ip_json(ns, *args):
    done = run(["ip", "-n", ns, "-j"] + list(args), check=False)
    if done.returncode != 0 or not done.stdout.strip():
        return []
    return json.loads(done.stdout)


def link_table(ns):
    """{ifname: link json (with -d details)} of a namespace, plus {nsid: peer namespace name}."""
    links = {item["ifname"]: item for item in ip_json(ns, "-d", "link", "show")}
    ids = {item["nsid"]: item.get("name") for item in ip_json(ns, "netns", "list-id")}
    return links, ids


def _is_veth(item):
    return (item.get("linkinfo") or {}).get("info_kind") == "veth"


def link_ok(tables, a_ns, a_if, b_ns, b_if):
    """Both ends exist, are veth peers of each other across the two namespaces."""
    (a_links, a_ids), (b_links, b_ids) = tables[a_ns], tables[b_ns]
    a, b = a_links.get(a_if), b_links.get(b_if)
    if not a or not b or not _is_veth(a) or not _is_veth(b):
        return False
    return (a.get("link_index") == b.get("ifindex") and b.get("link_index") == a.get("ifindex")
            and a_ids.get(a.get("link_netnsid")) == b_ns and b_ids.get(b.get("link_netnsid")) == a_ns)


def link_up(tables, ns, ifname):
    item = tables[ns][0].get(ifname) or {}
    return "UP" in item.get("flags", []) and item.get("operstate") == "UP"


class SwitchPeer:
    def __init__(self, paths, switch):
        self.paths = paths
        self.switch = switch
        self.name = switch.name
        self.dir = paths.frr / switch.name
        self.conf = self.dir / "frr.conf"

    def pid_name(self, daemon):
        return f"frr-{self.name}-{daemon}"

    # -- namespace ---------------------------------------------------------------
    def ensure_namespace(self):
        """Create the namespace (and mark it ours) if needed. Returns True when created."""
        self.dir.mkdir(parents=True, exist_ok=True)
        created = False
        if self.name not in existing():
            run(["ip", "netns", "add", self.name])
            created = True
        if created or not self._lo_up():
            run(["ip", "-n", self.name, "link", "set", "lo", "up"])
            run(["ip", "netns", "exec", self.name, "sysctl", "-q", "-w"] + list(SYSCTLS))
        return created

    def _lo_up(self):
        for item in ip_json(self.name, "link", "show", "lo"):
            return "UP" in item.get("flags", [])
        return False

    def delete_namespace(self):
        if self.name in existing():
            run(["ip", "netns", "del", self.name])

    # -- FRR -----------------------------------------------------------------------
    def write_config(self):
        """frr.conf only when missing (a later stage owns it, via frr-reload); vtysh.conf always."""
        self.dir.mkdir(parents=True, exist_ok=True)
        owner = ("frr", "frr")
        if not self.conf.exists():
            write_file(self.conf, f"frr version 8.4\nfrr defaults datacenter\nhostname {self.name}\n!\n",
                       0o640, owner)
        vtysh = f"service integrated-vtysh-config\nhostname {self.name}\n"
        if (self.dir / "vtysh.conf").exists() is False or (self.dir / "vtysh.conf").read_text() != vtysh:
            write_file(self.dir / "vtysh.conf", vtysh, 0o640, owner)
        shutil.chown(self.dir, *owner)
        os.chmod(self.dir, 0o750)

    def daemon_pid(self, daemon):
        return running_pid(self.paths, self.pid_name(daemon))

    def _command(self, daemon):
        binary = ZEBRA if daemon == "zebra" else BGPD
        return ["ip", "netns", "exec", self.name, binary, "-u", "frr", "-g", "frr",
                "-f", self.conf, "-i", self.dir / (f"{daemon}.pid"), "-z", self.dir / "zserv.api",
                "--vty_socket", self.dir, "-P", "0", "--log", f"file:{self.dir / (daemon + '.log')}"]

    def start_daemon(self, daemon):
        proc = spawn(self._command(daemon), self.dir / (f"{daemon}.out"), cwd=self.dir)
        write_pid(self.paths, self.pid_name(daemon), proc.pid)
        return proc

    def vty_ready(self, daemon):
        return unix_open(self.dir / (f"{daemon}.vty"))

    def zserv_ready(self):
        return unix_open(self.dir / "zserv.api")

    def describe(self, links):
        mine = []
        for link in links:
            for (ns, ifname), (peer_ns, peer_if) in (link.ends(), link.ends()[::-1]):
                if ns == self.name:
                    mine.append({"name": ifname, "peer_namespace": peer_ns, "peer_interface": peer_if,
                                 "cable_id": link.cable_id, "label": link.label})
        return {
            "name": self.name, "role": self.switch.role, "netbox_id": self.switch.netbox_id,
            "site": self.switch.site, "frr_dir": str(self.dir), "vty_socket": str(self.dir),
            "frr_conf": str(self.conf), "vtysh": f"vtysh --vty_socket {self.dir} --config_dir {self.dir}",
            "daemons": {d: {"pid_file": str(self.paths.pid_file(self.pid_name(d))),
                            "log": str(self.dir / (f"{d}.log"))} for d in DAEMONS},
            "links": sorted(mine, key=lambda x: x["name"]),
        }


def ensure_links(links, previous):
    """Create/repair the veth pair of every link; remove pairs we made for cables gone from NetBox.

    ``previous``: [(ns, ifname), ...] ends recorded in the last lab.json.
    Returns {"created", "repaired", "removed"} counts.
    """
    counts = {"created": 0, "repaired": 0, "removed": 0}
    wanted = {end for link in links for end in link.ends()}
    namespaces = sorted({ns for link in links for ns, _ in link.ends()} | {ns for ns, _ in previous})
    for _ in range(3):  # deleting a stale veth also deletes its peer, maybe a wanted end: re-check
        present = set(existing())
        tables = {ns: link_table(ns) for ns in namespaces if ns in present}
        changed = False
        for ns, ifname in previous:
            item = tables.get(ns, ({}, {}))[0].get(ifname)
            if (ns, ifname) not in wanted and item and _is_veth(item):
                peer_ns = tables[ns][1].get(item.get("link_netnsid"), ns)
                run(["ip", "-n", ns, "link", "del", ifname], check=False)  # and its peer
                counts["removed"] += 1
                changed = True
                for refresh in {ns, peer_ns} & set(tables):
                    tables[refresh] = link_table(refresh)
        for link in links:
            (a_ns, a_if), (b_ns, b_if) = link.ends()
            if a_ns not in tables or b_ns not in tables:
                raise LabError(f"namespace missing for cable {link.cable_id}")
            if link_ok(tables, a_ns, a_if, b_ns, b_if):
                for ns, ifname in link.ends():
                    if "UP" not in tables[ns][0][ifname].get("flags", []):
                        run(["ip", "-n", ns, "link", "set", ifname, "up"])
                continue
            changed = True
            stale = False
            for ns, ifname in link.ends():
                item = tables[ns][0].get(ifname)
                if item is None:
                    continue
                if not _is_veth(item):
                    kind = (item.get("linkinfo") or {}).get("info_kind", "?")
                    raise LabError(f"{ns}: interface {ifname} exists and is not a veth ({kind}): "
                                   f"cannot cable {link.cable_id}")
                run(["ip", "-n", ns, "link", "del", ifname], check=False)  # removes its peer too
                stale = True
            counts["repaired" if stale else "created"] += 1
            run(["ip", "link", "add", a_if, "netns", a_ns, "type", "veth", "peer", "name", b_if, "netns", b_ns])
            run(["ip", "-n", a_ns, "link", "set", a_if, "up"])
            run(["ip", "-n", b_ns, "link", "set", b_if, "up"])
            if stale:  # the deleted peers may have been other links' ends
                tables = {ns: link_table(ns) for ns in namespaces if ns in present}
        if not changed:
            break
    if any(counts.values()):
        log("links: {created} created, {repaired} repaired, {removed} removed".format(**counts))
    return counts


def link_states(links):
    """[(link, a_up, b_up, paired)] as the kernel sees them now."""
    namespaces = sorted({ns for link in links for ns, _ in link.ends()})
    present = set(existing())
    tables = {ns: link_table(ns) if ns in present else ({}, {}) for ns in namespaces}
    out = []
    for link in links:
        (a_ns, a_if), (b_ns, b_if) = link.ends()
        out.append((link, link_up(tables, a_ns, a_if), link_up(tables, b_ns, b_if),
                    link_ok(tables, a_ns, a_if, b_ns, b_if)))
    return out
