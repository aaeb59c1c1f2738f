# -*- coding: utf-8 -*-
# Copyright: odc.buildout developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Inventory group names: ``<prefix>_<value>``, lower case, ``[a-z0-9_]`` only.

Racks and locations are only unique inside a site, so their groups carry the
site: ``rack_odc_rsw1_r01``, ``location_odc_rsw1_zaal_a``.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import re

GROUP_BY = ("kind", "site", "location", "rack", "role", "platform", "status", "tenant", "cluster", "tag")
KIND_GROUPS = {"device": "devices", "virtual_machine": "virtual_machines"}
_BAD = re.compile(r"[^a-z0-9_]")


def safe(value):
    """``ODC Rijswijk-1`` -> ``odc_rijswijk_1``."""
    return _BAD.sub("_", str(value).lower())


def host_groups(odc, group_by=GROUP_BY):
    """Group names of one host (``odc`` is its host var), in ``group_by`` order."""
    out = []
    site = odc.get("site")
    for dim in group_by:
        if dim == "kind":
            out.append(KIND_GROUPS[odc["kind"]])
        elif dim == "tag":
            out.extend("tag_" + safe(t) for t in odc.get("tags") or ())
        elif dim == "cluster":
            cluster = odc.get("cluster")
            if cluster:
                out.append("cluster_" + safe(cluster["name"]))
                if cluster.get("type"):
                    out.append("cluster_type_" + safe(cluster["type"]))
        elif dim in ("rack", "location"):
            val = odc.get(dim)
            if val and site:
                out.append("%s_%s_%s" % (dim, safe(site), safe(val)))
        else:
            val = odc.get(dim)
            if val:
                out.append("%s_%s" % (dim, safe(val)))
    return out
