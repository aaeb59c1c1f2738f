# -*- coding: utf-8 -*-
# Copyright: odc.buildout developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""A scoped, in-memory snapshot of NetBox for the controller-side stages.

One bulk, paged read per object type (REST, filtered to the site), then
indexes in memory. The preflight, the fabric builders and the lab read the
plan from here; nothing downstream issues per-object requests.

The objects are NetBox's REST representations (dicts), unchanged, so fixtures
for unit tests are plain REST dumps (``Snapshot.from_dict``).
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json

from ansible_collections.odc.buildout.plugins.module_utils._errors import ConfigError

# kind -> (endpoint, filter by site?)
KINDS = (
    ("sites", "dcim.sites", "slug"),
    ("racks", "dcim.racks", "site"),
    ("devices", "dcim.devices", "site"),
    ("interfaces", "dcim.interfaces", "site"),
    ("cables", "dcim.cables", "site"),
    ("power_feeds", "dcim.power-feeds", "site"),
    ("power_ports", "dcim.power-ports", "site"),
    ("ip_addresses", "ipam.ip-addresses", None),
    ("prefixes", "ipam.prefixes", None),
    ("vlans", "ipam.vlans", None),
    ("asns", "ipam.asns", None),
    ("l2vpns", "vpn.l2vpns", None),
    ("l2vpn_terminations", "vpn.l2vpn-terminations", None),
    ("clusters", "virtualization.clusters", None),
)

# kinds read only on request: Snapshot.fetch(client, site, extra=("config_contexts", ...))
EXTRA_KINDS = (
    ("config_contexts", "extras.config-contexts", None),
    ("config_context_profiles", "extras.config-context-profiles", None),
    ("device_types", "dcim.device-types", None),
)


class Snapshot:
    """NetBox objects for one site, indexed for joins."""

    def __init__(self, data, netbox_url=""):
        self.data = {kind: list(data.get(kind) or []) for kind, _ep, _f in KINDS}
        for kind, _ep, _f in EXTRA_KINDS:
            if kind in data:
                self.data[kind] = list(data.get(kind) or [])
        self.netbox_url = netbox_url.rstrip("/")
        self._build_indexes()

    # -- construction ------------------------------------------------------
    @classmethod
    def fetch(cls, client, site, config_context=False, extra=()):
        """Read everything about ``site`` (a slug) with one paged read per kind.

        ``extra`` names optional kinds of EXTRA_KINDS to read as well (one
        paged read each), e.g. the config contexts and their profiles.
        """
        unknown = set(extra) - set(kind for kind, _ep, _f in EXTRA_KINDS)
        if unknown:
            raise ConfigError("Snapshot.fetch: unknown extra kind(s) %s" % ", ".join(sorted(unknown)))
        data = {}
        for kind, endpoint, site_filter in KINDS:
            params = {}
            if site_filter:
                params[site_filter] = site
            if kind == "devices" and not config_context:
                params["exclude"] = "config_context"
            data[kind] = client.list(endpoint, params)
        if not data["sites"]:
            raise ConfigError("NetBox at %s has no site with slug %r." % (client.url, site))
        for kind, endpoint, _f in EXTRA_KINDS:
            if kind in extra:
                data[kind] = client.list(endpoint)
        return cls(data, netbox_url=client.url)

    @classmethod
    def from_dict(cls, data):
        return cls(data, netbox_url=data.get("netbox_url", ""))

    @classmethod
    def load(cls, path):
        with open(path) as handle:
            return cls.from_dict(json.load(handle))

    def to_dict(self):
        out = dict(self.data)
        out["netbox_url"] = self.netbox_url
        return out

    def _build_indexes(self):
        self.by_id = {kind: {o["id"]: o for o in objs} for kind, objs in self.data.items()}
        self.device_by_name = {d["name"]: d for d in self.data["devices"] if d.get("name")}
        self.interfaces_by_device = {}
        for iface in self.data["interfaces"]:
            self.interfaces_by_device.setdefault(iface["device"]["id"], []).append(iface)
        self.ips_by_interface = {}
        for ip in self.data["ip_addresses"]:
            if ip.get("assigned_object_type") == "dcim.interface" and ip.get("assigned_object_id"):
                self.ips_by_interface.setdefault(ip["assigned_object_id"], []).append(ip)
        self.vlan_vni = {}
        l2vpn_by_id = self.by_id["l2vpns"]
        for term in self.data["l2vpn_terminations"]:
            if term.get("assigned_object_type") == "ipam.vlan":
                l2vpn = l2vpn_by_id.get((term.get("l2vpn") or {}).get("id"))
                if l2vpn and l2vpn.get("identifier") is not None:
                    self.vlan_vni[term["assigned_object_id"]] = l2vpn["identifier"]

    # -- convenience -------------------------------------------------------
    @property
    def site(self):
        return self.data["sites"][0] if self.data["sites"] else None

    def devices(self, role=None):
        return [d for d in self.data["devices"] if role is None or slug(d.get("role")) == role]

    def interfaces(self, device):
        return self.interfaces_by_device.get(device["id"], [])

    def interface(self, device_name, name):
        dev = self.device_by_name.get(device_name)
        if dev is None:
            return None
        for iface in self.interfaces(dev):
            if iface["name"] == name:
                return iface
        return None

    def ips(self, iface):
        return self.ips_by_interface.get(iface["id"], [])

    def peer(self, iface):
        """(device name, interface name) at the other end of the cable, or None."""
        peers = iface.get("link_peers") or []
        if not peers or iface.get("link_peers_type") != "dcim.interface":
            return None
        peer = peers[0]
        return (peer.get("device") or {}).get("name"), peer.get("name")

    def url(self, obj):
        """The NetBox web URL of an object (for findings and reports)."""
        return obj.get("display_url") or obj.get("url") or ""


def slug(value):
    """Slug of a nested object, or the value itself."""
    if isinstance(value, dict):
        return value.get("slug") or value.get("value") or value.get("name")
    return value


def value(choice):
    """Value of a choice field ({value, label}) or the raw value."""
    if isinstance(choice, dict):
        return choice.get("value")
    return choice
