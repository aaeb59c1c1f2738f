# -*- coding: utf-8 -*-
# Copyright: odc.buildout developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""``Bmc``: one logged-in Redfish BMC and its services, the entry point for
modules and for controller-side code (roles/action plugins):

    with Bmc.from_params(params) as bmc:
        bmc.guard(expected_serial="ABC123")       # IdentityMismatch before any write
        bmc.power().ensure("on")
        bmc.boot.ensure("pxe", "once")
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.odc.buildout.plugins.module_utils._redfish import (
    _accounts,
    _bios,
    _boot,
    _client,
    _firmware,
    _identity,
    _info,
    _power,
    _settings,
    _system,
    _virtual_media,
)


def client_kwargs(params):
    """RedfishClient keyword arguments from BMC_CONNECTION_SPEC params."""
    return {
        "address": params["address"], "username": params["username"], "password": params["password"],
        "port": params.get("port") or 443, "ca_path": params.get("ca_path"),
        "validate_certs": params.get("validate_certs", True), "timeout": params.get("timeout") or 30,
        "retry_budget": params.get("retry_budget") or 60, "vendor": params.get("vendor") or "auto",
        "state_dir": params.get("state_dir"), "run_id": params.get("run_id"),
        "reserve_sessions": params.get("reserve_sessions", 2),
    }


class Bmc:
    def __init__(self, client_options, system_id=None, poll_interval=2.0, client_factory=None):
        self._options = dict(client_options)
        self._factory = client_factory or _client.RedfishClient
        self.client = self._factory(**self._options)
        self.system_id = system_id
        self.poll_interval = poll_interval
        self._system = None

    @classmethod
    def from_params(cls, params, **kwargs):
        return cls(client_kwargs(params), system_id=params.get("system_id"), **kwargs)

    def __enter__(self):
        self.client.open()
        return self

    def __exit__(self, *exc_info):
        self.client.close()

    # -- services ------------------------------------------------------------------
    @property
    def system(self):
        if self._system is None:
            self._system = _system.SystemService(self.client, self.system_id)
        return self._system

    @property
    def manager(self):
        return _settings.ManagerService(self.system)

    def power(self, **options):
        options.setdefault("poll_interval", self.poll_interval)
        return _power.PowerControl(self.system, **options)

    @property
    def boot(self):
        return _boot.BootControl(self.system)

    @property
    def media(self):
        return _virtual_media.VirtualMediaService(self.system)

    @property
    def bios(self):
        return _bios.BiosService(self.system)

    @property
    def accounts(self):
        return _accounts.AccountsService(self.client, self.verify_login)

    @property
    def settings(self):
        return _settings.SettingsService(self.system, self.accounts)

    @property
    def firmware(self):
        return _firmware.FirmwareService(self.client)

    def info(self, sections=_info.SECTIONS):
        return _info.InfoReader(self).read(sections)

    # -- safety --------------------------------------------------------------------
    def guard(self, expected_serial=None, expected_uuid=None, expected_macs=None):
        """IdentityMismatch unless this BMC is the expected machine (reads only)."""
        return _identity.verify(lambda macs: self.system.identity(with_macs=macs), self.client.address,
                                expected_serial, expected_uuid, expected_macs)

    def verify_login(self, username, password):
        """Log in (and out) with another credential; AuthenticationError if refused.
        A refusal is recorded by the LoginGuard: no more logins this run."""
        options = dict(self._options, username=username, password=password)
        verifier = self._factory(**options)
        verifier.open()
        verifier.close()
        return True
