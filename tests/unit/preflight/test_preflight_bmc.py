# Copyright: odc.buildout developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""BMC interface and address, boot NIC, identity (MACs, serials, names)."""

import copy


# -- ODC-BMC-001 -------------------------------------------------------------
def test_two_mgmt_only_interfaces(site, new):
    site.iface("r02-srv04", "eno1")["mgmt_only"] = True
    assert new(site.run()) == [
        ("error", "ODC-BMC-001", "dcim.device", "r02-srv04", "interfaces.mgmt_only",
         "r02-srv04 has 2 interfaces marked mgmt_only (eno1, iDRAC); exactly one, the BMC, may be."),
        ("error", "ODC-BMC-001", "dcim.interface", "r02-srv04 eno1", "custom_fields.odc_link_role",
         "r02-srv04 eno1 is the BMC (mgmt_only) but its link role is not set; set odc_link_role to bmc."),
    ]


def test_no_bmc_interface(site, new):
    site.bmc("r01-srv05")["mgmt_only"] = False
    assert new(site.run()) == [
        ("error", "ODC-BMC-001", "dcim.device", "r01-srv05", "interfaces.mgmt_only",
         "r01-srv05 has no BMC interface: mark its BMC port mgmt_only (odc_link_role bmc)."),
        ("error", "ODC-BMC-001", "dcim.interface", "r01-srv05 iLO", "mgmt_only",
         "r01-srv05 iLO has link role bmc but is not mgmt_only; mark it mgmt_only (the BMC stages find the BMC by "
         "that flag)."),
    ]


# -- ODC-BMC-002 -------------------------------------------------------------
def test_bmc_address_outside_the_oob_prefix(site, new):
    site.ip("127.0.10.23/24")["address"] = "10.30.0.200/24"
    assert new(site.run()) == [
        ("error", "ODC-BMC-002", "ipam.ipaddress", "10.30.0.200/24", "address",
         "BMC address 10.30.0.200/24 of r02-srv03 iDRAC is outside the OOB/BMC prefix (role oob-bmc: "
         "127.0.10.0/24).")]


def test_bmc_without_address(site, new):
    site.data["ip_addresses"].remove(site.ip("127.0.10.17/24"))
    site.device("r01-srv07")["oob_ip"] = None
    assert new(site.run()) == [
        ("error", "ODC-BMC-002", "dcim.interface", "r01-srv07 BMC", "ip_addresses",
         "BMC interface r01-srv07 BMC has no IP address; assign one from the OOB/BMC prefix.")]


def test_bmc_with_two_addresses(site, new):
    extra = copy.deepcopy(site.ip("127.0.10.23/24"))
    extra.update(id=9001, address="127.0.10.99/24", display_url="http://127.0.0.1:8001/ipam/ip-addresses/9001/")
    site.data["ip_addresses"].append(extra)
    assert new(site.run()) == [
        ("error", "ODC-BMC-002", "dcim.interface", "r02-srv03 iDRAC", "ip_addresses",
         "BMC interface r02-srv03 iDRAC has 2 IP addresses (127.0.10.23/24, 127.0.10.99/24); exactly one is "
         "expected.")]


# -- ODC-BMC-003 -------------------------------------------------------------
def test_duplicate_bmc_address(site, new):
    site.ip("127.0.10.22/24")["address"] = "127.0.10.21/24"
    found = new(site.run())
    assert [f for f in found if f[1] == "ODC-BMC-003"] == [
        ("error", "ODC-BMC-003", "ipam.ipaddress", "127.0.10.21/24", "address",
         "BMC address 127.0.10.21 of r02-srv01 is also the BMC address of r02-srv02."),
        ("error", "ODC-BMC-003", "ipam.ipaddress", "127.0.10.21/24", "address",
         "BMC address 127.0.10.21 of r02-srv02 is also the BMC address of r02-srv01."),
    ]
    assert sorted({f[1] for f in found}) == ["ODC-BMC-003", "ODC-IP-003"]


def test_duplicate_bmc_address_in_another_vrf_still_counts(site, new):
    ip = site.ip("127.0.10.22/24")
    ip["address"] = "127.0.10.21/24"
    ip["vrf"] = {"id": 77, "name": "oob-b"}
    found = new(site.run())
    assert sorted({f[1] for f in found}) == ["ODC-BMC-002", "ODC-BMC-003", "ODC-IP-001"]


# -- ODC-BMC-004 -------------------------------------------------------------
def test_oob_ip_is_the_bmc_address(site, new):
    site.device("r01-srv08")["oob_ip"] = None
    site.device("r02-srv08")["oob_ip"] = copy.deepcopy(site.device("r02-srv08")["primary_ip4"])
    assert new(site.run()) == [
        ("error", "ODC-BMC-004", "dcim.device", "r01-srv08", "oob_ip",
         "r01-srv08 has no OOB IP; set it to its BMC address 127.0.10.18/24."),
        ("error", "ODC-BMC-004", "dcim.device", "r02-srv08", "oob_ip",
         "r02-srv08's OOB IP 10.10.0.118/24 is not its BMC address 127.0.10.28/24 (BMC)."),
    ]


