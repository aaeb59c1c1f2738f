# Copyright: odc.buildout developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""IP addresses and prefixes per VRF."""

import copy

from preflight_demo import choice


def add_ip(site, address, on=None, role=None, vrf=None, new_id=9500):
    """Append an IP address (assigned to (device, interface) ``on`` if given)."""
    ip = copy.deepcopy(site.ip("10.40.0.5/24"))
    ip.update(id=new_id, address=address, role=choice(role) if role else None, vrf=vrf,
              display_url=f"http://127.0.0.1:8001/ipam/ip-addresses/{new_id}/",
              assigned_object=None, assigned_object_id=None, assigned_object_type=None)
    if on:
        iface = site.iface(*on)
        ip.update(assigned_object_type="dcim.interface", assigned_object_id=iface["id"],
                  assigned_object={"id": iface["id"], "name": iface["name"],
                                   "device": {"id": iface["device"]["id"], "name": iface["device"]["name"]}})
    site.data["ip_addresses"].append(ip)
    return ip


def add_prefix(site, cidr, status="active", vrf=None, new_id=9600, scoped=True):
    prefix = copy.deepcopy(site.prefix("10.30.0.0/24"))
    prefix.update(id=new_id, prefix=cidr, status=choice(status), vrf=vrf, vlan=None,
                  display_url=f"http://127.0.0.1:8001/ipam/prefixes/{new_id}/")
    if not scoped:
        prefix.update(scope_type=None, scope_id=None, scope=None)
    site.data["prefixes"].append(prefix)
    return prefix


# -- ODC-IP-001 --------------------------------------------------------------
def test_ip_outside_every_prefix(site, new):
    add_ip(site, "10.99.0.10/24", on=("r01-srv08", "eno1"))
    assert new(site.run()) == [
        ("error", "ODC-IP-001", "ipam.ipaddress", "10.99.0.10/24", "address",
         "10.99.0.10/24 is in no network prefix of the global table (add the prefix it belongs to, or fix the "
         "address or VRF).")]


def test_ip_only_inside_a_container(site, new):
    add_prefix(site, "10.96.0.0/16", status="container", scoped=False)
    add_ip(site, "10.96.1.10/24", on=("r01-srv08", "eno1"))
    assert new(site.run()) == [
        ("error", "ODC-IP-001", "ipam.ipaddress", "10.96.1.10/24", "address",
         "10.96.1.10/24 is in no network prefix of the global table (only inside container(s) 10.96.0.0/16; "
         "add the network prefix).")]


def test_ip_in_another_vrf_does_not_match_global_prefixes(site, new):
    add_ip(site, "10.20.0.77/24", on=("r01-srv08", "eno1"), vrf={"id": 5, "name": "tenant-b"})
    assert new(site.run()) == [
        ("error", "ODC-IP-001", "ipam.ipaddress", "10.20.0.77/24 (VRF tenant-b)", "address",
         "10.20.0.77/24 is in no network prefix of VRF tenant-b (add the prefix it belongs to, or fix the "
         "address or VRF).")]


def test_ips_of_other_sites_are_out_of_scope(site, new):
    add_ip(site, "10.200.0.10/22")  # unassigned, in no prefix of this site: another site's business
    assert new(site.run()) == []


# -- ODC-IP-002 --------------------------------------------------------------
def test_mask_differs_from_the_prefix(site, new):
    add_ip(site, "10.20.0.50/16", on=("r01-srv08", "eno2"))
    assert new(site.run()) == [
        ("error", "ODC-IP-002", "ipam.ipaddress", "10.20.0.50/16", "address",
         "10.20.0.50/16 has mask /16 but lies in 10.20.0.0/24 (the global table); it should be 10.20.0.50/24.")]


def test_most_specific_prefix_decides(site, new):
    add_prefix(site, "10.20.0.0/16", status="container", new_id=9601)
    add_ip(site, "10.20.0.51/24", on=("r01-srv08", "eno2"))
    assert new(site.run()) == []


def test_loopbacks_are_host_addresses(site, new):
    site.ip("10.255.0.11/32")["address"] = "10.255.0.11/24"
    assert new(site.run()) == [
        ("error", "ODC-IP-002", "ipam.ipaddress", "10.255.0.11/24", "address",
         "Loopback 10.255.0.11/24 should be a host address (/32).")]


