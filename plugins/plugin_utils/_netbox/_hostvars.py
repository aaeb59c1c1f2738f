# -*- coding: utf-8 -*-
# Copyright: odc.buildout developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Join the flat GraphQL lists of ``_graphql.fetch`` into inventory hosts.

Input: ``{kind: [rows]}`` as NetBox's GraphQL returns them. Output
(:func:`build`): a JSON-ready dict

    {"hosts": [[name, odc, ansible_host, [group, ...]], ...],
     "warnings": [...], "counts": {...}}

where ``odc`` is the one namespaced host var (see docs/inventory.md). Pure
functions, no I/O: unit-tested from a recorded response.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import ipaddress

from ansible_collections.odc.buildout.plugins.plugin_utils._netbox._groups import GROUP_BY, host_groups

BMC_PORTS = {"redfish": 443, "ipmi": 623}


def _slug(obj, key="slug"):
    return obj[key] if obj else None


def _number(text):
    """GraphQL Decimal strings (``"2.0"``) -> int when integral, else float."""
    if text is None:
        return None
    num = float(text)
    return int(num) if num.is_integer() else num


def _bare(address):
    """``10.0.0.1/24`` -> ``10.0.0.1``."""
    return address.split("/", 1)[0] if address else None


class PrefixIndex:
    """Most specific prefix containing an IP, per VRF (global prefixes as fallback)."""

    def __init__(self, prefixes):
        self._nets = {}  # (vrf id, version) -> {prefixlen: {network int: cidr}}
        for row in prefixes:
            try:
                net = ipaddress.ip_network(row["prefix"], strict=False)
            except ValueError:
                continue
            vrf = (row.get("vrf") or {}).get("id")
            bylen = self._nets.setdefault((vrf, net.version), {})
            bylen.setdefault(net.prefixlen, {})[int(net.network_address)] = row["prefix"]
        self._lens = {key: sorted(bylen, reverse=True) for key, bylen in self._nets.items()}

    def containing(self, address, vrf=None):
        try:
            ip = ipaddress.ip_interface(address).ip
        except ValueError:
            return None
        bits = ip.max_prefixlen
        value = int(ip)
        for key in ((vrf, ip.version), (None, ip.version)) if vrf is not None else ((None, ip.version),):
            bylen = self._nets.get(key)
            if not bylen:
                continue
            for plen in self._lens[key]:
                shift = bits - plen
                hit = bylen[plen].get((value >> shift) << shift)
                if hit:
                    return hit
        return None


def _ip_rows(raw):
    """``(kind, interface id, ip row)`` for every assigned IP, whichever way it was read."""
    for row in raw.get("ip_addresses") or ():
        target = row.get("assigned_object")
        if not target:
            continue
        kind = "vm" if target.get("__typename") == "VMInterfaceType" else "dev"
        yield kind, target["id"], row
    for kind, key in (("dev", "interface_ips"), ("vm", "vm_interface_ips")):
        for iface in raw.get(key) or ():
            for row in iface.get("ip_addresses") or ():
                yield kind, iface["id"], row


def _tags(raw):
    """``{("dev"|"vm", host id): [tag slugs]}`` from the per-tag queries."""
    out = {}
    for tag in raw.get("tags") or ():
        slug = tag["slug"]
        for kind in ("d", "v"):
            for row in raw.get("tag:%s:%s" % (kind, slug)) or ():
                out.setdefault(("dev" if kind == "d" else "vm", row["id"]), []).append(slug)
    return out


def _custom_fields(data):
    return {k: v for k, v in (data or {}).items() if v is not None}


