# Copyright: odc.buildout developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Read the lab's shape from NetBox (REST, the collection's one NetBox client).

Four bulk reads: devices (servers + switches), server interfaces, the BMC
interfaces' IP addresses, cables. Conventions from docs/data-model.md:

* BMC: the server's one interface with ``mgmt_only``; its IP is the BMC
  address; ``odc_bmc_protocol`` (redfish|ipmi) and ``odc_bmc_port``.
* Uplink NICs: ``odc_link_role: uplink`` (their MACs seed the emulated system).
* Switches: roles spine, leaf, oob-switch; links: cables whose two ends are
  single interfaces of two switches.
"""

import ipaddress
import os
import re
import sys
import uuid
from dataclasses import asdict, dataclass, field

from .common import REPO, LabError, Paths, read_text

SWITCH_ROLES = ("spine", "leaf", "oob-switch")
SERVER_ROLE = "server"
DEFAULT_PORTS = {"redfish": 443, "ipmi": 623}
# uuid5 namespace of the lab: system UUID = uuid5(LAB_UUID_NAMESPACE, <NetBox device name>)
LAB_UUID_NAMESPACE = uuid.UUID("5a0b6f2e-0dc0-4b1d-9c8e-1ab0dc0b0001")
_NETNS_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")
_IFNAME = re.compile(r"^[A-Za-z0-9_.:-]{1,15}$")


def system_uuid(device_name):
    """The deterministic UUID of a server's emulated system (Redfish UUID, IPMI GUID)."""
    return str(uuid.uuid5(LAB_UUID_NAMESPACE, device_name))


@dataclass
class Bmc:
    name: str
    netbox_id: int
    protocol: str
    address: str
    prefix_length: int
    port: int
    serial: str
    uuid: str
    interface: str
    mac: str
    dns_name: str
    manufacturer: str
    model: str
    nics: list = field(default_factory=list)  # [{"name": "ens1f0", "mac": "B0:..."}]

    def as_dict(self):
        return asdict(self)


@dataclass
class Switch:
    name: str
    netbox_id: int
    role: str
    site: str


@dataclass
class Link:
    cable_id: int
    a_device: str
    a_interface: str
    b_device: str
    b_interface: str
    label: str = ""

    def ends(self):
        return ((self.a_device, self.a_interface), (self.b_device, self.b_interface))


@dataclass
class Model:
    netbox_url: str
    site: str
    bmcs: list
    switches: list
    links: list
    warnings: list


def _collections_path():
    collections = REPO / ".cache" / "collections"
    link = collections / "ansible_collections" / "odc" / "buildout"
    if not link.exists():
        link.parent.mkdir(parents=True, exist_ok=True)
        os.symlink(REPO, link)
    if str(collections) not in sys.path:
        sys.path.insert(0, str(collections))


def netbox_settings(paths=None, url=None):
    """(url, token) from the environment / lab defaults. The token is never printed."""
    paths = paths or Paths()
    port = os.environ.get("NETBOX_PORT", "8001")
    url = url or os.environ.get("NETBOX_URL") or os.environ.get("NETBOX_API") or f"http://127.0.0.1:{port}"
    token = os.environ.get("NETBOX_TOKEN") or (read_text(paths.home / "netbox-token", "") or "").strip()
    if not token:
        raise LabError(f"no NetBox token: set NETBOX_TOKEN or run lab/netbox.sh up (writes "
                       f"{paths.home / 'netbox-token'})")
    return url, token


def client(url, token, timeout=30):
    _collections_path()
    from ansible_collections.odc.buildout.plugins.module_utils._netbox_client import (
        NetBoxClient,
    )
    return NetBoxClient(url, token, timeout=timeout)


def _value(field_value):
    """A select custom field comes back as {"value", "label"} (or a bare string)."""
    if isinstance(field_value, dict):
        return field_value.get("value")
    return field_value


def _mac(interface):
    primary = interface.get("primary_mac_address") or {}
    return primary.get("mac_address") or interface.get("mac_address") or ""


