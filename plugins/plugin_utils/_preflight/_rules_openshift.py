# Copyright: odc.buildout developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""OpenShift clusters (cluster type ``openshift``): control plane, VIPs, rendezvous IP."""

import ipaddress

from ansible_collections.odc.buildout.plugins.plugin_utils._netbox._snapshot import slug
from ansible_collections.odc.buildout.plugins.plugin_utils._preflight._context import (
    cf,
    ip_of,
    vrf_id,
)
from ansible_collections.odc.buildout.plugins.plugin_utils._preflight._registry import (
    rule,
)

CONTROL_PLANE_SIZES = (3, 5)
OCP_ROLES = ("control-plane", "worker")
VIP_FIELDS = (("odc_api_vip", "API VIP"), ("odc_ingress_vip", "ingress VIP"))


def _ref(ctx, cluster, field, kind):
    """The object a cluster's object custom field points to (None if unset or gone)."""
    ref = (cluster.get("custom_fields") or {}).get(field)
    return ctx.nb.by_id[kind].get(ref.get("id")) if isinstance(ref, dict) else None


def _control_plane(ctx, cluster):
    return [d for d in ctx.cluster_members(cluster) if cf(d, "odc_ocp_role") == "control-plane"]


@rule("ODC-OCP-001", "An OpenShift cluster has 3 or 5 control-plane nodes")
def control_plane_size(ctx, report):
    for cluster in ctx.clusters("openshift"):
        nodes = _control_plane(ctx, cluster)
        if len(nodes) not in CONTROL_PLANE_SIZES:
            names = ", ".join(d["name"] for d in nodes) or "none"
            report("virtualization.cluster", cluster, "devices.custom_fields.odc_ocp_role",
                   f"OpenShift cluster {cluster['name']} has {len(nodes)} control-plane node(s) ({names}); "
                   "it needs 3 or 5.")


@rule("ODC-OCP-002", "API and ingress VIPs lie inside the machine network")
def vips_in_machine_network(ctx, report):
    for cluster in ctx.clusters("openshift"):
        name = cluster["name"]
        network = _ref(ctx, cluster, "odc_machine_network", "prefixes")
        if network is None:
            report("virtualization.cluster", cluster, "custom_fields.odc_machine_network",
                   f"OpenShift cluster {name} has no machine network; set odc_machine_network to its prefix.")
        for field, label in VIP_FIELDS:
            vip = _ref(ctx, cluster, field, "ip_addresses")
            if vip is None:
                report("virtualization.cluster", cluster, f"custom_fields.{field}",
                       f"OpenShift cluster {name} has no {label}; set {field} to an IP address.")
                continue
            if network is None:
                continue
            net = ipaddress.ip_network(network["prefix"], strict=False)
            host = ip_of(vip).ip
            if vrf_id(vip) != vrf_id(network) or host.version != net.version or host not in net:
                report("virtualization.cluster", cluster, f"custom_fields.{field}",
                       f"The {label} {vip['address']} of {name} lies outside its machine network "
                       f"{network['prefix']}.")


@rule("ODC-OCP-003", "API and ingress VIPs are not assigned to or used by anything else")
def vips_free(ctx, report):
    for cluster in ctx.clusters("openshift"):
        vips = {field: _ref(ctx, cluster, field, "ip_addresses") for field, _label in VIP_FIELDS}
        for field, label in VIP_FIELDS:
            vip = vips[field]
            if vip is None:
                continue
            owner = vip.get("assigned_object")
            if owner:
                dev = (owner.get("device") or owner.get("virtual_machine") or {}).get("name", "?")
                report("virtualization.cluster", cluster, f"custom_fields.{field}",
                       f"The {label} {vip['address']} of {cluster['name']} is assigned to {dev} {owner.get('name')}; "
                       "a VIP must not be assigned to an interface.")
            host = ip_of(vip).ip
            vip_ids = {v["id"] for v in vips.values() if v is not None}
            users = [o for o in ctx.ips_by_host.get((vrf_id(vip), host), []) if o["id"] not in vip_ids]
            other_vip = [f for f, v in vips.items() if f != field and v is not None and ip_of(v).ip == host]
            for other in users:
                obj = other.get("assigned_object") or {}
                dev = (obj.get("device") or obj.get("virtual_machine") or {}).get("name")
                where = f" on {dev} {obj.get('name')}" if dev else ""
                report("virtualization.cluster", cluster, f"custom_fields.{field}",
                       f"The {label} {host} of {cluster['name']} is also used by IP #{other['id']} "
                       f"{other['address']}{where}.")
            if other_vip and field == VIP_FIELDS[0][0]:
                report("virtualization.cluster", cluster, f"custom_fields.{field}",
                       f"The API VIP and the ingress VIP of {cluster['name']} are the same address {host}.")


@rule("ODC-OCP-004", "The rendezvous IP belongs to a control-plane node")
def rendezvous_ip(ctx, report):
    for cluster in ctx.clusters("openshift"):
        ip = _ref(ctx, cluster, "odc_rendezvous_ip", "ip_addresses")
        if ip is None:
            report("virtualization.cluster", cluster, "custom_fields.odc_rendezvous_ip",
                   f"OpenShift cluster {cluster['name']} has no rendezvous IP; set odc_rendezvous_ip to an IP "
                   "of a control-plane node.")
            continue
        dev = ctx.ip_device(ip)
        full = ctx.device(dev) if dev else None
        if full is None or (full.get("cluster") or {}).get("id") != cluster["id"] \
                or cf(full, "odc_ocp_role") != "control-plane":
            what = "is not assigned to any device"
            if dev:
                member_role = cf(full, "odc_ocp_role") if full else None
                what = f"belongs to {dev.get('name')}" + (f", a {member_role}" if member_role else
                                                          ", which is not a node of this cluster")
            report("virtualization.cluster", cluster, "custom_fields.odc_rendezvous_ip",
                   f"The rendezvous IP {ip['address']} of {cluster['name']} {what}; it must be an IP of a "
                   "control-plane node.")


@rule("ODC-OCP-005", "OpenShift nodes carry an OpenShift role, and only OpenShift nodes do")
def node_roles(ctx, report):
    for dev in ctx.devices("server"):
        cluster = ctx.nb.by_id["clusters"].get((dev.get("cluster") or {}).get("id"))
        is_ocp = cluster is not None and slug(cluster.get("type")) == "openshift"
        ocp_role = cf(dev, "odc_ocp_role")
        if is_ocp and ocp_role not in OCP_ROLES:
            report("dcim.device", dev, "custom_fields.odc_ocp_role",
                   f"{dev['name']} is in OpenShift cluster {cluster['name']} but has no OpenShift role; "
                   "set odc_ocp_role to control-plane or worker.")
        elif ocp_role and not is_ocp:
            report("dcim.device", dev, "custom_fields.odc_ocp_role",
                   f"{dev['name']} has OpenShift role {ocp_role} but is not in an OpenShift cluster; "
                   "set its cluster or clear odc_ocp_role.")
