# -*- coding: utf-8 -*-
# Copyright: odc.buildout developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Inventory benchmark: odc.buildout.netbox vs netbox.netbox.nb_inventory vs the raw floor.

    .venv/bin/python tests/bench/bench_inventory.py [--runs 5] [--skip-fixture]

1. Loads the scale fixture (tests/bench/scale_fixture.py: site ``bench-site``,
   400 servers with 4 interfaces + 2,000 VMs, 2,400 hosts) into the lab NetBox
   through the ORM, if it is not there yet, and waits for NetBox's job queue.
2. Times, on the same NetBox, ``runs`` rounds (median; the tools take turns in
   every round so that load from elsewhere hits all of them alike):

   * startup        ``ansible-inventory --list`` on an empty static inventory
   * odc            this plugin, filtered to ``bench-site``, cache off (cold)
   * odc_cached     the same with ``cache: true`` (jsonfile), cache warm
   * odc_slim       this plugin with ``interfaces: false`` (no interface/IP detail), cold
   * nb_inventory   netbox.netbox.nb_inventory, defaults (``query_filters: site``)
   * nb_tuned       nb_inventory with its speed options (services, racks off; plurals off)
   * floor          plain ``requests``: one GraphQL list of the same hosts with their
                    primary IPs, paged by 1,000 (devices, then VMs); no Ansible at all
   * ansible_hosts  control: ``ansible-inventory --list`` of what the floor read (the
                    same host names with ``ansible_host`` only) from a local file by a
                    trivial plugin (inventory_plugins/odc_bench_hosts.py): no NetBox.
                    Ansible's own per-host cost, which no plugin can go below.

   Every tool is checked to return the same 2,400 hosts. A warm-up run of each
   tool comes first (nb_inventory downloads NetBox's OpenAPI schema on first
   contact; the odc cache gets filled).