class Joiner:
    """Indexes over the raw lists; :meth:`device` / :meth:`vm` build one ``odc`` dict."""

    def __init__(self, raw):
        self.raw = raw
        self.pins = raw.get("_pinned") or {}
        self.clusters = {c["id"]: c for c in raw.get("clusters") or ()}
        self.device_types = {t["id"]: t for t in raw.get("device_types") or ()}
        self.prefixes = PrefixIndex(raw.get("prefixes") or ())
        self.tags = _tags(raw)
        self.ifaces = {"dev": {}, "vm": {}}      # host id -> [iface rows]
        self.iface_name = {}                      # iface id -> name (devices)
        self.iface_host = {"dev": {}, "vm": {}}   # iface id -> host id
        for row in raw.get("interfaces") or ():
            host = row["device"]["id"]
            self.ifaces["dev"].setdefault(host, []).append(row)
            self.iface_name[row["id"]] = row["name"]
            self.iface_host["dev"][row["id"]] = host
        for row in raw.get("vm_interfaces") or ():
            host = row["virtual_machine"]["id"]
            self.ifaces["vm"].setdefault(host, []).append(row)
            self.iface_host["vm"][row["id"]] = host
        self.tagged = {"dev": {r["id"]: [v["vid"] for v in r["tagged_vlans"]] for r in raw.get("tagged_vlans") or ()},
                       "vm": {r["id"]: [v["vid"] for v in r["tagged_vlans"]] for r in raw.get("vm_tagged_vlans") or ()}}
        self.ips = {"dev": {}, "vm": {}}          # iface id -> [ip rows]
        for kind, iface_id, row in _ip_rows(raw):
            self.ips[kind].setdefault(iface_id, []).append(row)
        self._index_cables(raw)

    def _index_cables(self, raw):
        """cable id -> [(end, device id, iface name)], from the scope plus the peers query."""
        self.cables = {}
        for row in raw.get("interfaces") or ():
            if row.get("cable"):
                self.cables.setdefault(row["cable"]["id"], []).append(
                    (row.get("cable_end"), row["id"], row["device"]["id"], row["name"]))
        self.outside = {}
        for row in raw.get("peers") or ():
            if row.get("cable"):
                self.outside.setdefault(row["cable"]["id"], []).append(
                    (row.get("cable_end"), row["id"], (row.get("device") or {}).get("name"), row["name"]))
        self.device_name = {d["id"]: d["name"] for d in raw.get("devices") or () if d.get("name")}

    def _peer(self, row):
        cable = row.get("cable")
        if not cable:
            return None
        for end, iface_id, dev_id, name in self.cables.get(cable["id"], ()):
            if iface_id != row["id"] and end != row.get("cable_end"):
                return {"device": self.device_name.get(dev_id), "interface": name}
        for end, iface_id, dev_name, name in self.outside.get(cable["id"], ()):
            if iface_id != row["id"] and end != row.get("cable_end"):
                return {"device": dev_name, "interface": name}
        return None

    def _ip_list(self, kind, rows):
        out = []
        for iface in rows:
            for ip in self.ips[kind].get(iface["id"], ()):
                vrf = (ip.get("vrf") or {}).get("id")
                out.append({
                    "address": ip["address"],
                    "interface": iface["name"],
                    "prefix": self.prefixes.containing(ip["address"], vrf),
                    "vrf": int(vrf) if vrf else None,
                    "status": ip.get("status"),
                    "role": ip.get("role"),
                    "dns_name": ip.get("dns_name") or None,
                })
        return out

    def _device_interfaces(self, rows):
        out = {}
        for row in rows:
            cf = row.get("custom_field_data") or {}
            lag = row.get("lag")
            out[row["name"]] = {
                "type": row.get("type"),
                "enabled": row.get("enabled"),
                "mgmt_only": row.get("mgmt_only"),
                "mac": _slug(row.get("primary_mac_address"), "mac_address"),
                "lag": self.iface_name.get(lag["id"]) if lag else None,
                "mode": row.get("mode"),
                "untagged_vlan": _slug(row.get("untagged_vlan"), "vid"),
                "tagged_vlans": self.tagged["dev"].get(row["id"], []),
                "link_role": cf.get("odc_link_role"),
                "boot": cf.get("odc_boot"),
                "peer": self._peer(row),
            }
        return out

    def _vm_interfaces(self, rows):
        return {row["name"]: {
            "enabled": row.get("enabled"),
            "mac": _slug(row.get("primary_mac_address"), "mac_address"),
            "mode": row.get("mode"),
            "untagged_vlan": _slug(row.get("untagged_vlan"), "vid"),
            "tagged_vlans": self.tagged["vm"].get(row["id"], []),
        } for row in rows}

    @staticmethod
    def _bmc(cf, rows, interfaces, ips):
        """The BMC: the mgmt-only interface (``odc_link_role: bmc`` first) with its IP and MAC,
        plus protocol/port/credential from the device's ``odc_bmc_*`` custom fields.

        None for devices without a BMC: no ``odc_bmc_protocol`` and no mgmt-only
        interface with link role ``bmc`` (a switch's management port is not a BMC).
        """
        mgmt = [r for r in rows if r.get("mgmt_only")]
        protocol = cf.get("odc_bmc_protocol")
        if not protocol and not any(interfaces[r["name"]]["link_role"] == "bmc" for r in mgmt):
            return None
        mgmt.sort(key=lambda r: (interfaces[r["name"]]["link_role"] != "bmc", not ips.get(r["id"])))
        iface = mgmt[0] if mgmt else None
        addresses = [ip["address"] for ip in ips.get(iface["id"], ())] if iface else []
        addresses.sort(key=lambda a: ":" in a)  # IPv4 first
        return {
            "interface": iface["name"] if iface else None,
            "address": _bare(addresses[0]) if addresses else None,
            "mac": interfaces[iface["name"]]["mac"] if iface else None,
            "protocol": protocol,
            "port": cf.get("odc_bmc_port") or BMC_PORTS.get(protocol),
            "credential": cf.get("odc_bmc_credential"),
        }

    def _pin(self, row, key):
        """A slug the query left out because the filter fixes it (see _graphql.pinned)."""
        if key in row:
            return _slug(row[key])
        return self.pins.get(key)

    def _cluster(self, ref):
        cluster = self.clusters.get(ref["id"]) if ref else None
        if not cluster:
            return None
        return {"name": cluster["name"], "type": _slug(cluster.get("type")), "id": int(cluster["id"])}

    def device(self, row):
        rows = self.ifaces["dev"].get(row["id"], [])
        cf = row.get("custom_field_data") or {}
        dtype = self.device_types.get((row.get("device_type") or {}).get("id")) or {}
        interfaces = self._device_interfaces(rows)
        odc = {
            "kind": "device",
            "id": int(row["id"]),
            "name": row["name"],
            "serial": row.get("serial") or None,
            "asset_tag": row.get("asset_tag"),
            "device_type": dtype.get("slug"),
            "model": dtype.get("model"),
            "manufacturer": _slug(dtype.get("manufacturer")),
            "site": self._pin(row, "site"),
            "location": _slug(row.get("location")),
            "rack": _slug(row.get("rack"), "name"),
            "position": _number(row.get("position")),
            "tenant": _slug(row.get("tenant")),
            "role": self._pin(row, "role"),
            "platform": _slug(row.get("platform")),
            "status": row.get("status"),
            "cluster": self._cluster(row.get("cluster")),
            "ocp_role": cf.get("odc_ocp_role"),
            "primary_ip4": _slug(row.get("primary_ip4"), "address"),
            "primary_ip6": _slug(row.get("primary_ip6"), "address"),
            "bmc": self._bmc(cf, rows, interfaces, self.ips["dev"]),
            "interfaces": interfaces,
            "ip_addresses": self._ip_list("dev", rows),
            "tags": self.tags.get(("dev", row["id"]), []),
            "custom_fields": _custom_fields(cf),
        }
        if "config_context" in row:
            odc["config_context"] = row["config_context"]
        return odc

    def vm(self, row):
        rows = self.ifaces["vm"].get(row["id"], [])
        odc = {
            "kind": "virtual_machine",
            "id": int(row["id"]),
            "name": row["name"],
            "site": self._pin(row, "site"),
            "tenant": _slug(row.get("tenant")),
            "role": self._pin(row, "role"),
            "platform": _slug(row.get("platform")),
            "status": row.get("status"),
            "cluster": self._cluster(row.get("cluster")),
            "vcpus": _number(row.get("vcpus")),
            "memory": row.get("memory"),
            "disk": row.get("disk"),
            "primary_ip4": _slug(row.get("primary_ip4"), "address"),
            "primary_ip6": _slug(row.get("primary_ip6"), "address"),
            "interfaces": self._vm_interfaces(rows),
            "ip_addresses": self._ip_list("vm", rows),
            "tags": self.tags.get(("vm", row["id"]), []),
            "custom_fields": _custom_fields(row.get("custom_field_data")),
        }
        if "config_context" in row:
            odc["config_context"] = row["config_context"]
        return odc