# -- ODC-BOOT-001 / ODC-ID-001 -------------------------------------------------
def test_boot_mac_is_the_bmc_mac(site, new):
    bmc_mac = site.bmc("r01-srv07")["mac_address"]
    boot = site.iface("r01-srv07", "ens1f0")
    boot["mac_address"] = bmc_mac
    boot["mac_addresses"] = [{"id": 9002, "mac_address": bmc_mac}]
    assert new(site.run()) == [
        ("error", "ODC-BOOT-001", "dcim.interface", "r01-srv07 ens1f0", "mac_address",
         f"Boot NIC r01-srv07 ens1f0 has MAC {bmc_mac}, which is the BMC's MAC; the installer would boot the "
         "wrong port. Record the NIC's own MAC."),
        ("error", "ODC-ID-001", "dcim.interface", "r01-srv07 BMC", "mac_address",
         f"MAC {bmc_mac} of r01-srv07 BMC is also recorded on r01-srv07 ens1f0."),
        ("error", "ODC-ID-001", "dcim.interface", "r01-srv07 ens1f0", "mac_address",
         f"MAC {bmc_mac} of r01-srv07 ens1f0 is also recorded on r01-srv07 BMC."),
    ]


def test_bmc_as_boot_nic(site, new):
    site.set_cf(site.bmc("r01-srv06"), odc_boot=True)
    assert new(site.run()) == [
        ("error", "ODC-BOOT-001", "dcim.interface", "r01-srv06 iLO", "custom_fields.odc_boot",
         "r01-srv06 iLO is the BMC and cannot be the boot NIC; set odc_boot on a host NIC instead."),
        ("error", "ODC-BOOT-002", "dcim.device", "r01-srv06", "interfaces.custom_fields.odc_boot",
         "r01-srv06 has 2 boot NICs (ens1f0, iLO); set odc_boot on exactly one."),
    ]


# -- ODC-BOOT-002 -------------------------------------------------------------
def test_server_to_install_needs_a_boot_nic_with_a_mac(site, new):
    site.set_cf(site.iface("r01-srv01", "ens1f0"), odc_boot=False)
    boot = site.iface("r02-srv05", "ens1f0")
    boot["mac_address"] = None
    boot["mac_addresses"] = []
    site.set_cf(site.iface("r02-srv07", "ens1f0"), odc_boot=False)  # spare: no install, no boot NIC needed
    assert new(site.run()) == [
        ("error", "ODC-BOOT-002", "dcim.device", "r01-srv01", "interfaces.custom_fields.odc_boot",
         "r01-srv01 is to be installed but has no boot NIC; set odc_boot on the NIC it installs from."),
        ("error", "ODC-BOOT-002", "dcim.interface", "r02-srv05 ens1f0", "mac_address",
         "Boot NIC r02-srv05 ens1f0 has no MAC address; the installer needs it."),
    ]


# -- ODC-ID-001 --------------------------------------------------------------
def test_duplicate_mac_across_servers_ignores_lags(site, new):
    mac = site.iface("r01-srv01", "ens1f1")["mac_address"]
    other = site.iface("r02-srv02", "ens1f1")
    other["mac_address"] = mac
    other["mac_addresses"] = [{"id": 9003, "mac_address": mac.lower()}]
    site.iface("r02-srv02", "bond0")["mac_address"] = site.iface("r02-srv02", "ens1f0")["mac_address"]
    assert new(site.run()) == [
        ("error", "ODC-ID-001", "dcim.interface", "r01-srv01 ens1f1", "mac_address",
         f"MAC {mac} of r01-srv01 ens1f1 is also recorded on r02-srv02 ens1f1."),
        ("error", "ODC-ID-001", "dcim.interface", "r02-srv02 ens1f1", "mac_address",
         f"MAC {mac} of r02-srv02 ens1f1 is also recorded on r01-srv01 ens1f1."),
    ]


def test_duplicate_mac_outside_scope_is_named_but_not_reported(site, new):
    mac = site.iface("r01-srv01", "ens1f1")["mac_address"]
    other = site.iface("r02-srv02", "ens1f1")
    other["mac_addresses"] = [{"id": 9003, "mac_address": mac}]
    assert new(site.run(racks=["R02"])) == [
        ("error", "ODC-ID-001", "dcim.interface", "r02-srv02 ens1f1", "mac_address",
         f"MAC {mac} of r02-srv02 ens1f1 is also recorded on r01-srv01 ens1f1.")]


# -- ODC-ID-002 --------------------------------------------------------------
def test_duplicate_serial(site, new):
    site.device("r01-srv05")["serial"] = site.device("r01-srv04")["serial"].lower()
    assert new(site.run()) == [
        ("error", "ODC-ID-002", "dcim.device", "r01-srv04", "serial",
         "Serial D466F0D of r01-srv04 is also the serial of r01-srv05."),
        ("error", "ODC-ID-002", "dcim.device", "r01-srv05", "serial",
         "Serial D466F0D of r01-srv05 is also the serial of r01-srv04."),
    ]


# -- ODC-ID-003 --------------------------------------------------------------
def test_duplicate_and_missing_device_names(site, new):
    twin = copy.deepcopy(site.device("r01-pdu-a"))
    twin.update(id=9100, name="r01-srv03", tenant=None, display_url="http://127.0.0.1:8001/dcim/devices/9100/")
    nameless = copy.deepcopy(site.device("r01-pdu-b"))
    nameless.update(id=9101, name=None, display="Device 9101", display_url="http://127.0.0.1:8001/dcim/devices/9101/")
    site.data["devices"] += [twin, nameless]
    assert new(site.run()) == [
        ("error", "ODC-ID-003", "dcim.device", "Device 9101", "name",
         "Device #9101 has no name; every device to build needs one."),
        ("error", "ODC-ID-003", "dcim.device", "r01-srv03", "name",
         "Device name r01-srv03 (#69) is also used by device #9100 in this site."),
        ("error", "ODC-ID-003", "dcim.device", "r01-srv03", "name",
         "Device name r01-srv03 (#9100) is also used by device #69 in this site."),
    ]
