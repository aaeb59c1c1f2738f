# -*- coding: utf-8 -*-
# Copyright: odc.buildout developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Write helpers that follow the rule: after an ambiguous failure, re-read the
state and decide; resend only what is idempotent and provably not applied."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.odc.buildout.plugins.module_utils import _errors


def patch_verified(client, uri, body, etag, is_applied, warnings=None):
    """PATCH ``body``; if the answer was lost, re-read: done if ``is_applied``
    says so, else PATCH once more (a PATCH sets values: repeating is safe)."""
    try:
        client.patch(uri, body, etag)
        return
    except _errors.WriteOutcomeUnknown as exc:
        if warnings is not None:
            warnings.append(f"{exc}; re-reading {uri}")
    data, etag = client.get_with_etag(uri)
    if is_applied(data):
        return
    client.patch(uri, body, etag)


def contains(data, want):
    """True if every key of ``want`` has that value in ``data`` (nested)."""
    for key, value in want.items():
        if isinstance(value, dict):
            if not contains(data.get(key) or {}, value):
                return False
        elif data.get(key) != value:
            return False
    return True


def subset_applied(desired):
    """is_applied() for 'every key of desired has that value in the resource'."""
    return lambda data: contains(data, desired)
