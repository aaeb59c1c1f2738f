# -*- coding: utf-8 -*-
# Copyright: odc.buildout developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Joining and grouping of the recorded GraphQL read (_hostvars, _groups)."""

import json

import pytest

from ansible_collections.odc.buildout.plugins.plugin_utils._netbox import _groups, _hostvars


def test_every_demo_device_and_recorded_vm_is_a_host(hosts):
    names = set(hosts)
    assert len([n for n in names if n.startswith(("spine", "r0"))]) == 28
    assert {"r01-srv01", "r02-srv08", "spine02", "r02-pdu-b", "bench-vm0001"} <= names
    assert len([n for n in names if n.startswith("bench-vm")]) == 12


def test_server_identity(hosts):
    odc, address, _groups_ = hosts["r01-srv01"]
    assert address == "10.40.0.10"
    assert {k: odc[k] for k in ("kind", "name", "serial", "asset_tag", "device_type", "model", "manufacturer",
                                "site", "location", "rack", "position", "tenant", "role", "platform",
                                "status")} == {
        "kind": "device", "name": "r01-srv01", "serial": "D41F36A", "asset_tag": "RSW1-R01-01",
        "device_type": "poweredge-r650", "model": "PowerEdge R650", "manufacturer": "dell",
        "site": "odc-rsw1", "location": "zaal-a", "rack": "R01", "position": 2, "tenant": "tenant-a",
        "role": "server", "platform": "rhcos", "status": "planned"}
    assert isinstance(odc["id"], int)
    assert odc["primary_ip4"] == "10.40.0.10/24" and odc["primary_ip6"] is None


def test_bmc_from_mgmt_interface_and_custom_fields(hosts):
    bmc = hosts["r01-srv01"][0]["bmc"]
    assert bmc == {"interface": "iDRAC", "address": "127.0.10.11", "mac": "B0:7B:25:73:91:96",
                   "protocol": "redfish", "port": 443, "credential": "vault:odc_bmc_credentials.r01-srv01"}
    ipmi = hosts["r01-srv07"][0]["bmc"]
    assert (ipmi["interface"], ipmi["protocol"], ipmi["port"], ipmi["address"]) == ("BMC", "ipmi", 623, "127.0.10.17")


@pytest.mark.parametrize("name", ["spine01", "r01-leaf01", "r01-oob01", "r01-pdu-a"])
def test_switch_management_port_is_not_a_bmc(hosts, name):
    assert hosts[name][0]["bmc"] is None


def test_bmc_port_defaults_by_protocol(raw):
    dev = next(d for d in raw["devices"] if d["name"] == "r01-srv07")
    dev["custom_field_data"]["odc_bmc_port"] = None
    odc = {h[0]: h[1] for h in _hostvars.build(raw)["hosts"]}["r01-srv07"]
    assert odc["bmc"]["port"] == 623


def test_interfaces_lag_mac_roles_boot_and_cable_peers(hosts):
    ifaces = hosts["r01-srv01"][0]["interfaces"]
    assert set(ifaces) == {"bond0", "eno1", "eno2", "ens1f0", "ens1f1", "iDRAC"}
    assert ifaces["ens1f0"] == {
        "type": "25gbase-x-sfp28", "enabled": True, "mgmt_only": False, "mac": "B0:7B:25:8C:C8:F1",
        "lag": "bond0", "mode": None, "untagged_vlan": None, "tagged_vlans": [], "link_role": "uplink",
        "boot": True, "peer": {"device": "r01-leaf01", "interface": "swp1"}}
    assert ifaces["ens1f1"]["peer"] == {"device": "r01-leaf02", "interface": "swp1"}
    assert ifaces["ens1f1"]["boot"] is False
    assert ifaces["iDRAC"]["peer"] == {"device": "r01-oob01", "interface": "swp1"}
    assert ifaces["iDRAC"]["mgmt_only"] is True and ifaces["iDRAC"]["link_role"] == "bmc"
    assert ifaces["bond0"]["mode"] == "access" and ifaces["bond0"]["untagged_vlan"] == 40
    assert ifaces["eno1"]["peer"] is None and ifaces["eno1"]["mac"] is None


