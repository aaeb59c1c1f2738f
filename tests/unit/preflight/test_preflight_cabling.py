# Copyright: odc.buildout developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Cabling, uplinks to the leaf pair, VLANs on leaf ports."""

from preflight_demo import choice


# -- ODC-CABLE-001 -----------------------------------------------------------
def test_uncabled_uplink_is_reported_at_both_designed_ends(site, new):
    site.uncable("r01-srv04", "ens1f1")
    assert new(site.run()) == [
        ("error", "ODC-CABLE-001", "dcim.interface", "r01-leaf02 swp4", "cable",
         "r01-leaf02 swp4 must be cabled (link role uplink) but has no cable."),
        ("error", "ODC-CABLE-001", "dcim.interface", "r01-srv04 ens1f1", "cable",
         "r01-srv04 ens1f1 must be cabled (link role uplink) but has no cable."),
    ]


def test_uncabled_bmc(site, new):
    site.uncable("r02-srv06", "iLO")
    assert new(site.run()) == [
        ("error", "ODC-CABLE-001", "dcim.interface", "r02-srv06 iLO", "cable",
         "r02-srv06 iLO must be cabled (link role bmc) but has no cable.")]


def test_interface_with_a_link_role_but_no_cable(site, new):
    site.set_cf(site.iface("r02-srv06", "eno1"), odc_link_role=choice("uplink"))
    assert new(site.run()) == [
        ("error", "ODC-CABLE-001", "dcim.interface", "r02-srv06 eno1", "cable",
         "r02-srv06 eno1 must be cabled (link role uplink) but has no cable.")]


def test_marked_connected_is_a_warning(site, new):
    iface = site.iface("r02-srv06", "eno1")
    site.set_cf(iface, odc_link_role=choice("mgmt"))
    iface["mark_connected"] = True
    assert new(site.run()) == [
        ("warning", "ODC-CABLE-001", "dcim.interface", "r02-srv06 eno1", "cable",
         "r02-srv06 eno1 (link role mgmt) is connected but not to an interface NetBox can follow; the far end "
         "cannot be checked.")]


def test_out_of_scope_far_end_is_not_reported(site, new):
    site.uncable("r01-srv04", "ens1f1")
    assert new(site.run(devices=["r01-srv04"])) == [
        ("error", "ODC-CABLE-001", "dcim.interface", "r01-srv04 ens1f1", "cable",
         "r01-srv04 ens1f1 must be cabled (link role uplink) but has no cable.")]


# -- ODC-CABLE-002 -----------------------------------------------------------
def test_link_roles_disagree_reported_once_per_cable(site, new):
    site.set_cf(site.iface("r02-leaf02", "swp51"), odc_link_role=choice("uplink"))
    assert new(site.run()) == [
        ("error", "ODC-CABLE-002", "dcim.interface", "r02-leaf02 swp51", "custom_fields.odc_link_role",
         "r02-leaf02 swp51 (link role uplink) is cabled to spine01 swp4, whose link role is fabric; "
         "expected uplink.")]


def test_far_end_without_link_role(site, new):
    site.set_cf(site.iface("r01-oob01", "swp49"), odc_link_role=None)
    assert new(site.run()) == [
        ("error", "ODC-CABLE-002", "dcim.interface", "r01-leaf01 swp49", "custom_fields.odc_link_role",
         "r01-leaf01 swp49 (link role oob-uplink) is cabled to r01-oob01 swp49, whose link role is not set; "
         "expected oob-uplink.")]


def test_bmc_must_land_on_the_oob_switch(site, new):
    site.uncable("r01-srv06", "iLO")
    site.cable(("r01-srv06", "iLO"), ("r01-leaf01", "swp30"))
    assert new(site.run()) == [
        ("error", "ODC-CABLE-002", "dcim.interface", "r01-srv06 iLO", "custom_fields.odc_link_role",
         "r01-srv06 iLO (link role bmc) is cabled to r01-leaf01 swp30, a leaf; it must land on an oob-switch "
         "port.")]


# -- ODC-UPLINK-001 ----------------------------------------------------------
def test_server_uplink_on_a_spine(site, new):
    site.set_cf(site.iface("r02-srv08", "eno2"), odc_link_role=choice("uplink"))
    site.cable(("r02-srv08", "eno2"), ("spine02", "swp20"))
    assert new(site.run()) == [
        ("error", "ODC-CABLE-002", "dcim.interface", "r02-srv08 eno2", "custom_fields.odc_link_role",
         "r02-srv08 eno2 (link role uplink) is cabled to spine02 swp20, whose link role is not set; "
         "expected uplink."),
        ("error", "ODC-UPLINK-001", "dcim.interface", "r02-srv08 eno2", "cable",
         "Server uplink r02-srv08 eno2 is cabled to spine02 swp20, a spine; server uplinks must land on leaf "
         "ports."),
    ]


