# Copyright: odc.buildout developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Rack space, rack power and OpenShift clusters."""

import copy

import pytest
from preflight_demo import choice

from ansible_collections.odc.buildout.plugins.module_utils._errors import ConfigError
from ansible_collections.odc.buildout.plugins.plugin_utils._preflight._rules_rack import feed_capacity


# -- ODC-RACK-001 ------------------------------------------------------------
def test_overlapping_devices(site, new):
    site.device("r01-srv04")["position"] = 7.0  # r01-srv03 sits in U6, 1U: no overlap yet
    assert new(site.run()) == []
    site.device("r01-srv04")["position"] = 6.0
    assert new(site.run()) == [
        ("error", "ODC-RACK-001", "dcim.device", "r01-srv04", "position",
         "r01-srv04 (U6, 1U, full depth) overlaps r01-srv03 in rack R01.")]


def test_half_depth_devices_share_a_unit_on_opposite_faces(site, new):
    dtype = copy.deepcopy(site.data["device_types"][0])
    dtype.update(id=9700, slug="half", u_height=2.0, is_full_depth=False)
    site.data["device_types"].append(dtype)
    for dev_id, name, face in ((9701, "half-front", "front"), (9702, "half-rear", "rear")):
        dev = copy.deepcopy(site.device("r01-srv08"))
        dev.update(id=dev_id, name=name, position=20.0, face=choice(face), serial="", role={"slug": "firewall"},
                   device_type={"id": 9700}, cluster=None, config_context={})
        site.data["devices"].append(dev)
    assert new(site.run(devices=["half-front", "half-rear"])) == []
    dtype["is_full_depth"] = True
    assert new(site.run(devices=["half-front", "half-rear"])) == [
        ("error", "ODC-RACK-001", "dcim.device", "half-rear", "position",
         "half-rear (U20, 2U, full depth) overlaps half-front in rack R01.")]


def test_half_unit_positions(site, new):
    dtype = copy.deepcopy(site.data["device_types"][0])
    dtype.update(id=9703, slug="half-u", u_height=0.5)
    site.data["device_types"].append(dtype)
    dev = copy.deepcopy(site.device("r01-srv08"))
    dev.update(id=9704, name="tray", position=3.5, serial="", role={"slug": "firewall"}, device_type={"id": 9703})
    site.data["devices"].append(dev)
    assert new(site.run(devices=["tray"])) == []
    dev["position"] = 2.5  # r01-srv01 occupies U2 and U2.5
    assert new(site.run(devices=["tray"])) == [
        ("error", "ODC-RACK-001", "dcim.device", "tray", "position",
         "tray (U2.5, 0.5U, full depth) overlaps r01-srv01 in rack R01.")]


# -- ODC-RACK-002 ------------------------------------------------------------
def test_device_sticks_out_of_the_rack(site, new):
    site.device("r02-srv08")["position"] = 43.0
    site.rack("R01")["u_height"] = 39  # spine01 sits in U40
    assert new(site.run()) == [
        ("error", "ODC-RACK-002", "dcim.device", "r02-srv08", "position",
         "r02-srv08 at U43 is 1U tall and does not fit in rack R02 (U1-U42)."),
        ("error", "ODC-RACK-002", "dcim.device", "spine01", "position",
         "spine01 at U40 is 1U tall and does not fit in rack R01 (U1-U39)."),
    ]


def test_starting_unit_counts(site, new):
    site.rack("R02")["starting_unit"] = 3  # U3-U44: r02-srv01 in U2 is now below the rack
    assert new(site.run(racks=["R02"])) == [
        ("error", "ODC-RACK-002", "dcim.device", "r02-srv01", "position",
         "r02-srv01 at U2 is 1U tall and does not fit in rack R02 (U3-U44).")]


def test_snapshot_without_device_types_is_an_input_error(site):
    del site.data["device_types"]
    with pytest.raises(ConfigError, match="device types"):
        site.run()


# -- ODC-PWR-001 / ODC-PWR-002 ---------------------------------------------------
def test_feed_capacity():
    assert feed_capacity({"voltage": 230, "amperage": 32, "max_utilization": 80}) == 5888
    assert feed_capacity({"voltage": 400, "amperage": 16, "max_utilization": 80,
                          "phase": {"value": "three-phase"}}) == 8868
    assert feed_capacity({"voltage": -48, "amperage": 50, "max_utilization": 100, "supply": {"value": "dc"}}) == 2400


