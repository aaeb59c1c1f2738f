# -*- coding: utf-8 -*-
# Copyright: odc.buildout developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Bulk reads for the inventory: a few flat, paged GraphQL queries, in parallel.

NetBox 4.x (strawberry) resolves every field of every object in Python, so
the cost of a query is roughly the number of objects times the number of
fields, and nested *lists* (``device { interfaces { ... } }``) cost far more
than flat lists joined in memory (Django builds a queryset per parent). So:

* one flat list per object type (devices, VMs, interfaces, VM interfaces,
  IP addresses), related objects as ``{ id }`` or ``{ slug }`` only;
* small lookup tables (clusters, device types, prefixes, tags) once;
* tag membership by one ``{ id }`` query per tag (nested ``tags`` costs ~1 ms
  per host even when the host has no tag);
* ``tagged_vlans`` only for interfaces in tagged mode; cable peers by pairing
  cable ends in memory, one extra query only for peers outside the scope;
* host filters (site, rack, role, status) go into every query's ``filters``;
* a list that comes back empty, or a related object that is null on every
  row, is checked over REST for a missing permission (GraphQL hides what the
  token may not view); a list with rows, or a relation set on one row, proves
  the permission and needs no check;
* every list is paged (``pagination: {offset, limit}``; NetBox caps a list at
  MAX_PAGE_SIZE, 1,000 by default) and pages of all lists run concurrently on
  a few keep-alive connections (``workers``), the next page of a list being
  requested as soon as the previous one came back full.

Everything here is data in, data out: :func:`fetch` returns plain lists keyed
by kind; joining them into host vars is ``_hostvars.py``.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import re
import threading
import time
from concurrent.futures import FIRST_COMPLETED, ThreadPoolExecutor, wait

from ansible_collections.odc.buildout.plugins.module_utils._errors import ApiError, ConfigError, PermissionDenied

MIN_VERSION = (4, 3)
DEFAULT_PAGE_SIZE = 1000

# -- field selections ----------------------------------------------------------
DEVICE_FIELDS = (
    "id name serial asset_tag status position custom_field_data "
    "device_type { id } role { slug } platform { slug } site { slug } location { slug } "
    "rack { name } tenant { slug } cluster { id } primary_ip4 { address } primary_ip6 { address }"
)
VM_FIELDS = (
    "id name status vcpus memory disk custom_field_data "
    "role { slug } platform { slug } site { slug } tenant { slug } cluster { id } "
    "primary_ip4 { address } primary_ip6 { address }"
)
INTERFACE_FIELDS = (
    "id name type enabled mgmt_only mode custom_field_data device { id } lag { id } "
    "untagged_vlan { vid } primary_mac_address { mac_address } cable { id } cable_end"
)
VM_INTERFACE_FIELDS = (
    "id name enabled mode virtual_machine { id } untagged_vlan { vid } primary_mac_address { mac_address }"
)
TAGGED_VLAN_FIELDS = "id tagged_vlans { vid }"
IP_FIELDS = (
    "address status role dns_name vrf { id } "
    "assigned_object { __typename ... on InterfaceType { id } ... on VMInterfaceType { id } }"
)
NESTED_IP_FIELDS = "id ip_addresses { address status role dns_name vrf { id } }"
PEER_FIELDS = "id name cable { id } cable_end device { name }"
CLUSTER_FIELDS = "id name status type { slug } custom_field_data"
DEVICE_TYPE_FIELDS = "id slug model manufacturer { slug }"
PREFIX_FIELDS = "prefix vrf { id }"
TAG_FIELDS = "slug"

STATUSES = {
    "device": ("offline", "active", "planned", "staged", "failed", "inventory", "decommissioning"),
    "virtual_machine": ("offline", "active", "planned", "staged", "failed", "decommissioning", "paused"),
}


def _enum(value):
    return "STATUS_" + value.replace("-", "_").upper()


