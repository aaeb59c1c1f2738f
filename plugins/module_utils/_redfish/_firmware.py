# -*- coding: utf-8 -*-
# Copyright: odc.buildout developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Firmware inventory, compliance against a baseline, SimpleUpdate.

A baseline is ``{component: version}``; a component matches an inventory
entry by Id, Name or SoftwareId (several entries may match, e.g. NIC ports:
all must comply).  Entries the vendor table marks as not installed (Dell
"Previous-"/"Available-") are ignored.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.odc.buildout.plugins.module_utils import _errors


def entry_summary(item):
    return {"id": item.get("Id"), "name": item.get("Name"), "version": item.get("Version"),
            "software_id": item.get("SoftwareId"), "updateable": item.get("Updateable"),
            "uri": item.get("@odata.id")}


class FirmwareService:
    def __init__(self, client, task_timeout=3600):
        self.client = client
        self.task_timeout = task_timeout

    def _update_service(self):
        link = self.client.link(self.client.root, "UpdateService")
        if not link:
            raise _errors.NotFound("this BMC has no UpdateService")
        return self.client.get(link)

    def inventory(self):
        link = self.client.link(self._update_service(), "FirmwareInventory")
        if not link:
            raise _errors.NotFound("this BMC has no FirmwareInventory")
        skip = self.client.vendor.firmware_skip
        return [entry_summary(i) for i in self.client.members(link)
                if not any(str(i.get("Id", "")).startswith(p) for p in skip)]

    @staticmethod
    def _matches(entry, component):
        return component in (entry["id"], entry["name"], entry["software_id"])

    def compliance(self, baseline, inventory=None):
        """{compliant, drift: [...], components: [...]} for a baseline."""
        inventory = self.inventory() if inventory is None else inventory
        components = []
        for component, expected in baseline.items():
            found = [e for e in inventory if self._matches(e, component)]
            if not found:
                components.append({"component": component, "expected": str(expected), "installed": None,
                                   "status": "missing", "ids": []})
                continue
            versions = sorted({str(e["version"]) for e in found})
            ok = versions == [str(expected)]
            components.append({"component": component, "expected": str(expected),
                               "installed": versions[0] if len(versions) == 1 else versions,
                               "status": "ok" if ok else "drift", "ids": [e["id"] for e in found],
                               "uris": [e["uri"] for e in found]})
        drift = [c for c in components if c["status"] != "ok"]
        return {"compliant": not drift, "drift": [c["component"] for c in drift], "components": components}

    def simple_update(self, image_uri, targets=None, transfer_protocol=None):
        """POST SimpleUpdate and follow the task to its end (TaskFailed on failure)."""
        action = ((self._update_service().get("Actions") or {}).get("#UpdateService.SimpleUpdate") or {})
        if not action.get("target"):
            raise _errors.ApiError("this BMC offers no UpdateService.SimpleUpdate")
        body = {"ImageURI": image_uri}
        if targets:
            body["Targets"] = list(targets)
        if transfer_protocol:
            body["TransferProtocol"] = transfer_protocol
        try:
            response = self.client.post(action["target"], body)
        except _errors.WriteOutcomeUnknown as exc:
            raise _errors.WriteOutcomeUnknown(
                f"{exc}; an update may be running on the BMC - check its task list before retrying")
        return self.client.follow_task(response, self.task_timeout)

    def ensure(self, baseline, images=None, update=False, transfer_protocol=None, check_mode=False):
        """Report drift; with ``update`` apply images for drifted components."""
        before = self.compliance(baseline)
        result = {"changed": False, "compliant": before["compliant"], "drift": before["drift"],
                  "components": before["components"], "updated": []}
        if before["compliant"] or not update:
            return result
        todo = [c for c in before["components"] if c["status"] == "drift"]
        missing = [c["component"] for c in todo if c["component"] not in (images or {})]
        if missing:
            raise _errors.ConfigError(f"update requested but no image given for drifted components {missing}")
        result["changed"] = True
        if check_mode:
            result["updated"] = [c["component"] for c in todo]
            return result
        for component in todo:
            self.simple_update(images[component["component"]], component.get("uris"), transfer_protocol)
            result["updated"].append(component["component"])
        after = self.compliance(baseline)
        still = [c for c in after["components"] if c["component"] in result["updated"] and c["status"] != "ok"]
        if still:
            names, versions = [c["component"] for c in still], [c["installed"] for c in still]
            raise _errors.TaskFailed(f"update tasks completed but {names} still report {versions}")
        result.update(compliant=after["compliant"], drift=after["drift"], components=after["components"])
        return result
