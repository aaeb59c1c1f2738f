# -*- coding: utf-8 -*-
# Copyright: odc.buildout developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Turn Redfish error answers (@Message.ExtendedInfo) into typed errors with
messages an engineer can act on.  Secrets are scrubbed from every text."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.odc.buildout.plugins.module_utils import _errors

MASK = "********"

_BY_STATUS = {
    401: _errors.AuthenticationError,
    403: _errors.PermissionDenied,
    404: _errors.NotFound,
}


def scrub(text, secrets):
    """Replace every secret (non-empty strings) in ``text``."""
    text = "" if text is None else str(text)
    for secret in secrets or ():
        if secret:
            text = text.replace(secret, MASK)
    return text


def extended_info(body):
    """All ExtendedInfo entries of an error body or a task, in order."""
    if not isinstance(body, dict):
        return []
    entries = []
    error = body.get("error")
    if isinstance(error, dict):
        entries.extend(error.get("@Message.ExtendedInfo") or [])
        if not entries and error.get("message"):
            entries.append({"MessageId": error.get("code"), "Message": error.get("message")})
    entries.extend(body.get("@Message.ExtendedInfo") or [])
    entries.extend(body.get("Messages") or [])
    return [e for e in entries if isinstance(e, dict)]


def describe(entry):
    """'Message (MessageId) Resolution: ...' for one ExtendedInfo entry."""
    text = entry.get("Message") or ""
    if not text and entry.get("MessageArgs"):
        text = "args: {}".format(", ".join(str(a) for a in entry["MessageArgs"]))
    message_id = entry.get("MessageId")
    if message_id:
        text = f"{text} ({message_id})" if text else message_id
    if entry.get("Resolution"):
        text = "{} Resolution: {}".format(text, entry["Resolution"])
    return text.strip()


def message_ids(body):
    return [e.get("MessageId") for e in extended_info(body) if e.get("MessageId")]


def has_message(body, suffix):
    """True if any MessageId ends with ``suffix`` (registry versions vary)."""
    return any(mid.split(".")[-1] == suffix for mid in message_ids(body))


def error_for(response, method, path, secrets=()):
    """A typed error for a 4xx/5xx ``response``."""
    status = response.status
    texts = [describe(e) for e in extended_info(response.data)]
    if not texts and response.data.get("_raw"):
        texts = [response.data["_raw"]]
    summary = "; ".join(t for t in texts if t) or "no details from the BMC"
    if status == 412:
        summary = "the resource changed since it was read (ETag mismatch): " + summary
    message = scrub(f"{method} {path} -> HTTP {status}: {summary}", secrets)
    error_class = _BY_STATUS.get(status, _errors.ApiError)
    return error_class(message, status=status, method=method, path=path,
                       message_ids=message_ids(response.data))