def host_filters(sites=None, racks=None, roles=None, statuses=None):
    """GraphQL ``filters`` for devices and VMs from the inventory's filter options.

    Returns ``(device_filter, vm_filter)``; ``vm_filter`` is None when no VM can
    match (a rack filter: VMs are not in racks). Unknown statuses are refused.
    """
    dev, vm = {}, {}
    if sites:
        dev["site"] = vm["site"] = {"slug": {"in_list": list(sites)}}
    if roles:
        dev["role"] = vm["role"] = {"slug": {"in_list": list(roles)}}
    if statuses:
        bad = sorted(set(statuses) - set(STATUSES["device"]) - set(STATUSES["virtual_machine"]))
        if bad:
            raise ConfigError("Unknown status filter(s) %s; NetBox statuses are %s." % (
                ", ".join(bad), ", ".join(sorted(set(STATUSES["device"]) | set(STATUSES["virtual_machine"])))))
        dev["status"] = {"in_list": [_enum(s) for s in statuses if s in STATUSES["device"]]}
        vm["status"] = {"in_list": [_enum(s) for s in statuses if s in STATUSES["virtual_machine"]]}
    if racks:
        dev["rack"] = {"name": {"in_list": list(racks)}}
        vm = None
    return dev, vm


class Query:
    """One paged list: ``<field>(filters: $f, pagination: {offset, limit}) { fields }``.

    ``alias``/``kind`` name where its rows go in the result; ``filter_type`` is the
    GraphQL input type of ``filters`` (None: no filters argument).
    """

    def __init__(self, kind, field, fields, filters=None, filter_type=None):
        self.kind = kind
        self.field = field
        self.fields = fields
        self.filters = filters
        self.filter_type = filter_type if filters else None

    def text(self):
        if self.filter_type:
            return "query($f: %s, $o: Int!, $l: Int!) { rows: %s(filters: $f, pagination: {offset: $o, limit: $l}) { %s } }" % (
                self.filter_type, self.field, self.fields)
        return "query($o: Int!, $l: Int!) { rows: %s(pagination: {offset: $o, limit: $l}) { %s } }" % (
            self.field, self.fields)

    def variables(self, offset, limit):
        out = {"o": offset, "l": limit}
        if self.filter_type:
            out["f"] = self.filters
        return out

    def page(self, client, offset, limit):
        return client.graphql(self.text(), self.variables(offset, limit)).get("rows") or []


class RestCount(Query):
    """``count`` of a REST list (one row ``{"count": n}``): NetBox GraphQL has no counts."""

    def __init__(self, kind, endpoint, params):
        super(RestCount, self).__init__(kind, endpoint, "", params, None)

    def variables(self, offset, limit):
        return dict(self.filters, limit=1, brief=1)

    def page(self, client, offset, limit):
        data = client.request("GET", client.endpoint_path(self.field), params=self.variables(offset, limit)) or {}
        return [{"count": data.get("count", 0)}]


class Fetcher:
    """Runs paged :class:`Query` objects concurrently, one client per worker thread.

    ``client_factory()`` returns a new NetBoxClient (the one HTTP client of the
    collection); each worker thread keeps its own keep-alive connection.
    ``log`` records every request: ``(kind, offset, variables, seconds, rows)``.
    """

    def __init__(self, client_factory, page_size=DEFAULT_PAGE_SIZE, workers=4):
        if page_size < 1:
            raise ConfigError("page_size must be at least 1.")
        self._factory = client_factory
        self._local = threading.local()
        self._clients = []
        self._lock = threading.Lock()
        self.page_size = page_size
        self.workers = max(1, workers)
        self.log = []
        self.requests = 0
        self.seconds = 0.0

    def _client(self):
        client = getattr(self._local, "client", None)
        if client is None:
            client = self._factory()
            self._local.client = client
            with self._lock:
                self._clients.append(client)
        return client

    def close(self):
        for client in self._clients:
            client.close()
        self._clients = []

    def _page(self, query, offset):
        variables = query.variables(offset, self.page_size)
        started = time.monotonic()
        rows = query.page(self._client(), offset, self.page_size)
        with self._lock:
            self.log.append((query.kind, offset, variables, round(time.monotonic() - started, 3), len(rows)))
            self.requests += 1
        return rows

    def run(self, queries, then=None, last=None):
        """Fetch every page of every query; returns ``{kind: rows}``.

        ``then(kind, rows, results)`` is called (in the caller's thread) when a
        kind is complete and may return more queries to run (dependent reads,
        e.g. cable peers once the interfaces are known). ``last(results)`` is
        called once everything is in and may return a final round (permission
        checks), run on the same threads and connections; its rows go into the
        results too.
        """
        started = time.monotonic()
        results = {}
        pending_kinds = {}
        with ThreadPoolExecutor(max_workers=self.workers, thread_name_prefix="odc-netbox") as pool:
            futures = {}

            def submit(query, offset):
                futures[pool.submit(self._page, query, offset)] = (query, offset)

            def start(query):
                results.setdefault(query.kind, [])
                pending_kinds[query.kind] = pending_kinds.get(query.kind, 0) + 1
                submit(query, 0)

            for query in queries:
                start(query)
            try:
                while futures or last is not None:
                    if not futures:
                        final, last = last(results) or (), None
                        for query in final:
                            start(query)
                        continue
                    done, _pending = wait(list(futures), return_when=FIRST_COMPLETED)
                    for future in done:
                        query, offset = futures.pop(future)
                        rows = future.result()
                        results[query.kind].extend(rows)
                        if len(rows) >= self.page_size and not isinstance(query, RestCount):
                            submit(query, offset + len(rows))
                            continue
                        pending_kinds[query.kind] -= 1
                        if pending_kinds[query.kind] == 0 and then is not None:
                            for extra in then(query.kind, results[query.kind], results) or ():
                                start(extra)
            except BaseException:
                for future in futures:
                    future.cancel()
                raise
        self.seconds += time.monotonic() - started
        return results


