# -*- coding: utf-8 -*-
# Copyright: odc.buildout developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Write side of the Redfish test double (POST/PATCH/DELETE)."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

try:
    from . import _redfish_shapes as shapes
    from ._redfish_state import Problem
except ImportError:
    import _redfish_shapes as shapes
    from _redfish_state import Problem

BOOT_KEYS = ("BootSourceOverrideEnabled", "BootSourceOverrideTarget", "BootSourceOverrideMode")
ACCOUNT_KEYS = ("UserName", "Password", "RoleId", "Enabled", "Locked")
POLICY_KEYS = ("AccountLockoutThreshold", "AccountLockoutDuration",
               "AccountLockoutCounterResetAfter", "MinPasswordLength")


class Result:
    def __init__(self, status=204, body=None, headers=None, applied=True):
        self.status, self.body, self.headers, self.applied = status, body, headers or {}, applied


def _unknown(keys, allowed):
    extra = sorted(set(keys) - set(allowed))
    if extra:
        raise Problem(400, "PropertyUnknown", f"The property {extra[0]} is not in the list of valid properties "
                      "for the resource.")


class Actions:
    def __init__(self, state, views):
        self.s = state
        self.views = views

    def handle(self, method, rel, body, headers):
        s = self.s
        s.settle()
        routes = {
            ("POST", s.sys + "/Actions/ComputerSystem.Reset"): self.reset,
            ("PATCH", s.sys): self.patch_system,
            ("PATCH", s.sys + "/SecureBoot"): self.patch_secure_boot,
            ("PATCH", s.sys + "/Bios/Settings"): self.patch_bios,
            ("PATCH", "AccountService"): self.patch_account_service,
            ("POST", "AccountService/Accounts"): self.create_account,
            ("PATCH", s.mgr + "/NetworkProtocol"): self.patch_protocols,
            ("PATCH", s.mgr + "/Attributes"): self.patch_dell_attributes,
            ("POST", s.mgr + "/Actions/Manager.Reset"): self.manager_reset,
            ("POST", "UpdateService/Actions/UpdateService.SimpleUpdate"): self.simple_update,
            ("POST", "EventService/Subscriptions"): self.subscribe,
        }
        handler = routes.get((method, rel))
        if handler is None:
            handler = self._member_handler(method, rel)
        if handler is None:
            raise Problem(405, "OperationNotAllowed", f"{method} is not allowed on this resource.")
        if method == "PATCH":
            self._check_etag(rel, headers)
        result = handler(rel, body)
        if method == "PATCH" and result.applied:
            s.bump(rel)
        return result

    def _member_handler(self, method, rel):
        parent = rel.rpartition("/")[0]
        media = self.s.media_root()
        if rel.startswith(media + "/") and rel.endswith("VirtualMedia.InsertMedia"):
            return self.insert_media
        if rel.startswith(media + "/") and rel.endswith("VirtualMedia.EjectMedia"):
            return self.eject_media
        table = {("PATCH", media): self.patch_media,
                 ("PATCH", "AccountService/Accounts"): self.patch_account,
                 ("DELETE", "AccountService/Accounts"): self.delete_account,
                 ("DELETE", "EventService/Subscriptions"): self.unsubscribe}
        return table.get((method, parent))

    def _check_etag(self, rel, headers):
        given = headers.get("If-Match")
        if given is None:
            if self.s.shape["if_match_required"]:
                raise Problem(428, "PreconditionRequired",
                              "A precondition header (If-Match) is required for this request.")
            return
        if given != "*" and given != self.s.etag(rel):
            raise Problem(412, "PreconditionFailed",
                          "The ETag supplied did not match the ETag required to change this resource.")

    # -- system -----------------------------------------------------------------
    def reset(self, rel, body):
        applied = self.s.reset(body.get("ResetType"))
        if self.s.faults is not None:
            self.s.faults.start_unreachable()
        return Result(204, applied=applied)

    def patch_system(self, rel, body):
        _unknown(body.keys(), ("Boot", "AssetTag"))
        boot = body.get("Boot") or {}
        _unknown(boot.keys(), BOOT_KEYS)
        target = boot.get("BootSourceOverrideTarget")
        if target is not None and target not in shapes.BOOT_TARGETS:
            raise Problem(400, "PropertyValueNotInList", f"The value {target} for the property "
                          "BootSourceOverrideTarget is not in the list of acceptable values.")
        if boot.get("BootSourceOverrideEnabled") not in (None, "Once", "Continuous", "Disabled"):
            raise Problem(400, "PropertyValueNotInList", "Bad BootSourceOverrideEnabled.")
        if boot.get("BootSourceOverrideMode") not in (None, "UEFI", "Legacy"):
            raise Problem(400, "PropertyValueNotInList", "Bad BootSourceOverrideMode.")
        self.s.boot.update(boot)
        return Result(204)

    def patch_secure_boot(self, rel, body):
        _unknown(body.keys(), ("SecureBootEnable",))
        self.s.secure_boot = bool(body["SecureBootEnable"])
        return Result(204)

    def patch_bios(self, rel, body):
        _unknown(body.keys(), ("Attributes", "@Redfish.SettingsApplyTime"))
        attributes = body.get("Attributes") or {}
        _unknown(attributes.keys(), self.s.bios.keys())
        self.s.bios_pending.update(attributes)
        if "@Redfish.SettingsApplyTime" in body:
            self.s.bios_job = True
        return Result(202 if self.s.bios_job else 204)

    # -- virtual media ---------------------------------------------------------------
    def _slot(self, rel):
        leaf = rel[len(self.s.media_root()) + 1:].split("/")[0]
        if leaf not in self.s.media:
            raise Problem(404, "ResourceMissingAtURI", f"No virtual media slot {leaf}.")
        return self.s.media[leaf]

    def _mount(self, slot, image, inserted=True, write_protected=True):
        if self.s.faults is not None and self.s.faults.get("insert_not_inserted"):
            inserted = False
        slot.update(Image=image, Inserted=bool(inserted), WriteProtected=bool(write_protected))

    def insert_media(self, rel, body):
        slot = self._slot(rel)
        allowed = ["Image", "TransferProtocolType", "UserName", "Password"]
        if slot["mode"] == "action":
            allowed += ["Inserted", "WriteProtected"]
        extra = sorted(set(body) - set(allowed))
        if extra:
            raise Problem(400, "ActionParameterUnknown", "The action InsertMedia was submitted with "
                          f"the invalid parameter {extra[0]}.")
        if not body.get("Image"):
            raise Problem(400, "ActionParameterMissing", "InsertMedia requires the parameter Image.")
        if slot["Image"]:
            raise Problem(409, "ResourceInUse", "Virtual media is already attached; eject it first.")
        self._mount(slot, body["Image"], body.get("Inserted", True), body.get("WriteProtected", True))
        return Result(204)

    def eject_media(self, rel, body):
        slot = self._slot(rel)
        applied = bool(slot["Image"])
        slot.update(Image=None, Inserted=False)
        return Result(204, applied=applied)

    def patch_media(self, rel, body):
        slot = self._slot(rel + "/x")
        if slot["mode"] != "patch":
            raise Problem(405, "OperationNotAllowed", "Use the InsertMedia/EjectMedia actions.")
        _unknown(body.keys(), ("Image", "Inserted", "WriteProtected", "TransferProtocolType"))
        if body.get("Image"):
            self._mount(slot, body["Image"], body.get("Inserted", True), body.get("WriteProtected", True))
        else:
            slot.update(Image=None, Inserted=False)
        return Result(204)

    # -- accounts ------------------------------------------------------------------
    def _password_ok(self, password):
        if password is not None and len(password) < self.s.account_policy["MinPasswordLength"]:
            minimum = self.s.account_policy["MinPasswordLength"]
            raise Problem(400, "PropertyValueFormatError",
                          f"The password does not meet the minimum length of {minimum}.")

    def patch_account_service(self, rel, body):
        _unknown(body.keys(), POLICY_KEYS)
        self.s.account_policy.update(body)
        return Result(204)

    def create_account(self, rel, body):
        if self.s.shape["account_slots"]:
            raise Problem(405, "OperationNotAllowed", "Accounts are fixed slots: PATCH an empty one.")
        _unknown(body.keys(), ACCOUNT_KEYS)
        self._password_ok(body.get("Password"))
        if self.s._account_by_name(body.get("UserName"))[0]:
            raise Problem(409, "ResourceAlreadyExists", "The account already exists.")
        aid = str(max(int(k) for k in self.s.accounts) + 1 if self.s.accounts else 1)
        self.s.accounts[aid] = {"UserName": body["UserName"], "Password": body["Password"],
                                "RoleId": body.get("RoleId", "ReadOnly"),
                                "Enabled": body.get("Enabled", True), "Locked": False}
        location = self.s.oid("AccountService/Accounts/" + aid)
        return Result(201, self.views.account(aid), {"Location": location})

    def patch_account(self, rel, body):
        aid = rel.rsplit("/", 1)[1]
        if aid not in self.s.accounts:
            raise Problem(404, "ResourceMissingAtURI", f"No account {aid}.")
        if aid in self.s.shape["reserved_slots"]:
            raise Problem(400, "PropertyNotWritable", f"Account slot {aid} is reserved.")
        _unknown(body.keys(), ACCOUNT_KEYS)
        self._password_ok(body.get("Password"))
        account = self.s.accounts[aid]
        if body.get("Locked") is False:
            account.pop("locked_until", None)
        if self.s.faults is not None and self.s.faults.get("ignore_password_change"):
            body = {k: v for k, v in body.items() if k != "Password"}
        account.update({k: v for k, v in body.items() if k != "Locked"})
        return Result(204)

    def delete_account(self, rel, body):
        aid = rel.rsplit("/", 1)[1]
        if self.s.shape["account_slots"]:
            raise Problem(405, "OperationNotAllowed", "Clear the slot with PATCH instead.")
        if self.s.accounts.pop(aid, None) is None:
            raise Problem(404, "ResourceMissingAtURI", f"No account {aid}.")
        return Result(204)

    # -- manager -------------------------------------------------------------------
    def patch_protocols(self, rel, body):
        oem = body.get("Oem", {}).get("Hpe")
        if oem is not None and self.s.shape["syslog"] == "hpe_oem":
            _unknown(oem.keys(), ("RemoteSyslogEnabled", "RemoteSyslogServer", "RemoteSyslogPort"))
            self.s.syslog.update(enabled=oem.get("RemoteSyslogEnabled", self.s.syslog["enabled"]),
                                 server=oem.get("RemoteSyslogServer", self.s.syslog["server"]),
                                 port=oem.get("RemoteSyslogPort", self.s.syslog["port"]))
        protocols = {k: v for k, v in body.items() if k != "Oem"}
        _unknown(protocols.keys(), self.s.protocols.keys())
        for name, value in protocols.items():
            _unknown(value.keys(), ("ProtocolEnabled", "Port", "NTPServers"))
            self.s.protocols[name].update(value)
        return Result(204)

    def patch_dell_attributes(self, rel, body):
        attributes = body.get("Attributes") or {}
        _unknown(attributes.keys(), ("SysLog.1.SysLogEnable", "SysLog.1.Server1", "SysLog.1.Port"))
        syslog = self.s.syslog
        if "SysLog.1.SysLogEnable" in attributes:
            syslog["enabled"] = attributes["SysLog.1.SysLogEnable"] == "Enabled"
        syslog["server"] = attributes.get("SysLog.1.Server1", syslog["server"])
        syslog["port"] = attributes.get("SysLog.1.Port", syslog["port"])
        return Result(200, {"@Message.ExtendedInfo": [{"MessageId": "Base.1.15.Success"}]})

    def manager_reset(self, rel, body):
        if self.s.faults is not None:
            self.s.faults.start_unreachable()
        return Result(204)

    # -- update service and events ---------------------------------------------------
    def simple_update(self, rel, body):
        image = body.get("ImageURI")
        if not image:
            raise Problem(400, "ActionParameterMissing", "SimpleUpdate requires ImageURI.")
        fail = self.s.faults.take_task_failure() if self.s.faults is not None else False

        def apply():
            versions = self.s.firmware_images.get(image)
            if versions is None:
                raise Problem(400, "ResourceAtUriUnauthorized", f"Image {image} could not be fetched.")
            for item in self.s.firmware:
                if item["Id"] in versions:
                    item["Version"] = versions[item["Id"]]

        tid, location = self.s.start_task("SimpleUpdate", apply, fail)
        return Result(202, {"@odata.id": location, "Id": tid, "TaskState": "Running"},
                      {"Location": location})

    def subscribe(self, rel, body):
        sid = str(self.s._next_id())
        self.s.subscriptions[sid] = dict(body)
        location = self.s.oid("EventService/Subscriptions/" + sid)
        return Result(201, self.views.subscription(sid), {"Location": location})

    def unsubscribe(self, rel, body):
        if self.s.subscriptions.pop(rel.rsplit("/", 1)[1], None) is None:
            raise Problem(404, "ResourceMissingAtURI", "No such subscription.")
        return Result(204)
