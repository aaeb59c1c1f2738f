# -*- coding: utf-8 -*-
# Copyright: odc.buildout developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Manager settings: network protocols, NTP, remote syslog, account lockout.

The ``hardening`` profile turns IPMI-over-LAN off (we are talking Redfish, so
Redfish exists), SSDP and Telnet off, and sets account lockout.  Explicit
options win over the profile.  HTTPS is never turned off (that is how we
reach the BMC).
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.odc.buildout.plugins.module_utils import _errors
from ansible_collections.odc.buildout.plugins.module_utils._redfish import _writes

PROTOCOLS = {"http": "HTTP", "https": "HTTPS", "ipmi": "IPMI", "ssh": "SSH", "ssdp": "SSDP",
             "telnet": "Telnet", "snmp": "SNMP", "kvmip": "KVMIP", "virtual_media": "VirtualMedia"}
LOCKOUT = {"threshold": "AccountLockoutThreshold", "duration": "AccountLockoutDuration",
           "reset_after": "AccountLockoutCounterResetAfter"}
HARDENING = {"protocols": {"ipmi": False, "ssdp": False, "telnet": False},
             "lockout": {"threshold": 5, "duration": 600, "reset_after": 600}}


def _deep_merge(into, extra):
    for key, value in extra.items():
        if isinstance(value, dict) and isinstance(into.get(key), dict):
            _deep_merge(into[key], value)
        else:
            into[key] = value


def _servers(values):
    return [v for v in values or [] if v]


class ManagerService:
    """Read side: the Manager, its NICs and NetworkProtocol."""

    def __init__(self, system):
        self.system = system
        self.client = system.client

    @property
    def uri(self):
        return self.system.manager_uri

    def read(self):
        return self.client.get(self.uri)

    def protocol_uri(self):
        link = self.client.link(self.read(), "NetworkProtocol")
        if not link:
            raise _errors.NotFound("the Manager has no NetworkProtocol resource")
        return link

    def protocols(self):
        data = self.client.get(self.protocol_uri())
        out = {}
        for key, name in PROTOCOLS.items():
            if isinstance(data.get(name), dict):
                out[key] = {"enabled": data[name].get("ProtocolEnabled"), "port": data[name].get("Port")}
        ntp = data.get("NTP") or {}
        return {"hostname": data.get("HostName"), "fqdn": data.get("FQDN"), "protocols": out,
                "ntp": {"enabled": ntp.get("ProtocolEnabled"), "servers": _servers(ntp.get("NTPServers"))}}


class SettingsService:
    def __init__(self, system, accounts):
        self.manager = ManagerService(system)
        self.client = system.client
        self.accounts = accounts
        self.warnings = []

    # -- desired state ----------------------------------------------------------
    @staticmethod
    def merge(hardening, protocols, lockout):
        want_protocols = dict(HARDENING["protocols"]) if hardening else {}
        want_protocols.update(protocols or {})
        want_lockout = dict(HARDENING["lockout"]) if hardening else {}
        want_lockout.update({k: v for k, v in (lockout or {}).items() if v is not None})
        if want_protocols.get("https") is False:
            raise _errors.SafetyRefusal("refusing to disable HTTPS: it is how Redfish reaches this BMC")
        return want_protocols, want_lockout

    # -- sections ------------------------------------------------------------------
    def _protocol_section(self, protocols, ntp_servers, ntp_enabled):
        uri = self.manager.protocol_uri()
        data, etag = self.client.get_with_etag(uri)
        body, before, after = {}, {}, {}
        for key, enabled in protocols.items():
            name = PROTOCOLS[key]
            if not isinstance(data.get(name), dict):
                self.warnings.append(f"this BMC does not expose protocol {name}")
                continue
            before[key] = data[name].get("ProtocolEnabled")
            after[key] = enabled
            if before[key] != enabled:
                body[name] = {"ProtocolEnabled": enabled}
        ntp = data.get("NTP") or {}
        if ntp_servers is not None or ntp_enabled is not None:
            want_enabled = bool(ntp_servers) if ntp_enabled is None else ntp_enabled
            before["ntp"] = {"enabled": ntp.get("ProtocolEnabled"), "servers": _servers(ntp.get("NTPServers"))}
            after["ntp"] = {"enabled": want_enabled,
                            "servers": list(ntp_servers) if ntp_servers is not None else before["ntp"]["servers"]}
            if before["ntp"] != after["ntp"]:
                body["NTP"] = {"ProtocolEnabled": want_enabled}
                if ntp_servers is not None:
                    body["NTP"]["NTPServers"] = list(ntp_servers)
        return uri, etag, body, before, after

    def _lockout_section(self, lockout):
        uri = self.accounts.service_uri()
        data, etag = self.client.get_with_etag(uri)
        before = {k: data.get(LOCKOUT[k]) for k in lockout}
        body = {LOCKOUT[k]: v for k, v in lockout.items() if data.get(LOCKOUT[k]) != v}
        return uri, etag, body, before, dict(lockout)

    # -- apply ---------------------------------------------------------------------
    def ensure(self, ntp_servers=None, ntp_enabled=None, syslog=None, protocols=None, lockout=None,
               hardening=False, check_mode=False):
        want_protocols, want_lockout = self.merge(hardening, protocols, lockout)
        before, after, writes = {}, {}, []
        if want_protocols or ntp_servers is not None or ntp_enabled is not None:
            uri, etag, body, b, a = self._protocol_section(want_protocols, ntp_servers, ntp_enabled)
            before["network_protocol"], after["network_protocol"] = b, a
            if body:
                writes.append((uri, etag, body))
        if want_lockout:
            uri, etag, body, b, a = self._lockout_section(want_lockout)
            before["lockout"], after["lockout"] = b, a
            if body:
                writes.append((uri, etag, body))
        if syslog is not None:
            syslog_section = SyslogSettings(self.client, self.manager)
            b, a, syslog_writes = syslog_section.plan(syslog)
            before["syslog"], after["syslog"] = b, a
            writes.extend(syslog_writes)
        writes = self._merged(writes)
        if writes and not check_mode:
            for write in writes:
                self._apply(*write)
        return {"changed": bool(writes), "before": before, "after": after, "warnings": self.warnings}

    @staticmethod
    def _merged(writes):
        """One PATCH per resource (two PATCHes with one ETag would conflict)."""
        out, patches = [], {}
        for write in writes:
            uri, etag, body = write[:3]
            if len(write) > 3:
                out.append(write)
            elif uri in patches:
                _deep_merge(patches[uri][2], body)
            else:
                patches[uri] = (uri, etag, dict(body))
                out.append(patches[uri])
        return out

    def _apply(self, uri, etag, body, method="PATCH"):
        if method == "POST":
            self.client.post(uri, body)
        elif method == "DELETE":
            self.client.delete(uri)
        else:
            _writes.patch_verified(self.client, uri, body, etag, _writes.subset_applied(body), self.warnings)