def test_load_must_fit_on_one_side_of_an_a_b_pair(site, new):
    site.feed("R02-A")["amperage"] = 16
    assert new(site.run()) == [
        ("error", "ODC-PWR-001", "dcim.rack", "R02", "power_feeds",
         "Rack R02 allocates 4,900 W but its primary feed side delivers 2,944 W (R02-A: 230 V x 16 A x 80 % = "
         "2,944 W); with A+B feeds the whole load must fit on one side.")]


def test_allocated_draw_growth(site, new):
    for port in site.power_ports("r01-srv01"):
        port["allocated_draw"] = 900
    for port in site.power_ports("r01-srv02"):
        port["allocated_draw"] = None  # falls back to maximum_draw (450)
    found = new(site.run())
    assert [f[5] for f in found] == [
        "Rack R01 allocates 6,700 W but its primary feed side delivers 5,888 W (R01-A: 230 V x 32 A x 80 % = "
        "5,888 W); with A+B feeds the whole load must fit on one side.",
        "Rack R01 allocates 6,700 W but its redundant feed side delivers 5,888 W (R01-B: 230 V x 32 A x 80 % = "
        "5,888 W); with A+B feeds the whole load must fit on one side.",
    ]


def test_primary_feeds_add_up_without_redundant_feeds(site, new):
    site.feed("R01-B")["type"] = choice("primary")
    for port in site.power_ports("r01-srv01"):
        port["allocated_draw"] = 900
    assert new(site.run()) == []


def test_rack_without_feeds(site, new):
    site.data["power_feeds"] = [f for f in site.data["power_feeds"] if f["rack"]["name"] != "R02"]
    assert new(site.run()) == [
        ("error", "ODC-PWR-002", "dcim.rack", "R02", "power_feeds", "Rack R02 allocates 4,900 W but has no power feed.")]


# -- ODC-OCP-001 -------------------------------------------------------------
@pytest.mark.parametrize(("roles", "ok"), [
    ({"r02-srv01": "worker"}, False),
    ({"r01-srv03": "control-plane"}, False),
    ({"r01-srv03": "control-plane", "r01-srv04": "control-plane"}, True),
])
def test_control_plane_size(site, new, roles, ok):
    for name, role in roles.items():
        site.set_cf(site.device(name), odc_ocp_role=choice(role))
    found = new(site.run())
    if ok:
        assert found == []
    else:
        count = 3 + sum(1 if r == "control-plane" else -1 for r in roles.values())
        names = sorted({"r01-srv01", "r01-srv02", "r02-srv01"} - {n for n, r in roles.items() if r == "worker"}
                       | {n for n, r in roles.items() if r == "control-plane"})
        assert found == [
            ("error", "ODC-OCP-001", "virtualization.cluster", "ocp-prod", "devices.custom_fields.odc_ocp_role",
             f"OpenShift cluster ocp-prod has {count} control-plane node(s) ({', '.join(names)}); it needs 3 or 5.")]


# -- ODC-OCP-002 -------------------------------------------------------------
def test_vip_outside_the_machine_network(site, new):
    vip = site.ip("10.40.0.6/24")
    vip["address"] = "10.10.0.6/24"
    assert new(site.run()) == [
        ("error", "ODC-OCP-002", "virtualization.cluster", "ocp-prod", "custom_fields.odc_ingress_vip",
         "The ingress VIP 10.10.0.6/24 of ocp-prod lies outside its machine network 10.40.0.0/24.")]


def test_cluster_without_vips_or_machine_network(site, new):
    site.set_cf(site.cluster("ocp-prod"), odc_api_vip=None, odc_machine_network=None)
    assert new(site.run()) == [
        ("error", "ODC-OCP-002", "virtualization.cluster", "ocp-prod", "custom_fields.odc_api_vip",
         "OpenShift cluster ocp-prod has no API VIP; set odc_api_vip to an IP address."),
        ("error", "ODC-OCP-002", "virtualization.cluster", "ocp-prod", "custom_fields.odc_machine_network",
         "OpenShift cluster ocp-prod has no machine network; set odc_machine_network to its prefix."),
    ]


# -- ODC-OCP-003 -------------------------------------------------------------
def test_vip_assigned_to_an_interface(site, new):
    vip = site.ip("10.40.0.5/24")
    iface = site.iface("r01-srv04", "eno1")
    vip.update(assigned_object_type="dcim.interface", assigned_object_id=iface["id"],
               assigned_object={"id": iface["id"], "name": "eno1", "device": {"id": iface["device"]["id"],
                                                                              "name": "r01-srv04"}})
    assert new(site.run()) == [
        ("error", "ODC-OCP-003", "virtualization.cluster", "ocp-prod", "custom_fields.odc_api_vip",
         "The API VIP 10.40.0.5/24 of ocp-prod is assigned to r01-srv04 eno1; a VIP must not be assigned to an "
         "interface.")]


