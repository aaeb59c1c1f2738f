# Copyright: odc.buildout developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Status lifecycle: what may be built, and the force gate for active devices."""

from ansible_collections.odc.buildout.plugins.plugin_utils._netbox._snapshot import (
    value,
)
from ansible_collections.odc.buildout.plugins.plugin_utils._preflight._context import (
    BUILD_ROLES,
)
from ansible_collections.odc.buildout.plugins.plugin_utils._preflight._finding import (
    WARNING,
)
from ansible_collections.odc.buildout.plugins.plugin_utils._preflight._registry import (
    rule,
)

BUILDABLE = ("planned", "staged")


@rule("ODC-STATUS-001", "Devices to build are planned or staged")
def status_buildable(ctx, report):
    for dev in ctx.devices(*BUILD_ROLES):
        status = value(dev.get("status"))
        if status in BUILDABLE or status == "active":
            continue  # active devices: ODC-STATUS-002
        if status == "failed":
            report("dcim.device", dev, "status",
                   f"{dev['name']} is failed (a previous build did not finish); this run builds it again.", WARNING)
            continue
        report("dcim.device", dev, "status",
               f"{dev['name']} is {status}; only planned or staged devices are built. "
               "Set the status to planned (or staged) or leave the device out of the scope.")


@rule("ODC-STATUS-002", "Active devices are refused by destructive stages unless forced")
def status_active_gate(ctx, report):
    if not ctx.stage_destructive:
        return
    for dev in ctx.devices(*BUILD_ROLES):
        if value(dev.get("status")) != "active":
            continue
        if ctx.force and ctx.force_reason:
            report("dcim.device", dev, "status",
                   f"{dev['name']} is active and will be changed anyway (force: {ctx.force_reason}).", WARNING)
        else:
            report("dcim.device", dev, "status",
                   f"{dev['name']} is active (in production): a destructive stage refuses it. "
                   "Leave it out of the scope, or run with force: true and a force_reason.")