def pinned(options):
    """Host fields every host shares because a filter names exactly one value.

    ``{"site": "odc-rsw1"}`` when ``site: [odc-rsw1]``: the inventory then does
    not ask NetBox for ``site { slug }`` on every host (about 0.05 ms a host).
    """
    out = {}
    for key in ("site", "role"):
        values = options.get(key) or []
        if len(values) == 1:
            out[key] = values[0]
    return out


def _without(fields, pins):
    for key in pins:
        fields = fields.replace(" %s { slug }" % key, "")
    return fields


def plan(dev_filter, vm_filter, devices=True, virtual_machines=True, interfaces=True, ip_scope="flat",
         config_context=False, pins=None):
    """The queries of one inventory read that do not depend on another (see module docstring).

    ``ip_scope``: ``flat`` (every assigned IP in NetBox, joined in memory),
    ``scoped`` (IPs of the scope's interfaces, nested: costs ~2x per IP) or
    ``auto`` (decided by :func:`ip_queries` once the hosts are known).
    """
    extra = " config_context" if config_context else ""
    pins = pins or {}
    vms = virtual_machines and vm_filter is not None
    queries = [
        Query("clusters", "cluster_list", CLUSTER_FIELDS),
        Query("tags", "tag_list", TAG_FIELDS),
    ]
    if devices:
        queries.append(Query("devices", "device_list", _without(DEVICE_FIELDS, pins) + extra, dev_filter,
                             "DeviceFilter"))
        queries.append(Query("device_types", "device_type_list", DEVICE_TYPE_FIELDS))
    if vms:
        queries.append(Query("virtual_machines", "virtual_machine_list", _without(VM_FIELDS, pins) + extra,
                             vm_filter, "VirtualMachineFilter"))
    if not interfaces:
        return queries
    queries.append(Query("prefixes", "prefix_list", PREFIX_FIELDS))
    if devices:
        scope = {"device": dev_filter} if dev_filter else {}
        queries.append(Query("interfaces", "interface_list", INTERFACE_FIELDS, scope, "InterfaceFilter"))
        queries.append(Query("tagged_vlans", "interface_list", TAGGED_VLAN_FIELDS,
                             dict(scope, mode={"in_list": ["MODE_TAGGED"]}), "InterfaceFilter"))
    if vms:
        scope = {"virtual_machine": vm_filter} if vm_filter else {}
        queries.append(Query("vm_interfaces", "vm_interface_list", VM_INTERFACE_FIELDS, scope, "VMInterfaceFilter"))
        queries.append(Query("vm_tagged_vlans", "vm_interface_list", TAGGED_VLAN_FIELDS,
                             dict(scope, mode={"in_list": ["MODE_TAGGED"]}), "VMInterfaceFilter"))
    if ip_scope == "auto":
        queries.append(RestCount("ip_count", "ipam.ip-addresses", {"assigned_to_interface": "true"}))
    else:
        queries.extend(ip_queries(ip_scope, dev_filter, vm_filter, devices, vms))
    return queries