def _chunks(items, size):
    for start in range(0, len(items), size):
        yield items[start:start + size]


DEVICE_FIELDS = "id,name,role,site,serial,custom_fields,device_type"
SERVER_ITF_FIELDS = "id,name,device,mgmt_only,type,primary_mac_address,mac_address,custom_fields"
SWITCH_ITF_FIELDS = "id,name,device,cable,link_peers_type,link_peers"
IP_FIELDS = "id,address,family,assigned_object_type,assigned_object_id,dns_name"


def load(nb, site=None):
    """Read NetBox and return the lab Model. ``site`` (slug) limits it to one site, None = all.

    NetBox silently ignores unknown filters, so every filter is re-checked here.
    """
    warnings = []
    scope = {"site": site} if site else {}
    roles = (SERVER_ROLE,) + SWITCH_ROLES
    devices = [d for d in nb.list("dcim/devices", dict(scope, role=list(roles), fields=DEVICE_FIELDS))
               if (d.get("role") or {}).get("slug") in roles
               and (not site or (d.get("site") or {}).get("slug") == site)]
    by_id = {d["id"]: d for d in devices}
    servers = sorted((d for d in devices if d["role"]["slug"] == SERVER_ROLE), key=lambda d: d["name"] or "")
    switches = sorted((d for d in devices if d["role"]["slug"] in SWITCH_ROLES), key=lambda d: d["name"] or "")
    bmcs = _bmcs(nb, scope, servers, by_id, warnings) if servers else []
    sw, links = _switches(nb, scope, switches, warnings) if switches else ([], [])
    return Model(netbox_url=nb.url, site=site or "", bmcs=bmcs, switches=sw, links=links, warnings=warnings)


def _bmcs(nb, scope, servers, by_id, warnings):
    interfaces = {}
    for itf in nb.list("dcim/interfaces", dict(scope, device_role=SERVER_ROLE, fields=SERVER_ITF_FIELDS)):
        if itf["device"]["id"] in by_id:
            interfaces.setdefault(itf["device"]["id"], []).append(itf)
    candidates = [d for d in servers if _value((d.get("custom_fields") or {}).get("odc_bmc_protocol"))]

    # the BMC interface of each server and its IP
    bmc_itf = {}
    for dev in candidates:
        mgmt = [i for i in interfaces.get(dev["id"], []) if i.get("mgmt_only")]
        if len(mgmt) > 1:
            by_role = [i for i in mgmt if _value(i["custom_fields"].get("odc_link_role")) == "bmc"]
            mgmt = by_role if len(by_role) == 1 else mgmt
        if len(mgmt) == 1:
            bmc_itf[dev["id"]] = mgmt[0]
        else:
            warnings.append(f"{dev['name']}: {len(mgmt)} mgmt_only interfaces (need exactly one BMC interface): "
                            "skipped")
    ips = {}
    ids = sorted(i["id"] for i in bmc_itf.values())
    for chunk in _chunks(ids, 100):
        for ip in nb.list("ipam/ip-addresses", {"interface_id": chunk, "fields": IP_FIELDS}):
            if (ip.get("assigned_object_type") == "dcim.interface" and ip.get("assigned_object_id") in chunk
                    and (ip.get("family") or {}).get("value") == 4):
                ips.setdefault(ip["assigned_object_id"], []).append(ip)

    bmcs = []
    seen = {}
    for dev in candidates:
        cf = dev.get("custom_fields") or {}
        protocol = _value(cf.get("odc_bmc_protocol"))
        if protocol not in DEFAULT_PORTS:
            warnings.append(f"{dev['name']}: odc_bmc_protocol {protocol!r} is not emulated: skipped")
            continue
        itf = bmc_itf.get(dev["id"])
        if itf is None:
            continue
        addrs = ips.get(itf["id"], [])
        if len(addrs) != 1:
            warnings.append(f"{dev['name']}: BMC interface {itf['name']} has {len(addrs)} IPv4 addresses "
                            "(need one): skipped")
            continue
        iface = ipaddress.ip_interface(addrs[0]["address"])
        if not iface.ip.is_loopback:
            warnings.append(f"{dev['name']}: BMC address {iface.ip} is not in 127.0.0.0/8; the lab only binds "
                            "loopback: skipped")
            continue
        port = int(cf.get("odc_bmc_port") or DEFAULT_PORTS[protocol])
        key = (str(iface.ip), port, protocol == "ipmi")  # (address, port, udp?)
        if key in seen:
            warnings.append(f"{dev['name']}: BMC {iface.ip}:{port} already used by {seen[key]}: skipped")
            continue
        seen[key] = dev["name"]
        itfs = sorted(interfaces.get(dev["id"], []), key=lambda i: i["name"])
        uplinks = [i for i in itfs if _value(i["custom_fields"].get("odc_link_role")) == "uplink" and _mac(i)]
        if not uplinks:
            uplinks = [i for i in itfs if not i.get("mgmt_only") and _mac(i)
                       and (i.get("type") or {}).get("value") not in ("lag", "virtual", "bridge")]
        dtype = dev.get("device_type") or {}
        bmcs.append(Bmc(
            name=dev["name"], netbox_id=dev["id"], protocol=protocol, address=str(iface.ip),
            prefix_length=iface.network.prefixlen, port=port, serial=dev.get("serial") or "",
            uuid=system_uuid(dev["name"]), interface=itf["name"], mac=_mac(itf),
            dns_name=addrs[0].get("dns_name") or "",
            manufacturer=(dtype.get("manufacturer") or {}).get("name", ""), model=dtype.get("model", ""),
            nics=[{"name": i["name"], "mac": _mac(i)} for i in uplinks]))
    return bmcs