def test_vip_address_used_by_another_device(site, new):
    twin = copy.deepcopy(site.ip("10.40.0.5/24"))
    iface = site.iface("r01-srv04", "eno1")
    twin.update(id=9800, assigned_object_type="dcim.interface", assigned_object_id=iface["id"],
                assigned_object={"id": iface["id"], "name": "eno1",
                                 "device": {"id": iface["device"]["id"], "name": "r01-srv04"}})
    site.data["ip_addresses"].append(twin)
    assert new(site.run()) == [
        ("error", "ODC-OCP-003", "virtualization.cluster", "ocp-prod", "custom_fields.odc_api_vip",
         "The API VIP 10.40.0.5 of ocp-prod is also used by IP #9800 10.40.0.5/24 on r01-srv04 eno1.")]


def test_api_and_ingress_vip_identical(site, new):
    cluster = site.cluster("ocp-prod")
    cluster["custom_fields"]["odc_ingress_vip"] = copy.deepcopy(cluster["custom_fields"]["odc_api_vip"])
    assert new(site.run()) == [
        ("error", "ODC-OCP-003", "virtualization.cluster", "ocp-prod", "custom_fields.odc_api_vip",
         "The API VIP and the ingress VIP of ocp-prod are the same address 10.40.0.5.")]


# -- ODC-OCP-004 -------------------------------------------------------------
def test_rendezvous_ip_on_a_worker(site, new):
    worker_ip = site.ip("10.40.0.12/24")
    site.cluster("ocp-prod")["custom_fields"]["odc_rendezvous_ip"] = {"id": worker_ip["id"], "address": "10.40.0.12/24"}
    assert new(site.run()) == [
        ("error", "ODC-OCP-004", "virtualization.cluster", "ocp-prod", "custom_fields.odc_rendezvous_ip",
         "The rendezvous IP 10.40.0.12/24 of ocp-prod belongs to r01-srv03, a worker; it must be an IP of a "
         "control-plane node.")]


@pytest.mark.parametrize(("address", "what"), [
    ("10.40.0.5/24", "is not assigned to any device"),
    ("10.10.0.20/24", "belongs to r01-srv05, which is not a node of this cluster"),
])
def test_rendezvous_ip_elsewhere(site, new, address, what):
    ip = site.ip(address)
    site.cluster("ocp-prod")["custom_fields"]["odc_rendezvous_ip"] = {"id": ip["id"], "address": address}
    found = [f for f in new(site.run()) if f[1] == "ODC-OCP-004"]
    assert found == [
        ("error", "ODC-OCP-004", "virtualization.cluster", "ocp-prod", "custom_fields.odc_rendezvous_ip",
         f"The rendezvous IP {address} of ocp-prod {what}; it must be an IP of a control-plane node.")]


def test_rendezvous_ip_missing(site, new):
    site.set_cf(site.cluster("ocp-prod"), odc_rendezvous_ip=None)
    assert new(site.run()) == [
        ("error", "ODC-OCP-004", "virtualization.cluster", "ocp-prod", "custom_fields.odc_rendezvous_ip",
         "OpenShift cluster ocp-prod has no rendezvous IP; set odc_rendezvous_ip to an IP of a control-plane "
         "node.")]


# -- ODC-OCP-005 -------------------------------------------------------------
def test_openshift_roles(site, new):
    site.set_cf(site.device("r02-srv06"), odc_ocp_role=choice("worker"))
    site.set_cf(site.device("r02-srv04"), odc_ocp_role=None)
    assert new(site.run()) == [
        ("error", "ODC-OCP-005", "dcim.device", "r02-srv04", "custom_fields.odc_ocp_role",
         "r02-srv04 is in OpenShift cluster ocp-prod but has no OpenShift role; set odc_ocp_role to control-plane "
         "or worker."),
        ("error", "ODC-OCP-005", "dcim.device", "r02-srv06", "custom_fields.odc_ocp_role",
         "r02-srv06 has OpenShift role worker but is not in an OpenShift cluster; set its cluster or clear "
         "odc_ocp_role."),
    ]


def test_clusters_outside_the_scope_are_not_checked(site, new):
    site.set_cf(site.device("r02-srv01"), odc_ocp_role=choice("worker"))
    assert [f[1] for f in new(site.run(racks=["R01"]))] == ["ODC-OCP-001"]  # members in R01
    only_kvm = site.run(devices=["r01-srv05"])
    assert [f.rule for f in only_kvm.findings if f.rule.startswith("ODC-OCP")] == []
