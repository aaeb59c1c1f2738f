# -*- coding: utf-8 -*-
# Copyright: odc.buildout developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Identity guard: refuse to write to a BMC that is not the expected machine.

Runs BEFORE any write.  Compares case-insensitively; every expected MAC must
be among the system's or the manager's Ethernet interfaces (current or
permanent address).  UUIDs also match in the SMBIOS mixed-endian byte order,
because IPMI and some BMCs report the first three fields swapped.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import uuid as uuidlib

from ansible_collections.odc.buildout.plugins.module_utils import _errors
from ansible_collections.odc.buildout.plugins.module_utils._redfish._system import (
    normalize_mac,
)


def uuid_variants(value):
    """{canonical, byte-swapped} lower-case forms (or the raw string)."""
    text = str(value or "").strip().lower()
    try:
        parsed = uuidlib.UUID(text)
    except ValueError:
        return {text}
    return {str(parsed), str(uuidlib.UUID(bytes_le=parsed.bytes))}


def wanted(expected_serial=None, expected_uuid=None, expected_macs=None):
    return bool(expected_serial or expected_uuid or expected_macs)


def compare(actual, expected_serial=None, expected_uuid=None, expected_macs=None):
    """List of human-readable mismatches (empty when the identity matches)."""
    problems = []
    if expected_serial:
        serial = (actual.get("serial") or "").strip()
        if serial.lower() != str(expected_serial).strip().lower():
            problems.append(f"serial is {serial or None!r}, expected {expected_serial!r}")
    if expected_uuid and not uuid_variants(actual.get("uuid")) & uuid_variants(expected_uuid):
        problems.append("UUID is {!r}, expected {!r}".format(actual.get("uuid"), expected_uuid))
    if expected_macs:
        present = {normalize_mac(m) for m in actual.get("macs") or []}
        missing = sorted(normalize_mac(m) for m in expected_macs if normalize_mac(m) not in present)
        if missing:
            problems.append(f"MACs {missing} not found (BMC reports {sorted(present)})")
    return problems


def verify(read_identity, address, expected_serial=None, expected_uuid=None, expected_macs=None):
    """Raise IdentityMismatch unless the BMC is the expected machine.

    ``read_identity(with_macs)`` returns the identity dict; it is called only
    when something is expected, and reads MACs only when MACs are expected.
    """
    if not wanted(expected_serial, expected_uuid, expected_macs):
        return None
    actual = read_identity(bool(expected_macs))
    problems = compare(actual, expected_serial, expected_uuid, expected_macs)
    if problems:
        raise _errors.IdentityMismatch(
            "refusing to write: the BMC at {} is not the expected machine: {}".format(address, "; ".join(problems)),
            actual={"serial": actual.get("serial"), "uuid": actual.get("uuid")})
    return actual