def _switches(nb, scope, switches, warnings):
    """Switch namespaces, and links from the cabled switch interfaces' link peers.

    (The same data as /api/dcim/cables/, several times cheaper to read: only the
    switches' cabled interfaces, with ``fields``.)
    """
    sw = []
    for dev in switches:
        if not dev.get("name") or not _NETNS_NAME.match(dev["name"]):
            warnings.append(f"switch {dev.get('name')!r}: name is not usable as a network namespace name: skipped")
            continue
        sw.append(Switch(name=dev["name"], netbox_id=dev["id"], role=dev["role"]["slug"],
                         site=(dev.get("site") or {}).get("slug", "")))
    names = {s.name for s in sw}
    ends = {}
    for itf in nb.list("dcim/interfaces", dict(scope, device_role=list(SWITCH_ROLES), cabled="true",
                                                fields=SWITCH_ITF_FIELDS)):
        if itf["device"]["name"] not in names or not itf.get("cable"):
            continue
        peers = itf.get("link_peers") or []
        if itf.get("link_peers_type") != "dcim.interface" or len(peers) != 1:
            continue
        peer = peers[0]
        if (peer.get("device") or {}).get("name") not in names:
            continue
        ends.setdefault(itf["cable"]["id"], (itf, peer))

    links = []
    used = {}
    for cable_id in sorted(ends):
        itf, peer = ends[cable_id]
        (adev, aname), (bdev, bname) = sorted([(itf["device"]["name"], itf["name"]),
                                               (peer["device"]["name"], peer["name"])])
        bad = [n for n in (aname, bname) if not _IFNAME.match(n)]
        if bad or adev == bdev:
            warnings.append(f"cable {cable_id} ({adev} {aname} - {bdev} {bname}): not a usable Linux link: "
                            "skipped")
            continue
        clash = [e for e in ((adev, aname), (bdev, bname)) if e in used]
        if clash:
            (dev, name) = clash[0]
            warnings.append(f"cable {cable_id}: {dev} {name} is already cabled (cable {used[clash[0]]}): skipped")
            continue
        used[(adev, aname)] = used[(bdev, bname)] = cable_id
        links.append(Link(cable_id=cable_id, a_device=adev, a_interface=aname, b_device=bdev, b_interface=bname,
                          label=(itf["cable"].get("label") or "")))
    return sw, links
