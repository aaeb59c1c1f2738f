#!/usr/bin/env python3
"""Generate inventories/lab/files/demo_site.yml, the demo ODC site.

The output is committed and reviewed like any data; this script only saves
typing and keeps the numbering consistent. Run: python lab/tools/gen_demo_site.py
Layout: see docs/data-model.md ("The demo site").
"""

import hashlib
import os
import sys

import yaml

SITE = "odc-rsw1"
RACKS = ("R01", "R02")
SERVERS_PER_RACK = 8
OCP_CP = {"r01-srv01", "r01-srv02", "r02-srv01"}
OCP_WORKER = {"r01-srv03", "r01-srv04", "r02-srv02", "r02-srv03", "r02-srv04"}
KVM = {"r01-srv05", "r02-srv05"}
# server index in rack -> vendor model
MODEL = {1: "dell", 2: "dell", 3: "dell", 4: "dell", 5: "hpe", 6: "hpe", 7: "smc", 8: "smc"}
VENDOR = {
    "dell": dict(type="poweredge-r650", bmc="iDRAC", protocol="redfish", port=443, oui="b0:7b:25"),
    "hpe": dict(type="proliant-dl360-gen10-plus", bmc="iLO", protocol="redfish", port=443, oui="94:40:c9"),
    "smc": dict(type="sys-1029p-wtr", bmc="BMC", protocol="ipmi", port=623, oui="ac:1f:6b"),
}
VLANS = [  # vid, name, prefix, anycast gateway host, vni
    (10, "hv-mgmt", "10.10.0.0/24", 1, 10010),
    (20, "vm-prod", "10.20.0.0/24", 1, 10020),
    (30, "storage", "10.30.0.0/24", None, 10030),
    (40, "ocp-machine", "10.40.0.0/24", 1, 10040),
    (100, "oob-bmc", "127.0.10.0/24", None, None),
]
LEAF_ASN = {"r01-leaf01": 65101, "r01-leaf02": 65102, "r02-leaf01": 65201, "r02-leaf02": 65202}
LOOPBACK = {"spine01": 1, "spine02": 2, "r01-leaf01": 11, "r01-leaf02": 12, "r02-leaf01": 21, "r02-leaf02": 22}


def mac(oui, name, port):
    digest = hashlib.sha256(("%s/%s" % (name, port)).encode()).hexdigest()
    return "%s:%s:%s:%s" % (oui, digest[0:2], digest[2:4], digest[4:6])


def serial(vendor, name):
    digest = hashlib.sha256(name.encode()).hexdigest().upper()
    return {"dell": "D%s" % digest[:6], "hpe": "CZ%s" % digest[:8], "smc": "S%s" % digest[:10]}[vendor]


def device_types():
    def ifaces(names, kind, **extra):
        return [dict(name=n, type=kind, **extra) for n in names]

    types = [
        dict(manufacturer="nvidia", model="SN2700", slug="sn2700", u_height=1, part_number="MSN2700-CS2F",
             ifaces=ifaces(["eth0"], "1000base-t", mgmt_only=True) + ifaces(["swp%d" % i for i in range(1, 33)], "100gbase-x-qsfp28"),
             psu=460),
        dict(manufacturer="nvidia", model="SN2410", slug="sn2410", u_height=1, part_number="MSN2410-CB2F",
             ifaces=ifaces(["eth0"], "1000base-t", mgmt_only=True) + ifaces(["swp%d" % i for i in range(1, 49)], "25gbase-x-sfp28")
             + ifaces(["swp%d" % i for i in range(49, 57)], "100gbase-x-qsfp28"),
             psu=320),
        dict(manufacturer="nvidia", model="SN2201", slug="sn2201", u_height=1, part_number="MSN2201-CB2F",
             ifaces=ifaces(["eth0"], "1000base-t", mgmt_only=True) + ifaces(["swp%d" % i for i in range(1, 49)], "1000base-t")
             + ifaces(["swp%d" % i for i in range(49, 53)], "100gbase-x-qsfp28"),
             psu=200),
    ]
    for vendor, model, slug, part in (("dell", "PowerEdge R650", "poweredge-r650", "R650"),
                                      ("hpe", "ProLiant DL360 Gen10 Plus", "proliant-dl360-gen10-plus", "P39884-B21"),
                                      ("supermicro", "SYS-1029P-WTR", "sys-1029p-wtr", "SYS-1029P-WTR")):
        bmc = {"dell": "iDRAC", "hpe": "iLO", "supermicro": "BMC"}[vendor]
        types.append(dict(manufacturer=vendor, model=model, slug=slug, u_height=1, part_number=part,
                          ifaces=ifaces([bmc], "1000base-t", mgmt_only=True) + ifaces(["eno1", "eno2"], "1000base-t")
                          + ifaces(["ens1f0", "ens1f1"], "25gbase-x-sfp28"), psu=450))
    return types


