# -*- coding: utf-8 -*-
# Copyright: odc.buildout developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""odc.buildout.netbox against the real lab NetBox (demo site odc-rsw1).

Assertions use ``>=``/membership where other tests may add objects to the demo
site while these run; the documented demo objects are asserted exactly.
"""

import ipaddress
import json
import os
import re

import pytest
from conftest import LAB_INVENTORY

pytestmark = pytest.mark.integration

SERVERS = ["r%02d-srv%02d" % (r, s) for r in (1, 2) for s in range(1, 9)]
OCP = {"r01-srv01", "r01-srv02", "r02-srv01", "r01-srv03", "r01-srv04", "r02-srv02", "r02-srv03", "r02-srv04"}


def plain(value):
    """``ansible-inventory --list`` writes untrusted strings as {"__ansible_unsafe": s}: unwrap."""
    if isinstance(value, dict):
        if set(value) == {"__ansible_unsafe"}:
            return value["__ansible_unsafe"]
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [plain(v) for v in value]
    return value


def graph(text):
    """``ansible-inventory --graph`` -> {group: set(hosts)} (direct members)."""
    groups, stack = {}, []
    for line in text.splitlines():
        match = re.match(r"^((?:  \|)*)--(@?)(.+?):?$", line.rstrip())
        if line.startswith("@all"):
            stack = ["all"]
            continue
        if not match:
            continue
        depth = len(match.group(1)) // 3
        name = match.group(3)
        stack = stack[:depth + 1]
        if match.group(2):
            groups.setdefault(name, set())
            stack.append(name)
        else:
            groups.setdefault(stack[depth], set()).add(name)
    return groups


@pytest.fixture(scope="module")
def lab_list(inventory_env):
    import subprocess

    proc = subprocess.run(["ansible-inventory", "-i", LAB_INVENTORY, "--list"], env=inventory_env,
                          capture_output=True, text=True, timeout=300, check=True)
    return plain(json.loads(proc.stdout))


def test_graph_groups_the_demo_site(run_inventory):
    rc, out, err = run_inventory(LAB_INVENTORY, "--graph")
    assert rc == 0, err
    groups = graph(out)
    assert set(SERVERS) <= groups["site_odc_rsw1"] and set(SERVERS) <= groups["role_server"]
    assert "r01-srv01" in groups["cluster_ocp_prod"] and "r01-srv01" in groups["tag_openshift"]
    assert OCP <= groups["cluster_ocp_prod"] and OCP <= groups["cluster_type_openshift"]
    assert {"r01-srv05", "r02-srv05"} <= groups["cluster_kvm_prod"] <= groups["tag_kvm_hypervisor"] | {"x"}
    assert {"spine01", "spine02"} <= groups["role_spine"]
    assert {"r01-leaf01", "r01-leaf02", "r01-srv01"} <= groups["rack_odc_rsw1_r01"]
    assert "r02-srv08" in groups["rack_odc_rsw1_r02"] and "r02-srv08" not in groups["rack_odc_rsw1_r01"]
    assert "r01-srv01" in groups["location_odc_rsw1_zaal_a"] and "r01-srv01" in groups["tenant_tenant_a"]
    assert "r01-srv01" in groups["platform_rhcos"] and "r01-srv05" in groups["platform_rhel_kvm"]
    assert any(g.startswith("status_") and "r01-srv01" in hosts for g, hosts in groups.items())
    assert set(SERVERS) <= groups["devices"]
    assert not any(h.startswith("bench-") for hosts in groups.values() for h in hosts)  # site filter


def test_list_host_vars_of_a_server(lab_list):
    hostvars = lab_list["_meta"]["hostvars"]
    srv = hostvars["r01-srv01"]
    assert srv["ansible_host"] == "10.40.0.10"
    odc = srv["odc"]
    assert (odc["name"], odc["site"], odc["rack"], odc["role"]) == ("r01-srv01", "odc-rsw1", "R01", "server")
    assert "r01-srv01" in lab_list["status_" + odc["status"]]["hosts"]
    assert odc["bmc"]["address"] == "127.0.10.11"
    assert odc["bmc"]["protocol"] == "redfish" and odc["bmc"]["port"] == 443
    assert odc["bmc"]["credential"] == "vault:odc_bmc_credentials.r01-srv01"
    assert odc["bmc"]["interface"] == "iDRAC" and odc["bmc"]["mac"]
    assert odc["interfaces"]["ens1f0"]["peer"] == {"device": "r01-leaf01", "interface": "swp1"}
    assert odc["interfaces"]["ens1f0"]["lag"] == "bond0" and odc["interfaces"]["ens1f0"]["boot"] is True
    assert odc["interfaces"]["ens1f0"]["link_role"] == "uplink"
    assert odc["cluster"]["name"] == "ocp-prod" and odc["ocp_role"] == "control-plane"
    ips = {ip["address"]: ip for ip in odc["ip_addresses"]}
    assert ips["10.40.0.10/24"]["prefix"] == "10.40.0.0/24" and ips["10.40.0.10/24"]["interface"] == "bond0"
    assert "config_context" not in odc
    # the plugin adds one namespaced dict plus ansible_host; the rest is the lab's group_vars
    assert {k for k in srv if k not in _group_var_names()} == {"odc", "ansible_host"}


def _group_var_names():
    import yaml

    names = set()
    base = os.path.join(os.path.dirname(LAB_INVENTORY), "group_vars")
    for folder, _dirs, files in os.walk(base):
        for name in files:
            if name.endswith((".yml", ".yaml")):
                with open(os.path.join(folder, name)) as handle:
                    names |= set(yaml.safe_load(handle) or {})
    return names


def test_every_server_has_its_bmc(lab_list):
    # other suites change custom fields and statuses of the shared demo; interfaces and IPs stay
    hostvars = lab_list["_meta"]["hostvars"]
    for name in SERVERS:
        bmc = hostvars[name]["odc"]["bmc"]
        assert ipaddress.ip_address(bmc["address"]) in ipaddress.ip_network("127.0.10.0/24"), name
        assert bmc["interface"] in ("iDRAC", "iLO", "BMC") and bmc["mac"], name
    assert hostvars["spine01"]["odc"]["bmc"] is None


def test_list_groups_match_graph(lab_list):
    assert "r01-srv01" in lab_list["cluster_ocp_prod"]["hosts"]
    assert "r01-srv01" in lab_list["tag_openshift"]["hosts"]


def _device_filters(proxy):
    return [r["variables"]["f"] for r in proxy.graphql("device_list") if "tags" not in r["variables"].get("f", {})]


def test_filters_are_sent_to_netbox_and_reduce_the_read(run_inventory, proxy, tmp_path):
    wide = tmp_path / "wide.netbox.yml"
    wide.write_text("plugin: odc.buildout.netbox\nsite: [odc-rsw1]\n")
    rc, out, err = run_inventory(wide, "--list", NETBOX_API=proxy.url)
    assert rc == 0, err
    wide_rows = sum(r["rows"] for r in proxy.graphql("device_list") if "tags" not in r["variables"].get("f", {}))
    wide_ifaces = sum(r["rows"] for r in proxy.graphql("interface_list"))
    proxy.requests.clear()

    narrow = tmp_path / "narrow.netbox.yml"
    narrow.write_text("plugin: odc.buildout.netbox\nsite: [odc-rsw1]\nrole: [server]\n"
                      "status: [planned, staged, active, failed, offline]\nrack: [R01]\n")
    rc, out, err = run_inventory(narrow, "--list", NETBOX_API=proxy.url)
    assert rc == 0, err
    hosts = plain(json.loads(out))["_meta"]["hostvars"]
    expected = {"site": {"slug": {"in_list": ["odc-rsw1"]}}, "role": {"slug": {"in_list": ["server"]}},
                "status": {"in_list": ["STATUS_PLANNED", "STATUS_STAGED", "STATUS_ACTIVE", "STATUS_FAILED",
                                       "STATUS_OFFLINE"]},
                "rack": {"name": {"in_list": ["R01"]}}}
    assert _device_filters(proxy) and all(f == expected for f in _device_filters(proxy))
    for req in proxy.graphql("interface_list"):
        assert req["variables"]["f"].get("device") == expected or "cable" in req["variables"]["f"]
    # every tag query is narrowed too, and no VM is asked for (a rack filter excludes VMs)
    assert all(dict(r["variables"]["f"], tags=None) == dict(expected, tags=None)
               for r in proxy.graphql("device_list") if "tags" in r["variables"]["f"])
    assert not proxy.graphql("virtual_machine_list") and not proxy.graphql("vm_interface_list")
    narrow_rows = sum(r["rows"] for r in proxy.graphql("device_list") if "tags" not in r["variables"]["f"])
    assert narrow_rows == len(hosts) and set(hosts) <= {s for s in SERVERS if s.startswith("r01-")} | {"x"}
    assert "r01-srv01" in hosts and narrow_rows < wide_rows
    assert sum(r["rows"] for r in proxy.graphql("interface_list")) < wide_ifaces
    # no request per host: a handful of bulk reads whatever the number of hosts
    assert len(proxy.requests) < 30


def test_single_site_is_not_asked_per_host(run_inventory, proxy):
    rc, out, err = run_inventory(LAB_INVENTORY, "--list", NETBOX_API=proxy.url)
    assert rc == 0, err
    dev = [r for r in proxy.graphql("device_list") if "tags" not in r["variables"]["f"]]
    assert dev and all("site {" not in r["query"] for r in dev)
    assert plain(json.loads(out))["_meta"]["hostvars"]["r01-srv01"]["odc"]["site"] == "odc-rsw1"


def test_bad_token_is_a_clear_error(run_inventory):
    bad = "nbt_0000000000000000.notavalidsecret"
    rc, out, err = run_inventory(LAB_INVENTORY, "--list", NETBOX_TOKEN=bad)
    assert rc != 0
    # NetBox 4.7 answers a bad token with 403 "Invalid v2 token": still an authentication error
    assert "NetBox refused the token (403) on GET /api/status/: Invalid v2 token" in err
    assert bad not in err and bad not in out
    # without unparsed_is_failed Ansible only warns, with the same message
    rc, out, err = run_inventory(LAB_INVENTORY, "--list", NETBOX_TOKEN=bad, ANSIBLE_INVENTORY_UNPARSED_FAILED=None)
    assert "NetBox refused the token" in err


def test_token_without_permission_is_a_clear_error(run_inventory, noperm_token):
    rc, out, err = run_inventory(LAB_INVENTORY, "--list", NETBOX_TOKEN=noperm_token)
    assert rc != 0
    assert "lacks permission (403)" in err and "needs view permission on dcim.device" in err
    assert noperm_token not in err


@pytest.mark.parametrize("missing, said", [
    # GraphQL answers an empty interface list: the plugin asks REST about that list
    ("dcim.interface", "lacks permission (403) on GET /api/dcim/interfaces/"),
    # GraphQL answers every device's rack as null: the plugin asks REST about racks
    ("dcim.rack", "lacks permission (403) on GET /api/dcim/racks/"),
    # a device type must have a manufacturer: GraphQL's non-nullable error, explained
    ("dcim.manufacturer", "NetBox GraphQL gave no manufacturer for a DeviceType although NetBox requires one: "
                          "the token most likely lacks view permission on that object type"),
])
def test_a_missing_permission_on_one_object_type_is_a_clear_error(run_inventory, limited_token, missing, said):
    token = limited_token(missing)
    rc, out, err = run_inventory(LAB_INVENTORY, "--list", NETBOX_TOKEN=token)
    assert rc != 0 and not out.strip()
    flat = " ".join(err.split())
    assert said in flat, err
    assert "needs view permission on dcim.device, dcim.devicetype, dcim.manufacturer" in flat
    assert token not in err


def test_unreachable_netbox_is_a_clear_error(run_inventory):
    rc, out, err = run_inventory(LAB_INVENTORY, "--list", NETBOX_API="http://127.0.0.1:9")
    assert rc != 0
    assert "NetBox at http://127.0.0.1:9 is unreachable" in err


def test_netbox_older_than_supported_is_refused(run_inventory, proxy):
    proxy.status_version = "4.1.9"
    rc, out, err = run_inventory(LAB_INVENTORY, "--list", NETBOX_API=proxy.url)
    assert rc != 0
    assert "NetBox 4.1.9" in err and "older than the supported 4.3" in err
    assert not proxy.graphql()  # nothing read after the version check


def test_literal_token_in_the_file_is_refused(run_inventory, tmp_path):
    inv = tmp_path / "literal.netbox.yml"
    inv.write_text("plugin: odc.buildout.netbox\ntoken: nbt_some.literal\n")
    rc, out, err = run_inventory(inv, "--list")
    assert rc != 0 and "sets 'token' literally" in err


def test_cache_warm_run_returns_identical_data_without_reading_netbox(run_inventory, proxy, tmp_path):
    inv = tmp_path / "cached.netbox.yml"
    inv.write_text("plugin: odc.buildout.netbox\nsite: [odc-rsw1]\ncache: true\n"
                   "cache_plugin: ansible.builtin.jsonfile\ncache_connection: %s\ncache_timeout: 600\n"
                   % (tmp_path / "cache"))
    rc, cold, err = run_inventory(inv, "--list", NETBOX_API=proxy.url)
    assert rc == 0, err
    assert proxy.graphql()
    proxy.requests.clear()
    rc, warm, err = run_inventory(inv, "--list", NETBOX_API=proxy.url)
    assert rc == 0, err
    assert not proxy.requests  # not even the version check
    assert json.loads(warm) == json.loads(cold)  # byte-for-byte the same data, untrusted strings alike
    rc, flushed, err = run_inventory(inv, "--list", "--flush-cache", NETBOX_API=proxy.url)
    assert rc == 0 and proxy.graphql()
