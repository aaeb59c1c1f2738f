# -*- coding: utf-8 -*-
# Copyright: odc.buildout developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Inventory plugin odc.buildout.netbox: thin layer over plugin_utils/_netbox."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
name: netbox
short_description: NetBox devices and virtual machines as inventory, read in bulk
version_added: 0.1.0
description:
  - Reads devices and virtual machines from NetBox 4.3 or later (tested with 4.7) with a handful of
    paged bulk GraphQL queries run concurrently, joins them in memory and adds one host per named
    device or virtual machine. It never sends one request per host.
  - Each host gets one namespaced variable, C(odc) (identity, status, BMC, interfaces, IP addresses
    with their containing prefix, cluster, tags, custom fields), and C(ansible_host) from the primary IP.
  - Hosts are grouped by site, location, rack, role, platform, status, tenant, cluster (and cluster
    type) and tag, with prefixed names such as C(site_odc_rsw1), C(role_server), C(cluster_ocp_prod),
    C(tag_openshift). See docs/inventory.md for every group and host variable.
  - The API token comes from the E(NETBOX_TOKEN) environment variable or from a lookup template in
    the O(token) option. A token written literally in the inventory file is refused.
  - The inventory source file name must end in C(netbox.yml) or C(netbox.yaml).
author:
  - odc.buildout developers (@odc-buildout)
extends_documentation_fragment:
  - ansible.builtin.constructed
  - ansible.builtin.inventory_cache
