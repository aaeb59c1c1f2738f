# -*- coding: utf-8 -*-
# Copyright: odc.buildout developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The inventory plugin itself (options, token rule, cache, constructed), on the recorded read.

Each case runs plugin_harness.py in its own process (Ansible's collection
loader), NetBox replaced by the recorded GraphQL read.
"""

import json
import os
import subprocess
import sys

import pytest

HERE = os.path.dirname(os.path.abspath(__file__))
HARNESS = os.path.join(HERE, "plugin_harness.py")


def run(tmp_path, text, name="inv.netbox.yml", flush=False, **env):
    path = tmp_path / name
    path.write_text("plugin: odc.buildout.netbox\n" + text)
    cfg = tmp_path / "ansible.cfg"
    cfg.write_text("[defaults]\n")
    full_env = dict(os.environ, NETBOX_API="https://netbox.invalid", NETBOX_TOKEN="nbt_unit.secret",
                    ANSIBLE_CONFIG=str(cfg), HARNESS_FLUSH="1" if flush else "0")
    for key, value in env.items():
        if value is None:
            full_env.pop(key, None)
        else:
            full_env[key] = value
    proc = subprocess.run([sys.executable, HARNESS, str(path)], capture_output=True, text=True, env=full_env,
                          check=False, timeout=120)
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout.strip().splitlines()[-1])


def test_hosts_groups_and_vars(tmp_path):
    out = run(tmp_path, "site: [odc-rsw1]\n")
    assert out["fetches"] == 1 and out["auth"] == "Bearer"
    assert out["options"]["site"] == ["odc-rsw1"]
    assert "r01-srv01" in out["groups"]["cluster_ocp_prod"]
    assert "r01-srv01" in out["groups"]["tag_openshift"]
    assert "r01-srv01" in out["groups"]["role_server"]
    assert sorted(out["groups"]["virtual_machines"])[0] == "bench-vm0001"
    srv = out["hostvars"]["r01-srv01"]
    assert set(srv) - {"inventory_file", "inventory_dir"} == {"odc", "ansible_host"}
    assert srv["ansible_host"] == "10.40.0.10"
    assert srv["odc"]["bmc"]["address"] == "127.0.10.11"
    assert out["hostvars"]["r01-pdu-a"].get("ansible_host") is None


def test_literal_token_in_the_file_is_refused(tmp_path):
    out = run(tmp_path, "token: nbt_abc.literal\n")
    assert out["type"] == "AnsibleParserError"
    assert "sets 'token' literally" in out["error"] and "NETBOX_TOKEN" in out["error"]
    assert "nbt_abc.literal" not in out["error"]


def test_token_from_a_template_in_the_file(tmp_path):
    out = run(tmp_path, "token: \"{{ 'nbt_from.template' }}\"\n", NETBOX_TOKEN=None)
    assert out["fetches"] == 1 and out["auth"] == "Bearer"


def test_url_from_a_template_with_a_default(tmp_path):
    # the lab inventory: NETBOX_API when exported, else the lab's URL
    text = "url: \"{{ lookup('ansible.builtin.env', 'NETBOX_API', default='http://127.0.0.1:8001') }}\"\n"
    out = run(tmp_path, text, NETBOX_API=None)
    assert out["url"] == "http://127.0.0.1:8001"
    out = run(tmp_path, text, NETBOX_API="https://netbox.example.org")
    assert out["url"] == "https://netbox.example.org"


def test_v1_token_from_the_environment(tmp_path):
    out = run(tmp_path, "", NETBOX_TOKEN="0123456789abcdef0123456789abcdef01234567")
    assert out["auth"] == "Token"


def test_missing_token_and_url_are_clear_errors(tmp_path):
    out = run(tmp_path, "", NETBOX_TOKEN=None)
    assert "NETBOX_TOKEN" in out["error"]
    out = run(tmp_path, "", NETBOX_API=None, NETBOX_URL=None)
    assert "url" in out["error"].lower()


def test_file_name_must_end_in_netbox_yml(tmp_path):
    out = run(tmp_path, "", name="inventory.yml")
    assert out["type"] == "declined"


def test_cache_warm_run_reads_nothing_and_returns_the_same(tmp_path):
    cache = tmp_path / "cache"
    text = ("site: [odc-rsw1]\ncache: true\ncache_plugin: ansible.builtin.jsonfile\n"
            "cache_connection: %s\ncache_timeout: 0\n" % cache)
    cold = run(tmp_path, text)
    warm = run(tmp_path, text)
    assert cold["fetches"] == 1 and warm["fetches"] == 0
    assert (warm["groups"], warm["hostvars"]) == (cold["groups"], cold["hostvars"])
    files = list(cache.iterdir())
    assert len(files) == 1
    # Ansible wraps the value in {"__payload__": <its own JSON of the value>}; our value is one
    # compact JSON string, so Ansible's per-value decoder has a single string to decode
    stored = json.loads(json.loads(files[0].read_text())["__payload__"])
    assert isinstance(stored, str) and json.loads(stored)["data"]["counts"]["hosts"] == 40
    flushed = run(tmp_path, text, flush=True)
    assert flushed["fetches"] == 1


def test_cache_is_not_used_for_other_options(tmp_path):
    cache = tmp_path / "cache"
    base = "cache: true\ncache_plugin: ansible.builtin.jsonfile\ncache_connection: %s\n" % cache
    assert run(tmp_path, base + "site: [odc-rsw1]\n")["fetches"] == 1
    assert run(tmp_path, base + "site: [odc-rsw1]\nrole: [server]\n")["fetches"] == 1
    assert run(tmp_path, base + "site: [odc-rsw1]\nrole: [server]\n")["fetches"] == 0


def test_constructed_compose_groups_keyed_groups(tmp_path):
    out = run(tmp_path, (
        "compose:\n  bmc_address: odc.bmc.address if odc.bmc else None\n"
        "groups:\n  ocp_control_plane: odc.get('ocp_role') == 'control-plane'\n"
        "keyed_groups:\n  - key: odc.manufacturer | default('none')\n    prefix: vendor\n"))
    assert out["hostvars"]["r01-srv01"]["bmc_address"] == "127.0.10.11"
    assert sorted(out["groups"]["ocp_control_plane"]) == ["r01-srv01", "r01-srv02", "r02-srv01"]
    assert "r01-srv07" in out["groups"]["vendor_supermicro"]


def test_strict_constructed_errors_surface(tmp_path):
    out = run(tmp_path, "strict: true\ncompose:\n  x: odc.no_such_key.deeper\n")
    assert "error" in out


@pytest.mark.parametrize("group_by,present,absent", [
    ("[role]", "role_server", "site_odc_rsw1"), ("[tag, cluster]", "cluster_type_openshift", "role_server")])
def test_group_by_option(tmp_path, group_by, present, absent):
    out = run(tmp_path, "group_by: %s\n" % group_by)
    assert present in out["groups"] and absent not in out["groups"]
