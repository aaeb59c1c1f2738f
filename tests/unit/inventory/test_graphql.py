# -*- coding: utf-8 -*-
# Copyright: odc.buildout developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The bulk read (_graphql): filters, query plan, paging, concurrency, dependent reads."""

import re
import threading
import time

import pytest

from ansible_collections.odc.buildout.plugins.module_utils._errors import AuthenticationError, ConfigError
from ansible_collections.odc.buildout.plugins.plugin_utils._netbox import _graphql

FIELD = re.compile(r"rows: (\w+)\(")


class FakeNetBox:
    """Serves GraphQL lists from ``tables`` ({field: rows} or {field: callable(filters) -> rows})."""

    def __init__(self, tables, delay=0.0, fail=None, counts=None):
        self.tables = tables
        self.delay = delay
        self.fail = fail
        self.counts = counts or {}
        self.calls = []
        self.threads = set()
        self.lock = threading.Lock()
        self.clients = 0

    def factory(self):
        with self.lock:
            self.clients += 1
        return FakeClient(self)


class FakeClient:
    def __init__(self, server):
        self.server = server
        self.closed = False

    @staticmethod
    def endpoint_path(endpoint):
        return "/api/%s/" % endpoint.replace(".", "/")

    def graphql(self, query, variables):
        server = self.server
        field = FIELD.search(query).group(1)
        with server.lock:
            server.calls.append((field, variables))
            server.threads.add(threading.get_ident())
        if server.fail and server.fail(field, variables):
            raise AuthenticationError("NetBox refused the token (401)")
        time.sleep(server.delay)
        rows = server.tables.get(field, [])
        if callable(rows):
            rows = rows(variables.get("f"))
        return {"rows": rows[variables["o"]:variables["o"] + variables["l"]]}

    def request(self, method, path, params=None):
        with self.server.lock:
            self.server.calls.append((path, params))
        return {"count": self.server.counts.get(path, 0), "results": []}

    def close(self):
        self.closed = True


def test_host_filters_go_into_the_query():
    dev, vm = _graphql.host_filters(["odc-rsw1"], None, ["server", "leaf"], ["planned", "active"])
    assert dev == {"site": {"slug": {"in_list": ["odc-rsw1"]}}, "role": {"slug": {"in_list": ["server", "leaf"]}},
                   "status": {"in_list": ["STATUS_PLANNED", "STATUS_ACTIVE"]}}
    assert vm == dev


def test_rack_filter_leaves_vms_out_and_inventory_status_is_device_only():
    dev, vm = _graphql.host_filters(None, ["R01"], None, ["inventory", "paused"])
    assert dev == {"rack": {"name": {"in_list": ["R01"]}}, "status": {"in_list": ["STATUS_INVENTORY"]}}
    assert vm is None


def test_no_filter_means_no_filters_argument():
    assert _graphql.host_filters() == ({}, {})
    query = _graphql.Query("devices", "device_list", "id", {}, "DeviceFilter")
    assert "filters" not in query.text() and "f" not in query.variables(0, 10)


def test_unknown_status_is_refused():
    with pytest.raises(ConfigError, match="Unknown status filter.*bogus"):
        _graphql.host_filters(statuses=["bogus"])


def test_every_host_scoped_query_carries_the_filter():
    dev, vm = _graphql.host_filters(["odc-rsw1"], None, ["server"], None)
    queries = _graphql.plan(dev, vm, ip_scope="scoped")
    by_kind = {q.kind: q for q in queries}
    assert by_kind["devices"].filters == dev and by_kind["virtual_machines"].filters == vm
    assert by_kind["interfaces"].filters == {"device": dev}
    assert by_kind["vm_interfaces"].filters == {"virtual_machine": vm}
    assert by_kind["tagged_vlans"].filters["device"] == dev
    assert by_kind["interface_ips"].filters["device"] == dev
    assert by_kind["vm_interface_ips"].filters["virtual_machine"] == vm
    assert not [q for q in queries if isinstance(q, _graphql.RestCount)]  # probes come after, for empty lists
    for query in queries:
        assert "$f" in query.text() or query.kind in ("clusters", "tags", "device_types", "prefixes")


def test_single_site_and_role_are_not_asked_per_host():
    pins = _graphql.pinned({"site": ["odc-rsw1"], "role": ["server"], "status": ["active"]})
    assert pins == {"site": "odc-rsw1", "role": "server"}
    fields = {q.kind: q.fields for q in _graphql.plan({}, {}, pins=pins)}
    assert "site {" not in fields["devices"] and "role {" not in fields["devices"]
    assert "site {" not in fields["virtual_machines"]
    assert "rack { name }" in fields["devices"]
    assert _graphql.pinned({"site": ["a", "b"]}) == {}


def test_config_context_only_on_request():
    fields = {q.kind: q.fields for q in _graphql.plan({}, {})}
    assert "config_context" not in fields["devices"]
    fields = {q.kind: q.fields for q in _graphql.plan({}, {}, config_context=True)}
    assert fields["devices"].endswith("config_context") and fields["virtual_machines"].endswith("config_context")


