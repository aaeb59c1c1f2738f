# -*- coding: utf-8 -*-
# Copyright: odc.buildout developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""GET side of the Redfish test double: render resources from BmcState."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

try:
    from . import _redfish_shapes as shapes
    from ._redfish_state import Problem, R
except ImportError:
    import _redfish_shapes as shapes
    from _redfish_state import Problem, R


def collection(state, rel, members, name):
    return {"@odata.id": state.oid(rel), "@odata.type": f"#{name}Collection.{name}Collection",
            "Name": name + " Collection", "Members": [state.ref(m) for m in members],
            "Members@odata.count": len(members)}


class Views:
    """``render(rel)`` returns (body, etag) for a path relative to /redfish/v1."""

    def __init__(self, state):
        self.s = state

    def routes(self):
        s = self.s
        table = {
            "": self.root, "Systems": self.systems, s.sys: self.system,
            s.sys + "/EthernetInterfaces": self.nics, s.sys + "/Bios": self.bios,
            s.sys + "/Bios/Settings": self.bios_settings, s.sys + "/SecureBoot": self.secure_boot,
            "Chassis": lambda: collection(s, "Chassis", [s.shape["chassis"]], "Chassis"),
            s.shape["chassis"]: self.chassis,
            "Managers": lambda: collection(s, "Managers", [s.mgr], "Manager"),
            s.mgr: self.manager, s.mgr + "/NetworkProtocol": self.network_protocol,
            s.mgr + "/EthernetInterfaces": lambda: collection(
                s, s.mgr + "/EthernetInterfaces", [s.mgr + "/EthernetInterfaces/1"], "EthernetInterface"),
            s.mgr + "/EthernetInterfaces/1": self.bmc_nic,
            s.media_root(): lambda: collection(
                s, s.media_root(), [s.media_root() + "/" + m for m in s.media], "VirtualMedia"),
            "SessionService": self.session_service,
            "SessionService/Sessions": lambda: collection(
                s, "SessionService/Sessions", ["SessionService/Sessions/" + k for k in s.sessions], "Session"),
            "AccountService": self.account_service,
            "AccountService/Accounts": lambda: collection(
                s, "AccountService/Accounts", ["AccountService/Accounts/" + k for k in s.accounts], "ManagerAccount"),
            "AccountService/Roles": lambda: collection(
                s, "AccountService/Roles",
                ["AccountService/Roles/" + r for r in ("Administrator", "Operator", "ReadOnly")], "Role"),
            "UpdateService": self.update_service,
            "UpdateService/FirmwareInventory": lambda: collection(
                s, "UpdateService/FirmwareInventory",
                ["UpdateService/FirmwareInventory/" + f["Id"] for f in s.firmware], "SoftwareInventory"),
            "TaskService": lambda: {"@odata.id": s.oid("TaskService"), "Id": "TaskService",
                                    "Tasks": s.ref("TaskService/Tasks")},
            "EventService": lambda: {"@odata.id": s.oid("EventService"), "Id": "EventService",
                                     "ServiceEnabled": True, "Subscriptions": s.ref("EventService/Subscriptions")},
            "EventService/Subscriptions": lambda: collection(
                s, "EventService/Subscriptions",
                ["EventService/Subscriptions/" + k for k in s.subscriptions], "EventDestination"),
        }
        if s.shape["syslog"] == "dell_attributes":
            table[s.mgr + "/Attributes"] = self.dell_attributes
        return table

    def render(self, rel):
        s = self.s
        s.settle()
        handler = self.routes().get(rel)
        if handler is not None:
            body = handler()
        else:
            body = self.member(rel)
        if body is None:
            raise Problem(404, "ResourceMissingAtURI", f"The resource at the URI {R}/{rel} was not found.")
        body.setdefault("@odata.id", s.oid(rel))
        etag = s.etag(rel)
        body["@odata.etag"] = etag
        return body, etag

    def member(self, rel):
        s = self.s
        parent, leaf = rel.rpartition("/")[::2]
        members = {
            s.sys + "/EthernetInterfaces": self.nic,
            s.media_root(): self.media,
            "SessionService/Sessions": self.session,
            "AccountService/Accounts": self.account,
            "AccountService/Roles": self.role,
            "UpdateService/FirmwareInventory": self.firmware,
            "TaskService/Tasks": self.task,
            "TaskService/TaskMonitors": self.task_monitor,
            "EventService/Subscriptions": self.subscription,
        }
        view = members.get(parent)
        return view(leaf) if view else None

    # -- root and system ------------------------------------------------------
    def root(self):
        s = self.s
        body = {"@odata.type": "#ServiceRoot.v1_15_0.ServiceRoot", "Id": "RootService",
                "Name": "Root Service", "RedfishVersion": "1.15.0", "UUID": s.uuid,
                "Product": s.shape["product"], "Systems": s.ref("Systems"),
                "Chassis": s.ref("Chassis"), "Managers": s.ref("Managers"),
                "AccountService": s.ref("AccountService"), "UpdateService": s.ref("UpdateService"),
                "TaskService": s.ref("TaskService"), "EventService": s.ref("EventService")}
        if s.shape["root_vendor"]:
            body["Vendor"] = s.shape["root_vendor"]
            body["Oem"] = {s.shape["oem"]: {}}
        if s.sessions_enabled:
            body["SessionService"] = s.ref("SessionService")
            body["Links"] = {"Sessions": s.ref("SessionService/Sessions")}
        return body

    def systems(self):
        return collection(self.s, "Systems", [self.s.sys], "ComputerSystem")

    def system(self):
        s = self.s
        boot = dict(s.boot)
        boot["BootSourceOverrideTarget@Redfish.AllowableValues"] = list(shapes.BOOT_TARGETS)
        boot["BootSourceOverrideMode@Redfish.AllowableValues"] = ["UEFI", "Legacy"]
        body = {"@odata.type": "#ComputerSystem.v1_20_0.ComputerSystem", "Id": s.sys.split("/")[-1],
                "Name": "System", "SystemType": "Physical", "Manufacturer": s.shape["manufacturer"],
                "Model": s.shape["model"], "SerialNumber": s.serial, "UUID": s.uuid,
                "PowerState": s.power, "Boot": boot, "BiosVersion": s.firmware_version("BIOS"),
                "Status": {"State": "Enabled", "Health": "OK"},
                "EthernetInterfaces": s.ref(s.sys + "/EthernetInterfaces"),
                "Bios": s.ref(s.sys + "/Bios"), "SecureBoot": s.ref(s.sys + "/SecureBoot"),
                "Links": {"Chassis": [s.ref(s.shape["chassis"])], "ManagedBy": [s.ref(s.mgr)]},
                "Actions": {"#ComputerSystem.Reset": {
                    "target": s.oid(s.sys + "/Actions/ComputerSystem.Reset"),
                    "ResetType@Redfish.AllowableValues": list(shapes.RESET_TYPES)}}}
        if s.shape["media_parent"] == "system":
            body["VirtualMedia"] = s.ref(s.media_root())
        return body

    def nics(self):
        s = self.s
        ids = [s.sys + "/EthernetInterfaces/" + str(i + 1) for i in range(len(s.macs))]
        return collection(s, s.sys + "/EthernetInterfaces", ids, "EthernetInterface")

    def nic(self, leaf):
        try:
            mac = self.s.macs[int(leaf) - 1]
        except (ValueError, IndexError):
            return None
        return {"@odata.type": "#EthernetInterface.v1_9_0.EthernetInterface", "Id": leaf,
                "Name": f"NIC {leaf}", "MACAddress": mac, "PermanentMACAddress": mac,
                "LinkStatus": "LinkUp", "SpeedMbps": 25000, "Status": {"State": "Enabled", "Health": "OK"}}

    def bios(self):
        s = self.s
        return {"@odata.type": "#Bios.v1_2_0.Bios", "Id": "Bios", "Name": "BIOS Configuration Current Settings",
                "AttributeRegistry": "BiosAttributeRegistry.v1_0_0", "Attributes": dict(s.bios),
                "@Redfish.Settings": {"@odata.type": "#Settings.v1_3_5.Settings",
                                      "SettingsObject": s.ref(s.sys + "/Bios/Settings"),
                                      "SupportedApplyTimes": ["OnReset"]},
                "Actions": {"#Bios.ResetBios": {"target": s.oid(s.sys + "/Bios/Actions/Bios.ResetBios")}}}

    def bios_settings(self):
        s = self.s
        attributes = dict(s.bios)
        attributes.update(s.bios_pending)
        return {"@odata.type": "#Bios.v1_2_0.Bios", "Id": "Settings",
                "Name": "BIOS Configuration Pending Settings", "Attributes": attributes}

    def secure_boot(self):
        return {"@odata.type": "#SecureBoot.v1_1_0.SecureBoot", "Id": "SecureBoot",
                "SecureBootEnable": self.s.secure_boot,
                "SecureBootCurrentBoot": "Enabled" if self.s.secure_boot else "Disabled",
                "SecureBootMode": "UserMode"}

    def chassis(self):
        s = self.s
        return {"@odata.type": "#Chassis.v1_22_0.Chassis", "Id": s.shape["chassis"].split("/")[-1],
                "Name": "Chassis", "ChassisType": "RackMount", "Manufacturer": s.shape["manufacturer"],
                "Model": s.shape["model"], "SerialNumber": s.serial, "PowerState": s.power}

    # -- manager ------------------------------------------------------------------
    def manager(self):
        s = self.s
        body = {"@odata.type": "#Manager.v1_17_0.Manager", "Id": s.mgr.split("/")[-1], "Name": "Manager",
                "ManagerType": "BMC", "Model": s.shape["manager_model"], "UUID": s.uuid,
                "FirmwareVersion": s.firmware_version("BMC"), "Status": {"State": "Enabled", "Health": "OK"},
                "NetworkProtocol": s.ref(s.mgr + "/NetworkProtocol"),
                "EthernetInterfaces": s.ref(s.mgr + "/EthernetInterfaces"),
                "Links": {"ManagerForServers": [s.ref(s.sys)]},
                "Actions": {"#Manager.Reset": {"target": s.oid(s.mgr + "/Actions/Manager.Reset"),
                                               "ResetType@Redfish.AllowableValues": ["GracefulRestart"]}}}
        if s.shape["media_parent"] == "manager":
            body["VirtualMedia"] = s.ref(s.media_root())
        if s.shape["syslog"] == "dell_attributes":
            body["Oem"] = {"Dell": {"DellAttributes": [s.ref(s.mgr + "/Attributes")]}}
        return body

    def network_protocol(self):
        s = self.s
        body = {"@odata.type": "#ManagerNetworkProtocol.v1_9_1.ManagerNetworkProtocol",
                "Id": "NetworkProtocol", "Name": "Manager Network Protocol", "HostName": "bmc"}
        for name, value in s.protocols.items():
            body[name] = dict(value)
        if s.shape["syslog"] == "hpe_oem":
            body["Oem"] = {"Hpe": {"RemoteSyslogEnabled": s.syslog["enabled"],
                                   "RemoteSyslogServer": s.syslog["server"],
                                   "RemoteSyslogPort": s.syslog["port"]}}
        return body

    def dell_attributes(self):
        s = self.s
        return {"Id": "iDRACAttributes", "Name": "iDRAC attributes",
                "Attributes": {"SysLog.1.SysLogEnable": "Enabled" if s.syslog["enabled"] else "Disabled",
                               "SysLog.1.Server1": s.syslog["server"], "SysLog.1.Port": s.syslog["port"]}}

    def bmc_nic(self):
        return {"@odata.type": "#EthernetInterface.v1_9_0.EthernetInterface", "Id": "1",
                "Name": "Manager Ethernet Interface", "MACAddress": self.s.bmc_mac,
                "PermanentMACAddress": self.s.bmc_mac, "InterfaceEnabled": True}

    def media(self, leaf):
        s = self.s
        slot = s.media.get(leaf)
        if slot is None:
            return None
        base = s.media_root() + "/" + leaf
        body = {"@odata.type": "#VirtualMedia.v1_6_0.VirtualMedia", "Id": leaf, "Name": "Virtual " + leaf,
                "MediaTypes": list(slot["kinds"]), "Image": slot["Image"], "Inserted": slot["Inserted"],
                "WriteProtected": slot["WriteProtected"],
                "ConnectedVia": "URI" if slot["Image"] else "NotConnected"}
        if slot["mode"] != "patch":
            body["Actions"] = {
                "#VirtualMedia.InsertMedia": {"target": s.oid(base + "/Actions/VirtualMedia.InsertMedia")},
                "#VirtualMedia.EjectMedia": {"target": s.oid(base + "/Actions/VirtualMedia.EjectMedia")}}
        return body

    # -- services -----------------------------------------------------------------
    def session_service(self):
        return {"@odata.type": "#SessionService.v1_1_8.SessionService", "Id": "SessionService",
                "ServiceEnabled": True, "SessionTimeout": self.s.session_timeout,
                "Sessions": self.s.ref("SessionService/Sessions")}

    def session(self, leaf):
        sess = self.s.sessions.get(leaf)
        if sess is None:
            return None
        return {"@odata.type": "#Session.v1_6_0.Session", "Id": leaf, "UserName": sess["user"]}

    def account_service(self):
        s = self.s
        body = {"@odata.type": "#AccountService.v1_12_0.AccountService", "Id": "AccountService",
                "ServiceEnabled": True, "Accounts": s.ref("AccountService/Accounts"),
                "Roles": s.ref("AccountService/Roles"), "LocalAccountAuth": "Enabled"}
        body.update(s.account_policy)
        return body

    def account(self, leaf):
        acc = self.s.accounts.get(leaf)
        if acc is None:
            return None
        return {"@odata.type": "#ManagerAccount.v1_10_0.ManagerAccount", "Id": leaf, "Name": "User Account",
                "UserName": acc["UserName"], "RoleId": acc["RoleId"], "Enabled": acc["Enabled"],
                "Locked": acc.get("locked_until", 0) > 0 and acc.get("Locked", False),
                "Password": None, "AccountTypes": ["Redfish", "IPMI"]}

    @staticmethod
    def role(leaf):
        if leaf not in ("Administrator", "Operator", "ReadOnly"):
            return None
        return {"@odata.type": "#Role.v1_3_1.Role", "Id": leaf, "RoleId": leaf, "IsPredefined": True}

    def update_service(self):
        s = self.s
        return {"@odata.type": "#UpdateService.v1_11_2.UpdateService", "Id": "UpdateService",
                "ServiceEnabled": True, "FirmwareInventory": s.ref("UpdateService/FirmwareInventory"),
                "Actions": {"#UpdateService.SimpleUpdate": {
                    "target": s.oid("UpdateService/Actions/UpdateService.SimpleUpdate"),
                    "TransferProtocol@Redfish.AllowableValues": ["HTTP", "HTTPS"]}}}

    def firmware(self, leaf):
        for item in self.s.firmware:
            if item["Id"] == leaf:
                return {"@odata.type": "#SoftwareInventory.v1_9_0.SoftwareInventory", "Id": item["Id"],
                        "Name": item["Name"], "Version": item["Version"], "Updateable": True,
                        "Status": {"State": "Enabled", "Health": "OK"}}
        return None

    def _task_body(self, tid, task):
        return {"@odata.type": "#Task.v1_7_0.Task", "@odata.id": self.s.oid("TaskService/Tasks/" + tid),
                "Id": tid, "Name": task["name"], "TaskState": task["state"],
                "TaskStatus": "OK" if task["state"] != "Exception" else "Critical",
                "Messages": task.get("messages", [])}

    def task(self, leaf):
        if leaf not in self.s.tasks:
            return None
        return self._task_body(leaf, self.s.poll_task(leaf))

    def task_monitor(self, leaf):
        """DMTF task monitor: the handler answers 202 while the task runs."""
        if leaf not in self.s.tasks:
            return None
        task = self.s.poll_task(leaf)
        body = self._task_body(leaf, task)
        if task["state"] == "Running":
            running = Problem(202, "Accepted", "running", {"Retry-After": "0"})
            running.body = body
            raise running
        return body

    def subscription(self, leaf):
        sub = self.s.subscriptions.get(leaf)
        if sub is None:
            return None
        body = {"@odata.type": "#EventDestination.v1_14_0.EventDestination", "Id": leaf}
        body.update(sub)
        return body
