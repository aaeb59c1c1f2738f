# -*- coding: utf-8 -*-
# Copyright: odc.buildout developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The ComputerSystem and its Manager: finding them, identity, NICs, reset."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.odc.buildout.plugins.module_utils import _errors


def normalize_mac(mac):
    return str(mac or "").strip().lower().replace("-", ":")


def _last_segment(uri):
    return uri.rstrip("/").rsplit("/", 1)[-1]


def nic_summary(nic):
    return {
        "id": nic.get("Id"),
        "name": nic.get("Name"),
        "mac": normalize_mac(nic.get("MACAddress")) or None,
        "permanent_mac": normalize_mac(nic.get("PermanentMACAddress")) or None,
        "link_status": nic.get("LinkStatus"),
        "speed_mbps": nic.get("SpeedMbps"),
        "interface_type": nic.get("EthernetInterfaceType"),
        "ipv4": [a.get("Address") for a in nic.get("IPv4Addresses") or [] if a.get("Address")],
        "vlan": (nic.get("VLAN") or {}).get("VLANId") if (nic.get("VLAN") or {}).get("VLANEnable") else None,
    }


class SystemService:
    """One ComputerSystem (picked by ``system_id`` when a BMC has several)."""

    def __init__(self, client, system_id=None):
        self.client = client
        self.system_id = system_id
        self._uri = None
        self._manager_uri = None

    @property
    def uri(self):
        if self._uri is None:
            self._uri = self._resolve()
        return self._uri

    def _resolve(self):
        collection = self.client.link(self.client.root, "Systems") or "/redfish/v1/Systems"
        uris = [m["@odata.id"] for m in self.client.get(collection).get("Members", [])]
        if self.system_id:
            for uri in uris:
                if _last_segment(uri) == self.system_id:
                    return uri
            raise _errors.NotFound(f"system_id {self.system_id!r} not found; the BMC has {[_last_segment(u) for u in uris]}")
        if len(uris) == 1:
            return uris[0]
        ids = [_last_segment(u) for u in uris]
        raise _errors.ConfigError(f"the BMC manages {len(uris)} systems {ids}; set system_id")

    def read(self):
        return self.client.get(self.uri)

    def read_with_etag(self):
        return self.client.get_with_etag(self.uri)

    @property
    def manager_uri(self):
        if self._manager_uri is None:
            managed_by = (self.read().get("Links") or {}).get("ManagedBy") or []
            if managed_by:
                self._manager_uri = managed_by[0]["@odata.id"]
            else:
                managers = self.client.link(self.client.root, "Managers") or "/redfish/v1/Managers"
                members = self.client.get(managers).get("Members") or []
                if not members:
                    raise _errors.NotFound("the BMC lists no Manager")
                self._manager_uri = members[0]["@odata.id"]
        return self._manager_uri

    # -- identity -------------------------------------------------------------
    def nics(self, system=None):
        system = system or self.read()
        link = self.client.link(system, "EthernetInterfaces")
        return [nic_summary(n) for n in self.client.members(link)] if link else []

    def manager_nics(self):
        manager = self.client.get(self.manager_uri)
        link = self.client.link(manager, "EthernetInterfaces")
        return [nic_summary(n) for n in self.client.members(link)] if link else []

    def identity(self, with_macs=True):
        system = self.read()
        ident = {
            "uuid": (system.get("UUID") or "").lower() or None,
            "serial": system.get("SerialNumber"),
            "model": system.get("Model"),
            "manufacturer": system.get("Manufacturer"),
            "sku": system.get("SKU"),
            "part_number": system.get("PartNumber"),
            "asset_tag": system.get("AssetTag"),
            "hostname": system.get("HostName"),
        }
        if with_macs:
            macs = set()
            for nic in self.nics(system) + self.manager_nics():
                macs.update(m for m in (nic["mac"], nic["permanent_mac"]) if m)
            ident["macs"] = sorted(macs)
        return ident

    # -- power ------------------------------------------------------------------
    def power_state(self):
        return self.read().get("PowerState")

    def reset_action(self, system=None):
        system = system or self.read()
        action = (system.get("Actions") or {}).get("#ComputerSystem.Reset")
        if not action:
            raise _errors.ApiError("the system offers no ComputerSystem.Reset action")
        return action["target"], action.get("ResetType@Redfish.AllowableValues")

    def reset(self, reset_type):
        """POST the reset; WriteOutcomeUnknown propagates to the caller."""
        target, allowed = self.reset_action()
        if allowed is not None and reset_type not in allowed:
            raise _errors.ApiError(f"ResetType {reset_type} not offered by this BMC (offers {allowed})")
        self.client.post(target, {"ResetType": reset_type})

    def allows(self, reset_type):
        allowed = self.reset_action()[1]
        return allowed is None or reset_type in allowed
