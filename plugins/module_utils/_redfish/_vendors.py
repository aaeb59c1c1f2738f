# -*- coding: utf-8 -*-
# Copyright: odc.buildout developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The ONE table of vendor differences.

Everything else in the Redfish layer is DMTF-standard and discovers paths
from links (``@odata.id``, ``Actions``, ``@Redfish.Settings``).  Only what
cannot be discovered lives here.  Keep it small; docs/bmc.md shows it.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from collections import namedtuple

VendorProfile = namedtuple("VendorProfile", [
    "key",            # short name used in options and docs
    "label",          # human name
    "markers",        # lowercase strings looked for in the service root
    "session_limit",  # sessions the BMC allows at once (all clients)
    "basic_auth",     # may we fall back to HTTP Basic when sessions are unusable
    "media_home",     # where VirtualMedia lives first: "manager" or "system"
    "insert_fields",  # optional InsertMedia fields the BMC accepts
    "bios_apply_time",  # @Redfish.SettingsApplyTime the BMC needs on Bios/Settings
    "syslog",         # how remote syslog is configured
    "account_slots",  # accounts are fixed slots (PATCH an empty one), not POST
    "reserved_accounts",  # slot ids that must never be touched
    "firmware_skip",  # inventory id prefixes that are not installed firmware
])

_BOTH_FLAGS = ("Inserted", "WriteProtected")

PROFILES = (
    # iDRAC 9/10: own virtual-media path under Managers/iDRAC.Embedded.1;
    # 8 sessions per iDRAC (documented); iDRAC10 >= 1.30.10.50 ships with
    # HTTP Basic "Unadvertised", so never fall back to it; BIOS changes need
    # an ApplyTime to create the configuration job; 16 fixed account slots,
    # slot 1 reserved; "Previous-"/"Available-" inventory entries are
    # rollback/staged images, not what runs.
    VendorProfile("dell", "Dell iDRAC", ("dell", "idrac"), 8, False,
                  "manager", (), "OnReset", "dell_attributes",
                  True, ("1",), ("Previous-", "Available-")),
    # iLO 5/6: virtual media under Managers/1; syslog is Oem.Hpe on the
    # Manager's NetworkProtocol; PATCH needs If-Match (we always send it).
    VendorProfile("hpe", "HPE iLO", ("hpe", "hp", "ilo"), 8, True,
                  "manager", _BOTH_FLAGS, None, "hpe_oem",
                  False, (), ()),
    # XCC: virtual media under Managers/1 (PATCH on slots without actions);
    # fixed account slots.
    VendorProfile("lenovo", "Lenovo XCC", ("lenovo", "xclarity", "xcc"), 8,
                  True, "manager", _BOTH_FLAGS, None, "event_subscription",
                  True, (), ()),
    # X11/X12/X13: InsertMedia rejects Inserted/WriteProtected (send Image
    # only); small session table.
    VendorProfile("supermicro", "Supermicro", ("supermicro", "smc"), 4, True,
                  "manager", (), None, "event_subscription",
                  False, (), ()),
    # Anything else: DMTF 2021.1+ (VirtualMedia under the ComputerSystem).
    VendorProfile("generic", "DMTF generic", (), 4, True,
                  "system", _BOTH_FLAGS, None, "event_subscription",
                  False, (), ()),
)

BY_KEY = {p.key: p for p in PROFILES}
VENDOR_CHOICES = ("auto",) + tuple(p.key for p in PROFILES)


def _root_words(root):
    """Lowercase words from the service root that name the vendor."""
    words = [str(root.get("Vendor") or ""), str(root.get("Product") or "")]
    words.extend((root.get("Oem") or {}).keys())
    return " ".join(words).lower().replace("_", " ").split()


def detect(root, override="auto"):
    """Pick the profile for a service root (or the one the user forced)."""
    if override and override != "auto":
        return BY_KEY[override]
    words = _root_words(root)
    for profile in PROFILES:
        for marker in profile.markers:
            if marker in words:
                return profile
    return BY_KEY["generic"]