def ansible_host(odc, source="primary_ip"):
    """The address Ansible connects to, without prefix length (None: leave unset)."""
    if source == "primary_ip":
        return _bare(odc.get("primary_ip4") or odc.get("primary_ip6"))
    if source in ("primary_ip4", "primary_ip6"):
        return _bare(odc.get(source))
    if source == "bmc":
        return (odc.get("bmc") or {}).get("address")
    return None


def build(raw, group_by=GROUP_BY, host_source="primary_ip"):
    """Hosts (devices first, then VMs, each by NetBox id), groups and warnings."""
    join = Joiner(raw)
    hosts, warnings, seen = [], [], {}
    unnamed = 0
    for kind, rows, make in (("device", raw.get("devices") or (), join.device),
                             ("virtual_machine", raw.get("virtual_machines") or (), join.vm)):
        for row in sorted(rows, key=lambda r: int(r["id"])):
            name = row.get("name")
            if not name:
                unnamed += 1
                continue
            if name in seen:
                warnings.append("NetBox %s %s (id %s) has the same name as %s; only the first is in the inventory."
                                % (kind.replace("_", " "), name, row["id"], seen[name]))
                continue
            seen[name] = "%s id %s" % (kind.replace("_", " "), row["id"])
            odc = make(row)
            hosts.append([name, odc, ansible_host(odc, host_source), host_groups(odc, group_by)])
    if unnamed:
        warnings.append("%d unnamed NetBox device(s) skipped (a host needs a name)." % unnamed)
    counts = {"devices": len(raw.get("devices") or ()), "virtual_machines": len(raw.get("virtual_machines") or ()),
              "interfaces": len(raw.get("interfaces") or ()) + len(raw.get("vm_interfaces") or ()),
              "hosts": len(hosts)}
    return {"hosts": hosts, "warnings": warnings, "counts": counts}
