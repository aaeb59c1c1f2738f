# -*- coding: utf-8 -*-
# Copyright: odc.buildout developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Virtual media: present/absent image in a CD/USB slot, verified after.

Where the slots live comes from the vendor table (iDRAC/iLO/XCC/Supermicro:
under the Manager; DMTF 2021+: under the ComputerSystem), with the other
place as fallback.  Insert uses the InsertMedia action when the slot offers
it (sending only the optional fields the vendor accepts), else PATCH.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import posixpath

from ansible_collections.odc.buildout.plugins.module_utils import _errors

KINDS = {"cd": ("CD", "DVD"), "usb": ("USBStick",), "floppy": ("Floppy",)}


def slot_summary(slot):
    return {"id": slot.get("Id"), "media_types": slot.get("MediaTypes") or [],
            "image": slot.get("Image") or None, "image_name": slot.get("ImageName") or None,
            "inserted": bool(slot.get("Inserted")), "write_protected": slot.get("WriteProtected")}


def _image_matches(slot, image):
    current = slot.get("Image") or ""
    if current == image:
        return True
    name = slot.get("ImageName")
    return bool(name) and not current and name == posixpath.basename(image)


class VirtualMediaService:
    def __init__(self, system):
        self.system = system
        self.client = system.client
        self.warnings = []

    def _collections(self):
        manager = self.client.get(self.system.manager_uri)
        system = self.system.read()
        order = [manager, system] if self.client.vendor.media_home == "manager" else [system, manager]
        return [self.client.link(r, "VirtualMedia") for r in order if self.client.link(r, "VirtualMedia")]

    def slots(self):
        for link in self._collections():
            try:
                members = self.client.members(link)
            except _errors.NotFound:
                continue
            if members:
                return members
        return []

    def pick(self, kind="cd", slot_id=None):
        slots = self.slots()
        for slot in slots:
            if slot_id and slot.get("Id") == slot_id:
                return slot
            if not slot_id and set(slot.get("MediaTypes") or []) & set(KINDS[kind]):
                return slot
        raise _errors.NotFound("no virtual media slot for {} (slots: {})".format(slot_id or kind, [s.get("Id") for s in slots]))

    # -- operations -------------------------------------------------------------
    def _action(self, slot, name):
        return ((slot.get("Actions") or {}).get(f"#VirtualMedia.{name}") or {}).get("target")

    def _insert(self, slot, image, write_protected, transfer_protocol):
        target = self._action(slot, "InsertMedia")
        if target:
            body = {"Image": image}
            if "Inserted" in self.client.vendor.insert_fields:
                body["Inserted"] = True
            if "WriteProtected" in self.client.vendor.insert_fields:
                body["WriteProtected"] = write_protected
            if transfer_protocol:
                body["TransferProtocolType"] = transfer_protocol
            self.client.action(target, body)
        else:
            self.client.patch(slot["@odata.id"], {"Image": image, "Inserted": True,
                                                  "WriteProtected": write_protected})

    def _eject(self, slot):
        target = self._action(slot, "EjectMedia")
        if target:
            self.client.action(target, {})
        else:
            self.client.patch(slot["@odata.id"], {"Image": None, "Inserted": False})

    def _guarded(self, operation, slot, done):
        """Run an insert/eject; after a lost answer re-read and resend once
        only if the slot shows it did not happen."""
        try:
            operation()
            return
        except _errors.WriteOutcomeUnknown as exc:
            self.warnings.append(f"{exc}; re-reading the slot")
        if done(self.client.get(slot["@odata.id"])):
            return
        operation()

    @staticmethod
    def plan(slot, image, state):
        """Steps ('eject', 'insert') that take the slot to the wanted state."""
        mounted = bool(slot.get("Image")) or bool(slot.get("Inserted"))
        if state == "present":
            if _image_matches(slot, image) and slot.get("Inserted"):
                return []
            return ["eject", "insert"] if mounted else ["insert"]
        return ["eject"] if mounted and (image is None or _image_matches(slot, image)) else []

    def ensure(self, image=None, state="present", kind="cd", slot_id=None,
               write_protected=True, transfer_protocol=None, check_mode=False):
        slot = self.pick(kind, slot_id)
        before = slot_summary(slot)
        steps = self.plan(slot, image, state)
        if not steps:
            return {"changed": False, "before": before, "after": before, "steps": [], "warnings": []}
        if check_mode:
            after = dict(before, image=image, inserted=True) if state == "present" else \
                dict(before, image=None, inserted=False)
            return {"changed": True, "before": before, "after": after, "steps": steps, "warnings": []}
        for step in steps:
            if step == "eject":
                self._guarded(lambda: self._eject(slot), slot,
                              lambda s: not s.get("Image") and not s.get("Inserted"))
            else:
                self._guarded(lambda: self._insert(slot, image, write_protected, transfer_protocol), slot,
                              lambda s: _image_matches(s, image))
        after = self.verify(slot, image if state == "present" else None)
        return {"changed": True, "before": before, "after": after, "steps": steps, "warnings": self.warnings}

    def verify(self, slot, image):
        current = self.client.get(slot["@odata.id"])
        summary = slot_summary(current)
        if image is None:
            if summary["inserted"] or summary["image"]:
                raise _errors.ApiError("the BMC still reports {} in slot {} after eject".format(summary["image"], summary["id"]))
            return summary
        if not _image_matches(current, image) or not summary["inserted"]:
            raise _errors.ApiError(
                f"after InsertMedia slot {summary['id']} reports Image={summary['image']} "
                f"Inserted={summary['inserted']} (wanted {image}, true); the BMC could not mount the image")
        return summary
