# -*- coding: utf-8 -*-
# Copyright: odc.buildout developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Run one step on many BMCs at once (a rack) from Python.

    from ...._redfish._parallel import run_on_bmcs
    def step(bmc, target):
        return bmc.power().ensure("on")
    results = run_on_bmcs(targets, step, workers=16)
    # {"r1-u01": {"ok": True, "result": {...}}, "r1-u02": {"ok": False, "error": {...}}}

Each target is a dict of BMC_CONNECTION_SPEC keys plus ``name`` and optional
``expected_serial``/``expected_uuid``/``expected_macs``; the identity guard
runs before ``step``.  One BMC failing never stops the others; every BMC gets
its own client, session and session slot.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from concurrent.futures import ThreadPoolExecutor

from ansible_collections.odc.buildout.plugins.module_utils import _errors
from ansible_collections.odc.buildout.plugins.module_utils._redfish._bmc import Bmc


def _one(target, step, bmc_factory):
    try:
        with bmc_factory(target) as bmc:
            bmc.guard(target.get("expected_serial"), target.get("expected_uuid"), target.get("expected_macs"))
            result = step(bmc, target)
            if bmc.client.warnings and isinstance(result, dict):
                result.setdefault("warnings", []).extend(bmc.client.warnings)
            return {"ok": True, "result": result}
    except _errors.OdcError as exc:
        return {"ok": False, "error": exc.to_dict()}
    except Exception as exc:  # noqa: BLE001  # pylint: disable=broad-except  # one BMC must not stop the rack
        return {"ok": False, "error": {"msg": f"{type(exc).__name__}: {exc}", "error_type": "Unexpected"}}


def run_on_bmcs(targets, step, workers=8, bmc_factory=Bmc.from_params):
    """{target name: {"ok": bool, "result"|"error": ...}} in input order."""
    names = [t.get("name") or t["address"] for t in targets]
    if len(set(names)) != len(names):
        raise _errors.ConfigError(f"target names must be unique: {names}")
    with ThreadPoolExecutor(max_workers=max(1, workers)) as pool:
        futures = [pool.submit(_one, t, step, bmc_factory) for t in targets]
        return {name: future.result() for name, future in zip(names, futures)}