def test_interfaces_off_reads_hosts_only():
    kinds = {q.kind for q in _graphql.plan({}, {}, interfaces=False)}
    assert kinds == {"clusters", "tags", "devices", "device_types", "virtual_machines"}


def test_paging_follows_full_pages_and_stops_on_a_short_one():
    rows = [{"id": str(i)} for i in range(2500)]
    server = FakeNetBox({"device_list": rows})
    fetcher = _graphql.Fetcher(server.factory, page_size=1000, workers=2)
    out = fetcher.run([_graphql.Query("devices", "device_list", "id")])
    assert out["devices"] == rows
    assert [v["o"] for _f, v in server.calls] == [0, 1000, 2000]
    assert all(v["l"] == 1000 for _f, v in server.calls)


def test_exact_multiple_of_the_page_size_needs_one_empty_page():
    server = FakeNetBox({"device_list": [{"id": str(i)} for i in range(2000)]})
    out = _graphql.Fetcher(server.factory, page_size=1000).run([_graphql.Query("devices", "device_list", "id")])
    assert len(out["devices"]) == 2000 and len(server.calls) == 3


def test_lists_are_fetched_concurrently_on_one_connection_per_worker():
    tables = {name: [{"id": str(i)} for i in range(30)] for name in ("a_list", "b_list", "c_list", "d_list")}
    server = FakeNetBox(tables, delay=0.2)
    fetcher = _graphql.Fetcher(server.factory, page_size=10, workers=4)
    started = time.monotonic()
    out = fetcher.run([_graphql.Query(name, name, "id") for name in tables])
    elapsed = time.monotonic() - started
    assert all(len(out[name]) == 30 for name in tables)
    assert len(server.calls) == 16  # 4 lists x (3 full pages + 1 empty)
    assert elapsed < 16 * 0.2 / 2  # well below sequential
    assert server.clients <= 4 and len(server.threads) <= 4
    assert fetcher.requests == 16 and len(fetcher.log) == 16


def test_dependent_reads_start_when_their_input_is_complete():
    server = FakeNetBox({"tag_list": [{"slug": "x"}, {"slug": "y"}], "device_list": [{"id": "1"}]})

    def then(kind, rows, results):
        if kind == "tags":
            return [_graphql.Query("tag:" + r["slug"], "device_list", "id", {"tags": r["slug"]}, "DeviceFilter")
                    for r in rows]
        return ()

    out = _graphql.Fetcher(server.factory).run([_graphql.Query("tags", "tag_list", "slug")], then=then)
    assert out["tag:x"] == [{"id": "1"}] and out["tag:y"] == [{"id": "1"}]


def test_an_error_in_one_page_stops_the_read():
    server = FakeNetBox({"device_list": [{"id": "1"}]}, fail=lambda field, v: field == "device_list")
    fetcher = _graphql.Fetcher(server.factory, workers=2)
    with pytest.raises(AuthenticationError):
        fetcher.run([_graphql.Query("devices", "device_list", "id"), _graphql.Query("tags", "tag_list", "slug")])


def test_page_size_must_be_positive():
    with pytest.raises(ConfigError):
        _graphql.Fetcher(lambda: None, page_size=0)


def test_missing_peer_cables():
    ifaces = [{"id": "1", "cable": {"id": "7"}}, {"id": "2", "cable": {"id": "7"}}, {"id": "3", "cable": {"id": "9"}},
              {"id": "4", "cable": None}]
    assert _graphql.missing_peer_cables(ifaces) == ["9"]
    query = _graphql.peer_query(["12", "9"])
    assert query.filters == {"cable": {"id": {"in_list": ["9", "12"]}}}


@pytest.mark.parametrize("ips,hosts,scope", [(2440, 2400, "flat"), (50000, 40, "scoped"), (0, 0, "flat")])
def test_choose_ip_scope(ips, hosts, scope):
    assert _graphql.choose_ip_scope(ips, hosts) == scope


def _site_tables(raw):
    """Fake NetBox answering with the recorded read (filters are not applied)."""
    tables = {
        "cluster_list": raw["clusters"], "tag_list": raw["tags"], "device_list": raw["devices"],
        "device_type_list": raw["device_types"], "virtual_machine_list": raw["virtual_machines"],
        "prefix_list": raw["prefixes"], "vm_interface_list": raw["vm_interfaces"],
    }

    def interfaces(filters):
        if filters and "mode" in filters:
            return raw["tagged_vlans"]
        if filters and "ip_addresses" in filters:
            return raw["interface_ips"]
        if filters and "cable" in filters:
            return []
        return raw["interfaces"]

    tables["interface_list"] = interfaces
    flat = [dict(ip, assigned_object={"__typename": "InterfaceType", "id": i["id"]})
            for i in raw["interface_ips"] for ip in i["ip_addresses"]]
    tables["ip_address_list"] = flat
    return tables