class SyslogSettings:
    """Remote syslog, one of three vendor strategies (see the vendor table)."""

    def __init__(self, client, manager):
        self.client = client
        self.manager = manager

    def plan(self, syslog):
        want = {"enabled": syslog.get("enabled", True), "server": syslog.get("server") or "",
                "port": int(syslog.get("port") or 514)}
        strategy = getattr(self, "_" + self.client.vendor.syslog)
        return strategy(want)

    def _dell_attributes(self, want):
        manager = self.manager.read()
        links = ((manager.get("Oem") or {}).get("Dell") or {}).get("DellAttributes") or []
        uri = links[0]["@odata.id"] if links else self.manager.uri.rstrip("/") + "/Attributes"
        data, etag = self.client.get_with_etag(uri)
        attrs = data.get("Attributes") or {}
        before = {"enabled": attrs.get("SysLog.1.SysLogEnable") == "Enabled",
                  "server": attrs.get("SysLog.1.Server1") or "", "port": attrs.get("SysLog.1.Port")}
        desired = {"SysLog.1.SysLogEnable": "Enabled" if want["enabled"] else "Disabled",
                   "SysLog.1.Server1": want["server"], "SysLog.1.Port": want["port"]}
        changes = {k: v for k, v in desired.items() if attrs.get(k) != v}
        return before, want, [(uri, etag, {"Attributes": changes})] if changes else []

    def _hpe_oem(self, want):
        uri = self.manager.protocol_uri()
        data, etag = self.client.get_with_etag(uri)
        oem = (data.get("Oem") or {}).get("Hpe") or {}
        before = {"enabled": oem.get("RemoteSyslogEnabled"), "server": oem.get("RemoteSyslogServer") or "",
                  "port": oem.get("RemoteSyslogPort")}
        desired = {"RemoteSyslogEnabled": want["enabled"], "RemoteSyslogServer": want["server"],
                   "RemoteSyslogPort": want["port"]}
        changes = {k: v for k, v in desired.items() if oem.get(k) != v}
        return before, want, [(uri, etag, {"Oem": {"Hpe": changes}})] if changes else []

    def _event_subscription(self, want):
        service = self.client.link(self.client.root, "EventService")
        if not service:
            raise _errors.NotFound("this BMC has no EventService for syslog subscriptions")
        collection = self.client.link(self.client.get(service), "Subscriptions")
        current = [s for s in self.client.members(collection) if s.get("SubscriptionType") == "Syslog"]
        destination = f"syslog://{want['server']}:{want['port']}"
        keep = [s for s in current if s.get("Destination") == destination] if want["enabled"] else []
        before = {"enabled": bool(current), "destinations": [s.get("Destination") for s in current]}
        writes = [(s["@odata.id"], None, None, "DELETE") for s in current if s not in keep]
        if want["enabled"] and not keep:
            writes.append((collection, None, {"Destination": destination, "SubscriptionType": "Syslog",
                                              "Protocol": "SyslogUDP", "Context": "odc.buildout"}, "POST"))
        return before, dict(want, destinations=[destination] if want["enabled"] else []), writes
