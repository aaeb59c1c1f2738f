# Copyright: odc.buildout developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""lab/peers.py up|down|status|wipe: the lab peers derived from NetBox.

up      read NetBox, then make the lab match it (idempotent: what runs and is
        current is kept); write $ODC_LAB_HOME/lab.json
down    stop every emulator and FRR daemon (by PID); keep namespaces, links,
        state, CA and credentials (the next ``up`` is quick)
status  a table of what runs (from lab.json); exit 1 if anything is not up
wipe    down, then delete the namespaces, BMC state, FRR dirs, CA, credentials
        and lab.json (NetBox and its files are left alone)
"""

import argparse
import datetime
import fcntl
import json
import os
import shutil
import ssl
import sys
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager

from . import bmc as bmcmod
from . import creds as credsmod
from . import netbox as nbmod
from . import netns as nsmod
from .ca import LabCA
from .common import (
    LabError,
    Paths,
    apt_ensure,
    log,
    log_tail,
    read_text,
    rmcp_ping,
    running_pid,
    stop_pids,
    unix_open,
    write_json,
)

DEFAULT_SITE = "odc-rsw1"
START_TIMEOUT = 60.0
LAB_JSON_VERSION = 1


@contextmanager
def locked(paths):
    paths.ensure()
    with open(paths.lock, "w") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            log(f"another lab/peers.py holds {paths.lock}: waiting")
            fcntl.flock(handle, fcntl.LOCK_EX)
        yield


def load_lab_json(paths):
    try:
        return json.loads(read_text(paths.lab_json, "") or "{}")
    except ValueError:
        return {}


def _exited(proc, *logs):
    """The log tails if the process we started has exited, else None."""
    if proc is not None and proc.poll() is not None:
        tails = "\n".join(f"--- {path}\n{log_tail(path)}" for path in logs if os.path.exists(path))
        return f"rc={proc.returncode}\n{tails}"
    return None


def _wait(items, ready, exited, what, timeout=START_TIMEOUT):
    """Poll ready(item) for all items until all are ready; fail fast if one exits."""
    pending = list(items)
    deadline = time.monotonic() + timeout
    while pending:
        still = []
        for item in pending:
            if ready(item):
                continue
            failed = exited(item)
            if failed:
                raise LabError(f"{what} {item.name} exited during startup: {failed}")
            still.append(item)
        pending = still
        if not pending:
            return
        if time.monotonic() > deadline:
            names = ", ".join(i.name for i in pending)
            raise LabError(f"{what} not ready after {timeout:.0f}s: {names}")
        time.sleep(0.05)


# -- up ---------------------------------------------------------------------------------
class Up:
    def __init__(self, paths, model, previous):
        self.paths = paths
        self.model = model
        self.previous = previous
        self.stats = {"bmc_started": 0, "bmc_kept": 0, "bmc_stopped": 0, "ns_created": 0, "frr_started": 0,
                      "links": {}}
        self.ca = LabCA(paths.ca)
        self.bmc_peers, self.bmc_starting = [], []
        self.sw_peers, self.zebra_starting, self.bgpd_starting = [], [], []

    def run(self):
        self.start_bmcs()
        self.start_switches()
        self.wait()

    # BMCs -----------------------------------------------------------------------
    def start_bmcs(self):
        names = {b.name for b in self.model.bmcs}
        gone = [n for n in (self.previous.get("bmcs") or {}) if n not in names]
        if gone:
            log(f"stopping BMCs no longer in NetBox: {', '.join(gone)}")
            self.stats["bmc_stopped"] += len(stop_pids(self.paths, ["bmc-" + n for n in gone]))
        if not self.model.bmcs:
            return
        if self.ca.ensure():
            log(f"new lab CA {self.ca.cert}: BMC certificates are (re)issued")
        redfish = [b for b in self.model.bmcs if b.protocol == "redfish"]
        with ThreadPoolExecutor(max_workers=4) as pool:
            issued = list(pool.map(lambda b: self.ca.ensure_leaf(b.name, [b.address], [b.dns_name]), redfish))
        if any(created for _, _, created in issued):
            log(f"issued {sum(1 for _, _, created in issued if created)} BMC certificates")
        credentials = credsmod.ensure(self.paths.credentials, sorted(names))
        self.bmc_peers = [bmcmod.peer_for(self.paths, b, credentials[b.name], self.ca) for b in self.model.bmcs]

        outdated = [p for p in self.bmc_peers if p.running_pid() and not p.up_to_date()]
        if outdated:
            log(f"restarting BMC emulators whose configuration changed: {', '.join(p.name for p in outdated)}")
            self.stats["bmc_stopped"] += len(stop_pids(self.paths, [p.pid_name for p in outdated]))
        for peer in self.bmc_peers:
            if peer.running_pid():
                if isinstance(peer, bmcmod.RedfishPeer):
                    peer.write_htpasswd()  # sushy reads it on every request: no restart
                self.stats["bmc_kept"] += 1
                continue
            peer.prepare()
            peer.start()
            self.bmc_starting.append(peer)
        self.stats["bmc_started"] = len(self.bmc_starting)
        if self.bmc_starting:
            redfish = sum(p.protocol == "redfish" for p in self.bmc_starting)
            log(f"starting {len(self.bmc_starting)} BMC emulators ({redfish} redfish, "
                f"{len(self.bmc_starting) - redfish} ipmi)")

    # switches -------------------------------------------------------------------------
    def start_switches(self):
        names = {s.name for s in self.model.switches}
        for name in self.previous.get("namespaces") or {}:
            if name not in names and (self.paths.frr / name).is_dir():
                log(f"namespace {name} is no longer a NetBox switch: removing it")
                stop_pids(self.paths, [f"frr-{name}-{d}" for d in nsmod.DAEMONS])
                stale = nsmod.SwitchPeer(self.paths, nbmod.Switch(name=name, netbox_id=0, role="", site=""))
                stale.delete_namespace()
                shutil.rmtree(stale.dir, ignore_errors=True)
        self.sw_peers = [nsmod.SwitchPeer(self.paths, s) for s in self.model.switches]
        for peer in self.sw_peers:
            self.stats["ns_created"] += peer.ensure_namespace()
        previous_ends = [(ns, link["name"]) for ns, entry in (self.previous.get("namespaces") or {}).items()
                         if ns in names for link in entry.get("links", [])]
        self.stats["links"] = nsmod.ensure_links(self.model.links, previous_ends)
        for peer in self.sw_peers:
            peer.write_config()
            zebra, bgpd = peer.daemon_pid("zebra"), peer.daemon_pid("bgpd")
            if zebra and bgpd:
                continue
            if not zebra:  # bgpd needs its zebra: restart the pair
                stop_pids(self.paths, [peer.pid_name("bgpd")])
                peer.proc_zebra = peer.start_daemon("zebra")
                self.zebra_starting.append(peer)
            else:
                peer.proc_zebra = None
            self.bgpd_starting.append(peer)
        self.stats["frr_started"] = len(self.bgpd_starting)
        if self.bgpd_starting:
            log(f"starting FRR (zebra, bgpd) in {len(self.bgpd_starting)} namespaces")

    # readiness ------------------------------------------------------------------------
    def wait(self):
        _wait(self.zebra_starting, lambda p: p.zserv_ready() and p.vty_ready("zebra"),
              lambda p: _exited(p.proc_zebra, p.dir / "zebra.out", p.dir / "zebra.log"), "zebra in")
        for peer in self.bgpd_starting:
            peer.proc_bgpd = peer.start_daemon("bgpd")
        _wait(self.bmc_starting, lambda p: p.ready(), lambda p: _exited(p.proc, p.log_path), "BMC emulator")
        _wait(self.bgpd_starting, lambda p: p.vty_ready("bgpd"),
              lambda p: _exited(p.proc_bgpd, p.dir / "bgpd.out", p.dir / "bgpd.log"), "bgpd in")

    # lab.json ---------------------------------------------------------------------------
    def document(self, url, site):
        return {
            "version": LAB_JSON_VERSION,
            "status": "up",
            "updated": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
            "netbox_url": url,
            "site": site or "",
            "home": str(self.paths.home),
            "ca": {"cert": str(self.ca.cert), "dir": str(self.ca.dir)},
            "credentials_file": str(self.paths.credentials),
            "bmcs": {p.name: p.describe(self.paths.credentials) for p in self.bmc_peers},
            "namespaces": {p.name: p.describe(self.model.links) for p in self.sw_peers},
            "links": [{"cable_id": link.cable_id, "label": link.label,
                       "a_namespace": link.a_device, "a_interface": link.a_interface,
                       "b_namespace": link.b_device, "b_interface": link.b_interface} for link in self.model.links],
            "warnings": self.model.warnings,
        }


def cmd_up(args, paths):
    began = time.monotonic()
    url, token = nbmod.netbox_settings(paths, args.netbox_url)
    site = None if args.site in ("*", "all", "") else args.site
    nb = nbmod.client(url, token)
    try:
        model = nbmod.load(nb, site)
    except Exception as exc:  # typed errors of the collection's client (unreachable, 401, ...)
        raise LabError(f"cannot read NetBox at {url}: {exc}") from exc
    finally:
        nb.close()
    read_s = time.monotonic() - began
    for warning in model.warnings[:20]:
        log("warning: " + warning)
    if len(model.warnings) > 20:
        log(f"warning: ... and {len(model.warnings) - 20} more")
    if not model.bmcs and not model.switches:
        raise LabError(f"NetBox at {url} has no BMC servers or switches" + (f" in site {site}" if site else ""))

    with locked(paths):
        apt_ensure(["openssl"], ["openssl"])
        if any(b.protocol == "ipmi" for b in model.bmcs):
            apt_ensure(["openipmi", "ipmitool"], ["ipmi_sim", "ipmitool"])
        if model.switches:
            apt_ensure(["frr"], [nsmod.ZEBRA, nsmod.BGPD, "vtysh"])
        if any(b.protocol == "redfish" for b in model.bmcs) and bmcmod.sushy_python() is None:
            raise LabError("sushy-emulator not found (install sushy-tools into .venv)")
        up = Up(paths, model, load_lab_json(paths))
        try:
            up.run()
        except LabError as exc:  # describe what does run, then fail
            write_json(paths.lab_json, dict(up.document(url, site), status="error", error=str(exc)))
            raise
        write_json(paths.lab_json, up.document(url, site))
    st = up.stats
    links = st["links"] or {}
    log(f"up in {time.monotonic() - began:.1f}s (NetBox read {read_s:.1f}s): {len(model.bmcs)} BMCs "
        f"({st['bmc_started']} started, {st['bmc_kept']} kept, {st['bmc_stopped']} stopped); "
        f"{len(model.switches)} namespaces ({st['ns_created']} created); {len(model.links)} links "
        f"({links.get('created', 0)} created, {links.get('repaired', 0)} repaired, {links.get('removed', 0)} removed); "
        f"FRR started in {st['frr_started']}")
    log(f"lab.json: {paths.lab_json}")
    return 0


# -- down / wipe ------------------------------------------------------------------------------
def _pid_names(paths, prefix):
    try:
        return sorted(f[:-4] for f in os.listdir(paths.run) if f.startswith(prefix) and f.endswith(".pid"))
    except FileNotFoundError:
        return []


def cmd_down(args, paths, quiet=False):
    with locked(paths):
        lab = load_lab_json(paths)
        bmc_names = set(_pid_names(paths, "bmc-")) | {"bmc-" + n for n in lab.get("bmcs") or {}}
        frr_names = set(_pid_names(paths, "frr-")) | {f"frr-{ns}-{d}" for ns in lab.get("namespaces") or {}
                                                     for d in nsmod.DAEMONS}
        bmcs = stop_pids(paths, sorted(bmc_names))
        frr = stop_pids(paths, sorted(frr_names))
        if lab:
            lab["status"] = "down"
            write_json(paths.lab_json, lab)
    if not quiet:
        log(f"down: stopped {len(bmcs)} BMC emulators and {len(frr)} FRR daemons (namespaces, links and state "
            "kept; 'wipe' removes them)")
    return 0


def cmd_wipe(args, paths):
    cmd_down(args, paths, quiet=True)
    with locked(paths):
        lab = load_lab_json(paths)
        ours = set()
        if paths.frr.is_dir():
            ours.update(os.listdir(paths.frr))
        ours.update(n for n in (lab.get("namespaces") or {}) if (paths.frr / n).is_dir())
        deleted = [n for n in sorted(ours) if n in nsmod.existing()]
        for name in deleted:
            nsmod.SwitchPeer(paths, nbmod.Switch(name=name, netbox_id=0, role="", site="")).delete_namespace()
        for path in (paths.bmc, paths.frr, paths.ca):
            shutil.rmtree(path, ignore_errors=True)
        for path in (paths.lab_json,):
            try:
                path.unlink()
            except FileNotFoundError:
                pass
    log(f"wipe: deleted {len(deleted)} namespaces, BMC state and credentials, FRR dirs, lab CA and lab.json")
    return 0


# -- status -------------------------------------------------------------------------------------
def redfish_answers(entry, timeout=2.0):
    ctx = ssl.create_default_context(cafile=entry["ca"])
    try:
        with urllib.request.urlopen(f"https://{entry['address']}:{entry['port']}/redfish/v1/",
                                    context=ctx, timeout=timeout) as resp:
            return resp.status == 200
    except Exception:  # noqa: BLE001 - any failure means "not answering"
        return False


def collect_status(paths):
    lab = load_lab_json(paths)
    if not lab:
        return None
    bmcs = []
    entries = sorted((lab.get("bmcs") or {}).values(), key=lambda e: e["name"])

    def check(entry):
        pid = running_pid(paths, "bmc-" + entry["name"])
        if entry["protocol"] == "redfish":
            answering = redfish_answers(entry)
        else:
            answering = rmcp_ping(entry["address"], entry["port"], timeout=1.0)
        return {"name": entry["name"], "protocol": entry["protocol"], "address": entry["address"],
                "port": entry["port"], "pid": pid, "answering": answering}

    with ThreadPoolExecutor(max_workers=8) as pool:
        bmcs = list(pool.map(check, entries))

    links = [nbmod.Link(cable_id=x["cable_id"], a_device=x["a_namespace"], a_interface=x["a_interface"],
                        b_device=x["b_namespace"], b_interface=x["b_interface"], label=x.get("label", ""))
             for x in lab.get("links", [])]
    states = nsmod.link_states(links)
    present = set(nsmod.existing())
    namespaces = []
    for name, entry in sorted((lab.get("namespaces") or {}).items()):
        ends_up = sum(1 for link, a_up, b_up, ok in states for (ns, _), up in zip(link.ends(), (a_up, b_up), strict=True)
                      if ns == name and up and ok)
        pids = {d: running_pid(paths, f"frr-{name}-{d}") for d in nsmod.DAEMONS}
        frr_up = all(pids.values()) and all(unix_open(os.path.join(entry["vty_socket"], f"{d}.vty"))
                                            for d in nsmod.DAEMONS)
        namespaces.append({"name": name, "role": entry.get("role", ""), "exists": name in present,
                           "links": len(entry.get("links", [])), "links_up": ends_up,
                           "zebra": pids["zebra"], "bgpd": pids["bgpd"], "frr": frr_up})
    return {"status": lab.get("status"), "updated": lab.get("updated"), "netbox_url": lab.get("netbox_url"),
            "site": lab.get("site"), "bmcs": bmcs, "namespaces": namespaces}


def _table(header, rows):
    widths = [max(len(str(x)) for x in column) for column in zip(header, *rows, strict=True)]
    for row in [header] + rows:
        print("  ".join(str(cell).ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip())


def cmd_status(args, paths):
    status = collect_status(paths)
    if status is None:
        if args.json:
            print(json.dumps({"status": "absent"}))
        else:
            print(f"lab is not up (no {paths.lab_json}): run lab/peers.py up")
        return 1
    healthy = (all(b["pid"] and b["answering"] for b in status["bmcs"])
               and all(n["exists"] and n["frr"] and n["links_up"] == n["links"] for n in status["namespaces"]))
    if args.json:
        print(json.dumps(dict(status, healthy=healthy), indent=2))
        return 0 if healthy else 1
    print(f"lab {status['status']} (updated {status['updated']}, NetBox {status['netbox_url']} "
          f"site {status['site'] or '*'})")
    print()
    _table(["BMC", "PROTOCOL", "ADDRESS", "PORT", "PID", "ANSWERING"],
           [[b["name"], b["protocol"], b["address"], b["port"], b["pid"] or "-", "yes" if b["answering"] else "no"]
            for b in status["bmcs"]])
    print()
    _table(["NAMESPACE", "ROLE", "EXISTS", "LINKS UP", "ZEBRA", "BGPD", "FRR UP"],
           [[n["name"], n["role"], "yes" if n["exists"] else "no", f"{n['links_up']}/{n['links']}",
             n["zebra"] or "-", n["bgpd"] or "-", "yes" if n["frr"] else "no"] for n in status["namespaces"]])
    print()
    print("healthy" if healthy else "NOT healthy")
    return 0 if healthy else 1


# -- main ------------------------------------------------------------------------------------------
def main(argv=None):
    parser = argparse.ArgumentParser(prog="lab/peers.py", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("command", choices=("up", "down", "status", "wipe"))
    parser.add_argument("--site", default=os.environ.get("ODC_LAB_SITE", DEFAULT_SITE),
                        help=f"NetBox site slug to build (default $ODC_LAB_SITE or {DEFAULT_SITE}; '*' = all sites)")
    parser.add_argument("--netbox-url", default=None,
                        help="default $NETBOX_URL or http://127.0.0.1:$NETBOX_PORT (8001); token: "
                             "$NETBOX_TOKEN or $ODC_LAB_HOME/netbox-token")
    parser.add_argument("--json", action="store_true", help="status: print JSON")
    args = parser.parse_args(argv)
    if os.geteuid() != 0:
        log("lab/peers.py needs root (network namespaces, ports 443/623, FRR)")
        return 2
    paths = Paths()
    try:
        return {"up": cmd_up, "down": cmd_down, "status": cmd_status, "wipe": cmd_wipe}[args.command](args, paths)
    except LabError as exc:
        log(f"error: {exc}")
        return 1


if __name__ == "__main__":
    sys.exit(main())