def build():
    sections = []

    def section(endpoint, objects):
        sections.append({"endpoint": endpoint, "objects": objects})

    tags = ["odc-managed"]
    section("dcim.regions", [dict(name="Nederland", slug="nl")])
    section("tenancy.tenants", [dict(name="Tenant A", slug="tenant-a", description="Demo ODC tenant")])
    section("dcim.sites", [dict(name="ODC Rijswijk 1", slug=SITE, status="active", region="nl", tenant="tenant-a",
                               time_zone="Europe/Amsterdam", facility="ODC-RSW1", tags=tags)])
    section("dcim.locations", [dict(name="Zaal A", slug="zaal-a", site=SITE, status="active")])
    section("ipam.rirs", [dict(name="RFC 6996", slug="rfc6996", is_private=True)])
    section("ipam.asns", [dict(asn=65000, rir="rfc6996", description="spines")]
            + [dict(asn=a, rir="rfc6996", description=n) for n, a in LEAF_ASN.items()])

    types = device_types()
    section("dcim.device-types", [dict(manufacturer=t["manufacturer"], model=t["model"], slug=t["slug"],
                                       u_height=t["u_height"], part_number=t["part_number"], is_full_depth=True)
                                  for t in types]
            + [dict(manufacturer="raritan", model="PX3-5190R", slug="px3-5190r", u_height=0, part_number="PX3-5190R")])
    section("dcim.interface-templates", [dict(device_type=t["slug"], **i) for t in types for i in t["ifaces"]]
            + [dict(device_type="px3-5190r", name="eth1", type="1000base-t", mgmt_only=True)])
    section("dcim.power-port-templates", [dict(device_type=t["slug"], name=p, type="iec-60320-c14",
                                               maximum_draw=t["psu"], allocated_draw=t["psu"] // 2)
                                          for t in types for p in ("PSU1", "PSU2")]
            + [dict(device_type="px3-5190r", name="inlet", type="iec-60309-p-n-e-6h")])
    section("dcim.power-outlet-templates", [dict(device_type="px3-5190r", name="%d" % i, type="iec-60320-c13",
                                                 power_port={"device_type": "px3-5190r", "name": "inlet"})
                                            for i in range(1, 25)])

    section("dcim.racks", [dict(name=r, site=SITE, location={"site": SITE, "slug": "zaal-a"}, status="active",
                                u_height=42, width=19, tenant="tenant-a", tags=tags) for r in RACKS])
    section("dcim.power-panels", [dict(name="PP-ZAAL-A", site=SITE, location={"site": SITE, "slug": "zaal-a"})])
    section("dcim.power-feeds", [dict(power_panel={"site": SITE, "name": "PP-ZAAL-A"}, name="%s-%s" % (r, s),
                                      rack={"site": SITE, "name": r}, status="active", type="primary" if s == "A" else "redundant",
                                      supply="ac", phase="single-phase", voltage=230, amperage=32, max_utilization=80)
                                 for r in RACKS for s in ("A", "B")])
    site_scope = dict(scope_type="dcim.site", scope_id={"_ref": "dcim.sites", "slug": SITE})
    section("virtualization.clusters", [dict(name="ocp-prod", type="openshift", status="planned", **site_scope),
                                        dict(name="kvm-prod", type="kvm", status="planned", **site_scope)])

    devices, ifaces, macs, ips, cables, power = [], [], [], [], [], []
    ocp_devices = []

    def rack_ref(r):
        return {"site": SITE, "name": r}

    def add_device(name, role, dtype, rack, pos, status, platform=None, **extra):
        dev = dict(name=name, role=role, device_type=dtype, site=SITE, location={"site": SITE, "slug": "zaal-a"},
                   rack=rack_ref(rack), face="front", status=status, tenant="tenant-a", tags=list(tags))
        if pos is not None:
            dev["position"] = pos
        if platform:
            dev["platform"] = platform
        dev.update(extra)
        devices.append(dev)
        return dev

    # switches
    add_device("spine01", "spine", "sn2700", "R01", 40, "staged", "cumulus-linux",
               custom_fields={"odc_asn": {"_ref": "ipam.asns", "asn": 65000}})
    add_device("spine02", "spine", "sn2700", "R02", 40, "staged", "cumulus-linux",
               custom_fields={"odc_asn": {"_ref": "ipam.asns", "asn": 65000}})
    for r in RACKS:
        rl = r.lower()
        for n in (1, 2):
            leaf = "%s-leaf0%d" % (rl, n)
            add_device(leaf, "leaf", "sn2410", r, 40 - n, "staged", "cumulus-linux",
                       custom_fields={"odc_asn": {"_ref": "ipam.asns", "asn": LEAF_ASN[leaf]}})
        add_device("%s-oob01" % rl, "oob-switch", "sn2201", r, 37, "staged", "cumulus-linux")
        for side in ("a", "b"):
            add_device("%s-pdu-%s" % (rl, side), "pdu", "px3-5190r", r, None, "active", "raritan-px")
    # switch loopbacks
    for sw, host in LOOPBACK.items():
        ifaces.append(dict(device=sw, name="lo", type="virtual", description="loopback / VTEP source"))
        ips.append(dict(address="10.255.0.%d/32" % host, role="loopback", status="active",
                        assigned_object={"device": sw, "interface": "lo"}, description="%s loopback" % sw))

    # fabric cabling: leaf swp51 -> spine01, swp52 -> spine02
    leaves = list(LEAF_ASN)
    for idx, leaf in enumerate(leaves, start=1):
        for up, spine in ((51, "spine01"), (52, "spine02")):
            ifaces.append(dict(device=leaf, name="swp%d" % up, description="to %s swp%d" % (spine, idx),
                               custom_fields={"odc_link_role": "fabric"}))
            ifaces.append(dict(device=spine, name="swp%d" % idx, description="to %s swp%d" % (leaf, up),
                               custom_fields={"odc_link_role": "fabric"}))
            cables.append(dict(a=[{"device": leaf, "interface": "swp%d" % up}], b=[{"device": spine, "interface": "swp%d" % idx}],
                               type="dac-passive", status="connected", label="%s-%s" % (leaf, spine)))

    server_ips = {"hv": 20, "ocp": 10}
    for r in RACKS:
        rl = r.lower()
        oob = "%s-oob01" % rl
        leaf_a, leaf_b = "%s-leaf01" % rl, "%s-leaf02" % rl
        # OOB uplinks into the fabric (BMC VLAN), switch management into the OOB switch
        for port, leaf in ((49, leaf_a), (50, leaf_b)):
            ifaces.append(dict(device=oob, name="swp%d" % port, mode="access", untagged_vlan={"group": SITE, "vid": 100},
                               custom_fields={"odc_link_role": "oob-uplink"}, description="to %s swp49" % leaf))
            ifaces.append(dict(device=leaf, name="swp49", mode="access", untagged_vlan={"group": SITE, "vid": 100},
                               custom_fields={"odc_link_role": "oob-uplink"}, description="to %s swp%d" % (oob, port)))
            cables.append(dict(a=[{"device": oob, "interface": "swp%d" % port}], b=[{"device": leaf, "interface": "swp49"}],
                               type="dac-passive", status="connected"))
        mgmt_peers = [leaf_a, leaf_b] + (["spine01"] if r == "R01" else ["spine02"])
        for port, sw in enumerate(mgmt_peers, start=41):
            ifaces.append(dict(device=sw, name="eth0", custom_fields={"odc_link_role": "mgmt"}))
            ifaces.append(dict(device=oob, name="swp%d" % port, mode="access", untagged_vlan={"group": SITE, "vid": 100},
                               description="mgmt %s" % sw))
            cables.append(dict(a=[{"device": sw, "interface": "eth0"}], b=[{"device": oob, "interface": "swp%d" % port}],
                               type="cat6", status="connected"))
        # PDUs: inlet -> feed; switch PSUs -> outlets 20+
        for side in ("a", "b"):
            pdu = "%s-pdu-%s" % (rl, side)
            power.append(dict(a=[{"device": pdu, "power_port": "inlet"}],
                              b=[{"power_feed": {"power_panel": {"site": SITE, "name": "PP-ZAAL-A"}, "name": "%s-%s" % (r, side.upper())}}],
                              type="power", status="connected"))
        for k, sw in enumerate(mgmt_peers + [oob], start=20):
            for psu, side in (("PSU1", "a"), ("PSU2", "b")):
                power.append(dict(a=[{"device": sw, "power_port": psu}],
                                  b=[{"device": "%s-pdu-%s" % (rl, side), "power_outlet": str(k)}], type="power", status="connected"))
        for n in range(1, SERVERS_PER_RACK + 1):
            name = "%s-srv%02d" % (rl, n)
            vendor = MODEL[n]
            v = VENDOR[vendor]
            bmc_ip = "127.0.10.%d/24" % ((10 if r == "R01" else 20) + n)
            cf = {"odc_bmc_protocol": v["protocol"], "odc_bmc_port": v["port"],
                  "odc_bmc_credential": "vault:odc_bmc_credentials.%s" % name,
                  "odc_root_device_hints": {"deviceName": "/dev/sda"}}
            dev_tags = list(tags) + ["dual-homed"]
            extra = {}
            platform = None
            if name in OCP_CP or name in OCP_WORKER:
                cf["odc_ocp_role"] = "control-plane" if name in OCP_CP else "worker"
                extra["cluster"] = "ocp-prod"
                dev_tags.append("openshift")
                platform = "rhcos"
                ocp_devices.append(name)
            elif name in KVM:
                extra["cluster"] = "kvm-prod"
                dev_tags.append("kvm-hypervisor")
                platform = "rhel-kvm"
            add_device(name, "server", v["type"], r, 2 + (n - 1) * 2, "planned", platform, serial=serial(vendor, name),
                       asset_tag="RSW1-%s-%02d" % (r, n), custom_fields=cf, tags=dev_tags, **extra)
            # interfaces
            ifaces.append(dict(device=name, name=v["bmc"], custom_fields={"odc_link_role": "bmc"}, description="BMC"))
            ifaces.append(dict(device=name, name="bond0", type="lag", description="uplink bond (LACP)"))
            for nic, leaf in (("ens1f0", leaf_a), ("ens1f1", leaf_b)):
                ifaces.append(dict(device=name, name=nic, lag={"device": name, "name": "bond0"},
                                   custom_fields={"odc_link_role": "uplink", "odc_boot": nic == "ens1f0"},
                                   description="to %s swp%d" % (leaf, n)))
            for nic in (v["bmc"], "ens1f0", "ens1f1"):
                macs.append(dict(mac_address=mac(v["oui"], name, nic).upper(),
                                 assigned_object={"device": name, "interface": nic}))
            ips.append(dict(address=bmc_ip, status="active", assigned_object={"device": name, "interface": v["bmc"]},
                            dns_name="%s-bmc.rsw1.odc.example" % name, description="%s BMC" % name))
            # host networking: bond0 mode / VLANs by purpose
            if name in KVM:
                bond = dict(mode="tagged", untagged_vlan={"group": SITE, "vid": 10},
                            tagged_vlans=[{"group": SITE, "vid": 20}, {"group": SITE, "vid": 30}])
                host_ip = "10.10.0.%d/24" % server_ips["hv"]
                server_ips["hv"] += 1
            elif name in OCP_CP or name in OCP_WORKER:
                bond = dict(mode="access", untagged_vlan={"group": SITE, "vid": 40})
                host_ip = "10.40.0.%d/24" % server_ips["ocp"]
                server_ips["ocp"] += 1
            else:
                bond = dict(mode="access", untagged_vlan={"group": SITE, "vid": 10})
                host_ip = "10.10.0.%d/24" % (100 + (0 if r == "R01" else 10) + n)
            ifaces.append(dict(device=name, name="bond0", **bond))
            ips.append(dict(address=host_ip, status="active", assigned_object={"device": name, "interface": "bond0"},
                            dns_name="%s.rsw1.odc.example" % name))
            devices.append(dict(name=name, primary_ip4={"address": host_ip, "vrf": None}, oob_ip={"address": bmc_ip, "vrf": None}))
            if name in KVM:
                ifaces.append(dict(device=name, name="bond0.30", type="virtual", parent={"device": name, "name": "bond0"},
                                   mode="access", untagged_vlan={"group": SITE, "vid": 30}))
                ips.append(dict(address="10.30.0.%d/24" % (20 + int(r[-1])), status="active",
                                assigned_object={"device": name, "interface": "bond0.30"}))
            # leaf side: swpN in LAG bondN (EVPN multihoming), same VLANs as the server's bond0
            for leaf, nic in ((leaf_a, "ens1f0"), (leaf_b, "ens1f1")):
                ifaces.append(dict(device=leaf, name="bond%d" % n, type="lag", description="%s bond0 (EVPN-MH)" % name, **bond))
                ifaces.append(dict(device=leaf, name="swp%d" % n, lag={"device": leaf, "name": "bond%d" % n},
                                   custom_fields={"odc_link_role": "uplink"}, description="%s %s" % (name, nic)))
                cables.append(dict(a=[{"device": name, "interface": nic}], b=[{"device": leaf, "interface": "swp%d" % n}],
                                   type="dac-passive", status="connected", color="2196f3"))
            ifaces.append(dict(device=oob, name="swp%d" % n, mode="access", untagged_vlan={"group": SITE, "vid": 100},
                               description="%s %s" % (name, v["bmc"])))
            cables.append(dict(a=[{"device": name, "interface": v["bmc"]}], b=[{"device": oob, "interface": "swp%d" % n}],
                               type="cat6", status="connected", color="9e9e9e"))
            for psu, side in (("PSU1", "a"), ("PSU2", "b")):
                power.append(dict(a=[{"device": name, "power_port": psu}],
                                  b=[{"device": "%s-pdu-%s" % (rl, side), "power_outlet": str(n)}], type="power", status="connected"))

    # IPAM containers and VLANs
    section("ipam.vlan-groups", [dict(name="ODC Rijswijk 1", slug=SITE, scope_type="dcim.site",
                                      scope_id={"_ref": "dcim.sites", "slug": SITE})])
    section("ipam.vlans", [dict(group=SITE, vid=vid, name=name, status="active", site=SITE, tenant="tenant-a",
                                role="oob-bmc" if vid == 100 else ("ocp-machine" if vid == 40 else "host"))
                           for vid, name, _p, _g, _v in VLANS])
    prefixes = [
        dict(prefix="10.255.0.0/24", role="loopback", status="active", description="switch loopbacks / VTEPs"),
        dict(prefix="10.254.0.0/24", role="p2p", status="active", description="fabric point-to-point (/31s, or unnumbered)"),
    ]
    for vid, name, prefix, _gw, _vni in VLANS:
        role = "oob-bmc" if vid == 100 else ("ocp-machine" if vid == 40 else "host")
        prefixes.append(dict(prefix=prefix, vrf=None, role=role, status="active", vlan={"group": SITE, "vid": vid},
                             scope_type="dcim.site", scope_id={"_ref": "dcim.sites", "slug": SITE}, description=name))
    section("ipam.prefixes", prefixes)
    for vid, name, prefix, gw, _vni in VLANS:
        if gw:
            ips.append(dict(address=prefix.replace("0/24", "%d/24" % gw), role="anycast", status="active",
                            description="anycast gateway VLAN %d %s" % (vid, name)))
    ips.append(dict(address="10.40.0.5/24", role="vip", status="active", dns_name="api.ocp-prod.rsw1.odc.example",
                    description="ocp-prod API VIP"))
    ips.append(dict(address="10.40.0.6/24", role="vip", status="active", dns_name="apps.ocp-prod.rsw1.odc.example",
                    description="ocp-prod ingress VIP"))
    section("vpn.l2vpns", [dict(name="vni-%d-%s" % (vni, name), slug="vni-%d" % vni, type="vxlan-evpn", identifier=vni,
                                status="active", tenant="tenant-a") for vid, name, _p, _g, vni in VLANS if vni])
    section("vpn.l2vpn-terminations", [dict(l2vpn="vni-%d" % vni, assigned_object={"vlan": {"group": SITE, "vid": vid}})
                                       for vid, _n, _p, _g, vni in VLANS if vni])

    # devices without the primary/oob IP (those need the IPs first)
    base = [d for d in devices if "device_type" in d]
    late = [d for d in devices if "device_type" not in d]
    sections.append({"endpoint": "dcim.devices", "objects": base})
    parents = [i for i in ifaces if i.get("type") in ("lag", "virtual") and "parent" not in i]
    sections.append({"endpoint": "dcim.interfaces", "objects": parents})
    sections.append({"endpoint": "dcim.interfaces", "objects": _merge_interfaces(ifaces)})
    sections.append({"endpoint": "dcim.mac-addresses", "objects": macs})
    sections.append({"endpoint": "dcim.interfaces", "objects": [
        dict(device=m["assigned_object"]["device"], name=m["assigned_object"]["interface"],
             primary_mac_address=m["mac_address"]) for m in macs]})
    sections.append({"endpoint": "ipam.ip-addresses", "objects": ips})
    sections.append({"endpoint": "dcim.devices", "objects": late})
    sections.append({"endpoint": "dcim.cables", "objects": cables + power})
    cp_ip = [d for d in late if d["name"] == sorted(OCP_CP)[0]][0]["primary_ip4"]["address"]
    sections.append({"endpoint": "virtualization.clusters", "objects": [dict(
        name="ocp-prod", custom_fields={
            "odc_api_vip": {"_ref": "ipam.ip-addresses", "address": "10.40.0.5/24", "vrf": None},
            "odc_ingress_vip": {"_ref": "ipam.ip-addresses", "address": "10.40.0.6/24", "vrf": None},
            "odc_rendezvous_ip": {"_ref": "ipam.ip-addresses", "address": cp_ip, "vrf": None},
            "odc_machine_network": {"_ref": "ipam.prefixes", "prefix": "10.40.0.0/24", "vrf": None}})]})
    sections.append({"endpoint": "extras.config-contexts", "objects": [
        dict(name="odc-rsw1-services", weight=1000, profile="odc-site-services", sites=[SITE], data={
            "ntp_servers": ["10.255.255.1", "10.255.255.2"], "dns_servers": ["10.255.255.53"],
            "syslog_servers": ["10.255.255.14"], "dns_search": ["rsw1.odc.example"], "timezone": "Europe/Amsterdam"}),
        dict(name="odc-rsw1-firmware", weight=1000, profile="odc-firmware-baseline", sites=[SITE], data={
            "firmware_baseline": {
                "poweredge-r650": {"BMC": "7.10.50.00", "BIOS": "1.13.2"},
                "proliant-dl360-gen10-plus": {"BMC": "2.90", "BIOS": "U46 v2.10"},
                "sys-1029p-wtr": {"BMC": "1.2"}}}),
        dict(name="odc-rsw1-bmc-credentials", weight=1000, profile="odc-bmc-credentials", sites=[SITE], data={
            "bmc_credentials": {"factory": "vault:odc_bmc_factory", "per_device": "vault:odc_bmc_credentials",
                                "admin_user": "odcadmin"}}),
        dict(name="odc-openshift", weight=1000, profile="odc-openshift", cluster_types=["openshift"], data={
            "openshift": {"base_domain": "rsw1.odc.example", "version": "4.18",
                          "pull_secret_ref": "vault:odc_ocp_pull_secret", "ssh_key_ref": "vault:odc_ocp_ssh_key"}}),
    ]})
    return {"sections": [s for s in sections if s]}


def _merge_interfaces(ifaces):
    """One entry per (device, name): later entries add fields."""
    merged = {}
    for i in ifaces:
        key = (i["device"], i["name"])
        cur = merged.setdefault(key, {})
        for k, v in i.items():
            if k == "custom_fields":
                cur.setdefault(k, {}).update(v)
            else:
                cur[k] = v
    return list(merged.values())


class _NoAliases(yaml.SafeDumper):
    """Write every value out in full (no &anchors / *aliases): the file is reviewed by people."""

    def ignore_aliases(self, data):
        return True


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else os.path.join(
        os.path.dirname(__file__), "..", "..", "inventories", "lab", "files", "demo_site.yml")
    data = build()
    os.makedirs(os.path.dirname(out), exist_ok=True)
    with open(out, "w") as fh:
        fh.write("---\n# The demo ODC site, loaded by playbooks/netbox_seed.yml (odc.buildout.netbox_apply).\n"
                 "# Generated by lab/tools/gen_demo_site.py; see docs/data-model.md.\n")
        yaml.dump(data, fh, Dumper=_NoAliases, sort_keys=False, default_flow_style=None, width=140)
    print("wrote %s (%d sections, %d objects)" % (out, len(data["sections"]), sum(len(s["objects"]) for s in data["sections"])))


if __name__ == "__main__":
    main()
