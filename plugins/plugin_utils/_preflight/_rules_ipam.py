# Copyright: odc.buildout developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""IP addresses and prefixes, per VRF.

Prefixes are CIDR blocks, so two of them either nest or are disjoint: a
partial overlap cannot be expressed. What can go wrong is an identical
duplicate (error) or a network nested in another network that is not a
``container`` (warning: which one is the L2 segment?).
"""

import ipaddress

from ansible_collections.odc.buildout.plugins.plugin_utils._netbox._snapshot import (
    value,
)
from ansible_collections.odc.buildout.plugins.plugin_utils._preflight._context import (
    ip_of,
    vrf_id,
)
from ansible_collections.odc.buildout.plugins.plugin_utils._preflight._finding import (
    WARNING,
)
from ansible_collections.odc.buildout.plugins.plugin_utils._preflight._registry import (
    rule,
)

# NetBox lets these roles share an address (IPADDRESS_ROLES_NONUNIQUE)
SHARED_ROLES = ("anycast", "vip", "vrrp", "hsrp", "glbp", "carp")
HOST_ROLES = ("loopback",)


def vrf_label(obj):
    vrf = obj.get("vrf")
    return f"VRF {vrf.get('name') or vrf.get('id')}" if vrf else "the global table"


def _networks(ctx, ip):
    """Containing prefixes that are networks (not containers), most specific first."""
    return [(net, p) for net, p in ctx.containing_prefixes(ip) if value(p.get("status")) != "container"]


@rule("ODC-IP-001", "IP addresses lie inside a network prefix of their VRF")
def ip_in_prefix(ctx, report):
    for ip in ctx.scope_ips:
        if _networks(ctx, ip):
            continue
        containers = [p["prefix"] for _n, p in ctx.containing_prefixes(ip)]
        detail = (f"only inside container(s) {', '.join(containers)}; add the network prefix" if containers
                  else "add the prefix it belongs to, or fix the address or VRF")
        report("ipam.ipaddress", ip, "address",
               f"{ip['address']} is in no network prefix of {vrf_label(ip)} ({detail}).")


@rule("ODC-IP-002", "An IP address has the mask of its most specific prefix")
def ip_mask(ctx, report):
    for ip in ctx.scope_ips:
        iface = ip_of(ip)
        if value(ip.get("role")) in HOST_ROLES:
            if iface.network.prefixlen != iface.max_prefixlen:
                report("ipam.ipaddress", ip, "address",
                       f"Loopback {ip['address']} should be a host address (/{iface.max_prefixlen}).")
            continue
        nets = _networks(ctx, ip)
        if nets and nets[0][0].prefixlen != iface.network.prefixlen:
            net, prefix = nets[0]
            report("ipam.ipaddress", ip, "address",
                   f"{ip['address']} has mask /{iface.network.prefixlen} but lies in {prefix['prefix']} "
                   f"({vrf_label(prefix)}); it should be {iface.ip}/{net.prefixlen}.")


@rule("ODC-IP-003", "No duplicate IP addresses in a VRF")
def ip_unique(ctx, report):
    for ip in ctx.scope_ips:
        host = ip_of(ip).ip
        twins = [o for o in ctx.ips_by_host.get((vrf_id(ip), host), []) if o["id"] != ip["id"]]
        if not twins:
            continue
        if all(value(o.get("role")) in SHARED_ROLES for o in [ip] + twins):
            continue  # anycast gateways, VIPs: shared on purpose
        where = "; ".join(f"#{o['id']} {o['address']}" + (f" on {_owner(ctx, o)}" if _owner(ctx, o) else "")
                          for o in twins)
        report("ipam.ipaddress", ip, "address",
               f"{host} is recorded more than once in {vrf_label(ip)}: also {where}.")


def _owner(ctx, ip):
    obj = ip.get("assigned_object") or {}
    dev = (obj.get("device") or obj.get("virtual_machine") or {}).get("name")
    return f"{dev} {obj.get('name')}" if dev else ""


@rule("ODC-IP-004", "An IP address is not the network or broadcast address of its prefix")
def ip_not_network(ctx, report):
    for ip in ctx.scope_ips:
        nets = _networks(ctx, ip)
        if not nets or nets[0][1].get("is_pool"):
            continue
        net, prefix = nets[0]
        host = ip_of(ip).ip
        if net.version == 4 and net.prefixlen < 31 and host in (net.network_address, net.broadcast_address):
            what = "network" if host == net.network_address else "broadcast"
            report("ipam.ipaddress", ip, "address",
                   f"{ip['address']} is the {what} address of {prefix['prefix']}; hosts cannot use it.")


def _same_vrf(ctx, prefix):
    return [(net, p) for net, p in ctx.prefixes_by_vrf.get(vrf_id(prefix), []) if p["id"] != prefix["id"]]


@rule("ODC-PFX-001", "No duplicate prefixes in a VRF")
def prefix_unique(ctx, report):
    for prefix in ctx.scope_prefixes:
        net = ipaddress.ip_network(prefix["prefix"], strict=False)
        twins = [p for n, p in _same_vrf(ctx, prefix) if n == net]
        if twins:
            report("ipam.prefix", prefix, "prefix",
                   f"{prefix['prefix']} is recorded more than once in {vrf_label(prefix)} "
                   f"(also #{', #'.join(str(p['id']) for p in twins)}).")


@rule("ODC-PFX-002", "Networks nest only under container prefixes", severity=WARNING)
def prefix_nesting(ctx, report):
    for prefix in ctx.scope_prefixes:
        if value(prefix.get("status")) == "container":
            continue
        net = ipaddress.ip_network(prefix["prefix"], strict=False)
        parents = [p for n, p in _same_vrf(ctx, prefix)
                   if n.version == net.version and n != net and net.subnet_of(n)
                   and value(p.get("status")) != "container"]
        for parent in parents:
            report("ipam.prefix", prefix, "prefix",
                   f"{prefix['prefix']} lies inside {parent['prefix']} ({value(parent.get('status'))}) in "
                   f"{vrf_label(prefix)}; nest networks only under a container prefix.")