def test_peer_seen_from_both_ends(hosts):
    assert hosts["r01-leaf01"][0]["interfaces"]["swp1"]["peer"] == {"device": "r01-srv01", "interface": "ens1f0"}


def test_tagged_vlans_only_for_tagged_ports(hosts):
    bond = hosts["r02-srv05"][0]["interfaces"]["bond0"]
    assert (bond["mode"], bond["untagged_vlan"], bond["tagged_vlans"]) == ("tagged", 10, [20, 30])


def test_ip_addresses_with_containing_prefix(hosts):
    ips = {ip["address"]: ip for ip in hosts["r01-srv01"][0]["ip_addresses"]}
    assert ips["10.40.0.10/24"] == {"address": "10.40.0.10/24", "interface": "bond0", "prefix": "10.40.0.0/24",
                                    "vrf": None, "status": "active", "role": None,
                                    "dns_name": "r01-srv01.rsw1.odc.example"}
    assert ips["127.0.10.11/24"]["prefix"] == "127.0.10.0/24"
    assert ips["127.0.10.11/24"]["interface"] == "iDRAC"
    loopback = hosts["spine01"][0]["ip_addresses"]
    assert loopback[0]["address"] == "10.255.0.1/32" and loopback[0]["prefix"] == "10.255.0.0/24"
    assert loopback[0]["role"] == "loopback"


def test_cluster_and_openshift_role(hosts):
    odc = hosts["r01-srv01"][0]
    assert odc["cluster"]["name"] == "ocp-prod" and odc["cluster"]["type"] == "openshift"
    assert odc["ocp_role"] == "control-plane"
    assert hosts["r01-srv03"][0]["ocp_role"] == "worker"
    assert hosts["r01-srv05"][0]["cluster"]["name"] == "kvm-prod"
    assert hosts["r01-srv06"][0]["cluster"] is None


def test_tags_and_custom_fields(hosts):
    odc = hosts["r01-srv01"][0]
    assert odc["tags"] == ["dual-homed", "odc-managed", "openshift"]
    assert odc["custom_fields"]["odc_root_device_hints"] == {"deviceName": "/dev/sda"}
    assert "odc_asn" not in odc["custom_fields"]  # null custom fields are left out


def test_virtual_machine(hosts):
    odc, address, groups = hosts["bench-vm0001"]
    assert odc["kind"] == "virtual_machine"
    assert (odc["cluster"]["name"], odc["vcpus"], odc["memory"], odc["disk"]) == ("bench-kvm", 2, 4096, 40960)
    assert odc["interfaces"] == {"eth0": {"enabled": True, "mac": "02:BF:00:00:00:00", "mode": "access",
                                          "untagged_vlan": None, "tagged_vlans": []}}
    assert odc["ip_addresses"][0]["prefix"] == "10.201.0.0/20"
    assert address == "10.201.0.10"
    assert groups == ["virtual_machines", "site_bench_site", "status_staged", "cluster_bench_kvm",
                      "cluster_type_kvm"]
    assert "bmc" not in odc and "rack" not in odc


def test_groups_of_a_server(hosts):
    assert hosts["r01-srv01"][2] == [
        "devices", "site_odc_rsw1", "location_odc_rsw1_zaal_a", "rack_odc_rsw1_r01", "role_server",
        "platform_rhcos", "status_planned", "tenant_tenant_a", "cluster_ocp_prod", "cluster_type_openshift",
        "tag_dual_homed", "tag_odc_managed", "tag_openshift"]


def test_group_by_subset(raw):
    data = _hostvars.build(raw, group_by=["role", "tag"])
    groups = {h[0]: h[3] for h in data["hosts"]}
    assert groups["r01-srv05"] == ["role_server", "tag_dual_homed", "tag_kvm_hypervisor", "tag_odc_managed"]


@pytest.mark.parametrize("source,expected", [
    ("primary_ip", "10.40.0.10"), ("primary_ip4", "10.40.0.10"), ("primary_ip6", None), ("bmc", "127.0.10.11"),
    ("none", None)])
def test_ansible_host_source(raw, source, expected):
    data = _hostvars.build(raw, host_source=source)
    assert {h[0]: h[2] for h in data["hosts"]}["r01-srv01"] == expected


def test_primary_ip6_used_when_no_ip4():
    assert _hostvars.ansible_host({"primary_ip4": None, "primary_ip6": "2001:db8::5/64"}) == "2001:db8::5"


