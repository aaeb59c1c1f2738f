# Copyright: odc.buildout developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""BMC, boot NIC and identity rules for servers."""

import ipaddress

from ansible_collections.odc.buildout.plugins.plugin_utils._netbox._snapshot import slug
from ansible_collections.odc.buildout.plugins.plugin_utils._preflight._context import (
    cf,
    has_tag,
    ip_of,
    is_physical,
    link_role,
    macs,
    vrf_id,
)
from ansible_collections.odc.buildout.plugins.plugin_utils._preflight._registry import (
    rule,
)

INSTALL_TAGS = ("openshift", "kvm-hypervisor")


def _shared(ctx, owners, device_of):
    """``(key, user, users)`` for each in-scope user of a key that more than one user has.

    ``owners``: ``(key, users)`` pairs in the order to report; ``device_of(user)``
    is the device whose scope decides.
    """
    for key, users in owners:
        if len(users) < 2:
            continue
        for user in users:
            if ctx.in_scope(device_of(user)):
                yield key, user, users


def _names(ifaces):
    return ", ".join(i["name"] for i in ifaces)


@rule("ODC-BMC-001", "Every server has exactly one BMC interface (mgmt_only, link role bmc)")
def bmc_interface(ctx, report):
    for dev in ctx.devices("server"):
        bmcs = ctx.bmc_interfaces(dev)
        if not bmcs:
            report("dcim.device", dev, "interfaces.mgmt_only",
                   f"{dev['name']} has no BMC interface: mark its BMC port mgmt_only (odc_link_role bmc).")
        elif len(bmcs) > 1:
            report("dcim.device", dev, "interfaces.mgmt_only",
                   f"{dev['name']} has {len(bmcs)} interfaces marked mgmt_only ({_names(bmcs)}); "
                   "exactly one, the BMC, may be.")
        for iface in ctx.interfaces(dev):
            role = link_role(iface)
            if iface.get("mgmt_only") and role != "bmc":
                report("dcim.interface", iface, "custom_fields.odc_link_role",
                       f"{dev['name']} {iface['name']} is the BMC (mgmt_only) but its link role is "
                       f"{role or 'not set'}; set odc_link_role to bmc.")
            elif role == "bmc" and not iface.get("mgmt_only"):
                report("dcim.interface", iface, "mgmt_only",
                       f"{dev['name']} {iface['name']} has link role bmc but is not mgmt_only; "
                       "mark it mgmt_only (the BMC stages find the BMC by that flag).")


def _oob_networks(ctx, vrf):
    return [(ipaddress.ip_network(p["prefix"], strict=False), p) for p in ctx.nb.data["prefixes"]
            if slug(p.get("role")) == "oob-bmc" and vrf_id(p) == vrf]


@rule("ODC-BMC-002", "The BMC has one IP address, inside the OOB/BMC prefix (role oob-bmc)")
def bmc_address(ctx, report):
    for dev in ctx.devices("server"):
        bmc = ctx.bmc_interface(dev)
        if bmc is None:
            continue  # ODC-BMC-001
        ips = sorted(ctx.nb.ips(bmc), key=lambda i: (ip_of(i), i["id"]))
        where = f"{dev['name']} {bmc['name']}"
        if not ips:
            report("dcim.interface", bmc, "ip_addresses",
                   f"BMC interface {where} has no IP address; assign one from the OOB/BMC prefix.")
            continue
        if len(ips) > 1:
            report("dcim.interface", bmc, "ip_addresses",
                   f"BMC interface {where} has {len(ips)} IP addresses "
                   f"({', '.join(i['address'] for i in ips)}); exactly one is expected.")
        for ip in ips:
            nets = _oob_networks(ctx, vrf_id(ip))
            host = ip_of(ip).ip
            if not any(host.version == net.version and host in net for net, _p in nets):
                have = ", ".join(p["prefix"] for _n, p in nets) or "none in this VRF"
                report("ipam.ipaddress", ip, "address",
                       f"BMC address {ip['address']} of {where} is outside the OOB/BMC prefix "
                       f"(role oob-bmc: {have}).")


@rule("ODC-BMC-003", "BMC IP addresses are unique")
def bmc_unique(ctx, report):
    seen = {}
    for dev in sorted(ctx.site_devices("server"), key=lambda d: d.get("name") or ""):
        bmc = ctx.bmc_interface(dev)
        for ip in ctx.nb.ips(bmc) if bmc else []:
            seen.setdefault(ip_of(ip).ip, []).append((dev, ip))
    for host, (dev, ip), users in _shared(ctx, seen.items(), lambda user: user[0]):
        others = ", ".join(d["name"] for d, _ip in users if d is not dev)
        report("ipam.ipaddress", ip, "address",
               f"BMC address {host} of {dev['name']} is also the BMC address of {others}.")


