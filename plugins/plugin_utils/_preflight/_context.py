# Copyright: odc.buildout developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""What one preflight run looks at: the snapshot, the scope and the run options.

Rules read NetBox only through this object; it adds the joins they share
(BMC interface, cable peer, effective VLANs, IPs per VRF) on top of the
snapshot's indexes. Nothing here talks to NetBox: the snapshot is already read.
"""

import ipaddress
from functools import cached_property

from ansible_collections.odc.buildout.plugins.module_utils._errors import ConfigError
from ansible_collections.odc.buildout.plugins.plugin_utils._netbox._snapshot import (
    slug,
    value,
)

# device roles the collection builds (writes to); other roles (pdu, firewall) are only context
BUILD_ROLES = ("server", "spine", "leaf", "oob-switch")
VIRTUAL_TYPES = ("virtual", "lag", "bridge")


class Scope:
    """The devices a run is about: a site, optionally narrowed to racks and/or device names.

    Racks and devices add up (devices in the racks plus the named devices).
    Unknown names are input errors, not findings.
    """

    def __init__(self, snapshot, site, racks=None, devices=None):
        site_obj = snapshot.site
        if site_obj is None or site_obj.get("slug") != site:
            raise ConfigError(f"The NetBox snapshot holds no site with slug {site!r}.")
        self.site = site_obj
        self.racks = list(racks or [])
        self.devices = list(devices or [])
        rack_by_name = {r["name"]: r for r in snapshot.data["racks"]}
        unknown = [r for r in self.racks if r not in rack_by_name]
        if unknown:
            raise ConfigError(f"Rack(s) {', '.join(unknown)} not found in site {site} "
                              f"(known: {', '.join(sorted(rack_by_name)) or 'none'}).")
        unknown = [d for d in self.devices if d not in snapshot.device_by_name]
        if unknown:
            raise ConfigError(f"Device(s) {', '.join(unknown)} not found in site {site}.")
        rack_ids = {rack_by_name[r]["id"] for r in self.racks}
        wanted = set(self.devices)
        if self.whole_site:
            chosen = snapshot.data["devices"]
        else:
            chosen = [d for d in snapshot.data["devices"]
                      if d.get("name") in wanted or (d.get("rack") or {}).get("id") in rack_ids]
        self.device_ids = {d["id"] for d in chosen}
        self.rack_ids = rack_ids | {(d.get("rack") or {}).get("id") for d in chosen if d.get("rack")}

    @property
    def whole_site(self):
        return not self.racks and not self.devices

    def to_dict(self):
        return {"site": self.site.get("slug"), "racks": self.racks, "devices": self.devices}


class Context:
    """Snapshot + scope + options, with the joins the rules share."""

    def __init__(self, snapshot, scope, stage_destructive=False, force=False, force_reason=None):
        self.nb = snapshot
        self.scope = scope
        self.stage_destructive = bool(stage_destructive)
        self.force = bool(force)
        self.force_reason = force_reason or ""
        self.netbox_url = snapshot.netbox_url

    # -- devices -----------------------------------------------------------
    def in_scope(self, device):
        return device is not None and device.get("id") in self.scope.device_ids

    def devices(self, *roles):
        """In-scope devices (optionally of the given roles), sorted by name."""
        return sorted((d for d in self.nb.data["devices"]
                       if self.in_scope(d) and (not roles or role(d) in roles)),
                      key=lambda d: d.get("name") or "")

    def site_devices(self, *roles):
        return [d for d in self.nb.data["devices"] if not roles or role(d) in roles]

    def device(self, ref):
        """The full device for a nested reference (or None when outside the snapshot)."""
        return self.nb.by_id["devices"].get((ref or {}).get("id"))

    def racks(self):
        return sorted((r for r in self.nb.data["racks"] if r["id"] in self.scope.rack_ids), key=lambda r: r["name"])

    @cached_property
    def device_types(self):
        if "device_types" not in self.nb.data:
            raise ConfigError("The snapshot was read without device types (Snapshot.fetch(extra=...)).")
        return {t["id"]: t for t in self.nb.data["device_types"]}

    # -- interfaces --------------------------------------------------------
    def interfaces(self, device):
        return sorted(self.nb.interfaces(device), key=lambda i: i["name"])

    def interface(self, ref):
        return self.nb.by_id["interfaces"].get((ref or {}).get("id"))

    def bmc_interfaces(self, device):
        return [i for i in self.interfaces(device) if i.get("mgmt_only")]

    def bmc_interface(self, device):
        """The BMC interface when there is exactly one, else None."""
        bmcs = self.bmc_interfaces(device)
        return bmcs[0] if len(bmcs) == 1 else None

    def peer(self, iface):
        """The interface at the far end of the cable (full object when in the snapshot), or None."""
        for peers_key, type_key in (("link_peers", "link_peers_type"),
                                    ("connected_endpoints", "connected_endpoints_type")):
            peers = iface.get(peers_key) or []
            if peers and iface.get(type_key) == "dcim.interface":
                return self.interface(peers[0]) or peers[0]
        return None

    def children(self, iface):
        return [i for i in self.nb.interfaces_by_device.get(iface["device"]["id"], [])
                if (i.get("parent") or {}).get("id") == iface["id"]]

    def vlan_config(self, iface):
        """(interface carrying the VLAN config, mode, untagged VLAN id, set of tagged VLAN ids).

        A LAG member takes its VLANs from the LAG; VLANs of sub-interfaces
        (``bond0.30``) travel tagged on their parent.
        """
        lag = self.interface(iface.get("lag")) if iface.get("lag") else None
        sources = [iface] + ([lag] if lag else [])
        holder = next((s for s in reversed(sources) if value(s.get("mode"))), iface)
        mode = value(holder.get("mode"))
        untagged = (holder.get("untagged_vlan") or {}).get("id")
        tagged = {v["id"] for v in holder.get("tagged_vlans") or []}
        for src in sources:
            for child in self.children(src):
                if child.get("untagged_vlan"):
                    tagged.add(child["untagged_vlan"]["id"])
                tagged.update(v["id"] for v in child.get("tagged_vlans") or [])
        return holder, mode, untagged, tagged

    # -- IPAM --------------------------------------------------------------
    def ip_device(self, ip):
        """The device an IP address is assigned to (through its interface), or None."""
        if ip.get("assigned_object_type") != "dcim.interface":
            return None
        iface = self.nb.by_id["interfaces"].get(ip.get("assigned_object_id"))
        if iface is None:
            return (ip.get("assigned_object") or {}).get("device")
        return self.device(iface["device"])

    @cached_property
    def prefixes_by_vrf(self):
        out = {}
        for prefix in self.nb.data["prefixes"]:
            out.setdefault(vrf_id(prefix), []).append((ipaddress.ip_network(prefix["prefix"], strict=False), prefix))
        return out

    def containing_prefixes(self, ip, vrf=None):
        """Prefixes of the IP's VRF that contain it, most specific first: [(network, prefix)]."""
        host = ip_of(ip)
        vrf = vrf_id(ip) if vrf is None else vrf
        found = [(net, p) for net, p in self.prefixes_by_vrf.get(vrf, [])
                 if net.version == host.version and host.ip in net]
        return sorted(found, key=lambda item: -item[0].prefixlen)

    @cached_property
    def ips_by_host(self):
        """(VRF id, host address) -> IP address objects (the mask does not matter)."""
        out = {}
        for ip in self.nb.data["ip_addresses"]:
            out.setdefault((vrf_id(ip), ip_of(ip).ip), []).append(ip)
        return out

    @cached_property
    def scope_ips(self):
        """IPs the run is about: on in-scope devices, used by in-scope clusters, or
        (whole-site runs) inside a prefix scoped to the site."""
        chosen = {}
        for ip in self.nb.data["ip_addresses"]:
            if self.in_scope(self.ip_device(ip)):
                chosen[ip["id"]] = ip
        for cluster in self.clusters():
            for field in CLUSTER_IP_FIELDS:
                ip = self.nb.by_id["ip_addresses"].get((cf(cluster, field) or {}).get("id"))
                if ip:
                    chosen[ip["id"]] = ip
        if self.scope.whole_site:
            site_nets = [(vrf_id(p), ipaddress.ip_network(p["prefix"], strict=False)) for p in self.site_prefixes()]
            for ip in self.nb.data["ip_addresses"]:
                host = ip_of(ip).ip
                if any(v == vrf_id(ip) and host.version == n.version and host in n for v, n in site_nets):
                    chosen[ip["id"]] = ip
        return sorted(chosen.values(), key=lambda ip: (ip_of(ip).version, ip_of(ip), ip["id"]))

    def site_prefixes(self):
        site_id = self.scope.site["id"]
        return [p for p in self.nb.data["prefixes"]
                if p.get("scope_type") == "dcim.site" and p.get("scope_id") == site_id]

    @cached_property
    def scope_prefixes(self):
        """Prefixes the run is about: those holding a scope IP, plus (whole site) the site's own."""
        chosen = {}
        for ip in self.scope_ips:
            for _net, prefix in self.containing_prefixes(ip):
                chosen[prefix["id"]] = prefix
        if self.scope.whole_site:
            for prefix in self.site_prefixes():
                chosen[prefix["id"]] = prefix
        return sorted(chosen.values(), key=lambda p: (ipaddress.ip_network(p["prefix"], strict=False).version,
                                                      ipaddress.ip_network(p["prefix"], strict=False), p["id"]))

    # -- clusters ----------------------------------------------------------
    def cluster_members(self, cluster):
        return sorted((d for d in self.nb.data["devices"] if (d.get("cluster") or {}).get("id") == cluster["id"]),
                      key=lambda d: d.get("name") or "")

    def clusters(self, cluster_type=None):
        """Clusters with an in-scope member, or (whole-site runs) scoped to the site."""
        site_id = self.scope.site["id"]
        out = []
        for cluster in self.nb.data["clusters"]:
            if cluster_type and slug(cluster.get("type")) != cluster_type:
                continue
            members = self.cluster_members(cluster)
            on_site = cluster.get("scope_type") == "dcim.site" and cluster.get("scope_id") == site_id
            if any(self.in_scope(d) for d in members) or (self.scope.whole_site and on_site):
                out.append(cluster)
        return sorted(out, key=lambda c: c["name"])


CLUSTER_IP_FIELDS = ("odc_api_vip", "odc_ingress_vip", "odc_rendezvous_ip")


def role(device):
    return slug((device or {}).get("role"))


def cf(obj, name):
    """A custom field's value (choice fields -> their value)."""
    return value((obj.get("custom_fields") or {}).get(name))


def link_role(iface):
    return cf(iface, "odc_link_role") if iface.get("custom_fields") is not None else None


def has_tag(obj, tag):
    return any(slug(t) == tag for t in obj.get("tags") or [])


def vrf_id(obj):
    return (obj.get("vrf") or {}).get("id")


def ip_of(ip):
    return ipaddress.ip_interface(ip["address"])


def macs(iface):
    """Normalised MAC addresses of an interface (NetBox 4.2+ MAC objects, or the legacy field)."""
    found = {(m.get("mac_address") or "").upper() for m in iface.get("mac_addresses") or []}
    found.add((iface.get("mac_address") or "").upper())
    return sorted(m for m in found if m)


def is_physical(iface):
    return value(iface.get("type")) not in VIRTUAL_TYPES
