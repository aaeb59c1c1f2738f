# -*- coding: utf-8 -*-
# Copyright: odc.buildout developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""State of one emulated BMC and the Redfish resources rendered from it."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import copy
import threading
import time
import uuid as uuidlib

try:
    from . import _redfish_shapes as shapes
except ImportError:  # run as a script / imported from tests/doubles on sys.path
    import _redfish_shapes as shapes

R = "/redfish/v1"


def error_body(message_id, message, resolution=None, args=None):
    entry = {"MessageId": "Base.1.15." + message_id, "Message": message,
             "MessageArgs": args or [], "Severity": "Warning",
             "Resolution": resolution or "Correct the request and resubmit."}
    return {"error": {"code": "Base.1.15.GeneralError",
                      "message": "A general error has occurred. See ExtendedInfo for more information.",
                      "@Message.ExtendedInfo": [entry]}}


class Problem(Exception):
    """A Redfish error answer (status + ExtendedInfo body)."""

    def __init__(self, status, message_id, message, headers=None):
        super().__init__(message)
        self.status = status
        self.body = error_body(message_id, message)
        self.headers = headers or {}


class BmcState:
    def __init__(self, vendor="generic", serial="SN-TEST-0001", uuid=None, macs=None,
                 bmc_mac="02:00:00:00:00:01", power="Off", power_delay=0.0,
                 username="admin", password="password", session_timeout=1800,
                 lockout_threshold=5, lockout_duration=60, task_polls=1,
                 sessions=True, basic_auth=None, firmware_images=None, faults=None):
        self.lock = threading.RLock()
        self.vendor = vendor
        self.shape = shapes.SHAPES[vendor]
        self.serial = serial
        self.uuid = uuid or str(uuidlib.uuid4()).upper()
        self.macs = [m.upper() for m in (macs or ["02:00:00:00:10:01", "02:00:00:00:10:02"])]
        self.bmc_mac = bmc_mac.upper()
        self.power = power
        self.pending_power = None
        self.power_delay = float(power_delay)
        self.boots = 0
        self.boot = {"BootSourceOverrideEnabled": "Disabled", "BootSourceOverrideTarget": "None",
                     "BootSourceOverrideMode": "UEFI"}
        self.bios = dict(shapes.BASE_BIOS)
        self.bios_pending = {}
        self.bios_job = False
        self.secure_boot = False
        self.media = {sid: {"Image": None, "Inserted": False, "WriteProtected": True, "kinds": kinds, "mode": mode}
                      for sid, kinds, mode in self.shape["media"]}
        self.protocols = copy.deepcopy(shapes.PROTOCOLS)
        self.syslog = {"enabled": False, "server": "", "port": 514}
        self.subscriptions = {}
        self.account_policy = {"AccountLockoutThreshold": lockout_threshold,
                               "AccountLockoutDuration": lockout_duration,
                               "AccountLockoutCounterResetAfter": lockout_duration,
                               "MinPasswordLength": 8}
        self.accounts = self._initial_accounts(username, password)
        self.failures = {}
        self.sessions_enabled = sessions
        self.basic_auth = self.shape["basic_auth"] if basic_auth is None else basic_auth
        self.session_timeout = session_timeout
        self.sessions = {}
        self.max_sessions_seen = 0
        self.firmware = [{"Id": i, "Name": n, "Version": v} for i, n, v in self.shape["firmware"]]
        self.firmware_images = dict(firmware_images or {})
        self.tasks = {}
        self.task_polls = task_polls
        self.generations = {}
        self.faults = faults
        self._counter = 0

    # -- helpers -------------------------------------------------------------
    def _next_id(self):
        self._counter += 1
        return self._counter

    def oid(self, rel):
        """@odata.id for a path relative to /redfish/v1 (HPE: trailing slash)."""
        path = R + "/" + rel if rel else R + "/"
        return path + "/" if self.shape["slash"] and rel else path

    def ref(self, rel):
        return {"@odata.id": self.oid(rel)}

    def etag(self, rel):
        return f'W/"{self.generations.get(rel, 1)}"'

    def bump(self, rel):
        self.generations[rel] = self.generations.get(rel, 1) + 1

    @property
    def sys(self):
        return self.shape["system"]

    @property
    def mgr(self):
        return self.shape["manager"]

    def media_root(self):
        return (self.sys if self.shape["media_parent"] == "system" else self.mgr) + "/VirtualMedia"

    def _initial_accounts(self, username, password):
        accounts = {}
        slots = self.shape["account_slots"]
        if slots:
            for index in range(1, slots + 1):
                accounts[str(index)] = {"UserName": "", "Password": "", "RoleId": "None",
                                        "Enabled": False, "Locked": False}
            admin_id = "2" if "1" in self.shape["reserved_slots"] else "1"
        else:
            admin_id = "1"
        accounts[admin_id] = {"UserName": username, "Password": password,
                              "RoleId": "Administrator", "Enabled": True, "Locked": False}
        return accounts

    def firmware_version(self, kind):
        words = {"BMC": ("idrac", "ilo", "bmc", "xcc"), "BIOS": ("bios", "rom", "uefi")}[kind]
        for item in self.firmware:
            text = (item["Id"] + " " + item["Name"]).lower()
            if not item["Id"].startswith("Previous-") and any(w in text for w in words):
                return item["Version"]
        return None

    # -- power -----------------------------------------------------------------
    def settle(self):
        """Apply a pending power transition whose time has come."""
        pending = self.pending_power
        if pending and time.time() >= pending["at"]:
            self.pending_power = None
            if pending["to"] == "On" and self.power != "On":
                self._boot_up()
            self.power = pending["to"]

    def _boot_up(self):
        self.boots += 1
        if self.bios_pending and (self.bios_job or not self.shape["bios_apply_time_required"]):
            self.bios.update(self.bios_pending)
            self.bios_pending = {}
            self.bios_job = False
            self.bump(self.sys + "/Bios")
        if self.boot["BootSourceOverrideEnabled"] == "Once":
            self.boot["BootSourceOverrideEnabled"] = "Disabled"
            self.boot["BootSourceOverrideTarget"] = "None"

    def _schedule(self, target):
        at = time.time() + self.power_delay
        self.pending_power = {"to": target, "at": at}
        self.settle()

    def reset(self, reset_type):
        """Returns True if the request changed (or will change) anything."""
        self.settle()
        graceful = reset_type in ("GracefulShutdown", "GracefulRestart")
        if graceful and self.faults is not None and self.faults.get("ignore_graceful"):
            return False
        if reset_type in ("On", "ForceOn") or (reset_type == "PushPowerButton" and self.power == "Off"):
            if self.power == "On":
                return False
            self._schedule("On")
        elif reset_type in ("ForceOff", "GracefulShutdown", "PushPowerButton"):
            if self.power == "Off":
                return False
            self._schedule("Off")
        elif reset_type in ("GracefulRestart", "ForceRestart", "PowerCycle"):
            if self.power == "Off":
                raise Problem(409, "ActionNotSupported", "The system is powered off; cannot restart.")
            self.power = "Off"
            self._schedule("On")
        else:
            raise Problem(400, "ActionParameterNotSupported",
                          f"ResetType {reset_type} is not supported.", None)
        return True

    # -- sessions and authentication -----------------------------------------------
    def _account_by_name(self, name):
        for aid, acc in self.accounts.items():
            if acc["UserName"] and acc["UserName"] == name:
                return aid, acc
        return None, None

    def check_password(self, name, password):
        """Apply lockout rules; returns the account name or raises Problem(401)."""
        _aid, acc = self._account_by_name(name)
        now = time.time()
        if acc is not None and acc.get("locked_until", 0) > now:
            raise Problem(401, "AccessDenied", "The account is locked out.")
        if acc is None or not acc["Enabled"] or acc["Password"] != password:
            if acc is not None:
                self._count_failure(acc, now)
            raise Problem(401, "AccessDenied",
                          "The authentication credentials included with this request are missing or invalid.")
        acc["failures"] = 0
        return name

    def _count_failure(self, acc, now):
        acc["failures"] = acc.get("failures", 0) + 1
        threshold = self.account_policy["AccountLockoutThreshold"]
        if threshold and acc["failures"] >= threshold:
            acc["locked_until"] = now + self.account_policy["AccountLockoutDuration"]
            acc["failures"] = 0

    def create_session(self, body):
        if not self.sessions_enabled:
            raise Problem(404, "ResourceMissingAtURI", "No SessionService.")
        self.expire_idle()
        user = self.check_password(body.get("UserName"), body.get("Password"))
        if len(self.sessions) >= self.shape["session_limit"]:
            raise Problem(400, "SessionLimitExceeded",
                          "The session establishment failed due to the number of simultaneous "
                          "sessions exceeding the limit of the implementation.")
        sid = str(self._next_id())
        token = uuidlib.uuid4().hex
        self.sessions[sid] = {"token": token, "user": user, "used": time.time()}
        self.max_sessions_seen = max(self.max_sessions_seen, len(self.sessions))
        return sid, token

    def expire_idle(self):
        now = time.time()
        for sid in [s for s, v in self.sessions.items() if now - v["used"] > self.session_timeout]:
            del self.sessions[sid]

    def expire_all(self):
        self.sessions.clear()

    def user_for_token(self, token):
        self.expire_idle()
        for sess in self.sessions.values():
            if sess["token"] == token:
                sess["used"] = time.time()
                return sess["user"]
        return None

    def session_for_token(self, token):
        for sid, sess in self.sessions.items():
            if sess["token"] == token:
                return sid
        return None

    # -- tasks -------------------------------------------------------------------
    def start_task(self, name, on_success, fail):
        tid = str(self._next_id())
        if self.shape["task_style"] == "dell":
            tid = f"JID_{int(tid):012d}"
        self.tasks[tid] = {"name": name, "polls": self.task_polls, "fail": fail,
                           "on_success": on_success, "state": "Running"}
        if self.shape["task_style"] == "dell":
            return tid, self.oid("TaskService/Tasks/" + tid)
        return tid, self.oid("TaskService/TaskMonitors/" + tid)

    def poll_task(self, tid):
        task = self.tasks[tid]
        if task["state"] == "Running":
            if task["polls"] > 0:
                task["polls"] -= 1
            else:
                self._finish_task(task)
        return task

    def _finish_task(self, task):
        if task["fail"]:
            task["state"] = "Exception"
            task["messages"] = [{"MessageId": "Update.1.1.TransferFailed",
                                 "Message": "Transfer of image failed: the image could not be downloaded.",
                                 "Severity": "Critical"}]
            return
        try:
            task["on_success"]()
            task["state"] = "Completed"
            task["messages"] = [{"MessageId": "Base.1.15.Success", "Message": "Completed."}]
        except Problem as exc:
            task["state"] = "Exception"
            task["messages"] = exc.body["error"]["@Message.ExtendedInfo"]
