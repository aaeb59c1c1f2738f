# -*- coding: utf-8 -*-
# Copyright: odc.buildout developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Push the rendered fabric into the namespace lab: plan first, then apply.

Plan (also check mode and drift detection): per switch, the lab script's
dry run (``DRY_RUN=1`` -> "CHANGE ..." lines) and frr-reload's deltas
against the RUNNING config; per server, its namespace, cables and address.
Safety: a planned change that re-bridges, detaches or deletes a port facing
a device that is ``active`` in NetBox is refused unless ``force`` with a
``force_reason``.  Nothing is applied unless the whole plan passes.
"""

from __future__ import annotations

import os
import tempfile
from concurrent.futures import ThreadPoolExecutor

from ansible_collections.odc.buildout.plugins.module_utils._errors import ConfigError, SafetyRefusal
from ansible_collections.odc.buildout.plugins.plugin_utils._fabric import _frr, _lab
from ansible_collections.odc.buildout.plugins.plugin_utils._fabric._render import unified

RISKY = ("master", "nomaster", "delete", "down")
PARALLEL = 4


def protected_ports(sw):
    """{port name: peer text} of ports facing an active device (LAG members included)."""
    out = {}
    for pc in sw.get("port_channels", []):
        if pc["protected"]:
            text = "%s %s" % (pc["peer_device"], pc["peer_interface"])
            out[pc["name"]] = text
            for member in pc["members"]:
                out[member] = text
    for port in sw.get("access_ports", []):
        if port["protected"]:
            out[port["name"]] = "%s %s" % (port["peer_device"], port["peer_interface"])
    return out


def script_changes(ns, script, dry_run):
    env = dict(os.environ, DRY_RUN="1" if dry_run else "0")
    done = _lab.run(["ip", "netns", "exec", ns, "sh", "-c", script], check=False, timeout=120, env=env)
    if done.returncode != 0:
        raise _lab.ConnectionFailure("lab script for %s failed (%d): %s"
                                     % (ns, done.returncode, (done.stderr or done.stdout).strip()[-800:]))
    lines = done.stdout.splitlines()
    return ([line[len("CHANGE "):] for line in lines if line.startswith("CHANGE ")],
            [line[len("ABSENT "):] for line in lines if line.startswith("ABSENT ")])


class Deployer:
    def __init__(self, result, files, lab, limit=None, force=False, force_reason=None, servers=True):
        self.result = result
        self.files = files
        self.lab = lab
        self.limit = set(limit or [])
        self.force = force
        self.force_reason = force_reason
        self.servers = servers
        if force and not (force_reason or "").strip():
            raise ConfigError("force=true needs a force_reason (it is recorded in the result).")

    def switches(self):
        for name, sw in self.result["switches"].items():
            if self.limit and name not in self.limit:
                continue
            if self.lab.vty(name) is None:
                continue
            yield name, sw

    def planned_servers(self):
        if not self.servers:
            return []
        leaves = {n for n, sw in self.result["switches"].items() if sw["metadata"]["role"] == "leaf"
                  and self.lab.vty(n)}
        out = []
        for name, srv in self.result["servers"].items():
            if self.limit and name not in self.limit:
                continue
            if all(c["leaf"] in leaves for c in srv["lab"]["cables"]):
                out.append(_lab.ServerPlan(name, srv["lab"], srv["ethernets"]))
        return out

    # -- plan ----------------------------------------------------------------
    def plan(self, workdir):
        have_ns = _lab.namespaces()
        devices, refusals = {}, []
        switches = list(self.switches())
        with ThreadPoolExecutor(max_workers=PARALLEL) as pool:
            planned = list(pool.map(lambda item: self.plan_switch(item[0], item[1], workdir, have_ns), switches))
        for (name, _sw), (device, refused) in zip(switches, planned):
            devices[name] = device
            refusals += refused
        leaf_links = {n: _lab.links(n) for n, sw in switches if sw["metadata"]["role"] == "leaf"}
        for plan in self.planned_servers():
            changes = [text for _kind, text in plan.plan(have_ns, leaf_links)]
            devices[plan.name] = {"kind": "server", "interfaces": changes, "changed": bool(changes)}
        return devices, refusals

    def plan_switch(self, name, sw, workdir, have_ns):
        if name not in have_ns:
            return {"kind": "switch", "error": "namespace %s missing (lab/peers.py up)" % name}, []
        conf = os.path.join(workdir, "frr", name + ".conf")
        vty = self.lab.vty(name)
        changes, absent = script_changes(name, self.files["lab/%s.sh" % name], dry_run=True)
        delete, add = _frr.deltas(vty, conf, workdir)
        diff = ""
        if delete or add:
            diff = unified(_frr.running_config(vty), self.files["frr/%s.conf" % name], name + "/frr.conf")
        device = {"kind": "switch", "interfaces": changes, "absent": absent, "frr": {"delete": delete, "add": add},
                  "changed": bool(changes or delete or add), "diff": diff}
        return device, self.check_safety(name, sw, changes, delete + add)

    def check_safety(self, name, sw, changes, frr_lines):
        guarded = protected_ports(sw)
        out = []
        for change in changes:
            parts = change.split()
            if parts and parts[0] in guarded and len(parts) > 1 and parts[1] in RISKY:
                out.append("%s %s: faces %s (NetBox status active); planned '%s'"
                           % (name, parts[0], guarded[parts[0]], change))
        for line in frr_lines:
            parts = line.split()
            if len(parts) > 1 and parts[0] == "interface" and parts[1] in guarded:
                out.append("%s %s: faces %s (NetBox status active); planned FRR change '%s'"
                           % (name, parts[1], guarded[parts[1]], line))
        return out

    # -- run -----------------------------------------------------------------
    def run(self, check_mode=False):
        with tempfile.TemporaryDirectory(prefix="odc-fabric-") as workdir:
            for rel, text in self.files.items():
                if rel.startswith("frr/"):
                    path = os.path.join(workdir, rel)
                    os.makedirs(os.path.dirname(path), exist_ok=True)
                    with open(path, "w") as handle:
                        handle.write(text)
            devices, refusals = self.plan(workdir)
            report = {"devices": devices, "changed": any(d.get("changed") for d in devices.values()),
                      "errors": [n for n, d in devices.items() if d.get("error")]}
            if refusals and not self.force:
                raise SafetyRefusal("Refused: %d planned change(s) touch ports facing active devices:\n%s\n"
                                    "Nothing was changed. Re-run with force=true and a force_reason if intended."
                                    % (len(refusals), "\n".join("- " + r for r in refusals)), refusals=refusals)
            report["forced"] = refusals if refusals else []
            if self.force and refusals:
                report["force_reason"] = self.force_reason
            if check_mode or not report["changed"]:
                return report
            self.apply(devices, workdir)
            return report

    def apply(self, devices, workdir):
        have_ns = _lab.namespaces()
        for plan in self.planned_servers():
            if devices.get(plan.name, {}).get("changed"):
                plan.apply(have_ns)
        with ThreadPoolExecutor(max_workers=PARALLEL) as pool:
            list(pool.map(lambda name: self.apply_switch(name, devices.get(name) or {}, workdir),
                          [name for name, _sw in self.switches()]))

    def apply_switch(self, name, dev, workdir):
        if dev.get("error"):
            return
        # server cables may have created ports: always run the (idempotent) script for real
        script_changes(name, self.files["lab/%s.sh" % name], dry_run=False)
        if dev["frr"]["delete"] or dev["frr"]["add"]:
            _frr.apply(self.lab.vty(name), os.path.join(workdir, "frr", name + ".conf"), workdir)
        startup = (self.lab.switch(name) or {}).get("frr_conf")
        if startup and os.path.isdir(os.path.dirname(startup)):
            _frr.save_startup(self.files["frr/%s.conf" % name], startup)


def deploy(result, files, lab, check_mode=False, **options):
    return Deployer(result, files, lab, **options).run(check_mode=check_mode)