options:
  plugin:
    description: Marks the file as an inventory source for this plugin.
    type: str
    required: true
    choices: [odc.buildout.netbox]
  url:
    description:
      - Base URL of NetBox, for example V(https://netbox.example.org). Required (here or in the environment).
      - May be a template, for example a lookup of the environment with a default.
    type: str
    env:
      - name: NETBOX_API
      - name: NETBOX_URL
  token:
    description:
      - NetBox API token. v2 tokens (V(nbt_<key>.<secret>)) are sent as C(Bearer), v1 tokens as C(Token).
      - Give it in the environment (E(NETBOX_TOKEN)) or as a template in the inventory file, for example
        V({{ lookup('ansible.builtin.file', '/run/secrets/netbox-token') }}).
      - A literal token in the inventory file is refused, so that a secret never lands in a repository.
      - Required (in the environment or as a template here).
    type: str
    env:
      - name: NETBOX_TOKEN
  validate_certs:
    description:
      - Verify NetBox's TLS certificate. Only turn this off for a throwaway lab.
    type: bool
    default: true
  ca_path:
    description:
      - PEM file with the CA that signed NetBox's certificate (the system store is used otherwise).
    type: path
  timeout:
    description: Timeout in seconds for each request to NetBox.
    type: int
    default: 60
  site:
    description:
      - Only hosts in these sites (slugs). Sent to NetBox as a query filter.
    type: list
    elements: str
    default: []
  rack:
    description:
      - Only devices in these racks (names). Sent to NetBox as a query filter.
      - Virtual machines are not in racks, so a rack filter leaves them out.
    type: list
    elements: str
    default: []
  role:
    description:
      - Only hosts with these device roles (slugs). Sent to NetBox as a query filter.
    type: list
    elements: str
    default: []
  status:
    description:
      - Only hosts with these statuses (for example V(planned), V(staged), V(active)). Sent to NetBox as a query filter.
    type: list
    elements: str
    default: []
  devices:
    description: Read devices.
    type: bool
    default: true
  virtual_machines:
    description: Read virtual machines.
    type: bool
    default: true
  interfaces:
    description:
      - Read interfaces, their cable peers and IP addresses (C(odc.interfaces), C(odc.ip_addresses),
        C(odc.bmc.address)). Turning this off makes the read about three times cheaper.
    type: bool
    default: true
  config_context:
    description:
      - Add each host's rendered config context as C(odc.config_context).
      - NetBox renders it per object, which makes the read several times slower on large sites.
    type: bool
    default: false
  group_by:
    description:
      - Which automatic groups to create. V(kind) adds C(devices) and C(virtual_machines);
        V(cluster) adds C(cluster_<name>) and C(cluster_type_<type>).
    type: list
    elements: str
    choices: [kind, site, location, rack, role, platform, status, tenant, cluster, tag]
    default: [kind, site, location, rack, role, platform, status, tenant, cluster, tag]
  ansible_host:
    description:
      - Where C(ansible_host) comes from, without prefix length. V(primary_ip) is the primary IPv4,
        else the primary IPv6. V(none) leaves C(ansible_host) unset (Ansible then uses the host name).
    type: str
    choices: [primary_ip, primary_ip4, primary_ip6, bmc, none]
    default: primary_ip
  ip_scope:
    description:
      - How IP addresses are read. V(flat) reads every assigned IP of NetBox in one paged list,
        V(scoped) reads the IPs of the selected hosts' interfaces (nested; about twice the cost per IP).
      - V(auto) uses V(flat) without filters and otherwise picks the cheaper one from the number
        of assigned IPs in NetBox and the number of selected hosts.
    type: str
    choices: [auto, flat, scoped]
    default: auto
  page_size:
    description:
      - Objects per GraphQL page. Must not exceed NetBox's C(MAX_PAGE_SIZE) (1000 by default),
        which caps every GraphQL list.
    type: int
    default: 1000
  workers:
    description: Concurrent connections to NetBox (pages of all lists are fetched in parallel).
    type: int
    default: 4
"""

EXAMPLES = r"""
# inventories/<site>/netbox.yml  (NETBOX_API and NETBOX_TOKEN in the environment)
plugin: odc.buildout.netbox
site: [odc-rsw1]
status: [planned, staged, active]

# token from a file through a lookup, filters, cache and constructed features
plugin: odc.buildout.netbox
url: https://netbox.example.org
token: "{{ lookup('ansible.builtin.file', '/run/secrets/netbox-token') }}"
ca_path: /etc/pki/odc/netbox-ca.pem
site: [odc-rsw1]
role: [server]
cache: true
cache_plugin: ansible.builtin.jsonfile
cache_connection: ~/.cache/odc-buildout/inventory
cache_timeout: 300
keyed_groups:
  - key: odc.ocp_role
    prefix: ocp
compose:
  bmc_address: odc.bmc.address
"""

# imports after the documentation (ansible-test validate-modules), hence the noqa
import hashlib  # noqa: E402
import json  # noqa: E402

from ansible.errors import AnsibleParserError  # noqa: E402
from ansible.plugins.inventory import BaseInventoryPlugin, Cacheable, Constructable  # noqa: E402
from ansible.utils.display import Display  # noqa: E402

from ansible_collections.odc.buildout.plugins.module_utils._errors import OdcError  # noqa: E402
from ansible_collections.odc.buildout.plugins.module_utils._netbox_client import NetBoxClient  # noqa: E402
from ansible_collections.odc.buildout.plugins.plugin_utils._netbox import _graphql, _hostvars  # noqa: E402

display = Display()

# bump when the shape of the cached data changes
CACHE_FORMAT = 1
FETCH_OPTIONS = ("site", "rack", "role", "status", "devices", "virtual_machines", "interfaces", "config_context",
                 "ip_scope", "page_size", "workers")
BUILD_OPTIONS = ("group_by", "ansible_host")


class InventoryModule(BaseInventoryPlugin, Constructable, Cacheable):
    NAME = "odc.buildout.netbox"

    def verify_file(self, path):
        return super(InventoryModule, self).verify_file(path) and path.endswith(("netbox.yml", "netbox.yaml"))

    # -- options -----------------------------------------------------------
    def _token(self, config, path):
        """The token: from a template in the file, or from the environment; never a literal."""
        raw = config.get("token")
        if raw is not None:
            if not isinstance(raw, str) or "{{" not in raw:
                raise AnsibleParserError(
                    "%s sets 'token' literally; a NetBox token does not belong in an inventory file. "
                    "Export NETBOX_TOKEN, or use a lookup, e.g. token: \"{{ lookup('ansible.builtin.env', "
                    "'NETBOX_TOKEN') }}\"." % path)
            token = self.templar.template(raw)
        else:
            token = self.get_option("token")
        if not token:
            raise AnsibleParserError("No NetBox token: export NETBOX_TOKEN or set token to a lookup in %s." % path)
        return str(token).strip()

    def _fetch_options(self):
        # through JSON: plain values, without the trust tags of strings read from the file
        # (a filter value can end up in host vars, e.g. the pinned site)
        return json.loads(json.dumps({name: self.get_option(name) for name in FETCH_OPTIONS}))

    def _fingerprint(self, url, options):
        """Cached data is used only for the same URL, options and cache format."""
        build = {name: self.get_option(name) for name in BUILD_OPTIONS}
        text = json.dumps([CACHE_FORMAT, url, options, build], sort_keys=True)
        return hashlib.sha256(text.encode("utf-8")).hexdigest()

    # -- NetBox ------------------------------------------------------------
    def _read_netbox(self, url, token, options):
        validate = self.get_option("validate_certs")
        ca_path = self.get_option("ca_path")
        timeout = self.get_option("timeout")

        def factory():
            return NetBoxClient(url, token, validate_certs=validate, ca_path=ca_path, timeout=timeout)

        try:
            first = factory()
            try:
                version = first.check_version(_graphql.MIN_VERSION)
            finally:
                first.close()
            raw, fetcher = _graphql.fetch(factory, options)
        except OdcError as exc:
            raise AnsibleParserError("odc.buildout.netbox: %s" % exc) from exc
        data = _hostvars.build(raw, self.get_option("group_by"), self.get_option("ansible_host"))
        display.vvv("odc.buildout.netbox: NetBox %s, %d requests in %.2fs (IP scope %s), %d hosts"
                    % (version, fetcher.requests + 1, fetcher.seconds, raw.get("_ip_scope"), len(data["hosts"])))
        return data

    # -- cache -------------------------------------------------------------
    def _load_cache(self, cache_key, fingerprint):
        """The cached data (one compact JSON string: Ansible only moves a string), or None."""
        try:
            blob = self._cache[cache_key]
        except KeyError:
            return None
        try:
            cached = json.loads(blob)
        except (TypeError, ValueError):
            return None
        if not isinstance(cached, dict) or cached.get("fingerprint") != fingerprint:
            return None
        return cached.get("data")

    def _store_cache(self, cache_key, fingerprint, data):
        self._cache[cache_key] = json.dumps({"fingerprint": fingerprint, "data": data}, separators=(",", ":"))

    # -- inventory ---------------------------------------------------------
    def _populate(self, data):
        inventory = self.inventory
        # The odc value is plain JSON (json.loads output, never shared between hosts):
        # Ansible's variable visitor would only deep-copy it, which is a third of the
        # run time on thousands of hosts. Skip it where the wrapper exposes the data.
        direct = getattr(inventory, "__wrapped__", inventory)
        strict = self.get_option("strict")
        compose = self.get_option("compose")
        groups = self.get_option("groups")
        keyed = self.get_option("keyed_groups")
        constructed = bool(compose or groups or keyed)
        known = set()
        for name, odc, address, group_names in data["hosts"]:
            inventory.add_host(name)
            for group in group_names:
                if group not in known:
                    inventory.add_group(group)
                    known.add(group)
                inventory.add_child(group, name)
            direct.set_variable(name, "odc", odc)
            if address:
                inventory.set_variable(name, "ansible_host", address)
            if constructed:
                hostvars = {"odc": odc, "inventory_hostname": name}
                if address:
                    hostvars["ansible_host"] = address
                self._set_composite_vars(compose, hostvars, name, strict=strict)
                self._add_host_to_composed_groups(groups, hostvars, name, strict=strict)
                self._add_host_to_keyed_groups(keyed, hostvars, name, strict=strict)
        for warning in data.get("warnings") or ():
            display.warning("odc.buildout.netbox: %s" % warning)

    def parse(self, inventory, loader, path, cache=True):
        super(InventoryModule, self).parse(inventory, loader, path)
        config = self._read_config_data(path)
        url = self.get_option("url")
        if isinstance(url, str) and "{{" in url:
            # a lookup, e.g. the environment with a default for the lab
            url = str(self.templar.template(url)).strip()
        if not url:
            raise AnsibleParserError("No NetBox URL: set url in %s or export NETBOX_API." % path)
        token = self._token(config, path)
        options = self._fetch_options()
        fingerprint = self._fingerprint(url, options)
        cache_key = self.get_cache_key(path)
        use_cache = self.get_option("cache")
        data = self._load_cache(cache_key, fingerprint) if use_cache and cache else None
        if data is None:
            data = self._read_netbox(url, token, options)
            if use_cache:
                self._store_cache(cache_key, fingerprint, data)
        self._populate(data)
