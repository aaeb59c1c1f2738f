# -*- coding: utf-8 -*-
# Copyright: odc.buildout developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Boot source override (one-time or continuous) and boot mode, read back."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.odc.buildout.plugins.module_utils import _errors
from ansible_collections.odc.buildout.plugins.module_utils._redfish import _writes

TARGETS = {"none": "None", "pxe": "Pxe", "cd": "Cd", "usb": "Usb", "hdd": "Hdd",
           "bios": "BiosSetup", "uefi_http": "UefiHttp", "uefi_target": "UefiTarget",
           "utilities": "Utilities", "diags": "Diags", "sdcard": "SDCard", "floppy": "Floppy"}
PERSISTENCE = {"once": "Once", "continuous": "Continuous", "disabled": "Disabled"}
MODES = {"uefi": "UEFI", "legacy": "Legacy"}
KEYS = ("BootSourceOverrideTarget", "BootSourceOverrideEnabled", "BootSourceOverrideMode")


def public(boot):
    """Boot settings with our option names."""
    reverse = {v: k for k, v in TARGETS.items()}
    return {"target": reverse.get(boot.get("BootSourceOverrideTarget"), boot.get("BootSourceOverrideTarget")),
            "persistence": {v: k for k, v in PERSISTENCE.items()}.get(
                boot.get("BootSourceOverrideEnabled"), boot.get("BootSourceOverrideEnabled")),
            "mode": {v: k for k, v in MODES.items()}.get(
                boot.get("BootSourceOverrideMode"), boot.get("BootSourceOverrideMode"))}


class BootControl:
    def __init__(self, system):
        self.system = system
        self.client = system.client
        self.warnings = []

    def desired(self, target, persistence, mode):
        enabled = "Disabled" if target == "none" else PERSISTENCE[persistence]
        want = {"BootSourceOverrideTarget": TARGETS[target], "BootSourceOverrideEnabled": enabled}
        if mode:
            want["BootSourceOverrideMode"] = MODES[mode]
        return want

    def _validate(self, boot, want):
        allowed = boot.get("BootSourceOverrideTarget@Redfish.AllowableValues")
        target = want["BootSourceOverrideTarget"]
        if allowed and target not in allowed and target != "None":
            raise _errors.ValidationFailed(f"boot target {target} not offered by this BMC (offers {allowed})")

    def ensure(self, target, persistence="once", mode=None, check_mode=False):
        data, etag = self.system.read_with_etag()
        boot = data.get("Boot") or {}
        want = self.desired(target, persistence, mode)
        self._validate(boot, want)
        before = {k: boot.get(k) for k in KEYS if k in want}
        changes = {k: v for k, v in want.items() if boot.get(k) != v}
        if not changes:
            return {"changed": False, "before": public(before), "after": public(before), "warnings": []}
        if check_mode:
            return {"changed": True, "before": public(before), "after": public(want), "warnings": []}
        _writes.patch_verified(self.client, self.system.uri, {"Boot": want}, etag,
                               lambda d: _writes.contains(d.get("Boot") or {}, want), self.warnings)
        after = self.read_back(want)
        return {"changed": True, "before": public(before), "after": public(after), "warnings": self.warnings}

    def read_back(self, want):
        boot = self.system.read().get("Boot") or {}
        after = {k: boot.get(k) for k in want}
        if boot.get("BootSourceOverrideTarget") != want["BootSourceOverrideTarget"]:
            got, wanted = boot.get("BootSourceOverrideTarget"), want["BootSourceOverrideTarget"]
            raise _errors.ApiError(f"the BMC accepted the boot override but reads back target {got} (wanted {wanted})")
        for key in ("BootSourceOverrideEnabled", "BootSourceOverrideMode"):
            if key in want and boot.get(key) != want[key]:
                self.warnings.append(f"BMC reads back {key}={boot.get(key)} after setting {want[key]}")
        return after
