# -*- coding: utf-8 -*-
# Copyright: odc.buildout developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Negative cases: bad NetBox data gives one clear message per problem, naming the object."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest

from ansible_collections.odc.buildout.plugins.module_utils._errors import ValidationFailed
from ansible_collections.odc.buildout.plugins.plugin_utils._fabric._build import build_fabric
from ansible_collections.odc.buildout.plugins.plugin_utils._netbox._snapshot import Snapshot

NB = "http://127.0.0.1:8001"
HEAD = "Fabric preflight for site odc-rsw1 found %d problem(s):\n"


def findings(data):
    with pytest.raises(ValidationFailed) as info:
        build_fabric(Snapshot.from_dict(data))
    return info.value


def test_leaf_uplink_cabled_to_a_server(edit):
    edit.recable("r01-leaf01", "swp51", "r01-srv01", "eno1")
    err = findings(edit.data)
    assert err.message == HEAD % 2 + (
        "- r01-leaf01 swp51: fabric link cabled to r01-srv01 eno1 (role server); a leaf's fabric links go to a spine"
        " [%s/dcim/interfaces/1420/]\n"
        "- spine01 swp1: odc_link_role fabric but no cable to another interface [%s/dcim/interfaces/1304/]" % (NB, NB))
    assert err.details["findings"][0].startswith("r01-leaf01 swp51: ")


def test_fabric_port_without_cable(edit):
    edit.uncable("r01-leaf01", "swp52")
    assert findings(edit.data).message == HEAD % 2 + (
        "- r01-leaf01 swp52: odc_link_role fabric but no cable to another interface [%s/dcim/interfaces/1421/]\n"
        "- spine02 swp1: odc_link_role fabric but no cable to another interface [%s/dcim/interfaces/1337/]"
        % (NB, NB))


def test_spine_to_spine(edit):
    edit.recable("spine01", "swp1", "spine02", "swp9")
    assert "- spine01 swp1: fabric link cabled to spine02 swp9 (role spine); a spine's fabric links go to a leaf " \
           "[%s/dcim/interfaces/1304/]" % NB in findings(edit.data).message


def test_both_uplinks_on_one_leaf(edit):
    edit.recable("r01-srv02", "ens1f1", "r01-leaf01", "swp10")
    assert findings(edit.data).message == HEAD % 3 + (
        "- r01-leaf02 swp2: odc_link_role uplink but not cabled to a server [%s/dcim/interfaces/1428/]\n"
        "- r01-srv02: uplinks ens1f0, ens1f1 land on the same leaf r01-leaf01; a dual-homed server needs both leaves"
        " of its rack's leaf pair [%s/dcim/devices/68/]\n"
        "- r01-srv02: leaf-side LAGs differ (r01-leaf01 swp2 in bond2, r01-leaf01 swp10 in no LAG); both leaves need"
        " the same bondN for one Ethernet segment [%s/dcim/devices/68/]" % (NB, NB, NB))


def test_uplinks_in_two_racks(edit):
    edit.recable("r01-srv02", "ens1f1", "r02-leaf02", "swp10")
    assert "- r01-srv02: uplinks land on leaves in different racks (r01-leaf01 swp2, r02-leaf02 swp10); they must " \
           "go to one leaf pair [%s/dcim/devices/68/]" % NB in findings(edit.data).message


def test_leaf_without_asn(edit):
    edit.device("r02-leaf02")["custom_fields"]["odc_asn"] = None
    assert findings(edit.data).message == HEAD % 1 + (
        "- r02-leaf02: no BGP ASN (custom field odc_asn is empty) [%s/dcim/devices/63/]" % NB)


def test_leaves_sharing_an_asn(edit):
    edit.device("r02-leaf02")["custom_fields"]["odc_asn"] = {"asn": 65201}
    assert findings(edit.data).message == HEAD % 1 + (
        "- r02-leaf01, r02-leaf02: leaves share ASN 65201; every leaf needs its own ASN in this design")


def test_spine_without_loopback(edit):
    edit.data["ip_addresses"] = [ip for ip in edit.data["ip_addresses"] if ip["address"] != "10.255.0.2/32"]
    assert findings(edit.data).message == HEAD % 1 + (
        "- spine02: no loopback address (an IP on interface lo) [%s/dcim/devices/56/]" % NB)


def test_leaf_lag_vlan_differs_from_server(edit):
    edit.iface("r01-leaf02", "bond3")["untagged_vlan"] = {"id": 1, "vid": 10, "name": "hv-mgmt"}
    assert findings(edit.data).message == HEAD % 1 + (
        "- r01-leaf02 bond3: VLANs access untagged 10 do not match server r01-srv03 bond0 (access untagged 40)"
        " [%s/dcim/interfaces/1801/]" % NB)


def test_vlan_without_vni_on_a_server(edit):
    edit.data["l2vpn_terminations"] = [t for t in edit.data["l2vpn_terminations"] if t["assigned_object_id"] != 3]
    assert findings(edit.data).message == HEAD % 2 + (
        "- r01-srv05 bond0: VLAN 30 (storage) has no vxlan-evpn L2VPN (VNI) but is carried to a server"
        " [%s/dcim/devices/71/]\n"
        "- r02-srv05 bond0: VLAN 30 (storage) has no vxlan-evpn L2VPN (VNI) but is carried to a server"
        " [%s/dcim/devices/79/]" % (NB, NB))


def test_two_anycast_gateways(edit):
    edit.data["ip_addresses"].append({"id": 9999, "address": "10.40.0.2/24", "role": {"value": "anycast"},
                                      "assigned_object_type": None, "assigned_object_id": None})
    assert findings(edit.data).message == HEAD % 1 + (
        "- VLAN 40 (ocp-machine): 2 anycast IPs in prefix 10.40.0.0/24 (10.40.0.1/24, 10.40.0.2/24); an L3 VLAN has"
        " exactly one gateway [%s/ipam/vlans/4/]" % NB)


def test_server_address_outside_its_vlan(edit):
    next(ip for ip in edit.data["ip_addresses"] if ip["address"] == "10.40.0.12/24")["address"] = "10.10.0.99/24"
    assert findings(edit.data).message == HEAD % 1 + (
        "- r01-srv03 bond0: address 10.10.0.99/24 is outside VLAN 40's prefix 10.40.0.0/24"
        " [%s/ipam/ip-addresses/12/]" % NB)


def test_bmc_without_mac(edit):
    edit.iface("r01-srv03", "iDRAC").update(mac_address=None, primary_mac_address=None)
    assert findings(edit.data).message == HEAD % 1 + (
        "- r01-srv03 iDRAC: BMC interface has no MAC address (needed for the DHCP reservation)"
        " [%s/dcim/interfaces/1721/]" % NB)


def test_bmc_on_a_leaf(edit):
    edit.recable("r01-srv04", "iDRAC", "r01-leaf01", "swp20")
    assert findings(edit.data).message == HEAD % 1 + (
        "- r01-srv04 iDRAC: BMC must be cabled to an oob-switch, found r01-leaf01 swp20 (role leaf)"
        " [%s/dcim/interfaces/1726/]" % NB)


def test_all_problems_reported_at_once(edit):
    edit.device("r02-leaf02")["custom_fields"]["odc_asn"] = None
    edit.uncable("r01-leaf01", "swp52")
    edit.iface("r01-leaf02", "bond3")["untagged_vlan"] = {"id": 1, "vid": 10, "name": "hv-mgmt"}
    err = findings(edit.data)
    assert err.message.startswith(HEAD % 4)
    assert len(err.details["findings"]) == 4
