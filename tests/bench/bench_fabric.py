# -*- coding: utf-8 -*-
# Copyright: odc.buildout developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Fabric benchmark.

1. generate: a site of 2 spines, 16 leaves (8 racks x 1 leaf pair) and 320 dual-homed servers,
   generated in memory as a NetBox snapshot; time the typed model + all builders + schema validation +
   every rendered file (FRR, lab script, SONiC config_db, NMState, dnsmasq, docs, structured JSON) with
   parse-back.  Goal < 3 s.
2. lab: in the namespace lab (lab/peers.py, the demo site), remove BGP from every switch, push the
   fabric again and time BGP (all sessions Established) + EVPN (every VNI with every remote VTEP)
   convergence after the push.  Goal < 15 s.  Skipped (null) when the lab is not up.

Last line: {"bench": "fabric", "switches": N, "servers": N, "generate_s": ..., "lab_converge_s": ...}
Usage: .venv/bin/python tests/bench/bench_fabric.py [--no-lab]
"""

from __future__ import absolute_import, division, print_function

import json
import os
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "unit", "fabric"))

import fabric_testlib  # noqa: E402  (collection link)
import topology_gen  # noqa: E402

from ansible_collections.odc.buildout.plugins.plugin_utils._fabric import _deploy, _frr, _lab, _verify  # noqa: E402
from ansible_collections.odc.buildout.plugins.plugin_utils._fabric._build import build_fabric  # noqa: E402
from ansible_collections.odc.buildout.plugins.plugin_utils._fabric._render import render_all  # noqa: E402
from ansible_collections.odc.buildout.plugins.plugin_utils._netbox._snapshot import Snapshot  # noqa: E402


def generate():
    data = topology_gen.bench_site()
    best = None
    for _round in range(3):
        started = time.perf_counter()
        result = build_fabric(Snapshot.from_dict(data))
        files = render_all(result)
        elapsed = time.perf_counter() - started
        best = elapsed if best is None else min(best, elapsed)
    switches = len(result["switches"])
    fabric_switches = sum(1 for s in result["switches"].values() if s["metadata"]["role"] in ("spine", "leaf"))
    print("generate: %d switches (%d spine/leaf), %d servers, %d files, best of 3: %.2f s"
          % (switches, fabric_switches, len(result["servers"]), len(files), best))
    return fabric_switches, len(result["servers"]), best


def lab_converge(timeout=60.0):
    try:
        lab = _lab.Lab.load()
    except Exception as exc:          # noqa: BLE001
        print("lab: skipped (%s)" % exc)
        return None
    if lab.data.get("status") != "up":
        print("lab: skipped (status %s)" % lab.data.get("status"))
        return None
    result = build_fabric(Snapshot.from_dict(fabric_testlib.demo_data()))
    files = render_all(result, formats=("frr", "lab"))
    _deploy.deploy(result, files, lab)                     # start from the intended state
    verifier = _verify.Verifier(result, lab)
    for name, sw in verifier.switches.items():             # take BGP away everywhere
        _frr.vtysh(lab.vty(name), "configure terminal", "no router bgp %d" % sw["router_bgp"]["asn"])
    time.sleep(1.0)
    started = time.perf_counter()
    _deploy.deploy(result, files, lab)
    pushed = time.perf_counter()
    while True:
        failures = verifier.bgp_failures() or verifier.evpn_failures()
        if not failures or time.perf_counter() - pushed > timeout:
            break
        time.sleep(0.2)
    done = time.perf_counter()
    print("lab: %d spine/leaf switches, push %.2f s, BGP+EVPN converged %.2f s after the push%s"
          % (len(verifier.switches), pushed - started, done - pushed, "" if not failures else " (NOT: %s)" % failures[:3]))
    return None if failures else done - pushed


def main():
    switches, servers, generate_s = generate()
    converge = None if "--no-lab" in sys.argv else lab_converge()
    print(json.dumps({"bench": "fabric", "switches": switches, "servers": servers, "generate_s": round(generate_s, 3),
                      "lab_converge_s": round(converge, 2) if converge is not None else None}))


if __name__ == "__main__":
    main()
