# -*- coding: utf-8 -*-
# Copyright: odc.buildout developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Build the structured config of a whole site: the domain order is explicit."""

from __future__ import annotations

from ansible_collections.odc.buildout.plugins.plugin_utils._fabric._b_access import AccessBuilder
from ansible_collections.odc.buildout.plugins.plugin_utils._fabric._b_device import DeviceBuilder
from ansible_collections.odc.buildout.plugins.plugin_utils._fabric._b_docs import SiteBuilder
from ansible_collections.odc.buildout.plugins.plugin_utils._fabric._b_evpn import EvpnBuilder
from ansible_collections.odc.buildout.plugins.plugin_utils._fabric._b_host import HostBuilder
from ansible_collections.odc.buildout.plugins.plugin_utils._fabric._b_lab import ServerLabBuilder, SwitchLabBuilder
from ansible_collections.odc.buildout.plugins.plugin_utils._fabric._b_oob import DhcpBuilder, OobSwitchBuilder
from ansible_collections.odc.buildout.plugins.plugin_utils._fabric._b_underlay import UnderlayBuilder
from ansible_collections.odc.buildout.plugins.plugin_utils._fabric._load import load_fabric, natural_key
from ansible_collections.odc.buildout.plugins.plugin_utils._fabric._schema import validate_result

# The order of domains is part of the design: identity, underlay, overlay,
# server access, out-of-band, hosts, lab stand-in, site documentation.
DOMAINS = (
    DeviceBuilder,
    UnderlayBuilder,
    EvpnBuilder,
    AccessBuilder,
    OobSwitchBuilder,
    DhcpBuilder,
    HostBuilder,
    SwitchLabBuilder,
    ServerLabBuilder,
    SiteBuilder,
)


def build_fabric(snapshot=None, fabric=None, settings=None, validate=True):
    """Structured config for every switch, server and the site.

    Returns ``{"site": {...}, "switches": {name: {...}}, "servers": {name: {...}}}``.
    Raises ValidationFailed (preflight or schema) with every problem listed.
    """
    if fabric is None:
        fabric = load_fabric(snapshot, settings)
    builders = [cls(fabric) for cls in DOMAINS]
    switches, servers, site = {}, {}, {}
    for sw in sorted(fabric.switches.values(), key=lambda s: natural_key(s.name)):
        out = {}
        for builder in builders:
            if builder.SCOPE == "switch":
                builder.build(sw, out)
        switches[sw.name] = out
    for srv in sorted(fabric.servers.values(), key=lambda s: natural_key(s.name)):
        if not srv.uplinks:
            continue
        out = {}
        for builder in builders:
            if builder.SCOPE == "server":
                builder.build(srv, out)
        servers[srv.name] = out
    for builder in builders:
        if builder.SCOPE == "site":
            builder.build(fabric, site)
    result = {"site": site, "switches": switches, "servers": servers}
    if validate:
        validate_result(result)
    return result