def test_fetch_auto_ip_scope_decides_from_counts(raw):
    server = FakeNetBox(_site_tables(raw), counts={"/api/ipam/ip-addresses/": 100000})
    out, fetcher = _graphql.fetch(server.factory, {"site": ["odc-rsw1"]})
    assert out["_ip_scope"] == "scoped" and "interface_ips" in out and "ip_addresses" not in out
    assert out["_pinned"] == {"site": "odc-rsw1"}
    server = FakeNetBox(_site_tables(raw), counts={"/api/ipam/ip-addresses/": 10})
    out, _fetcher = _graphql.fetch(server.factory, {"site": ["odc-rsw1"]})
    assert out["_ip_scope"] == "flat" and len(out["ip_addresses"]) == 40


def test_fetch_without_filters_reads_ips_flat_and_no_count(raw):
    server = FakeNetBox(_site_tables(raw))
    out, fetcher = _graphql.fetch(server.factory, {})
    assert out["_ip_scope"] == "flat"
    rest = [c for c in server.calls if c[0].startswith("/api/")]
    # no IP count; only the probes GraphQL's answer calls for (the demo site has no VRF)
    expected = sorted("/api/%s/" % q.field.replace(".", "/") for q in _graphql.permission_probes(out))
    assert expected == ["/api/ipam/vrfs/"]
    assert sorted(path for path, _params in rest) == expected
    assert all(params == {"id": 0, "limit": 1, "brief": 1} for _path, params in rest)
    expected = {"tag:%s:%s" % (kind, t["slug"]) for t in raw["tags"] for kind in "dv"}
    assert {k for k in out if k.startswith("tag:")} == expected
    assert fetcher.requests == len(server.calls)


def test_only_empty_lists_are_probed_for_permission():
    raw = {"devices": [{"id": "1"}], "virtual_machines": [], "interfaces": [], "ip_addresses": [],
           "interface_ips": [], "tag:d:x": [], "tagged_vlans": [], "_pinned": {}}
    probes = _graphql.permission_probes(raw)
    assert [q.field for q in probes] == ["dcim.interfaces", "ipam.ip-addresses", "virtualization.virtual-machines"]
    assert all(q.variables(0, 1000) == {"id": 0, "limit": 1, "brief": 1} for q in probes)
    assert _graphql.permission_probes({"devices": [{"id": "1"}], "clusters": [{"id": "2"}]}) == []


def test_a_relation_null_on_every_row_is_probed_once_set_somewhere_it_is_not():
    devices = [{"id": "1", "rack": None, "tenant": None, "location": {"slug": "l"}},
               {"id": "2", "rack": None, "tenant": {"slug": "t"}, "location": None}]
    probes = [q.field for q in _graphql.permission_probes({"devices": devices})]
    assert probes == ["dcim.racks"]  # tenants and locations are proven by one row each
    # a relation to a type whose own list has rows is proven by that list
    interfaces = [{"id": "1", "lag": None, "cable": None}]
    assert [q.field for q in _graphql.permission_probes({"interfaces": interfaces})] == ["dcim.cables"]
    # a relation not asked for (pinned site) is not probed
    assert _graphql.permission_probes({"devices": [{"id": "1", "rack": {"name": "r"}}]}) == []


def test_non_nullable_null_is_explained_as_a_permission_problem():
    from ansible_collections.odc.buildout.plugins.module_utils._errors import ApiError, PermissionDenied

    err = _graphql.explain(ApiError("NetBox GraphQL error: Cannot return null for non-nullable field "
                                    "DeviceTypeType.manufacturer."))
    assert isinstance(err, PermissionDenied)
    assert str(err).startswith("NetBox GraphQL gave no manufacturer for a DeviceType although NetBox requires one")
    assert _graphql.explain(ApiError("NetBox GraphQL error: Syntax Error")) is None


def test_every_object_type_read_has_a_probe_endpoint(raw):
    read = {q.kind for q in _graphql.plan({}, {}, ip_scope="flat")} | {"interface_ips", "vm_interface_ips"}
    probed = set(_graphql.PROBE_ENDPOINTS)
    # tagged VLAN lists re-read interfaces, tag lists re-read hosts: their base list is probed
    assert read - probed == {"tagged_vlans", "vm_tagged_vlans"}


def test_a_403_probe_names_the_permissions_needed(raw):
    from ansible_collections.odc.buildout.plugins.module_utils._errors import PermissionDenied

    class Denying(FakeClient):
        def request(self, method, path, params=None):
            if path == "/api/dcim/interfaces/":
                raise PermissionDenied("NetBox token lacks permission (403) on GET /api/dcim/interfaces/: no.")
            return super(Denying, self).request(method, path, params)

    # GraphQL hides interfaces the token may not view: the empty list is probed, and REST says 403
    tables = _site_tables(raw)
    tables["interface_list"] = []
    server = FakeNetBox(tables)
    with pytest.raises(PermissionDenied, match=r"\(403\) on GET /api/dcim/interfaces/.*needs view permission on "
                                               r"dcim.device, .*dcim.interface"):
        _graphql.fetch(lambda: Denying(server), {})
    # with interfaces there, nothing is probed and the same token reads fine
    out, _fetcher = _graphql.fetch(lambda: Denying(FakeNetBox(_site_tables(raw))), {})
    assert out["interfaces"]
