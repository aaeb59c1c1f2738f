# -*- coding: utf-8 -*-
# Copyright: odc.buildout developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Shared option spec and pipeline of the fabric_build/deploy/verify action plugins."""

from __future__ import annotations

import os

from ansible.module_utils.basic import env_fallback

from ansible_collections.odc.buildout.plugins.module_utils._errors import ConfigError
from ansible_collections.odc.buildout.plugins.plugin_utils._fabric._build import build_fabric
from ansible_collections.odc.buildout.plugins.plugin_utils._fabric._model import Settings
from ansible_collections.odc.buildout.plugins.plugin_utils._fabric._render import FORMATS, render_all

FABRIC_SPEC = dict(
    site=dict(type="str", required=True),
    snapshot_path=dict(type="path"),
    netbox_url=dict(type="str", fallback=(env_fallback, ["NETBOX_API", "NETBOX_URL"])),
    netbox_token=dict(type="str", no_log=True, fallback=(env_fallback, ["NETBOX_TOKEN"])),
    validate_certs=dict(type="bool", default=True),
    ca_path=dict(type="path"),
    timeout=dict(type="int", default=60),
    anycast_mac=dict(type="str", default=Settings.anycast_mac),
)
BUILD_SPEC = dict(FABRIC_SPEC,
                  artifacts_dir=dict(type="path"),
                  formats=dict(type="list", elements="str", default=list(FORMATS), choices=list(FORMATS)),
                  return_structured=dict(type="bool", default=True))
LAB_SPEC = dict(FABRIC_SPEC, lab_file=dict(type="path", default="/var/lib/odc-lab/lab.json"),
                limit=dict(type="list", elements="str", default=[]))
DEPLOY_SPEC = dict(LAB_SPEC, force=dict(type="bool", default=False), force_reason=dict(type="str"),
                   servers=dict(type="bool", default=True))
VERIFY_SPEC = dict(LAB_SPEC, checks=dict(type="list", elements="str", default=["bgp", "evpn", "reachability"],
                                         choices=["bgp", "evpn", "reachability"]),
                   wait_timeout=dict(type="float", default=30.0), fail_on_drift=dict(type="bool", default=False))


def snapshot_for(params):
    from ansible_collections.odc.buildout.plugins.plugin_utils._netbox._snapshot import Snapshot
    if params.get("snapshot_path"):
        snap = Snapshot.load(params["snapshot_path"])
        site = (snap.site or {}).get("slug")
        if site != params["site"]:
            raise ConfigError("Snapshot %s holds site %r, not %r." % (params["snapshot_path"], site, params["site"]))
        return snap
    if not params.get("netbox_url") or not params.get("netbox_token"):
        raise ConfigError("Give netbox_url and netbox_token (or NETBOX_API/NETBOX_TOKEN), or a snapshot_path.")
    from ansible_collections.odc.buildout.plugins.module_utils._netbox_client import NetBoxClient
    client = NetBoxClient(params["netbox_url"], params["netbox_token"], validate_certs=params["validate_certs"],
                          ca_path=params.get("ca_path"), timeout=params["timeout"])
    try:
        return Snapshot.fetch(client, params["site"], config_context=True)
    finally:
        client.close()


def pipeline(params, formats=FORMATS):
    """NetBox (or a snapshot file) -> structured config -> rendered files."""
    settings = Settings(anycast_mac=params.get("anycast_mac") or Settings.anycast_mac)
    result = build_fabric(snapshot_for(params), settings=settings)
    return result, render_all(result, formats=formats)


def default_artifacts(task_vars, site):
    base = task_vars.get("playbook_dir") or os.getcwd()
    return os.path.join(base, "artifacts", "fabric", site)


def diff_entries(devices, running_key="diff"):
    """Ansible diff items, one per device with a planned change."""
    out = []
    for name, dev in sorted(devices.items()):
        if not dev.get("changed"):
            continue
        text = dev.get(running_key) or ""
        lines = dev.get("interfaces") or []
        prepared = text + ("".join("~ %s\n" % line for line in lines) if lines else "")
        out.append({"prepared": "### %s\n%s" % (name, prepared)})
    return out
