# -*- coding: utf-8 -*-
# Copyright: odc.buildout developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Everything bmc_info reports, one method per section.

A section the BMC does not implement (404) becomes ``None`` and is listed in
``unavailable``; any other error fails the whole read.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.odc.buildout.plugins.module_utils import _errors
from ansible_collections.odc.buildout.plugins.module_utils._redfish import (
    _boot,
    _virtual_media,
)

SECTIONS = ("identity", "power", "boot", "nics", "firmware", "bios", "secure_boot",
            "manager", "accounts", "virtual_media")


class InfoReader:
    def __init__(self, bmc):
        self.bmc = bmc
        self.client = bmc.client
        self._system = None

    def system(self):
        if self._system is None:
            self._system = self.bmc.system.read()
        return self._system

    def read(self, sections=SECTIONS):
        out = {"vendor": self.client.vendor.key, "redfish_version": self.client.root.get("RedfishVersion"),
               "unavailable": []}
        for name in sections:
            try:
                out[name] = getattr(self, name)()
            except _errors.NotFound:
                out[name] = None
                out["unavailable"].append(name)
        return out

    # -- sections ------------------------------------------------------------------
    def identity(self):
        data = self.system()
        return {"uuid": (data.get("UUID") or "").lower() or None, "serial": data.get("SerialNumber"),
                "model": data.get("Model"), "manufacturer": data.get("Manufacturer"),
                "sku": data.get("SKU"), "part_number": data.get("PartNumber"),
                "asset_tag": data.get("AssetTag"), "hostname": data.get("HostName"),
                "system_id": data.get("Id"), "bios_version": data.get("BiosVersion")}

    def power(self):
        return self.system().get("PowerState")

    def boot(self):
        boot = self.system().get("Boot") or {}
        out = _boot.public(boot)
        out["allowed_targets"] = boot.get("BootSourceOverrideTarget@Redfish.AllowableValues")
        return out

    def nics(self):
        return self.bmc.system.nics(self.system())

    def firmware(self):
        return self.bmc.firmware.inventory()

    def bios(self):
        state = self.bmc.bios.read()
        return {"attributes": state["current"], "pending": state["pending"]}

    def secure_boot(self):
        link = self.client.link(self.system(), "SecureBoot")
        if not link:
            raise _errors.NotFound("no SecureBoot resource")
        data = self.client.get(link)
        return {"enabled": data.get("SecureBootEnable"), "current_boot": data.get("SecureBootCurrentBoot"),
                "mode": data.get("SecureBootMode")}

    def manager(self):
        manager = self.bmc.manager.read()
        out = {"id": manager.get("Id"), "model": manager.get("Model"), "uuid": manager.get("UUID"),
               "firmware_version": manager.get("FirmwareVersion"), "type": manager.get("ManagerType"),
               "nics": self.bmc.system.manager_nics()}
        try:
            out["network"] = self.bmc.manager.protocols()
        except _errors.NotFound:
            out["network"] = None
        return out

    def accounts(self):
        return {"accounts": self.bmc.accounts.accounts(), "policy": self.bmc.accounts.policy()}

    def virtual_media(self):
        return [_virtual_media.slot_summary(s) for s in self.bmc.media.slots()]
