# -*- coding: utf-8 -*-
# Copyright: odc.buildout developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""IPMI over LAN (RMCP+) with pyghmi, for BMCs without (usable) Redfish.

* Pacing: at least ``pacing`` seconds between two commands (default 2 s:
  small BMCs drop commands sent back to back); tests set ~0.
* Errors become the typed errors of _errors.py; a refused login is recorded
  by the same LoginGuard as Redfish (no second login on that BMC this run).
* Session opens and closes are serialised behind ``_SESSION_LOCK``: pyghmi keeps
  process-wide session caches (``initting_sessions``, ``bmc_handlers``, the
  socket pool) without locking, so logins in parallel threads could pick up a
  half-initialised or just-broken session ("'Session' object has no attribute
  'errormsg'").  Only login/logout are serialised; commands on open sessions
  and the pacing between them stay per client.
* ``IpmiSystem`` adapts this client to the Redfish PowerControl, so power
  logic (graceful first, force only if allowed, polling) is shared.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import threading
import time

from ansible_collections.odc.buildout.plugins.module_utils import _errors
from ansible_collections.odc.buildout.plugins.module_utils._redfish import _guards

try:
    from pyghmi.ipmi import command as pyghmi_command
    from pyghmi.ipmi.private import util as pyghmi_util
    HAS_PYGHMI = True
except ImportError:  # pragma: no cover - checked at runtime with a clear error
    pyghmi_command = pyghmi_util = None
    HAS_PYGHMI = False

BOOT_DEVICES = {"pxe": "network", "hdd": "hd", "cd": "optical", "bios": "setup", "none": "default",
                "floppy": "floppy", "usb": "usb"}
# Boot device selector (boot flags parameter 5, data 2 bits 5:2) by pyghmi device name.
BOOT_SELECTORS = {"default": 0, "network": 1, "hd": 2, "safe": 3, "optical": 5, "setup": 6, "floppy": 15, "usb": 15}
_SELECTOR_NAMES = {0: "default", 1: "network", 2: "hd", 3: "safe", 5: "optical", 6: "setup", 15: "usb"}
PRIVILEGES = {"administrator": "administrator", "operator": "operator", "readonly": "user"}
# One IPMI login/logout at a time in this process (see the module docstring).
_SESSION_LOCK = threading.RLock()
_AUTH_WORDS = ("password", "unauthorized", "unknown user", "invalid user", "rakp")


def _as_error(exc, address):
    text = str(exc)
    if any(word in text.lower() for word in _AUTH_WORDS):
        return _errors.AuthenticationError(f"IPMI login on {address} refused: {text}")
    if "timeout" in text.lower() or "unreachable" in text.lower():
        return _errors.ConnectionFailure(f"IPMI on {address} did not answer: {text}")
    return _errors.ApiError(f"IPMI on {address}: {text}")


def _forget_session(session):
    """pyghmi keeps sessions in a class-level 'initting' cache keyed with kg=None
    but removes them with the password as kg, so after a logout the stale entry
    would be handed to the next login with the same credentials (same process)."""
    cache = getattr(type(session), "initting_sessions", None)
    if isinstance(cache, dict):
        for key in [k for k, v in list(cache.items()) if v is session]:
            cache.pop(key, None)


class IpmiClient:
    """``with IpmiClient(...) as ipmi: ipmi.power_state()``"""

    def __init__(self, address, username, password, port=623, pacing=2.0, run_id=None, state_dir=None,
                 command_factory=None, clock=time.monotonic, sleep=time.sleep):
        if command_factory is None and not HAS_PYGHMI:
            raise _errors.ConfigError("protocol ipmi needs the Python library pyghmi on the host running the module")
        self.address = address
        self.port = port or 623
        self.username = username
        self._password = password
        self.pacing = pacing
        self.clock = clock
        self.sleep = sleep
        self._factory = command_factory or pyghmi_command.Command
        self._guard = _guards.LoginGuard(state_dir, _guards.bmc_key(address, self.port), run_id)
        self._command = None
        self._last = None
        self.warnings = []

    # -- lifecycle ---------------------------------------------------------------
    def __enter__(self):
        self.open()
        return self

    def __exit__(self, *exc_info):
        self.close()

    def open(self):
        self._guard.check()
        try:
            with _SESSION_LOCK:
                self._command = self._factory(bmc=self.address, userid=self.username, password=self._password,
                                              port=self.port, keepalive=False)
        except Exception as exc:  # pyghmi raises several unrelated types
            error = _as_error(exc, self.address)
            if isinstance(error, _errors.AuthenticationError):
                self._guard.record_failure()
            raise error from exc
        self._last = self.clock()

    def close(self):
        if self._command is not None:
            session = getattr(self._command, "ipmi_session", None)
            try:
                if session is not None:
                    with _SESSION_LOCK:
                        # _mark_broken() = logout + drop pyghmi's process-wide session cache
                        # entry, so a later login with the same credentials starts clean.
                        getattr(session, "_mark_broken", session.logout)()
                        _forget_session(session)
            except Exception as exc:  # noqa: BLE001 - closing must never hide the real result
                self.warnings.append(f"IPMI logout failed: {exc}")
            self._command = None

    def call(self, name, *args, **kwargs):
        """One paced pyghmi call with typed errors."""
        if self._last is not None:
            wait = self.pacing - (self.clock() - self._last)
            if wait > 0:
                self.sleep(wait)
        try:
            return getattr(self._command, name)(*args, **kwargs)
        except Exception as exc:  # pyghmi raises several unrelated types
            raise _as_error(exc, self.address) from exc
        finally:
            self._last = self.clock()

    # -- power and boot -------------------------------------------------------------
    def power_state(self):
        return self.call("get_power")["powerstate"]

    def set_power(self, state):
        self.call("set_power", state, wait=False)

    def boot_device(self):
        return self.call("get_bootdev")

    def boot_flags(self):
        """The boot flags parameter read raw (Get System Boot Options, parameter 5).

        pyghmi's get_bootdev folds "override not valid" into ``default`` and drops the
        device selector; this keeps both: ``valid`` (the BMC says the override is in
        effect; only then ``persistent``/``uefi`` mean anything) and ``bootdev`` (the
        device selector as the BMC reports it, even when not flagged valid - ipmi_sim
        keeps the device but not the valid/persistent/UEFI bits)."""
        data = bytes(self.call("xraw_command", netfn=0, command=9, data=(5, 0, 0))["data"])
        if len(data) < 4 or data[0] != 1 or (data[1] & 0x7F) != 5:
            raise _errors.ApiError(f"IPMI on {self.address}: unexpected boot options answer {data.hex()}")
        flags, selector = data[2], (data[3] & 0x3C) >> 2
        return {"valid": bool(flags & 0x80) and not data[1] & 0x80, "persistent": bool(flags & 0x40),
                "uefi": bool(flags & 0x20), "selector": selector,
                "bootdev": _SELECTOR_NAMES.get(selector, selector)}

    def set_boot_device(self, target, persistent=False, uefi=True):
        self.call("set_bootdev", BOOT_DEVICES[target], persist=persistent, uefiboot=uefi)

    # -- inventory ------------------------------------------------------------------
    def mc_info(self):
        data = bytes(self.call("xraw_command", netfn=6, command=1)["data"])
        return {"device_id": data[0], "device_revision": data[1] & 0x0F,
                "firmware_version": f"{data[2] & 0x7F}.{data[3]:02x}",
                "ipmi_version": f"{data[4] & 0x0F}.{data[4] >> 4}",
                "manufacturer_id": int.from_bytes(data[6:9], "little"),
                "product_id": int.from_bytes(data[9:11], "little")}

    def guid(self):
        data = self.call("raw_command", netfn=6, command=0x37)
        if "error" in data:
            raise _errors.ApiError(f"IPMI on {self.address}: no system GUID ({data['error']})")
        return pyghmi_util.decode_wireformat_uuid(data["data"]).lower()

    def firmware(self):
        return [{"name": name, "version": info.get("version")} for name, info in self.call("get_firmware")]

    def lan(self, channel=None):
        config = self.call("get_net_configuration", channel=channel, gateway_macs=False)
        return {"ipv4_address": config.get("ipv4_address"), "ipv4_source": config.get("ipv4_configuration"),
                "ipv4_gateway": config.get("ipv4_gateway"), "mac": config.get("mac_address"),
                "vlan": config.get("vlan_id")}

    def set_lan(self, ipv4_address=None, ipv4_source=None, ipv4_gateway=None, channel=None):
        self.call("set_net_configuration", ipv4_address=ipv4_address, ipv4_configuration=ipv4_source,
                  ipv4_gateway=ipv4_gateway, channel=channel)

    # -- users --------------------------------------------------------------------------
    def users(self, slots=16, channel=None):
        """Named user slots 1..slots (IPMI has no 'list users' call)."""
        found = []
        for uid in range(1, slots + 1):
            name = self.call("get_user_name", uid)
            if name:
                access = self.call("get_user_access", uid, channel or self.channel())
                found.append({"uid": uid, "name": name,
                              "privilege": access["access"].get("privilege_level")})
        return found

    def channel(self):
        return self.call("get_network_channel")

    def set_user(self, uid, name, password, privilege="administrator", channel=None):
        self.call("create_user", uid, name, password, channel=channel or self.channel(),
                  privilege_level=PRIVILEGES[privilege])

    def verify_login(self, username, password):
        """Log in with another credential (recorded by the LoginGuard if refused)."""
        other = IpmiClient(self.address, username, password, self.port, self.pacing,
                           command_factory=self._factory, clock=self.clock, sleep=self.sleep)
        other._guard = self._guard
        other.open()
        other.close()
        return True


POWER_STATES = {"on": "On", "off": "Off"}
RESETS = {"On": "on", "ForceOn": "on", "ForceOff": "off", "GracefulShutdown": "shutdown"}


class IpmiSystem:
    """Looks like _system.SystemService to PowerControl."""

    def __init__(self, client):
        self.client = client

    def power_state(self):
        return POWER_STATES.get(self.client.power_state(), "Unknown")

    def allows(self, reset_type):
        return reset_type in RESETS

    def reset(self, reset_type):
        self.client.set_power(RESETS[reset_type])
