# Copyright: odc.buildout developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Property-based tests: corrupted variants of the demo site give exactly the expected findings.

Each corruption mutates the in-memory snapshot (Hypothesis chooses the kind,
the target and the values) and returns every finding it must cause, with the
exact message. The test asserts that the findings new compared with the
untouched demo site are exactly those: nothing missing, nothing extra.
"""

from hypothesis import given, settings
from hypothesis import strategies as st
from preflight_demo import (
    CONTROL_PLANE,
    KVM,
    LEAVES,
    SERVERS,
    SPARE,
    SPINES,
    DemoSite,
    bmc_name,
    choice,
    load_demo,
)

SETTINGS = settings(max_examples=120, deadline=None, database=None)


def E(rule, object_type, name, field, message, severity="error"):  # noqa: N802 - reads like a table row
    return (severity, rule, object_type, name, field, message)


# -- corruptions of one server (they do not interact across servers) --------------
def offline(site, draw, server):
    status = draw(st.sampled_from(["offline", "inventory", "decommissioning"]))
    site.device(server)["status"] = choice(status)
    return [E("ODC-STATUS-001", "dcim.device", server, "status",
              f"{server} is {status}; only planned or staged devices are built. Set the status to planned (or "
              "staged) or leave the device out of the scope.")]


def credential_missing(site, draw, server):
    site.set_cf(site.device(server), odc_bmc_credential=draw(st.sampled_from([None, ""])))
    return [E("ODC-CF-001", "dcim.device", server, "custom_fields.odc_bmc_credential",
              f"{server}: no BMC credential reference; set odc_bmc_credential "
              f"(e.g. vault:odc_bmc_credentials.{server}).")]


def protocol_wrong(site, draw, server):
    value = draw(st.sampled_from([None, "ssh", "IPMI", "snmp"]))
    site.set_cf(site.device(server), odc_bmc_protocol=choice(value) if value else None)
    what = "is not set" if value is None else f"is {value!r}"
    return [E("ODC-CF-001", "dcim.device", server, "custom_fields.odc_bmc_protocol",
              f"{server}: BMC protocol {what}; set odc_bmc_protocol to redfish or ipmi.")]


def bmc_outside(site, draw, server):
    address = f"10.30.0.{100 + SERVERS.index(server)}/24"
    site.ips_of(server, bmc_name(server))[0]["address"] = address
    return [E("ODC-BMC-002", "ipam.ipaddress", address, "address",
              f"BMC address {address} of {server} {bmc_name(server)} is outside the OOB/BMC prefix "
              "(role oob-bmc: 127.0.10.0/24).")]


def boot_is_bmc_mac(site, draw, server):
    bmc = bmc_name(server)
    mac = site.bmc(server)["mac_address"]
    boot = site.iface(server, "ens1f0")
    boot["mac_address"] = mac if draw(st.booleans()) else mac.lower()
    boot["mac_addresses"] = [{"id": 9900, "mac_address": boot["mac_address"]}]
    return [E("ODC-BOOT-001", "dcim.interface", f"{server} ens1f0", "mac_address",
              f"Boot NIC {server} ens1f0 has MAC {mac}, which is the BMC's MAC; the installer would boot the wrong "
              "port. Record the NIC's own MAC."),
            E("ODC-ID-001", "dcim.interface", f"{server} {bmc}", "mac_address",
              f"MAC {mac} of {server} {bmc} is also recorded on {server} ens1f0."),
            E("ODC-ID-001", "dcim.interface", f"{server} ens1f0", "mac_address",
              f"MAC {mac} of {server} ens1f0 is also recorded on {server} {bmc}.")]


def oob_ip_missing(site, draw, server):
    site.device(server)["oob_ip"] = None
    address = site.ips_of(server, bmc_name(server))[0]["address"]
    return [E("ODC-BMC-004", "dcim.device", server, "oob_ip",
              f"{server} has no OOB IP; set it to its BMC address {address}.")]


def bmc_uncabled(site, draw, server):
    site.uncable(server, bmc_name(server))
    return [E("ODC-CABLE-001", "dcim.interface", f"{server} {bmc_name(server)}", "cable",
              f"{server} {bmc_name(server)} must be cabled (link role bmc) but has no cable.")]


def second_mgmt_only(site, draw, server):
    nic = draw(st.sampled_from(["eno1", "eno2"]))
    site.iface(server, nic)["mgmt_only"] = True
    names = ", ".join(sorted([nic, bmc_name(server)]))
    return [E("ODC-BMC-001", "dcim.device", server, "interfaces.mgmt_only",
              f"{server} has 2 interfaces marked mgmt_only ({names}); exactly one, the BMC, may be."),
            E("ODC-BMC-001", "dcim.interface", f"{server} {nic}", "custom_fields.odc_link_role",
              f"{server} {nic} is the BMC (mgmt_only) but its link role is not set; set odc_link_role to bmc.")]


def context_wrong_type(site, draw, server):
    key = draw(st.sampled_from(["ntp_servers", "dns_servers", "syslog_servers"]))
    site.device(server)["config_context"][key] = "10.255.255.1"
    return [E("ODC-CTX-001", "dcim.device", server, f"config_context.{key}",
              f"{server}: config context {key} must be of type array, got '10.255.255.1' (profile odc-site-services).")]


def host_mask(site, draw, server):
    bits = draw(st.sampled_from([16, 23, 25, 28]))
    ip = site.ips_of(server, "bond0")[0]
    host = ip["address"].split("/")[0]
    ip["address"] = f"{host}/{bits}"
    prefix = host.rsplit(".", 1)[0] + ".0/24"
    return [E("ODC-IP-002", "ipam.ipaddress", ip["address"], "address",
              f"{host}/{bits} has mask /{bits} but lies in {prefix} (the global table); it should be {host}/24.")]


PER_SERVER = [offline, credential_missing, protocol_wrong, bmc_outside, boot_is_bmc_mac, oob_ip_missing,
              bmc_uncabled, second_mgmt_only, context_wrong_type, host_mask]


# -- corruptions that involve several objects --------------------------------------
def duplicate_serial(site, draw):
    a, b = draw(st.lists(st.sampled_from(SERVERS), min_size=2, max_size=2, unique=True))
    serial = site.device(a)["serial"]
    site.device(b)["serial"] = serial
    return [E("ODC-ID-002", "dcim.device", x, "serial", f"Serial {serial.upper()} of {x} is also the serial of {y}.")
            for x, y in ((a, b), (b, a))], {}


def duplicate_bmc_ip(site, draw):
    a, b = draw(st.lists(st.sampled_from(SERVERS), min_size=2, max_size=2, unique=True))
    ip_a = site.ips_of(a, bmc_name(a))[0]
    ip_b = site.ips_of(b, bmc_name(b))[0]
    ip_b["address"] = ip_a["address"]
    host = ip_a["address"].split("/")[0]
    out = []
    for (x, ip_x), (y, ip_y) in (((a, ip_a), (b, ip_b)), ((b, ip_b), (a, ip_a))):
        out.append(E("ODC-BMC-003", "ipam.ipaddress", ip_x["address"], "address",
                     f"BMC address {host} of {x} is also the BMC address of {y}."))
        out.append(E("ODC-IP-003", "ipam.ipaddress", ip_x["address"], "address",
                     f"{host} is recorded more than once in the global table: also #{ip_y['id']} {ip_y['address']} "
                     f"on {y} {bmc_name(y)}."))
    return out, {}


def asn_missing(site, draw):
    switch = draw(st.sampled_from(SPINES + LEAVES))
    site.set_cf(site.device(switch), odc_asn=None)
    role = "spine" if switch in SPINES else "leaf"
    return [E("ODC-CF-002", "dcim.device", switch, "custom_fields.odc_asn",
              f"{switch} ({role}) has no BGP ASN; set odc_asn to an ASN object.")], {}


def fabric_link_role(site, draw):
    leaf = draw(st.sampled_from(LEAVES))
    port, spine = draw(st.sampled_from([("swp51", "spine01"), ("swp52", "spine02")]))
    role = draw(st.sampled_from(["uplink", "oob-uplink", "mgmt", "bmc"]))
    site.set_cf(site.iface(leaf, port), odc_link_role=choice(role))
    allowed = {"uplink": "uplink", "oob-uplink": "oob-uplink", "mgmt": "none or mgmt", "bmc": "none or bmc"}[role]
    return [E("ODC-CABLE-002", "dcim.interface", f"{leaf} {port}", "custom_fields.odc_link_role",
              f"{leaf} {port} (link role {role}) is cabled to {spine} swp{LEAVES.index(leaf) + 1}, whose link role "
              f"is fabric; expected {allowed}.")], {}


def vlan_missing(site, draw):
    server = draw(st.sampled_from(KVM))
    leaf_no = draw(st.sampled_from([1, 2]))
    vid, name = draw(st.sampled_from([(20, "vm-prod"), (30, "storage")]))
    rack = server[:3]
    leaf, nic = f"{rack}-leaf0{leaf_no}", ("ens1f0", "ens1f1")[leaf_no - 1]
    lag = site.iface(leaf, "bond5")
    lag["tagged_vlans"] = [v for v in lag["tagged_vlans"] if v["vid"] != vid]
    return [E("ODC-VLAN-001", "dcim.interface", f"{leaf} bond5", "tagged_vlans",
              f"{leaf} bond5 (to {server} {nic}) does not carry VLAN {vid} ({name}) tagged (not at all), which "
              f"{server} bond0 needs.")], {}


def rack_overlap(site, draw):
    rack = draw(st.sampled_from(["r01", "r02"]))
    a, b = draw(st.lists(st.sampled_from([s for s in SERVERS if s.startswith(rack)]), min_size=2, max_size=2,
                         unique=True))
    position = site.device(a)["position"]
    site.device(b)["position"] = position
    early, late = sorted([a, b])
    return [E("ODC-RACK-001", "dcim.device", late, "position",
              f"{late} (U{int(position)}, 1U, full depth) overlaps {early} in rack {rack.upper()}.")], {}


def feed_too_small(site, draw):
    rack = draw(st.sampled_from(["R01", "R02"]))
    side = draw(st.sampled_from(["A", "B"]))
    amps = draw(st.integers(min_value=1, max_value=40))
    site.feed(f"{rack}-{side}")["amperage"] = amps
    capacity = int(230 * amps * 80 / 100.0)
    if capacity >= 4900:
        return [], {}
    side_name = "primary" if side == "A" else "redundant"
    return [E("ODC-PWR-001", "dcim.rack", rack, "power_feeds",
              f"Rack {rack} allocates 4,900 W but its {side_name} feed side delivers {capacity:,} W ({rack}-{side}: "
              f"230 V x {amps} A x 80 % = {capacity:,} W); with A+B feeds the whole load must fit on one side.")], {}


def control_plane_shrinks(site, draw):
    node = draw(st.sampled_from(CONTROL_PLANE))
    site.set_cf(site.device(node), odc_ocp_role=choice("worker"))
    rest = ", ".join(n for n in CONTROL_PLANE if n != node)
    out = [E("ODC-OCP-001", "virtualization.cluster", "ocp-prod", "devices.custom_fields.odc_ocp_role",
             f"OpenShift cluster ocp-prod has 2 control-plane node(s) ({rest}); it needs 3 or 5.")]
    if node == "r01-srv01":  # it holds the rendezvous IP
        out.append(E("ODC-OCP-004", "virtualization.cluster", "ocp-prod", "custom_fields.odc_rendezvous_ip",
                     "The rendezvous IP 10.40.0.10/24 of ocp-prod belongs to r01-srv01, a worker; it must be an IP "
                     "of a control-plane node."))
    return out, {}


def active_in_destructive_run(site, draw):
    device = draw(st.sampled_from(SERVERS + SPINES + LEAVES + ["r01-oob01", "r02-oob01"]))
    site.device(device)["status"] = choice("active")
    forced = draw(st.booleans())
    if forced:
        return [E("ODC-STATUS-002", "dcim.device", device, "status",
                  f"{device} is active and will be changed anyway (force: CHG-42).", "warning")], \
            {"stage_destructive": True, "force": True, "force_reason": "CHG-42"}
    return [E("ODC-STATUS-002", "dcim.device", device, "status",
              f"{device} is active (in production): a destructive stage refuses it. Leave it out of the scope, or "
              "run with force: true and a force_reason.")], {"stage_destructive": True}


def spare_gets_ocp_role(site, draw):
    server = draw(st.sampled_from(SPARE))
    role = draw(st.sampled_from(["worker", "control-plane"]))
    site.set_cf(site.device(server), odc_ocp_role=choice(role))
    return [E("ODC-OCP-005", "dcim.device", server, "custom_fields.odc_ocp_role",
              f"{server} has OpenShift role {role} but is not in an OpenShift cluster; set its cluster or clear "
              "odc_ocp_role.")], {}


WHOLE_SITE = [duplicate_serial, duplicate_bmc_ip, asn_missing, fabric_link_role, vlan_missing, rack_overlap,
              feed_too_small, control_plane_shrinks, active_in_destructive_run, spare_gets_ocp_role]


def _new(baseline, report):
    before = set(baseline.findings)
    return sorted((f.severity, f.rule, f.object_type, f.object_name, f.field, f.message)
                  for f in report.findings if f not in before)


@SETTINGS
@given(data=st.data())
def test_one_corruption_gives_exactly_its_findings(baseline, data):
    site = DemoSite(load_demo())
    corruption = data.draw(st.sampled_from(PER_SERVER + WHOLE_SITE), label="corruption")
    if corruption in PER_SERVER:
        expected, options = corruption(site, data.draw, data.draw(st.sampled_from(SERVERS), label="server")), {}
    else:
        expected, options = corruption(site, data.draw)
    assert _new(baseline, site.run(**options)) == sorted(expected)


@SETTINGS
@given(data=st.data())
def test_independent_corruptions_add_up(baseline, data):
    site = DemoSite(load_demo())
    servers = data.draw(st.lists(st.sampled_from(SERVERS), min_size=2, max_size=4, unique=True), label="servers")
    expected = []
    for server in servers:
        corruption = data.draw(st.sampled_from(PER_SERVER), label=f"corruption of {server}")
        expected += corruption(site, data.draw, server)
    report = site.run()
    assert _new(baseline, report) == sorted(expected)
    assert report.passed is False


@SETTINGS
@given(data=st.data())
def test_scope_keeps_findings_of_the_scope(baseline, data):
    """A corruption of one server shows in every scope holding it, and in no scope without it."""
    site = DemoSite(load_demo())
    server = data.draw(st.sampled_from(SERVERS), label="server")
    corruption = data.draw(st.sampled_from([offline, credential_missing, protocol_wrong, oob_ip_missing,
                                            second_mgmt_only, context_wrong_type]), label="corruption")
    expected = corruption(site, data.draw, server)
    rack = "R01" if server.startswith("r01") else "R02"
    other = "R02" if rack == "R01" else "R01"
    assert _new(baseline, site.run(racks=[rack])) == sorted(expected)
    assert _new(baseline, site.run(devices=[server])) == sorted(expected)
    assert _new(baseline, site.run(racks=[other])) == []
