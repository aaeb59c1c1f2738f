# -*- coding: utf-8 -*-
# Copyright: odc.buildout developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Vendor-like payload shapes for the Redfish test double.

Paths, names and quirks follow what the vendors publish (iDRAC, iLO, XCC,
Supermicro) so the client's vendor table is exercised for real:

* dell:       System.Embedded.1 / iDRAC.Embedded.1, virtual media under the
              Manager, 16 fixed account slots (slot 1 reserved), no HTTP
              Basic, 8 sessions, BIOS changes need @Redfish.SettingsApplyTime,
              "Previous-" rollback images in the firmware inventory,
              syslog in Managers/iDRAC.Embedded.1/Attributes.
* hpe:        ids "1" with trailing slashes, If-Match REQUIRED on PATCH,
              virtual media under the Manager, syslog Oem.Hpe on NetworkProtocol.
* lenovo:     virtual media slots without actions (PATCH Image/Inserted),
              12 fixed account slots.
* supermicro: InsertMedia rejects Inserted/WriteProtected, 4 sessions.
* generic:    DMTF 2021+: virtual media under the ComputerSystem.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

BASE_BIOS = {
    "BootMode": "Uefi",
    "ProcVirtualization": "Enabled",
    "SriovGlobalEnable": "Disabled",
    "ProcTurboMode": "Enabled",
    "WorkloadProfile": "NotConfigured",
}

SHAPES = {
    "dell": {
        "system": "Systems/System.Embedded.1",
        "manager": "Managers/iDRAC.Embedded.1",
        "chassis": "Chassis/System.Embedded.1",
        "root_vendor": "Dell", "oem": "Dell",
        "product": "Integrated Dell Remote Access Controller",
        "manufacturer": "Dell Inc.", "model": "PowerEdge R650",
        "manager_model": "14G Monolithic", "manager_fw": "7.00.00.00",
        "media_parent": "manager",
        "media": [("CD", ["CD", "DVD"], "action"), ("RemovableDisk", ["USBStick"], "action")],
        "basic_auth": False, "session_limit": 8, "slash": False, "if_match_required": False,
        "account_slots": 16, "reserved_slots": ["1"], "bios_apply_time_required": True,
        "syslog": "dell_attributes", "task_style": "dell",
        "firmware": [
            ("Installed-25227-7.00.00.00__iDRAC.Embedded.1-1",
             "Integrated Dell Remote Access Controller", "7.00.00.00"),
            ("Previous-25227-6.10.30.00__iDRAC.Embedded.1-1",
             "Integrated Dell Remote Access Controller", "6.10.30.00"),
            ("Installed-159-1.10.2__BIOS.Setup.1-1", "BIOS", "1.10.2"),
            ("Installed-108255-22.31.6__NIC.Integrated.1-1-1",
             "Broadcom Gigabit Ethernet BCM5720", "22.31.6"),
        ],
    },
    "hpe": {
        "system": "Systems/1", "manager": "Managers/1", "chassis": "Chassis/1",
        "root_vendor": "HPE", "oem": "Hpe", "product": "ProLiant DL360 Gen10 Plus",
        "manufacturer": "HPE", "model": "ProLiant DL360 Gen10 Plus",
        "manager_model": "iLO 5", "manager_fw": "iLO 5 v3.04",
        "media_parent": "manager",
        "media": [("1", ["Floppy", "USBStick"], "action"), ("2", ["CD", "DVD"], "action")],
        "basic_auth": True, "session_limit": 8, "slash": True, "if_match_required": True,
        "account_slots": 0, "reserved_slots": [], "bios_apply_time_required": False,
        "syslog": "hpe_oem", "task_style": "monitor",
        "firmware": [
            ("1", "iLO 5", "3.04"),
            ("2", "System ROM", "U46 v2.80"),
            ("3", "Intel(R) Ethernet 810-XXVDA2", "4.20"),
        ],
    },
    "lenovo": {
        "system": "Systems/1", "manager": "Managers/1", "chassis": "Chassis/1",
        "root_vendor": "Lenovo", "oem": "Lenovo", "product": "ThinkSystem SR650 V2",
        "manufacturer": "Lenovo", "model": "7Z73CTO1WW",
        "manager_model": "XCC2", "manager_fw": "TGBT36Q",
        "media_parent": "manager",
        "media": [("EXT1", ["CD", "DVD"], "patch"), ("EXT2", ["USBStick"], "patch")],
        "basic_auth": True, "session_limit": 8, "slash": False, "if_match_required": False,
        "account_slots": 12, "reserved_slots": [], "bios_apply_time_required": False,
        "syslog": "event_subscription", "task_style": "monitor",
        "firmware": [
            ("BMC-Primary", "XCC Primary Firmware", "TGBT36Q"),
            ("UEFI", "UEFI Firmware", "U8E130K"),
            ("LXPM", "LXPM Diagnostic Software", "3.2"),
        ],
    },
    "supermicro": {
        "system": "Systems/1", "manager": "Managers/1", "chassis": "Chassis/1",
        "root_vendor": "Supermicro", "oem": "Supermicro", "product": "X12DPU-6",
        "manufacturer": "Supermicro", "model": "SYS-120U-TNR",
        "manager_model": "ASPEED", "manager_fw": "01.01.06",
        "media_parent": "manager",
        "media": [("CD1", ["CD", "DVD"], "image_only")],
        "basic_auth": True, "session_limit": 4, "slash": False, "if_match_required": False,
        "account_slots": 0, "reserved_slots": [], "bios_apply_time_required": False,
        "syslog": "event_subscription", "task_style": "monitor",
        "firmware": [
            ("BMC", "BMC", "01.01.06"),
            ("BIOS", "BIOS", "1.4a"),
        ],
    },
    "generic": {
        "system": "Systems/1", "manager": "Managers/1", "chassis": "Chassis/1",
        "root_vendor": None, "oem": None, "product": "Redfish test double",
        "manufacturer": "Contoso", "model": "3500RX",
        "manager_model": "Joo Janta 200", "manager_fw": "1.45",
        "media_parent": "system",
        "media": [("CD1", ["CD", "DVD"], "action")],
        "basic_auth": True, "session_limit": 4, "slash": False, "if_match_required": False,
        "account_slots": 0, "reserved_slots": [], "bios_apply_time_required": False,
        "syslog": "event_subscription", "task_style": "monitor",
        "firmware": [
            ("BMC", "Contoso BMC Firmware", "1.45"),
            ("BIOS", "Contoso BIOS Firmware", "P79 v1.45"),
        ],
    },
}

PROTOCOLS = {
    "HTTP": {"ProtocolEnabled": False, "Port": 80},
    "HTTPS": {"ProtocolEnabled": True, "Port": 443},
    "IPMI": {"ProtocolEnabled": True, "Port": 623},
    "SSH": {"ProtocolEnabled": True, "Port": 22},
    "SSDP": {"ProtocolEnabled": True, "Port": 1900},
    "Telnet": {"ProtocolEnabled": True, "Port": 23},
    "SNMP": {"ProtocolEnabled": False, "Port": 161},
    "KVMIP": {"ProtocolEnabled": True, "Port": 5900},
    "VirtualMedia": {"ProtocolEnabled": True, "Port": 623},
    "NTP": {"ProtocolEnabled": False, "NTPServers": []},
}

RESET_TYPES = ["On", "ForceOff", "GracefulShutdown", "GracefulRestart",
               "ForceRestart", "ForceOn", "PushPowerButton"]
BOOT_TARGETS = ["None", "Pxe", "Cd", "Usb", "Hdd", "BiosSetup", "UefiHttp", "UefiTarget"]
