# -*- coding: utf-8 -*-
# Copyright: odc.buildout developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Typed errors shared by every odc.buildout plugin.

Convention: code raises one of these (``raise ... from exc``); the edge of a
module/action/inventory plugin converts them once (``fail_json`` /
``AnsibleError``).  Never return ``{"ret": False}`` dicts.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type


class OdcError(Exception):
    """Base class: ``str(err)`` is the message for the engineer."""

    def __init__(self, message, **details):
        super(OdcError, self).__init__(message)
        self.message = message
        self.details = details

    def to_dict(self):
        out = {"msg": self.message, "error_type": type(self).__name__}
        out.update(self.details)
        return out


class ConfigError(OdcError):
    """Bad or missing input (option, NetBox data, vault reference)."""


class ConnectionFailure(OdcError):
    """A peer (NetBox, BMC, switch) could not be reached."""


class AuthenticationError(OdcError):
    """Credentials refused (401)."""


class PermissionDenied(OdcError):
    """Credentials accepted but not allowed (403)."""


class NotFound(OdcError):
    """The object/resource does not exist."""


class ApiError(OdcError):
    """The peer answered with an error we could not map more precisely."""


class IdentityMismatch(OdcError):
    """The device answering is not the one NetBox describes: never write to it."""


class SafetyRefusal(OdcError):
    """Refused because of a safety gate (e.g. NetBox status active, not forced)."""


class TaskFailed(OdcError):
    """An asynchronous task on the peer ended in failure."""


class TimeoutExpired(OdcError):
    """A wait or poll exceeded its bound."""


class ValidationFailed(OdcError):
    """Preflight / schema validation found errors."""


class WriteOutcomeUnknown(ConnectionFailure):
    """A state-changing request was sent but no answer came back (timeout,
    connection reset): it may or may not have been applied.  Callers re-read
    the state and decide; they never resend blindly."""