@rule("ODC-BMC-004", "The device's OOB IP is its BMC interface's address")
def bmc_oob_ip(ctx, report):
    for dev in ctx.devices("server"):
        bmc = ctx.bmc_interface(dev)
        ips = ctx.nb.ips(bmc) if bmc else []
        if len(ips) != 1:
            continue  # ODC-BMC-001/002
        oob = dev.get("oob_ip")
        if not oob:
            report("dcim.device", dev, "oob_ip",
                   f"{dev['name']} has no OOB IP; set it to its BMC address {ips[0]['address']}.")
        elif oob.get("id") != ips[0]["id"]:
            report("dcim.device", dev, "oob_ip",
                   f"{dev['name']}'s OOB IP {oob.get('address')} is not its BMC address {ips[0]['address']} "
                   f"({bmc['name']}).")


@rule("ODC-BOOT-001", "The boot NIC is never the BMC")
def boot_not_bmc(ctx, report):
    for dev in ctx.devices("server"):
        bmc_macs = {m for b in ctx.bmc_interfaces(dev) for m in macs(b)}
        for iface in ctx.interfaces(dev):
            if cf(iface, "odc_boot") is not True:
                continue
            if iface.get("mgmt_only") or link_role(iface) == "bmc":
                report("dcim.interface", iface, "custom_fields.odc_boot",
                       f"{dev['name']} {iface['name']} is the BMC and cannot be the boot NIC; "
                       "set odc_boot on a host NIC instead.")
                continue
            shared = sorted(set(macs(iface)) & bmc_macs)
            if shared:
                report("dcim.interface", iface, "mac_address",
                       f"Boot NIC {dev['name']} {iface['name']} has MAC {', '.join(shared)}, which is the BMC's MAC; "
                       "the installer would boot the wrong port. Record the NIC's own MAC.")


@rule("ODC-BOOT-002", "Servers to install have exactly one boot NIC with a MAC")
def boot_nic(ctx, report):
    for dev in ctx.devices("server"):
        boots = [i for i in ctx.interfaces(dev) if cf(i, "odc_boot") is True]
        install = any(has_tag(dev, t) for t in INSTALL_TAGS) or dev.get("cluster")
        if len(boots) > 1:
            report("dcim.device", dev, "interfaces.custom_fields.odc_boot",
                   f"{dev['name']} has {len(boots)} boot NICs ({_names(boots)}); set odc_boot on exactly one.")
        elif not boots and install:
            report("dcim.device", dev, "interfaces.custom_fields.odc_boot",
                   f"{dev['name']} is to be installed but has no boot NIC; set odc_boot on the NIC it installs from.")
        for iface in boots:
            if install and not macs(iface) and not iface.get("mgmt_only"):
                report("dcim.interface", iface, "mac_address",
                       f"Boot NIC {dev['name']} {iface['name']} has no MAC address; the installer needs it.")


@rule("ODC-ID-001", "MAC addresses are unique")
def unique_macs(ctx, report):
    owners = {}
    for dev in ctx.site_devices():
        for iface in ctx.nb.interfaces(dev):
            if is_physical(iface):
                for mac in macs(iface):
                    owners.setdefault(mac, []).append((dev, iface))
    for mac, (dev, iface), users in _shared(ctx, sorted(owners.items()), lambda user: user[0]):
        others = ", ".join(f"{d['name']} {i['name']}" for d, i in users if i is not iface)
        report("dcim.interface", iface, "mac_address",
               f"MAC {mac} of {dev['name']} {iface['name']} is also recorded on {others}.")


@rule("ODC-ID-002", "Serial numbers are unique")
def unique_serials(ctx, report):
    owners = {}
    for dev in ctx.site_devices():
        if (dev.get("serial") or "").strip():
            owners.setdefault(dev["serial"].strip().upper(), []).append(dev)
    for serial, dev, users in _shared(ctx, sorted(owners.items()), lambda user: user):
        others = ", ".join(sorted(d.get("name") or f"#{d['id']}" for d in users if d is not dev))
        report("dcim.device", dev, "serial", f"Serial {serial} of {dev.get('name')} is also the serial of {others}.")


@rule("ODC-ID-003", "Device names are set and unique in the site")
def unique_names(ctx, report):
    owners = {}
    for dev in ctx.site_devices():
        if dev.get("name"):
            owners.setdefault(dev["name"].lower(), []).append(dev)
    for dev in sorted(ctx.site_devices(), key=lambda d: d["id"]):
        if not ctx.in_scope(dev):
            continue
        if not dev.get("name"):
            report("dcim.device", dev, "name", f"Device #{dev['id']} has no name; every device to build needs one.")
            continue
        users = owners[dev["name"].lower()]
        if len(users) > 1:
            others = ", ".join(f"#{d['id']}" for d in users if d is not dev)
            report("dcim.device", dev, "name",
                   f"Device name {dev['name']} (#{dev['id']}) is also used by device {others} in this site.")
