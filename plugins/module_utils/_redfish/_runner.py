# -*- coding: utf-8 -*-
# Copyright: odc.buildout developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""What every BMC module does around its one call: open the BMC (Redfish or
IPMI), run the identity guard before any write, collect warnings, build the
diff.  Modules stay thin: ``result = run_redfish(params, work, guard=True)``."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.odc.buildout.plugins.module_utils import _bmc_argspec, _errors
from ansible_collections.odc.buildout.plugins.module_utils._redfish import _identity
from ansible_collections.odc.buildout.plugins.module_utils._redfish._bmc import Bmc


def require_redfish(params, module_name):
    if params.get("protocol", "redfish") != "redfish":
        raise _errors.ConfigError(f"{module_name} works over Redfish only (protocol: redfish)")


def run_redfish(params, work, guard=True, bmc_factory=Bmc.from_params):
    """Open, guard identity (write modules), ``work(bmc)`` -> result dict."""
    with bmc_factory(params) as bmc:
        if guard:
            bmc.guard(**_bmc_argspec.identity(params))
        result = work(bmc)
        result["warnings"] = list(result.get("warnings") or []) + list(bmc.client.warnings)
        result["vendor"] = bmc.client.vendor.key
    return result


def ipmi_client(params):
    from ansible_collections.odc.buildout.plugins.module_utils import _ipmi
    return _ipmi.IpmiClient(params["address"], params["username"], params["password"],
                            port=params.get("port") or 623, pacing=params.get("ipmi_pacing", 2.0),
                            run_id=params.get("run_id"), state_dir=params.get("state_dir"))


def guard_ipmi(ipmi, params):
    """Identity guard over IPMI: UUID from the system GUID, MACs from LAN."""
    expected = _bmc_argspec.identity(params)
    if not _identity.wanted(**expected):
        return
    actual = {"uuid": ipmi.guid(), "serial": None, "macs": []}
    if expected["expected_macs"]:
        actual["macs"] = [m for m in [ipmi.lan().get("mac")] if m]
    problems = _identity.compare(actual, **expected)
    if expected["expected_serial"]:
        problems.append("the serial number cannot be read over IPMI here; use expected_uuid")
    if problems:
        raise _errors.IdentityMismatch(
            f"refusing to write: the BMC at {ipmi.address} is not the expected machine: " + "; ".join(problems))


def diff(before, after):
    return {"before": before if before is not None else {}, "after": after if after is not None else {}}