def test_duplicate_and_unnamed_hosts_warn(raw):
    dup = dict(next(d for d in raw["devices"] if d["name"] == "r01-srv03"), id="99999")
    raw["devices"].append(dup)
    raw["devices"].append(dict(dup, id="99998", name=None))
    data = _hostvars.build(raw)
    assert [h[1]["id"] for h in data["hosts"] if h[0] == "r01-srv03"] != [99999]
    assert any("same name" in w and "99999" in w for w in data["warnings"])
    assert any("1 unnamed" in w for w in data["warnings"])


def test_pinned_fields_fill_the_left_out_slugs(raw):
    for dev in raw["devices"]:
        dev.pop("site")
        dev.pop("role")
    raw["_pinned"] = {"site": "odc-rsw1", "role": "server"}
    odc = {h[0]: h[1] for h in _hostvars.build(raw)["hosts"]}["r01-srv02"]
    assert (odc["site"], odc["role"]) == ("odc-rsw1", "server")


def test_peer_outside_the_scope_comes_from_the_peers_read(raw):
    # scope = servers only: the leaf's interfaces are not in "interfaces", the peers read has them
    servers = {d["id"] for d in raw["devices"] if d["role"]["slug"] == "server"}
    leaf_side = [i for i in raw["interfaces"] if i["device"]["id"] not in servers]
    raw["interfaces"] = [i for i in raw["interfaces"] if i["device"]["id"] in servers]
    names = {d["id"]: d["name"] for d in raw["devices"]}
    raw["peers"] = [{"id": i["id"], "name": i["name"], "cable": i["cable"], "cable_end": i["cable_end"],
                     "device": {"name": names[i["device"]["id"]]}} for i in leaf_side if i.get("cable")]
    raw["devices"] = [d for d in raw["devices"] if d["id"] in servers]
    odc = {h[0]: h[1] for h in _hostvars.build(raw)["hosts"]}["r02-srv04"]
    assert odc["interfaces"]["ens1f1"]["peer"] == {"device": "r02-leaf02", "interface": "swp4"}


def test_flat_ip_read_joins_like_the_nested_one(raw):
    nested = _hostvars.build(raw)
    flat = []
    for kind, key in (("InterfaceType", "interface_ips"), ("VMInterfaceType", "vm_interface_ips")):
        for iface in raw.pop(key):
            for ip in iface["ip_addresses"]:
                flat.append(dict(ip, assigned_object={"__typename": kind, "id": iface["id"]}))
    flat.append({"id": "1", "address": "192.0.2.1/24", "assigned_object": None})  # unassigned: ignored
    raw["ip_addresses"] = flat
    assert json.dumps(_hostvars.build(raw), sort_keys=True) == json.dumps(nested, sort_keys=True)


def test_prefix_index_most_specific_and_vrf():
    index = _hostvars.PrefixIndex([
        {"prefix": "10.0.0.0/8", "vrf": None}, {"prefix": "10.1.0.0/16", "vrf": None},
        {"prefix": "10.1.2.0/24", "vrf": {"id": "7"}}, {"prefix": "2001:db8::/32", "vrf": None},
        {"prefix": "not-a-prefix", "vrf": None}])
    assert index.containing("10.1.2.3/24") == "10.1.0.0/16"
    assert index.containing("10.1.2.3/24", vrf="7") == "10.1.2.0/24"
    assert index.containing("10.9.9.9/32", vrf="7") == "10.0.0.0/8"  # global fallback
    assert index.containing("2001:db8::1/64") == "2001:db8::/32"
    assert index.containing("192.0.2.1/24") is None
    assert index.containing("garbage") is None


@pytest.mark.parametrize("value,expected", [
    ("odc-rsw1", "odc_rsw1"), ("ODC Rijswijk 1", "odc_rijswijk_1"), ("R01", "r01"), ("a.b/c", "a_b_c")])
def test_group_name_sanitising(value, expected):
    assert _groups.safe(value) == expected


def test_host_groups_without_site_skip_rack_and_location():
    odc = {"kind": "device", "site": None, "rack": "R01", "location": "x", "tags": [], "cluster": None}
    assert _groups.host_groups(odc) == ["devices"]