# -- ODC-UPLINK-002 ----------------------------------------------------------
def test_both_uplinks_on_one_leaf(site, new):
    site.uncable("r01-srv03", "ens1f1")
    site.set_cf(site.iface("r01-leaf01", "swp30"), odc_link_role=choice("uplink"))
    site.cable(("r01-srv03", "ens1f1"), ("r01-leaf01", "swp30"))
    found = new(site.run())
    assert [f for f in found if f[1] == "ODC-UPLINK-002"] == [
        ("error", "ODC-UPLINK-002", "dcim.interface", "r01-srv03 bond0", "lag",
         "r01-srv03 bond0 uplinks land on r01-leaf01, r01-leaf01; a dual-homed server needs one uplink on each "
         "leaf of rack R01's pair (r01-leaf01, r01-leaf02).")]
    # the leaf port left behind is uncabled, and the new leaf port has no VLANs
    assert sorted({f[1] for f in found}) == ["ODC-CABLE-001", "ODC-UPLINK-002", "ODC-VLAN-001"]


def test_leaf_port_not_in_a_lag(site, new):
    site.iface("r01-leaf02", "swp3")["lag"] = None
    assert new(site.run()) == [
        ("error", "ODC-UPLINK-002", "dcim.interface", "r01-leaf02 swp3", "lag",
         "r01-leaf02 swp3 (to r01-srv03 ens1f1) is not in a LAG; a dual-homed server port on a leaf is a member "
         "of a bond (EVPN multihoming) matching r01-srv03 bond0."),
        ("error", "ODC-VLAN-001", "dcim.interface", "r01-leaf02 swp3", "untagged_vlan",
         "r01-leaf02 swp3 (to r01-srv03 ens1f1) does not carry VLAN 40 (ocp-machine) untagged (not at all), "
         "which r01-srv03 bond0 needs."),
    ]


def test_dual_homed_tag_without_a_bond(site, new):
    site.iface("r01-srv02", "ens1f1")["lag"] = None
    assert new(site.run()) == [
        ("error", "ODC-UPLINK-002", "dcim.device", "r01-srv02", "interfaces.lag",
         "r01-srv02 is tagged dual-homed but has no LAG with two uplinks (uplinks: ens1f0, ens1f1).")]


def test_rack_without_a_leaf_pair(site, new):
    leaf = site.device("r02-leaf02")
    leaf["rack"] = {"id": site.rack("R01")["id"], "name": "R01"}
    leaf["position"] = 30.0
    found = new(site.run(racks=["R02"]))
    assert [f for f in found if f[1] == "ODC-UPLINK-002"][0] == (
        "error", "ODC-UPLINK-002", "dcim.device", "r02-srv01", "rack",
        "r02-srv01 is dual-homed but its rack R02 has 1 leaf (r02-leaf01); a leaf pair is two leaves in the rack.")
    assert len([f for f in found if f[1] == "ODC-UPLINK-002"]) == 8


# -- ODC-VLAN-001 ------------------------------------------------------------
def test_tagged_vlan_missing_on_one_leaf(site, new):
    lag = site.iface("r02-leaf01", "bond5")
    lag["tagged_vlans"] = [v for v in lag["tagged_vlans"] if v["vid"] != 30]
    assert new(site.run()) == [
        ("error", "ODC-VLAN-001", "dcim.interface", "r02-leaf01 bond5", "tagged_vlans",
         "r02-leaf01 bond5 (to r02-srv05 ens1f0) does not carry VLAN 30 (storage) tagged (not at all), which "
         "r02-srv05 bond0 needs.")]


def test_subinterface_vlan_must_be_tagged_on_the_leaf(site, new):
    for leaf in ("r01-leaf01", "r01-leaf02"):
        lag = site.iface(leaf, "bond5")
        lag["tagged_vlans"] = [v for v in lag["tagged_vlans"] if v["vid"] != 30]
    server = site.iface("r01-srv05", "bond0")
    server["tagged_vlans"] = [v for v in server["tagged_vlans"] if v["vid"] != 30]
    found = new(site.run())
    assert [f[3] for f in found] == ["r01-leaf01 bond5", "r01-leaf02 bond5"]
    assert all("VLAN 30 (storage) tagged" in f[5] for f in found)


def test_native_vlan_mismatch(site, new):
    vlan10 = site.vlan(10)
    for leaf in ("r02-leaf01", "r02-leaf02"):
        lag = site.iface(leaf, "bond6")
        lag["mode"] = choice("tagged")
        lag["tagged_vlans"] = [{"id": vlan10["id"], "vid": 10, "name": "hv-mgmt"}]
        lag["untagged_vlan"] = None
    assert new(site.run()) == [
        ("error", "ODC-VLAN-001", "dcim.interface", f"{leaf} bond6", "untagged_vlan",
         f"{leaf} bond6 (to r02-srv06 {nic}) does not carry VLAN 10 (hv-mgmt) untagged (tagged only), which "
         "r02-srv06 bond0 needs.")
        for leaf, nic in (("r02-leaf01", "ens1f0"), ("r02-leaf02", "ens1f1"))]


def test_tagged_all_carries_everything(site, new):
    for leaf in ("r02-leaf01", "r02-leaf02"):
        lag = site.iface(leaf, "bond5")
        lag["mode"] = choice("tagged-all")
        lag["tagged_vlans"] = []
    assert new(site.run()) == []