# what each kind is read from, for the permission probe of an empty list
PROBE_ENDPOINTS = {
    "clusters": "virtualization.clusters", "tags": "extras.tags", "devices": "dcim.devices",
    "device_types": "dcim.device-types", "virtual_machines": "virtualization.virtual-machines",
    "prefixes": "ipam.prefixes", "interfaces": "dcim.interfaces", "vm_interfaces": "virtualization.interfaces",
    "ip_addresses": "ipam.ip-addresses", "interface_ips": "ipam.ip-addresses", "vm_interface_ips": "ipam.ip-addresses",
}
# nullable related objects of each kind: GraphQL also answers null for one the token may not view
RELATION_ENDPOINTS = {
    "devices": {"role": "dcim.device-roles", "platform": "dcim.platforms", "site": "dcim.sites",
                "location": "dcim.locations", "rack": "dcim.racks", "tenant": "tenancy.tenants",
                "cluster": "virtualization.clusters", "primary_ip4": "ipam.ip-addresses",
                "primary_ip6": "ipam.ip-addresses"},
    "virtual_machines": {"role": "dcim.device-roles", "platform": "dcim.platforms", "site": "dcim.sites",
                         "tenant": "tenancy.tenants", "cluster": "virtualization.clusters",
                         "primary_ip4": "ipam.ip-addresses", "primary_ip6": "ipam.ip-addresses"},
    "interfaces": {"lag": "dcim.interfaces", "untagged_vlan": "ipam.vlans",
                   "primary_mac_address": "dcim.mac-addresses", "cable": "dcim.cables"},
    "vm_interfaces": {"untagged_vlan": "ipam.vlans", "primary_mac_address": "dcim.mac-addresses"},
    "ip_addresses": {"vrf": "ipam.vrfs"},
    "prefixes": {"vrf": "ipam.vrfs"},
}


def permission_probes(raw):
    """One tiny REST list (``id=0&limit=1&brief=1``) per endpoint GraphQL may have hidden.

    NetBox's GraphQL silently leaves out what the token may not view: a list
    comes back empty, a related object comes back null (a non-nullable one is
    an error, see :func:`explain`); REST answers 403. So "nothing there" and
    "not allowed to see it" look the same in GraphQL. An object type is proven
    readable by a list with rows or by a relation set on at least one row; only
    the others, behind an empty list or a relation null on every row, are
    probed. ``id=0`` keeps a probe cheap: a REST list annotates counts (a
    cluster list counts every VM, ~0.7 s on the benchmark site).
    """
    proven, doubtful = set(), set()
    for kind, rows in raw.items():
        endpoint = PROBE_ENDPOINTS.get(kind)
        if endpoint:
            (proven if rows else doubtful).add(endpoint)
        relations = RELATION_ENDPOINTS.get(kind)
        if not relations or not rows:
            continue
        for key in [key for key in relations if key in rows[0]]:  # the fields this read asked for
            if any(row.get(key) is not None for row in rows):
                proven.add(relations[key])
            else:
                doubtful.add(relations[key])
    return [RestCount("probe:" + e, e, {"id": 0}) for e in sorted(doubtful - proven)]


PERMISSIONS = "dcim.device, dcim.devicetype, dcim.manufacturer, dcim.devicerole, dcim.platform, dcim.site, " \
    "dcim.location, dcim.rack, dcim.interface, dcim.macaddress, dcim.cable, virtualization.virtualmachine, " \
    "virtualization.vminterface, virtualization.cluster, virtualization.clustertype, ipam.ipaddress, ipam.prefix, " \
    "ipam.vlan, ipam.vrf, tenancy.tenant, extras.tag"
NON_NULLABLE = re.compile(r"Cannot return null for non-nullable field (\w+?)(?:Type)?\.(\w+)")


def explain(exc):
    """A PermissionDenied for GraphQL's "Cannot return null for non-nullable field X.y", else None.

    NetBox answers null for a related object the token may not view; where the
    schema says the relation cannot be null (a device type's manufacturer, a
    cluster's type), GraphQL turns that into this error.
    """
    match = NON_NULLABLE.search(str(exc))
    if not match:
        return None
    return PermissionDenied(
        "NetBox GraphQL gave no %s for a %s although NetBox requires one: the token most likely lacks view "
        "permission on that object type (%s)." % (match.group(2), match.group(1), exc))


def ip_queries(ip_scope, dev_filter, vm_filter, devices=True, virtual_machines=True):
    """IP addresses of the scope: one flat list, or nested under the scope's interfaces."""
    if ip_scope == "flat":
        return [Query("ip_addresses", "ip_address_list", IP_FIELDS, {"assigned": True}, "IPAddressFilter")]
    out = []
    has_ip = {"ip_addresses": {"id": {"gt": "0"}}, "DISTINCT": True}
    if devices:
        scope = dict({"device": dev_filter} if dev_filter else {}, **has_ip)
        out.append(Query("interface_ips", "interface_list", NESTED_IP_FIELDS, scope, "InterfaceFilter"))
    if virtual_machines and vm_filter is not None:
        scope = dict({"virtual_machine": vm_filter} if vm_filter else {}, **has_ip)
        out.append(Query("vm_interface_ips", "vm_interface_list", NESTED_IP_FIELDS, scope, "VMInterfaceFilter"))
    return out


