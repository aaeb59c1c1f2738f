# -*- coding: utf-8 -*-
# Copyright: odc.buildout developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Domain: device identity (every switch)."""

from __future__ import annotations

from ansible_collections.odc.buildout.plugins.plugin_utils._fabric import _names
from ansible_collections.odc.buildout.plugins.plugin_utils._fabric._base import Builder


class DeviceBuilder(Builder):
    KEYS = ("metadata", "interface_names")

    def metadata(self, sw):
        return {"hostname": sw.name, "site": self.fabric.site, "role": sw.role, "platform": sw.platform,
                "rack": sw.rack, "status": sw.status, "netbox_url": sw.url}

    def interface_names(self, sw):
        """NetBox name -> SONiC name for every interface the config mentions."""
        names = [p.name for p in sw.ports] + [pc.name for pc in sw.port_channels]
        return {name: _names.sonic_port(name) for name in names}
