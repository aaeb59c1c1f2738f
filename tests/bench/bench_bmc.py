# -*- coding: utf-8 -*-
# Copyright: odc.buildout developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Bench: bmc_bootstrap on a 40-BMC rack vs community.general redfish_* plays.

40 Redfish doubles (processes) on 127.0.1.1-40:8443, --latency 0.1, immediate
deterministic power, TLS with a throwaway CA (verified everywhere: our client
and community.general via validate_certs + ca_path).  Targets are given
directly (no NetBox).  Each run starts from fresh doubles (power Off).

    .venv/bin/python tests/bench/bench_bmc.py [--runs 3] [--skip-cg]
Measured: the rack and one server through the bootstrap engine in-process (the
critical-path ratio), the rack through ansible-playbook (Ansible start-up
included, to put next to community.general's plays, which pay it too), and the
community.general play at forks=5 and forks=40.
Last line: JSON with medians (seconds).
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
sys.path[:0] = [os.path.join(ROOT, ".cache", "collections"), os.path.join(ROOT, "tests", "doubles")]

from tls_certs import make_certs  # noqa: E402

from ansible_collections.odc.buildout.plugins.action.bmc_bootstrap import bootstrap  # noqa: E402

N = 40
ADDRS = [f"127.0.1.{i}" for i in range(1, N + 1)]
PORT = 8443


def start_doubles(certs, count=N):
    procs = []
    for i, addr in enumerate(ADDRS[:count]):
        procs.append(subprocess.Popen(
            [sys.executable, os.path.join(ROOT, "tests", "doubles", "redfish_double.py"), "--address", addr,
             "--port", str(PORT), "--cert", certs["cert"], "--key", certs["key"], "--vendor", "dell",
             "--serial", f"BENCH{i:02d}", "--latency", "0.1"],
            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True))
    for proc in procs:
        line = proc.stdout.readline()
        if "READY" not in line:
            raise SystemExit(f"double did not start: {line!r}")
    return procs


def stop(procs):
    for proc in procs:
        proc.terminate()
    for proc in procs:
        proc.wait(timeout=10)


def targets(count):
    return [{"name": f"b{i:02d}", "address": ADDRS[i], "port": PORT, "protocol": "redfish", "status": "planned",
             "device_type": "poweredge-r650", "expected_serial": f"BENCH{i:02d}",
             "factory": {"username": "admin", "password": "password"},
             "credential": {"username": "odcadmin", "password": f"Bench-Pass-{i:02d}x"},
             "firmware_baseline": {"BMC": "1.0"}} for i in range(count)]


def ours(certs, count, state_dir):
    opts = {"ca_path": certs["ca"], "state_dir": state_dir, "poll_interval": 0.2, "power_timeout": 30,
            "workers": 40, "boot_target": "pxe", "boot_persistence": "continuous", "boot_mode": "uefi",
            "power_on": True, "hardening": True, "ntp_servers": ["10.0.0.1"],
            "bios": {"ProcVirtualization": "Disabled"}, "retire_factory": True, "timeout": 10, "retry_budget": 30}
    start = time.monotonic()
    out = bootstrap(targets(count), dict(opts, run_id=f"bench{time.time_ns()}"))
    elapsed = time.monotonic() - start
    if out["summary"]["ok"] != count:
        raise SystemExit(json.dumps(out["summary"]))
    return elapsed


OURS_PLAY = """
- hosts: localhost
  gather_facts: false
  tasks:
    - odc.buildout.bmc_bootstrap:
        targets: "{{ bench_targets }}"
        factory_credential: {username: admin, password: password}
        credentials: "{{ bench_credentials }}"
        ca_path: "{{ bench_ca }}"
        state_dir: "{{ bench_state }}"
        poll_interval: 0.2
        power_timeout: 30
        workers: 40
        ntp_servers: [10.0.0.1]
        bios: {ProcVirtualization: Disabled}
        timeout: 10
        retry_budget: 30
"""


def ours_playbook(certs, count, state_dir, workdir):
    """The same rack through ansible-playbook (the action plugin, Ansible start-up included):
    the number to put next to community.general's play, which pays that start-up too."""
    play = os.path.join(workdir, "ours.yml")
    varsfile = os.path.join(workdir, "ours-vars.json")
    with open(play, "w") as handle:
        handle.write(OURS_PLAY)
    tgts = targets(count)
    with open(varsfile, "w") as handle:
        json.dump({"bench_targets": [{k: v for k, v in t.items() if k not in ("factory", "credential")} for t in tgts],
                   "bench_credentials": {t["name"]: t["credential"] for t in tgts},
                   "bench_ca": certs["ca"], "bench_state": state_dir}, handle)
    os.chmod(varsfile, 0o600)
    env = dict(os.environ, ANSIBLE_PYTHON_INTERPRETER=sys.executable, ANSIBLE_STDOUT_CALLBACK="json",
               ANSIBLE_COLLECTIONS_PATH=os.path.join(ROOT, ".cache", "collections"))
    start = time.monotonic()
    proc = subprocess.run([os.path.join(ROOT, ".venv", "bin", "ansible-playbook"), "-i", "localhost,", "-c", "local",
                           "-e", "@" + varsfile, play], env=env, capture_output=True, text=True, check=False)
    elapsed = time.monotonic() - start
    if proc.returncode != 0:
        raise SystemExit(f"odc play failed: {_first_failure(proc.stdout)} {proc.stderr[-1500:]}")
    return elapsed


# TLS verified: community.general's redfish modules use ansible's open_url, which
# takes validate_certs + ca_path (validate_certs defaults to false there).  The dell
# double (like iDRAC with basic auth off) takes sessions only: CreateSession first,
# then the session token, as an operator would.
CG_PLAY = """
- hosts: bmcs
  gather_facts: false
  module_defaults:
    community.general.redfish_info: &tls
      baseuri: "{{ inventory_hostname }}:8443"
      validate_certs: true
      ca_path: "{{ bench_ca }}"
    community.general.redfish_command: *tls
    community.general.redfish_config: *tls
  tasks:
    - community.general.redfish_command:
        username: admin
        password: password
        category: Sessions
        command: CreateSession
      register: cg_session
      delegate_to: localhost
    - community.general.redfish_info:
        auth_token: "{{ cg_session.session.token }}"
        category: Systems,Update
      delegate_to: localhost
    - community.general.redfish_command:
        auth_token: "{{ cg_session.session.token }}"
        category: Accounts
        command: AddUser
        account_username: odcadmin
        account_password: "Bench-Pass-{{ inventory_hostname.split('.')[-1] }}x"
        roleid: Administrator
      delegate_to: localhost
    - community.general.redfish_config:
        auth_token: "{{ cg_session.session.token }}"
        category: Manager
        command: SetNetworkProtocols
        network_protocols: {IPMI: {ProtocolEnabled: false}, SSDP: {ProtocolEnabled: false}}
      delegate_to: localhost
    - community.general.redfish_config:
        auth_token: "{{ cg_session.session.token }}"
        category: Systems
        command: SetBiosAttributes
        bios_attributes: {ProcVirtualization: Disabled}
      delegate_to: localhost
    - community.general.redfish_command:
        auth_token: "{{ cg_session.session.token }}"
        category: Systems
        command: SetOneTimeBoot
        bootdevice: Pxe
      delegate_to: localhost
    - community.general.redfish_command:
        auth_token: "{{ cg_session.session.token }}"
        category: Systems
        command: PowerOn
      delegate_to: localhost
"""


def _first_failure(stdout):
    """Task name, host and msg of the first failed result in the json callback output."""
    try:
        for task in json.loads(stdout)["plays"][0]["tasks"]:
            for host, res in task["hosts"].items():
                if res.get("failed"):
                    return f"{task['task']['name']} on {host}: {res.get('msg')}"
    except (ValueError, KeyError, IndexError):
        pass
    return stdout[-1500:]


def cg(certs, forks, workdir):
    play = os.path.join(workdir, "cg.yml")
    inv = os.path.join(workdir, "inv.ini")
    with open(play, "w") as handle:
        handle.write(CG_PLAY)
    with open(inv, "w") as handle:
        handle.write("[bmcs]\n" + "\n".join(a + " ansible_connection=local" for a in ADDRS) + "\n")
    env = dict(os.environ, ANSIBLE_HOST_KEY_CHECKING="False",
               ANSIBLE_PYTHON_INTERPRETER=sys.executable, ANSIBLE_STDOUT_CALLBACK="json")
    start = time.monotonic()
    proc = subprocess.run([os.path.join(ROOT, ".venv", "bin", "ansible-playbook"), "-i", inv, "-f", str(forks),
                           "-e", "bench_ca=" + certs["ca"], play], env=env, capture_output=True, text=True, check=False)
    elapsed = time.monotonic() - start
    if proc.returncode != 0:
        raise SystemExit(f"cg play (forks={forks}) failed: {_first_failure(proc.stdout)} {proc.stderr[-1500:]}")
    return elapsed


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--skip-cg", action="store_true")
    args = parser.parse_args()
    work = tempfile.mkdtemp(prefix="bench-bmc-")
    certs = make_certs(os.path.join(work, "certs"), ADDRS)
    times = {"rack": [], "one": [], "rack_pb": [], "cg5": [], "cg40": []}
    for run in range(args.runs):
        for key, func in (("rack", lambda run=run: ours(certs, N, os.path.join(work, f"s{run}r"))),
                          ("one", lambda run=run: ours(certs, 1, os.path.join(work, f"s{run}o"))),
                          ("rack_pb", lambda run=run: ours_playbook(certs, N, os.path.join(work, f"s{run}p"), work)),
                          ("cg5", lambda: cg(certs, 5, work)), ("cg40", lambda: cg(certs, 40, work))):
            if args.skip_cg and key.startswith("cg"):
                continue
            procs = start_doubles(certs)
            try:
                times[key].append(func())
            finally:
                stop(procs)
            print(f"run {run + 1} {key}: {times[key][-1]:.2f}s", flush=True)
    med = {k: round(statistics.median(v), 2) if v else None for k, v in times.items()}
    print(f"medians: rack {med['rack']}s, one server {med['one']}s, rack via ansible-playbook {med['rack_pb']}s, "
          f"community.general forks=5 {med['cg5']}s, forks=40 {med['cg40']}s")
    print(json.dumps({"bench": "bmc", "bmcs": N, "rack_s": med["rack"], "one_server_s": med["one"],
                      "cg_forks5_s": med["cg5"], "cg_forks40_s": med["cg40"],
                      "rack_over_one": round(med["rack"] / med["one"], 2),
                      "speedup_vs_cg_forks5": round(med["cg5"] / med["rack"], 2) if med["cg5"] else None,
                      # extra keys: the rack through ansible-playbook (start-up included), vs the cg plays
                      "rack_playbook_s": med["rack_pb"],
                      "speedup_playbook_vs_cg_forks5": round(med["cg5"] / med["rack_pb"], 2) if med["cg5"] else None,
                      "speedup_playbook_vs_cg_forks40": round(med["cg40"] / med["rack_pb"], 2) if med["cg40"] else None}))


if __name__ == "__main__":
    main()