def choose_ip_scope(assigned_ips, hosts):
    """``flat`` when reading every assigned IP costs less than the nested read for
    ``hosts`` hosts (measured on NetBox 4.7: ~0.27 ms per flat IP, ~0.5 ms per
    interface with IPs, ~1.5 IP interfaces per host)."""
    return "flat" if assigned_ips <= 3 * max(hosts, 1) else "scoped"


def tag_queries(tags, dev_filter, vm_filter, devices=True, virtual_machines=True):
    """One ``{ id }`` list per tag and host kind (kind ``tag:<d|v>:<slug>``)."""
    out = []
    for tag in tags:
        slug = tag["slug"]
        match = {"tags": {"slug": {"exact": slug}}}
        if devices:
            out.append(Query("tag:d:" + slug, "device_list", "id", dict(dev_filter or {}, **match), "DeviceFilter"))
        if virtual_machines and vm_filter is not None:
            out.append(Query("tag:v:" + slug, "virtual_machine_list", "id", dict(vm_filter or {}, **match),
                             "VirtualMachineFilter"))
    return out


def peer_query(cable_ids):
    """Interfaces at the far end of cables whose peer is outside the scope."""
    return Query("peers", "interface_list", PEER_FIELDS,
                 {"cable": {"id": {"in_list": sorted(cable_ids, key=int)}}}, "InterfaceFilter")


def missing_peer_cables(interfaces):
    """Cable ids seen on only one fetched interface (the other end is outside the scope)."""
    ends = {}
    for iface in interfaces:
        cable = iface.get("cable")
        if cable:
            ends[cable["id"]] = ends.get(cable["id"], 0) + 1
    return [cid for cid, count in ends.items() if count < 2]


def fetch(client_factory, options):
    """Read everything the inventory needs; returns ``(raw, fetcher)``.

    ``options``: dict with site/rack/role/status (lists), devices,
    virtual_machines, interfaces, config_context (bools), page_size, workers,
    ip_scope (``flat``/``scoped``/``auto``).
    """
    dev_filter, vm_filter = host_filters(options.get("site"), options.get("rack"), options.get("role"),
                                         options.get("status"))
    devices = options.get("devices", True)
    vms = options.get("virtual_machines", True) and vm_filter is not None
    ifaces = options.get("interfaces", True)
    ip_scope = options.get("ip_scope") or "auto"
    if ip_scope == "auto" and not (dev_filter or vm_filter):
        ip_scope = "flat"  # no filter: the scope is every host, so every IP
    pins = pinned(options)
    fetcher = Fetcher(client_factory, page_size=options.get("page_size") or DEFAULT_PAGE_SIZE,
                      workers=options.get("workers") or 4)
    waiting = {k for k, on in (("devices", devices), ("virtual_machines", vms), ("ip_count", True)) if on}
    decided = {}

    def then(kind, rows, results):
        out = []
        if kind == "tags":
            out.extend(tag_queries(rows, dev_filter, vm_filter, devices, vms))
        elif kind == "interfaces":
            missing = missing_peer_cables(rows)
            if missing:
                out.append(peer_query(missing))
        if ifaces and ip_scope == "auto" and kind in waiting:
            waiting.discard(kind)
            if not waiting:
                hosts = len(results.get("devices", ())) + len(results.get("virtual_machines", ()))
                decided["ip_scope"] = choose_ip_scope(results["ip_count"][0]["count"], hosts)
                out.extend(ip_queries(decided["ip_scope"], dev_filter, vm_filter, devices, vms))
        return out

    try:
        raw = fetcher.run(plan(dev_filter, vm_filter, devices, vms, ifaces, ip_scope,
                               options.get("config_context", False), pins), then=then, last=permission_probes)
    except PermissionDenied as exc:
        raise PermissionDenied("%s The inventory needs view permission on %s." % (exc, PERMISSIONS)) from exc
    except ApiError as exc:
        denied = explain(exc)
        if denied is None:
            raise
        raise PermissionDenied("%s The inventory needs view permission on %s." % (denied, PERMISSIONS)) from exc
    finally:
        fetcher.close()
    for kind in [k for k in raw if k.startswith("probe:")]:
        del raw[kind]
    raw["_ip_scope"] = decided.get("ip_scope", ip_scope)
    raw["_pinned"] = pins
    return raw, fetcher
