# -*- coding: utf-8 -*-
# Copyright: odc.buildout developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""BMC accounts with safe credential rotation.

Order of a rotation: write the new credential -> log in with it (verify) ->
only then retire old accounts.  Never disable, demote or remove the last
enabled Administrator.  A failed verification login is recorded by the
client's LoginGuard, so nothing else logs in to that BMC in the same run.
Passwords cannot be read back: a password counts as already set only when
our own login proves it (the account we are connected as).
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.odc.buildout.plugins.module_utils import _errors

ROLES = {"administrator": "Administrator", "operator": "Operator", "readonly": "ReadOnly"}
ADMIN = "Administrator"


def summary(account):
    return {"id": account.get("Id"), "username": account.get("UserName"),
            "role": account.get("RoleId"), "enabled": account.get("Enabled"),
            "locked": account.get("Locked", False)}


class AccountsService:
    def __init__(self, client, verify_login):
        self.client = client
        self.verify_login = verify_login
        self.warnings = []

    def service_uri(self):
        link = self.client.link(self.client.root, "AccountService")
        if not link:
            raise _errors.NotFound("this BMC has no AccountService")
        return link

    def _raw(self):
        service = self.client.get(self.service_uri())
        return service, self.client.members(self.client.link(service, "Accounts"))

    def accounts(self):
        """Configured accounts (empty slots skipped), names and roles only."""
        return [summary(a) for a in self._raw()[1] if a.get("UserName")]

    def policy(self):
        service = self.client.get(self.service_uri())
        keys = ("AccountLockoutThreshold", "AccountLockoutDuration", "AccountLockoutCounterResetAfter",
                "MinPasswordLength", "MaxPasswordLength")
        return {k: service.get(k) for k in keys if k in service}

    # -- safety ---------------------------------------------------------------
    def _guard_last_admin(self, raw, leaving, keeps=None):
        """Refuse when no enabled Administrator would remain.  ``keeps`` is the
        account being set up as an enabled Administrator (it counts)."""
        left = [a for a in raw if a.get("UserName") and a.get("UserName") not in leaving
                and a.get("UserName") != keeps and a.get("RoleId") == ADMIN and a.get("Enabled", True)]
        touches_admin = any(a.get("UserName") in leaving and a.get("RoleId") == ADMIN for a in raw)
        if touches_admin and not left and not keeps:
            raise _errors.SafetyRefusal(f"refusing: {sorted(leaving)} would leave no enabled Administrator "
                                        f"on {self.client.address}")

    # -- writes -----------------------------------------------------------------
    def _free_slot(self, raw):
        reserved = self.client.vendor.reserved_accounts
        for account in raw:
            if not account.get("UserName") and account.get("Id") not in reserved:
                return account
        raise _errors.ApiError(f"no free account slot on {self.client.address}")

    def _create(self, raw, username, password, role, enabled):
        body = {"UserName": username, "Password": password, "RoleId": role, "Enabled": enabled}
        if self.client.vendor.account_slots:
            slot = self._free_slot(raw)
            self.client.patch(slot["@odata.id"], body, slot.get("@odata.etag"))
        else:
            self.client.post(self.client.link(self.client.get(self.service_uri()), "Accounts"), body)

    def _remove(self, account, mode):
        if mode == "disable":
            self.client.patch(account["@odata.id"], {"Enabled": False}, account.get("@odata.etag"))
        elif self.client.vendor.account_slots:
            self.client.patch(account["@odata.id"], {"UserName": "", "Enabled": False, "RoleId": "None"},
                              account.get("@odata.etag"))
        else:
            self.client.delete(account["@odata.id"])

    def _find(self, raw, username):
        for account in raw:
            if account.get("UserName") == username:
                return account
        return None

    def _changes(self, account, password, role, enabled, update_password):
        changes = {}
        if account.get("RoleId") != role:
            changes["RoleId"] = role
        if account.get("Enabled", True) != enabled:
            changes["Enabled"] = enabled
        if password and update_password == "always" and \
                not self.client.knows_password(account["UserName"], password):
            changes["Password"] = password
        return changes

    def ensure(self, username, state="present", role="administrator", password=None, enabled=True,
               update_password="on_create", retire=(), retire_mode="disable", check_mode=False):
        """Returns {changed, before, after, verified, retired, warnings}."""
        self.client.add_secret(password)
        raw = self._raw()[1]
        account = self._find(raw, username)
        before = summary(account) if account else None
        if state == "absent":
            return self._absent(raw, account, before, check_mode)
        role_id = ROLES[role]
        if username in retire:
            raise _errors.ConfigError(f"{username!r} cannot both be kept and retired")
        result = {"changed": False, "before": before, "verified": False, "retired": [], "warnings": self.warnings}
        leaving = set(retire) | ({username} if (role_id != ADMIN or not enabled) else set())
        retiring = [a for a in (self._find(raw, name) for name in retire)
                    if a and (a.get("Enabled", True) if retire_mode == "disable" else True)]
        keeps = username if role_id == ADMIN and enabled else None
        self._guard_last_admin(raw, leaving, keeps)
        if account is None:
            if not password:
                raise _errors.ConfigError(f"password is required to create account {username!r}")
            changes = {"UserName": username, "Password": password, "RoleId": role_id, "Enabled": enabled}
        else:
            changes = self._changes(account, password, role_id, enabled, update_password)
        result["after"] = dict(before or {}, username=username, role=role_id, enabled=enabled)
        result["changed"] = bool(changes) or bool(retiring)
        result["password_changed"] = "Password" in changes
        if check_mode:
            result["retired"] = [a["UserName"] for a in retiring]
            return result
        self._apply(raw, account, changes, username, password, role_id, enabled)
        if "Password" in changes:
            self.verify_login(username, password)
            result["verified"] = True
        if retiring and not (result["verified"] or self.client.knows_password(username, password)):
            raise _errors.SafetyRefusal(
                f"not retiring {[a['UserName'] for a in retiring]}: the credential of {username!r} was not "
                "verified in this task (use update_password: always, or log in as that account)")
        for old in retiring:
            self._remove(old, retire_mode)
            result["retired"].append(old["UserName"])
        return result

    def _apply(self, raw, account, changes, username, password, role_id, enabled):
        """Write; after a lost answer, re-read: the account must now exist (a
        password cannot be read back - the verification login decides)."""
        if not changes:
            return
        try:
            if account is None:
                self._create(raw, username, password, role_id, enabled)
            else:
                self.client.patch(account["@odata.id"], changes, account.get("@odata.etag"))
        except _errors.WriteOutcomeUnknown as exc:
            self.warnings.append(f"{exc}; re-reading accounts")
            if self._find(self._raw()[1], username) is None:
                raise

    def _absent(self, raw, account, before, check_mode):
        if account is None:
            return {"changed": False, "before": None, "after": None, "warnings": self.warnings}
        self._guard_last_admin(raw, {account["UserName"]})
        if account["UserName"] == self.client.username:
            name = account["UserName"]
            raise _errors.SafetyRefusal(f"refusing to remove {name!r}: it is the account this task is logged in with")
        if not check_mode:
            self._remove(account, "delete")
        return {"changed": True, "before": before, "after": None, "warnings": self.warnings}