3. Prints a table and, as the LAST line, one JSON object (see docs/inventory.md).
   ``*_net`` = minus startup. Also measured, as extra keys: ``odc_fetch_s`` (the
   plugin's NetBox reads alone, in-process, no Ansible) and its ratio to the floor,
   and the BEST any tool could reach on this machine: Ansible's own cost of the
   bare hosts plus the floor's read, ``best_speedup_net`` =
   (nb_inventory - startup) / (ansible_hosts - startup + floor) and
   ``best_ratio_to_floor`` = (ansible_hosts - startup + floor) / floor.

Environment: NETBOX_API (default http://127.0.0.1:8001), NETBOX_TOKEN (default:
the lab token file, read and never printed), ODC_LAB_HOME.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", ".."))
COLLECTIONS = os.path.join(ROOT, ".cache", "collections")
VENV_BIN = os.path.dirname(sys.executable)
SITE = "bench-site"
EXPECTED_HOSTS = 2400
sys.path.insert(0, HERE)
sys.path.insert(0, COLLECTIONS)

import scale_fixture  # noqa: E402


def ensure_collection_link():
    link = os.path.join(COLLECTIONS, "ansible_collections", "odc", "buildout")
    if not os.path.exists(link):
        os.makedirs(os.path.dirname(link), exist_ok=True)
        os.symlink(ROOT, link)


def lab_token():
    token = os.environ.get("NETBOX_TOKEN")
    if token:
        return token.strip()
    path = os.path.join(os.environ.get("ODC_LAB_HOME", "/var/lib/odc-lab"), "netbox-token")
    with open(path) as handle:
        return handle.read().strip()


def wait_for_queue(limit=120):
    """Let NetBox's rq backlog (search indexing after a bulk load) drain first."""
    deadline = time.time() + limit
    while time.time() < deadline:
        proc = subprocess.run(["redis-cli", "-h", "127.0.0.1", "llen", "rq:queue:default"],
                              capture_output=True, text=True, check=False)
        if proc.returncode != 0 or int(proc.stdout.strip() or 0) < 5:
            return
        time.sleep(2)


PLUGINS = os.path.join(HERE, "inventory_plugins")
INVENTORIES = {
    # the control plugin first, so that no other plugin tries its file
    "ansible.cfg": ("[defaults]\ninventory_plugins = %s\n[inventory]\n"
                    "enable_plugins = odc_bench_hosts, host_list, script, auto, yaml, ini, toml\n" % PLUGINS),
    "empty.yml": "all:\n  hosts: {}\n",
    "odc.netbox.yml": "plugin: odc.buildout.netbox\nsite: [%s]\n" % SITE,
    "odc_slim.netbox.yml": "plugin: odc.buildout.netbox\nsite: [%s]\ninterfaces: false\n" % SITE,
    "odc_cached.netbox.yml": (
        "plugin: odc.buildout.netbox\nsite: [%s]\ncache: true\ncache_plugin: ansible.builtin.jsonfile\n"
        "cache_connection: {cache}\ncache_timeout: 0\n" % SITE),
    "defaults.nb.yml": (
        "plugin: netbox.netbox.nb_inventory\n"
        "token:\n  type: Bearer\n  value: \"{{ lookup('ansible.builtin.env', 'NETBOX_TOKEN') }}\"\n"
        "query_filters:\n  - site: %s\n" % SITE),
    "tuned.nb.yml": (
        "plugin: netbox.netbox.nb_inventory\n"
        "token:\n  type: Bearer\n  value: \"{{ lookup('ansible.builtin.env', 'NETBOX_TOKEN') }}\"\n"
        "query_filters:\n  - site: %s\n"
        "services: false\nracks: false\nplurals: false\ninterfaces: false\nconfig_context: false\n"
        "site_data: false\nprefixes: false\nvirtual_disks: false\n" % SITE),
}
TOOLS = (  # key, inventory file
    ("startup", "empty.yml"),
    ("odc", "odc.netbox.yml"),
    ("odc_cached", "odc_cached.netbox.yml"),
    ("odc_slim", "odc_slim.netbox.yml"),
    ("ansible_hosts", "hosts.benchhosts"),
    ("nb_inventory", "defaults.nb.yml"),
    ("nb_inventory_tuned", "tuned.nb.yml"),
)


def write_inventories(workdir):
    cache = os.path.join(workdir, "cache")
    os.makedirs(cache, exist_ok=True)
    for name, text in INVENTORIES.items():
        with open(os.path.join(workdir, name), "w") as handle:
            handle.write(text.replace("{cache}", cache))


def run_inventory(workdir, inventory, env):
    """Seconds for one ``ansible-inventory --list`` and the number of hosts it returned."""
    out = os.path.join(workdir, "out.json")
    cmd = [os.path.join(VENV_BIN, "ansible-inventory"), "-i", os.path.join(workdir, inventory), "--list",
           "--output", out]
    started = time.perf_counter()
    proc = subprocess.run(cmd, env=env, capture_output=True, text=True, check=False, cwd=workdir)
    seconds = time.perf_counter() - started
    if proc.returncode != 0:
        raise SystemExit("%s failed (exit %s):\n%s" % (inventory, proc.returncode, proc.stderr[-3000:]))
    with open(out) as handle:
        hostvars = json.load(handle).get("_meta", {}).get("hostvars", {})
    return seconds, len(hostvars)


def floor(url, token, page=1000, keep=None):
    """The raw floor: the same hosts and their primary IPs, plain requests, GraphQL paged by 1,000.

    ``keep``: a list that receives ``[name, address]`` of every host (for the control).
    """
    import requests

    session = requests.Session()
    session.headers.update({"Authorization": "Bearer " + token, "Accept": "application/json"})
    started = time.perf_counter()
    hosts = 0
    for field in ("device_list", "virtual_machine_list"):
        offset = 0
        while True:
            query = ("query($o: Int!, $l: Int!) { rows: %s(filters: {site: {slug: {exact: \"%s\"}}}, "
                     "pagination: {offset: $o, limit: $l}) { id name primary_ip4 { address } } }" % (field, SITE))
            resp = session.post(url.rstrip("/") + "/graphql/", json={"query": query, "variables": {"o": offset, "l": page}},
                                timeout=120)
            resp.raise_for_status()
            rows = resp.json()["data"]["rows"]
            hosts += len(rows)
            if keep is not None:
                keep.extend([row["name"], (row.get("primary_ip4") or {}).get("address", "").split("/")[0] or None]
                            for row in rows)
            offset += len(rows)
            if len(rows) < page:
                break
    return time.perf_counter() - started, hosts


def odc_fetch(url, token):
    """The plugin's NetBox reads + join alone (no Ansible): fetch and build, in-process."""
    from ansible_collections.odc.buildout.plugins.module_utils._netbox_client import NetBoxClient
    from ansible_collections.odc.buildout.plugins.plugin_utils._netbox import _graphql, _hostvars

    started = time.perf_counter()
    client = NetBoxClient(url, token)
    client.check_version(_graphql.MIN_VERSION)
    client.close()
    raw, fetcher = _graphql.fetch(lambda: NetBoxClient(url, token), {"site": [SITE]})
    data = _hostvars.build(raw)
    return time.perf_counter() - started, len(data["hosts"])


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n", maxsplit=1)[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--skip-fixture", action="store_true", help="do not check/load the scale fixture")
    args = parser.parse_args()

    ensure_collection_link()
    url = os.environ.get("NETBOX_API", "http://127.0.0.1:8001")
    token = lab_token()
    if not args.skip_fixture:
        started = time.time()
        result = scale_fixture.ensure()
        print("scale fixture: %s (%.0fs)" % (json.dumps(result.get("counts")), time.time() - started), flush=True)
        wait_for_queue()

    env = dict(os.environ, NETBOX_API=url, NETBOX_TOKEN=token, ANSIBLE_COLLECTIONS_PATH=COLLECTIONS,
               ANSIBLE_INVENTORY_UNPARSED_FAILED="true", ANSIBLE_NOCOLOR="1",
               PATH=VENV_BIN + os.pathsep + os.environ.get("PATH", ""))
    times = {key: [] for key, _inv in TOOLS}
    times["floor"] = []
    times["odc_fetch"] = []
    with tempfile.TemporaryDirectory(prefix="odc-bench-inventory-") as workdir:
        write_inventories(workdir)
        control = []
        floor(url, token, keep=control)
        with open(os.path.join(workdir, "hosts.benchhosts"), "w") as handle:
            json.dump(control, handle)
        env["ANSIBLE_CONFIG"] = os.path.join(workdir, "ansible.cfg")  # no user/site config
        print("warm-up (nb_inventory downloads the OpenAPI schema once; the odc cache is filled)", flush=True)
        for key, inventory in TOOLS:
            seconds, hosts = run_inventory(workdir, inventory, env)
            expected = 0 if key == "startup" else EXPECTED_HOSTS
            if hosts != expected:
                raise SystemExit("%s returned %d hosts, expected %d" % (key, hosts, expected))
            print("  %-20s %7.2fs  %d hosts" % (key, seconds, hosts), flush=True)
        for run in range(1, args.runs + 1):
            for key, inventory in TOOLS:
                times[key].append(run_inventory(workdir, inventory, env)[0])
            seconds, hosts = floor(url, token)
            if hosts != EXPECTED_HOSTS:
                raise SystemExit("floor returned %d hosts, expected %d" % (hosts, EXPECTED_HOSTS))
            times["floor"].append(seconds)
            seconds, hosts = odc_fetch(url, token)
            times["odc_fetch"].append(seconds)
            print("run %d/%d: %s" % (run, args.runs, "  ".join("%s=%.2f" % (k, v[-1]) for k, v in times.items())),
                  flush=True)

    med = {key: statistics.median(values) for key, values in times.items()}
    startup = med["startup"]

    def net(key):
        return max(med[key] - startup, 1e-6)

    result = {
        "bench": "inventory",
        "hosts": EXPECTED_HOSTS,
        "startup_s": round(startup, 3),
        "odc_s": round(med["odc"], 3),
        "odc_cached_s": round(med["odc_cached"], 3),
        "nb_inventory_s": round(med["nb_inventory"], 3),
        "nb_inventory_tuned_s": round(med["nb_inventory_tuned"], 3),
        "floor_s": round(med["floor"], 3),
        "speedup_net": round(net("nb_inventory") / net("odc"), 2),
        "speedup_gross": round(med["nb_inventory"] / med["odc"], 2),
        "ratio_to_floor": round(net("odc") / med["floor"], 2),
        "cache_speedup": round(net("odc") / net("odc_cached"), 2),
        "speedup_net_tuned": round(net("nb_inventory_tuned") / net("odc"), 2),
        "odc_slim_s": round(med["odc_slim"], 3),
        "speedup_net_slim": round(net("nb_inventory") / net("odc_slim"), 2),
        "ansible_hosts_s": round(med["ansible_hosts"], 3),
        "best_speedup_net": round(net("nb_inventory") / (net("ansible_hosts") + med["floor"]), 2),
        "best_ratio_to_floor": round((net("ansible_hosts") + med["floor"]) / med["floor"], 2),
        "odc_fetch_s": round(med["odc_fetch"], 3),
        "fetch_ratio_to_floor": round(med["odc_fetch"] / med["floor"], 2),
        "runs": args.runs,
    }
    print()
    print("%-28s %9s %9s %9s" % ("tool (2,400 hosts)", "median s", "net s", "min s"))
    labels = (("startup", "ansible-inventory (empty)"), ("odc", "odc.buildout.netbox"),
              ("odc_cached", "odc, cache warm"), ("odc_slim", "odc, interfaces: false"),
              ("ansible_hosts", "control: bare hosts, no NB"), ("nb_inventory", "nb_inventory defaults"),
              ("nb_inventory_tuned", "nb_inventory tuned"), ("floor", "floor (raw GraphQL)"),
              ("odc_fetch", "odc fetch+join only"))
    for key, label in labels:
        in_ansible = key not in ("floor", "odc_fetch", "startup")
        print("%-28s %9.2f %9s %9.2f" % (label, med[key], "%.2f" % net(key) if in_ansible else "-", min(times[key])))
    print()
    print(json.dumps(result))


if __name__ == "__main__":
    main()