# -- ODC-IP-003 --------------------------------------------------------------
def test_duplicate_ip_in_a_vrf(site, new):
    vrf = {"id": 6, "name": "pf-test"}
    add_prefix(site, "10.98.0.0/24", vrf=vrf, new_id=9602)
    add_ip(site, "10.98.0.10/24", vrf=vrf, new_id=9501)
    add_ip(site, "10.98.0.10/24", vrf=vrf, new_id=9502)
    assert new(site.run()) == [
        ("error", "ODC-IP-003", "ipam.ipaddress", "10.98.0.10/24 (VRF pf-test)", "address",
         "10.98.0.10 is recorded more than once in VRF pf-test: also #9501 10.98.0.10/24."),
        ("error", "ODC-IP-003", "ipam.ipaddress", "10.98.0.10/24 (VRF pf-test)", "address",
         "10.98.0.10 is recorded more than once in VRF pf-test: also #9502 10.98.0.10/24."),
    ]


def test_same_address_in_two_vrfs_is_fine(site, new):
    add_prefix(site, "10.40.0.0/24", vrf={"id": 6, "name": "pf-test"}, new_id=9603)
    add_ip(site, "10.40.0.10/24", vrf={"id": 6, "name": "pf-test"})
    assert new(site.run()) == []


def test_duplicate_with_a_different_mask_names_the_owner(site, new):
    add_ip(site, "10.40.0.10/25", on=("r02-srv06", "eno1"))
    found = [f for f in new(site.run()) if f[1] == "ODC-IP-003"]
    assert found == [
        ("error", "ODC-IP-003", "ipam.ipaddress", "10.40.0.10/24", "address",
         "10.40.0.10 is recorded more than once in the global table: also #9500 10.40.0.10/25 on r02-srv06 eno1."),
        ("error", "ODC-IP-003", "ipam.ipaddress", "10.40.0.10/25", "address",
         "10.40.0.10 is recorded more than once in the global table: also #8 10.40.0.10/24 on r01-srv01 bond0."),
    ]


def test_shared_roles_may_share_an_address(site, new):
    add_ip(site, "10.10.0.1/24", role="anycast")
    assert new(site.run()) == []


# -- ODC-IP-004 --------------------------------------------------------------
def test_broadcast_and_network_addresses(site, new):
    add_ip(site, "10.30.0.255/24", new_id=9503)
    add_ip(site, "10.30.0.0/24", new_id=9504)
    pool = add_prefix(site, "10.97.0.0/24", new_id=9604)
    pool["is_pool"] = True
    add_ip(site, "10.97.0.0/24", new_id=9505)
    assert new(site.run()) == [
        ("error", "ODC-IP-004", "ipam.ipaddress", "10.30.0.0/24", "address",
         "10.30.0.0/24 is the network address of 10.30.0.0/24; hosts cannot use it."),
        ("error", "ODC-IP-004", "ipam.ipaddress", "10.30.0.255/24", "address",
         "10.30.0.255/24 is the broadcast address of 10.30.0.0/24; hosts cannot use it."),
    ]


# -- ODC-PFX-001 -------------------------------------------------------------
def test_duplicate_prefix(site, new):
    add_prefix(site, "10.30.0.0/24", new_id=9605, scoped=False)
    original = site.data["prefixes"][[p["prefix"] for p in site.data["prefixes"]].index("10.30.0.0/24")]
    assert new(site.run()) == [
        ("error", "ODC-PFX-001", "ipam.prefix", "10.30.0.0/24", "prefix",
         f"10.30.0.0/24 is recorded more than once in the global table (also #{original['id']})."),
        ("error", "ODC-PFX-001", "ipam.prefix", "10.30.0.0/24", "prefix",
         "10.30.0.0/24 is recorded more than once in the global table (also #9605)."),
    ]


# -- ODC-PFX-002 -------------------------------------------------------------
def test_network_nested_in_a_network_is_a_warning(site, new):
    add_prefix(site, "10.20.0.128/26")
    assert new(site.run()) == [
        ("warning", "ODC-PFX-002", "ipam.prefix", "10.20.0.128/26", "prefix",
         "10.20.0.128/26 lies inside 10.20.0.0/24 (active) in the global table; nest networks only under a "
         "container prefix.")]


def test_network_under_a_container_is_fine(site, new):
    add_prefix(site, "10.0.0.0/8", status="container")
    assert new(site.run()) == []


def test_prefixes_of_other_sites_are_out_of_scope(site, new):
    add_prefix(site, "10.40.0.0/25", scoped=False)  # holds no IP of this site's scope... but 10.40.0.10 is inside
    found = new(site.run())
    assert {f[1] for f in found} == {"ODC-IP-002", "ODC-PFX-002"}
    site.data["prefixes"][-1]["prefix"] = "10.201.0.0/25"
    assert new(site.run()) == []
