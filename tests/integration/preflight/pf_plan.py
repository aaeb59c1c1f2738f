# Copyright: odc.buildout developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""What the integration tests break in the demo site, and the exact findings each break must give.

Every corruption targets its own objects, so each rule's findings are known
exactly; ``expected`` lists them all (one rule can also see the side effect of
another corruption, e.g. a second BMC address is outside every prefix: listed too).
Three phases keep the restore to two NetBoxApply runs: updates of demo objects,
creations, then updates that refer to created objects.
"""

SITE = {"_ref": "dcim.sites", "slug": "odc-rsw1"}
ZAAL = {"site": "odc-rsw1", "slug": "zaal-a"}
TEST_RACK = {"site": "odc-rsw1", "name": "pf-test-rack"}
R02 = {"site": "odc-rsw1", "name": "R02"}
VRF = "pf-test-vrf"


def _ip(address, vrf=None, **extra):
    return dict({"address": address, "vrf": vrf, "status": "active"}, **extra)


def updates(serial_of_r01_srv04):
    return [
        {"endpoint": "dcim.devices", "objects": [
            {"name": "r02-srv08", "status": "offline"},                                             # STATUS-001
            {"name": "r02-srv07", "status": "active", "custom_fields": {"odc_ocp_role": "worker"}},  # STATUS-002, OCP-005
            {"name": "r02-srv06", "custom_fields": {"odc_bmc_protocol": None, "odc_bmc_credential": None}},  # CF-001
            {"name": "r02-leaf02", "custom_fields": {"odc_asn": None}},                              # CF-002
            {"name": "r02-srv05", "local_context_data": {"ntp_servers": "10.255.255.1",             # CTX-001
                                                         "dns_servers": ["not_a host"]}},            # CTX-002
            {"name": "r01-srv08", "oob_ip": None},                                                  # BMC-004
            {"name": "r01-srv05", "serial": serial_of_r01_srv04},                                   # ID-002
            {"name": "r02-srv01", "custom_fields": {"odc_ocp_role": "worker"}},                     # OCP-001
        ]},
        {"endpoint": "dcim.interfaces", "objects": [
            {"device": "r02-srv04", "name": "eno1", "mgmt_only": True},                             # BMC-001
            {"device": "r01-srv06", "name": "iLO", "custom_fields": {"odc_boot": True}},            # BOOT-001/002
            {"device": "r02-srv06", "name": "eno1", "custom_fields": {"odc_link_role": "uplink"}},  # CABLE-001
            {"device": "r02-leaf02", "name": "swp51", "custom_fields": {"odc_link_role": "uplink"}},  # CABLE-002
            {"device": "r02-srv08", "name": "eno2", "custom_fields": {"odc_link_role": "uplink"}},  # UPLINK-001
            {"device": "r01-leaf02", "name": "swp3", "lag": None},                                  # UPLINK-002, VLAN-001
            {"device": "r01-srv02", "name": "ens1f1", "lag": None},                                 # UPLINK-002
            {"device": "r02-leaf01", "name": "bond5", "tagged_vlans": [{"group": "odc-rsw1", "vid": 20}]},  # VLAN-001
        ]},
        {"endpoint": "ipam.ip-addresses", "objects": [
            {"address": "127.0.10.21/24", "vrf": None, "role": "anycast"},  # BMC-003: lets NetBox take a twin
        ]},
        {"endpoint": "dcim.power-feeds", "objects": [
            {"power_panel": {"site": "odc-rsw1", "name": "PP-ZAAL-A"}, "name": "R02-A", "amperage": 16},  # PWR-001
        ]},
        {"endpoint": "virtualization.clusters", "objects": [
            {"name": "ocp-prod", "custom_fields": {                                                 # OCP-004
                "odc_rendezvous_ip": {"_ref": "ipam.ip-addresses", "address": "10.40.0.12/24", "vrf": None}}},
        ]},
    ]


def _device(name, dtype, rack, position, face):
    return {"name": name, "role": "firewall", "device_type": dtype, "site": "odc-rsw1", "location": ZAAL,
            "rack": rack, "position": position, "face": face, "status": "planned"}


CREATIONS = [
    {"endpoint": "ipam.vrfs", "objects": [
        {"name": VRF, "enforce_unique": False, "description": "odc.buildout preflight test (deleted afterwards)"}]},
    {"endpoint": "ipam.prefixes", "objects": [
        {"prefix": "10.98.0.0/24", "vrf": VRF, "status": "active", "scope_type": "dcim.site", "scope_id": SITE},
        {"prefix": "10.20.0.128/26", "vrf": None, "status": "active", "scope_type": "dcim.site", "scope_id": SITE},
    ]},
    {"endpoint": "ipam.ip-addresses", "objects": [
        _ip("127.0.11.23/24", assigned_object={"device": "r02-srv03", "interface": "iDRAC"}),  # BMC-002, IP-001
        _ip("10.99.0.10/24", assigned_object={"device": "r01-srv08", "interface": "eno1"}),    # IP-001
        _ip("10.20.0.50/16", assigned_object={"device": "r01-srv08", "interface": "eno2"}),    # IP-002
        _ip("10.98.0.10/24", vrf=VRF),                                                          # IP-003
        _ip("10.30.0.255/24"),                                                                  # IP-004
        _ip("10.10.0.6/24", role="vip"),                                                        # OCP-002
    ]},
    {"endpoint": "dcim.device-types", "objects": [
        {"manufacturer": "nvidia", "model": "pf-test-half", "slug": "pf-test-half", "u_height": 1, "is_full_depth": False},
        {"manufacturer": "nvidia", "model": "pf-test-1u", "slug": "pf-test-1u", "u_height": 1, "is_full_depth": False},
        {"manufacturer": "nvidia", "model": "pf-test-tall", "slug": "pf-test-tall", "u_height": 3,
         "is_full_depth": False},
    ]},
    {"endpoint": "dcim.power-port-templates", "objects": [
        {"device_type": "pf-test-tall", "name": "PSU1", "type": "iec-60320-c14", "maximum_draw": 200,
         "allocated_draw": 100}]},
    {"endpoint": "dcim.racks", "objects": [
        {"name": "pf-test-rack", "site": "odc-rsw1", "location": ZAAL, "status": "planned", "u_height": 10,
         "width": 19}]},
    {"endpoint": "dcim.devices", "objects": [
        _device("pf-test-back", "pf-test-half", R02, 20, "rear"),        # RACK-001 (front and rear of U20)
        _device("pf-test-front", "pf-test-half", R02, 20, "front"),
        _device("pf-test-tall", "pf-test-tall", TEST_RACK, 8, "front"),  # RACK-002, PWR-002
        _device("pf-test-rear", "pf-test-1u", TEST_RACK, 9, "rear"),
    ]},
    {"endpoint": "dcim.cables", "objects": [                             # UPLINK-001: a server uplink on a spine
        {"a": [{"device": "r02-srv08", "interface": "eno2"}], "b": [{"device": "spine02", "interface": "swp20"}],
         "status": "connected"}]},
]

LATE_UPDATES = [
    {"endpoint": "virtualization.clusters", "objects": [
        {"name": "ocp-prod", "custom_fields": {                                                     # OCP-002
            "odc_ingress_vip": {"_ref": "ipam.ip-addresses", "address": "10.10.0.6/24", "vrf": None}}}]},
    # NetBox does not re-check racks when a device type becomes full depth ...
    {"endpoint": "dcim.device-types", "objects": [{"slug": "pf-test-half", "is_full_depth": True}]},  # RACK-001
    # ... and checks only the device with the highest position when a rack shrinks
    {"endpoint": "dcim.racks", "objects": [{"site": "odc-rsw1", "name": "pf-test-rack", "u_height": 9}]},  # RACK-002
]


def corrupt(corruptor, nb):
    """Break the demo site; return the ids the expected messages need."""
    ids = {}
    serial = nb.one("dcim.devices", name="r01-srv04", exclude="config_context")["serial"]
    corruptor.sections(updates(serial))
    corruptor.sections(CREATIONS)
    vrf = nb.one("ipam.vrfs", name=VRF)
    site = nb.one("dcim.sites", slug="odc-rsw1")
    ids["ip_twin"] = corruptor.create("ipam.ip-addresses", {                                   # IP-003
        "address": "10.98.0.10/24", "vrf": vrf["id"], "status": "active"})["id"]
    ids["ip_first"] = nb.one("ipam.ip-addresses", address="10.98.0.10/24", vrf_id=vrf["id"], id__n=ids["ip_twin"])["id"]
    ids["prefix_twin"] = corruptor.create("ipam.prefixes", {                                    # PFX-001
        "prefix": "10.98.0.0/24", "vrf": vrf["id"], "status": "active", "scope_type": "dcim.site",
        "scope_id": site["id"]})["id"]
    ids["prefix_first"] = nb.one("ipam.prefixes", prefix="10.98.0.0/24", vrf_id=vrf["id"],
                                 id__n=ids["prefix_twin"])["id"]
    idrac = nb.one("dcim.interfaces", device="r02-srv02", name="iDRAC")
    ids["bmc_twin"] = corruptor.create("ipam.ip-addresses", {                                  # BMC-003
        "address": "127.0.10.21/24", "status": "active", "role": "anycast",
        "assigned_object_type": "dcim.interface", "assigned_object_id": idrac["id"]})["id"]
    ids["bmc_first"] = nb.one("ipam.ip-addresses", address="127.0.10.21/24", id__n=ids["bmc_twin"])["id"]
    eno1 = nb.one("dcim.interfaces", device="r01-srv04", name="eno1")
    ids["vip_twin"] = corruptor.create("ipam.ip-addresses", {                                  # OCP-003
        "address": "10.40.0.5/24", "status": "active", "role": "vip",
        "assigned_object_type": "dcim.interface", "assigned_object_id": eno1["id"]})["id"]
    bmc = nb.one("dcim.interfaces", device="r01-srv07", name="BMC")
    boot = nb.one("dcim.interfaces", device="r01-srv07", name="ens1f0")
    ids["bmc_mac"] = bmc["mac_address"]
    corruptor.create("dcim.mac-addresses", {                                                   # BOOT-001, ID-001
        "mac_address": bmc["mac_address"], "assigned_object_type": "dcim.interface", "assigned_object_id": boot["id"]})
    ids["srv03"] = nb.one("dcim.devices", name="r01-srv03", exclude="config_context")["id"]
    ids["twin_device"] = corruptor.create("dcim.devices", {                                    # ID-003 (no tenant)
        "name": "r01-srv03", "role": nb.one("dcim.device-roles", slug="firewall")["id"],
        "device_type": nb.one("dcim.device-types", slug="pf-test-1u")["id"], "site": site["id"],
        "status": "planned"})["id"]
    corruptor.sections(LATE_UPDATES)
    return ids


def E(rule, object_type, name, field, message, severity="error"):  # noqa: N802 - reads like a table row
    return (severity, rule, object_type, name, field, message)


SYSLOG = E("ODC-CTX-002", "extras.configcontext", "odc-rsw1-services", "data.syslog_servers[0]",
           "syslog_servers entry '10.255.255.514' in config context odc-rsw1-services is neither an IP address nor "
           "a valid host name.", "warning")


def expected(ids, serial):
    mac = ids["bmc_mac"]
    ip3 = f"10.98.0.10/24 (VRF {VRF})"
    return [
        E("ODC-STATUS-001", "dcim.device", "r02-srv08", "status",
          "r02-srv08 is offline; only planned or staged devices are built. Set the status to planned (or staged) "
          "or leave the device out of the scope."),
        E("ODC-CF-001", "dcim.device", "r02-srv06", "custom_fields.odc_bmc_credential",
          "r02-srv06: no BMC credential reference; set odc_bmc_credential (e.g. vault:odc_bmc_credentials.r02-srv06)."),
        E("ODC-CF-001", "dcim.device", "r02-srv06", "custom_fields.odc_bmc_protocol",
          "r02-srv06: BMC protocol is not set; set odc_bmc_protocol to redfish or ipmi."),
        E("ODC-CF-002", "dcim.device", "r02-leaf02", "custom_fields.odc_asn",
          "r02-leaf02 (leaf) has no BGP ASN; set odc_asn to an ASN object."),
        E("ODC-CTX-001", "dcim.device", "r02-srv05", "config_context.ntp_servers",
          "r02-srv05: config context ntp_servers must be of type array, got '10.255.255.1' "
          "(profile odc-site-services)."),
        E("ODC-CTX-002", "dcim.device", "r02-srv05", "config_context.dns_servers[0]",
          "dns_servers entry 'not_a host' in r02-srv05's config context is neither an IP address nor a valid host "
          "name."),
        SYSLOG,
        E("ODC-BMC-001", "dcim.device", "r02-srv04", "interfaces.mgmt_only",
          "r02-srv04 has 2 interfaces marked mgmt_only (eno1, iDRAC); exactly one, the BMC, may be."),
        E("ODC-BMC-001", "dcim.interface", "r02-srv04 eno1", "custom_fields.odc_link_role",
          "r02-srv04 eno1 is the BMC (mgmt_only) but its link role is not set; set odc_link_role to bmc."),
        E("ODC-BMC-002", "dcim.interface", "r02-srv03 iDRAC", "ip_addresses",
          "BMC interface r02-srv03 iDRAC has 2 IP addresses (127.0.10.23/24, 127.0.11.23/24); exactly one is "
          "expected."),
        E("ODC-BMC-002", "ipam.ipaddress", "127.0.11.23/24", "address",
          "BMC address 127.0.11.23/24 of r02-srv03 iDRAC is outside the OOB/BMC prefix (role oob-bmc: "
          "127.0.10.0/24)."),
        E("ODC-BMC-002", "dcim.interface", "r02-srv02 iDRAC", "ip_addresses",
          "BMC interface r02-srv02 iDRAC has 2 IP addresses (127.0.10.21/24, 127.0.10.22/24); exactly one is "
          "expected."),
        E("ODC-BMC-003", "ipam.ipaddress", "127.0.10.21/24", "address",
          "BMC address 127.0.10.21 of r02-srv01 is also the BMC address of r02-srv02."),
        E("ODC-BMC-003", "ipam.ipaddress", "127.0.10.21/24", "address",
          "BMC address 127.0.10.21 of r02-srv02 is also the BMC address of r02-srv01."),
        E("ODC-BMC-004", "dcim.device", "r01-srv08", "oob_ip",
          "r01-srv08 has no OOB IP; set it to its BMC address 127.0.10.18/24."),
        E("ODC-BOOT-001", "dcim.interface", "r01-srv07 ens1f0", "mac_address",
          f"Boot NIC r01-srv07 ens1f0 has MAC {mac}, which is the BMC's MAC; the installer would boot the wrong "
          "port. Record the NIC's own MAC."),
        E("ODC-BOOT-001", "dcim.interface", "r01-srv06 iLO", "custom_fields.odc_boot",
          "r01-srv06 iLO is the BMC and cannot be the boot NIC; set odc_boot on a host NIC instead."),
        E("ODC-BOOT-002", "dcim.device", "r01-srv06", "interfaces.custom_fields.odc_boot",
          "r01-srv06 has 2 boot NICs (ens1f0, iLO); set odc_boot on exactly one."),
        E("ODC-ID-001", "dcim.interface", "r01-srv07 BMC", "mac_address",
          f"MAC {mac} of r01-srv07 BMC is also recorded on r01-srv07 ens1f0."),
        E("ODC-ID-001", "dcim.interface", "r01-srv07 ens1f0", "mac_address",
          f"MAC {mac} of r01-srv07 ens1f0 is also recorded on r01-srv07 BMC."),
        E("ODC-ID-002", "dcim.device", "r01-srv04", "serial",
          f"Serial {serial.upper()} of r01-srv04 is also the serial of r01-srv05."),
        E("ODC-ID-002", "dcim.device", "r01-srv05", "serial",
          f"Serial {serial.upper()} of r01-srv05 is also the serial of r01-srv04."),
        E("ODC-ID-003", "dcim.device", "r01-srv03", "name",
          f"Device name r01-srv03 (#{ids['srv03']}) is also used by device #{ids['twin_device']} in this site."),
        E("ODC-ID-003", "dcim.device", "r01-srv03", "name",
          f"Device name r01-srv03 (#{ids['twin_device']}) is also used by device #{ids['srv03']} in this site."),
        E("ODC-CABLE-001", "dcim.interface", "r02-srv06 eno1", "cable",
          "r02-srv06 eno1 must be cabled (link role uplink) but has no cable."),
        E("ODC-CABLE-002", "dcim.interface", "r02-leaf02 swp51", "custom_fields.odc_link_role",
          "r02-leaf02 swp51 (link role uplink) is cabled to spine01 swp4, whose link role is fabric; expected "
          "uplink."),
        E("ODC-CABLE-002", "dcim.interface", "r02-srv08 eno2", "custom_fields.odc_link_role",
          "r02-srv08 eno2 (link role uplink) is cabled to spine02 swp20, whose link role is not set; expected "
          "uplink."),
        E("ODC-UPLINK-001", "dcim.interface", "r02-srv08 eno2", "cable",
          "Server uplink r02-srv08 eno2 is cabled to spine02 swp20, a spine; server uplinks must land on leaf "
          "ports."),
        E("ODC-UPLINK-002", "dcim.interface", "r01-leaf02 swp3", "lag",
          "r01-leaf02 swp3 (to r01-srv03 ens1f1) is not in a LAG; a dual-homed server port on a leaf is a member "
          "of a bond (EVPN multihoming) matching r01-srv03 bond0."),
        E("ODC-UPLINK-002", "dcim.device", "r01-srv02", "interfaces.lag",
          "r01-srv02 is tagged dual-homed but has no LAG with two uplinks (uplinks: ens1f0, ens1f1)."),
        E("ODC-VLAN-001", "dcim.interface", "r01-leaf02 swp3", "untagged_vlan",
          "r01-leaf02 swp3 (to r01-srv03 ens1f1) does not carry VLAN 40 (ocp-machine) untagged (not at all), "
          "which r01-srv03 bond0 needs."),
        E("ODC-VLAN-001", "dcim.interface", "r02-leaf01 bond5", "tagged_vlans",
          "r02-leaf01 bond5 (to r02-srv05 ens1f0) does not carry VLAN 30 (storage) tagged (not at all), which "
          "r02-srv05 bond0 needs."),
        E("ODC-IP-001", "ipam.ipaddress", "127.0.11.23/24", "address",
          "127.0.11.23/24 is in no network prefix of the global table (add the prefix it belongs to, or fix the "
          "address or VRF)."),
        E("ODC-IP-001", "ipam.ipaddress", "10.99.0.10/24", "address",
          "10.99.0.10/24 is in no network prefix of the global table (add the prefix it belongs to, or fix the "
          "address or VRF)."),
        E("ODC-IP-002", "ipam.ipaddress", "10.20.0.50/16", "address",
          "10.20.0.50/16 has mask /16 but lies in 10.20.0.0/24 (the global table); it should be 10.20.0.50/24."),
        E("ODC-IP-003", "ipam.ipaddress", ip3, "address",
          f"10.98.0.10 is recorded more than once in VRF {VRF}: also #{ids['ip_twin']} 10.98.0.10/24."),
        E("ODC-IP-003", "ipam.ipaddress", ip3, "address",
          f"10.98.0.10 is recorded more than once in VRF {VRF}: also #{ids['ip_first']} 10.98.0.10/24."),
        E("ODC-IP-004", "ipam.ipaddress", "10.30.0.255/24", "address",
          "10.30.0.255/24 is the broadcast address of 10.30.0.0/24; hosts cannot use it."),
        E("ODC-PFX-001", "ipam.prefix", f"10.98.0.0/24 (VRF {VRF})", "prefix",
          f"10.98.0.0/24 is recorded more than once in VRF {VRF} (also #{ids['prefix_twin']})."),
        E("ODC-PFX-001", "ipam.prefix", f"10.98.0.0/24 (VRF {VRF})", "prefix",
          f"10.98.0.0/24 is recorded more than once in VRF {VRF} (also #{ids['prefix_first']})."),
        E("ODC-PFX-002", "ipam.prefix", "10.20.0.128/26", "prefix",
          "10.20.0.128/26 lies inside 10.20.0.0/24 (active) in the global table; nest networks only under a "
          "container prefix.", "warning"),
        E("ODC-RACK-001", "dcim.device", "pf-test-front", "position",
          "pf-test-front (U20, 1U, full depth) overlaps pf-test-back in rack R02."),
        E("ODC-RACK-002", "dcim.device", "pf-test-tall", "position",
          "pf-test-tall at U8 is 3U tall and does not fit in rack pf-test-rack (U1-U9)."),
        E("ODC-PWR-001", "dcim.rack", "R02", "power_feeds",
          "Rack R02 allocates 4,900 W but its primary feed side delivers 2,944 W (R02-A: 230 V x 16 A x 80 % = "
          "2,944 W); with A+B feeds the whole load must fit on one side."),
        E("ODC-PWR-002", "dcim.rack", "pf-test-rack", "power_feeds",
          "Rack pf-test-rack allocates 100 W but has no power feed."),
        E("ODC-OCP-001", "virtualization.cluster", "ocp-prod", "devices.custom_fields.odc_ocp_role",
          "OpenShift cluster ocp-prod has 2 control-plane node(s) (r01-srv01, r01-srv02); it needs 3 or 5."),
        E("ODC-OCP-002", "virtualization.cluster", "ocp-prod", "custom_fields.odc_ingress_vip",
          "The ingress VIP 10.10.0.6/24 of ocp-prod lies outside its machine network 10.40.0.0/24."),
        E("ODC-OCP-003", "virtualization.cluster", "ocp-prod", "custom_fields.odc_api_vip",
          f"The API VIP 10.40.0.5 of ocp-prod is also used by IP #{ids['vip_twin']} 10.40.0.5/24 on r01-srv04 eno1."),
        E("ODC-OCP-004", "virtualization.cluster", "ocp-prod", "custom_fields.odc_rendezvous_ip",
          "The rendezvous IP 10.40.0.12/24 of ocp-prod belongs to r01-srv03, a worker; it must be an IP of a "
          "control-plane node."),
        E("ODC-OCP-005", "dcim.device", "r02-srv07", "custom_fields.odc_ocp_role",
          "r02-srv07 has OpenShift role worker but is not in an OpenShift cluster; set its cluster or clear "
          "odc_ocp_role."),
    ]


STATUS_002 = E("ODC-STATUS-002", "dcim.device", "r02-srv07", "status",
               "r02-srv07 is active (in production): a destructive stage refuses it. Leave it out of the scope, or "
               "run with force: true and a force_reason.")
STATUS_002_FORCED = E("ODC-STATUS-002", "dcim.device", "r02-srv07", "status",
                      "r02-srv07 is active and will be changed anyway (force: CHG-7 integration test).", "warning")
