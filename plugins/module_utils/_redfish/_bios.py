# -*- coding: utf-8 -*-
# Copyright: odc.buildout developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""BIOS attributes: applied (Bios) vs pending (the @Redfish.Settings object)."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.odc.buildout.plugins.module_utils import _errors
from ansible_collections.odc.buildout.plugins.module_utils._redfish import _writes


def same(left, right):
    """BIOS values compare loosely: 'Enabled' == 'enabled', 1 == '1'."""
    return left == right or str(left).lower() == str(right).lower()


class BiosService:
    def __init__(self, system):
        self.system = system
        self.client = system.client
        self.warnings = []

    def uri(self):
        link = self.client.link(self.system.read(), "Bios")
        if not link:
            raise _errors.NotFound("this system exposes no Bios resource")
        return link

    def read(self):
        """{current, pending (only values that differ), settings_uri}."""
        bios = self.client.get(self.uri())
        current = bios.get("Attributes") or {}
        settings_uri = ((bios.get("@Redfish.Settings") or {}).get("SettingsObject") or {}).get("@odata.id")
        pending = {}
        if settings_uri:
            future = self.client.get(settings_uri).get("Attributes") or {}
            pending = {k: v for k, v in future.items() if k in current and not same(current[k], v)}
        return {"current": current, "pending": pending, "settings_uri": settings_uri}

    def ensure(self, attributes, check_mode=False):
        state = self.read()
        current, pending = state["current"], state["pending"]
        unknown = sorted(k for k in attributes if k not in current)
        if unknown:
            raise _errors.ValidationFailed(f"unknown BIOS attributes {unknown} (this BIOS has e.g. {sorted(current)[:10]})")
        changes = {k: v for k, v in attributes.items() if not same(pending.get(k, current[k]), v)}
        awaiting = {k: v for k, v in attributes.items() if not same(current[k], v)}
        before = {k: pending.get(k, current[k]) for k in attributes}
        result = {"changed": bool(changes), "before": before, "after": dict(before, **attributes),
                  "applied": {k: current[k] for k in attributes},
                  "pending": awaiting, "reboot_required": bool(awaiting), "warnings": self.warnings}
        if changes and not check_mode:
            self._write(state["settings_uri"] or self.uri(), changes)
        return result

    def _write(self, uri, changes):
        body = {"Attributes": changes}
        apply_time = self.client.vendor.bios_apply_time
        if apply_time:
            body["@Redfish.SettingsApplyTime"] = {"ApplyTime": apply_time}
        etag = self.client.get_with_etag(uri)[1]
        _writes.patch_verified(
            self.client, uri, body, etag,
            lambda d: all(same((d.get("Attributes") or {}).get(k), v) for k, v in changes.items()),
            self.warnings)

    def applied(self, attributes):
        """True once every attribute is effective (after a reboot)."""
        current = self.client.get(self.uri()).get("Attributes") or {}
        return all(same(current.get(k), v) for k, v in attributes.items())
