# -*- coding: utf-8 -*-
# Copyright: odc.buildout developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Declarative, idempotent NetBox object sets (the engine of ``netbox_apply``).

Input: an ordered list of sections ``{endpoint: dcim.devices, objects: [...]}``.
Objects name other objects by natural key, never by id:

* a field listed in ``REFS`` for the endpoint: a string (the target's label
  key, e.g. a slug or name) or a dict of the target's key fields
  (``{device: r01-srv01, name: ens1f0}``);
* anywhere else (custom fields, nested values): ``{_ref: ipam.asns, asn: 65101}``;
* cables: ``a: [{device: x, interface: y}]`` / ``b: [...]``; also
  ``power_port``, ``power_outlet``, ``power_feed: {power_panel: p, name: f}``.

Per endpoint it reads all objects once (one paged bulk GET), compares only the
fields given, then sends one bulk POST for what is missing and one bulk PATCH
for what differs. Check mode computes the same plan and sends nothing.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import copy

from ansible_collections.odc.buildout.plugins.module_utils._errors import ApiError, ConfigError, OdcError

# endpoint -> natural key fields (ref fields resolve to ids inside the key)
KEYS = {
    "extras.tags": ("slug",),
    "extras.custom-field-choice-sets": ("name",),
    "extras.custom-fields": ("name",),
    "extras.config-context-profiles": ("name",),
    "extras.config-contexts": ("name",),
    "tenancy.tenants": ("slug",),
    "dcim.regions": ("slug",),
    "dcim.sites": ("slug",),
    "dcim.locations": ("site", "slug"),
    "dcim.manufacturers": ("slug",),
    "dcim.device-types": ("slug",),
    "dcim.interface-templates": ("device_type", "name"),
    "dcim.power-port-templates": ("device_type", "name"),
    "dcim.power-outlet-templates": ("device_type", "name"),
    "dcim.device-roles": ("slug",),
    "dcim.platforms": ("slug",),
    "dcim.racks": ("site", "name"),
    "dcim.power-panels": ("site", "name"),
    "dcim.power-feeds": ("power_panel", "name"),
    "dcim.devices": ("name",),
    "dcim.interfaces": ("device", "name"),
    "dcim.power-ports": ("device", "name"),
    "dcim.power-outlets": ("device", "name"),
    "dcim.mac-addresses": ("mac_address",),
    "dcim.cables": ("_terminations",),
    "ipam.rirs": ("slug",),
    "ipam.roles": ("slug",),
    "ipam.vrfs": ("name",),
    "ipam.asns": ("asn",),
    "ipam.vlan-groups": ("slug",),
    "ipam.vlans": ("group", "vid"),
    "ipam.prefixes": ("prefix", "vrf"),
    "ipam.ip-addresses": ("address", "vrf"),
    "vpn.l2vpns": ("slug",),
    "vpn.l2vpn-terminations": ("l2vpn", "_assigned"),
    "virtualization.cluster-types": ("slug",),
    "virtualization.cluster-groups": ("slug",),
    "virtualization.clusters": ("name",),
}

_COMMON_REFS = {
    "site": "dcim.sites", "location": "dcim.locations", "rack": "dcim.racks",
    "tenant": "tenancy.tenants", "region": "dcim.regions", "manufacturer": "dcim.manufacturers",
    "device_type": "dcim.device-types", "platform": "dcim.platforms", "device": "dcim.devices",
    "cluster": "virtualization.clusters", "vrf": "ipam.vrfs", "rir": "ipam.rirs",
    "power_panel": "dcim.power-panels", "l2vpn": "vpn.l2vpns", "tags": "extras.tags",
    "profile": "extras.config-context-profiles", "choice_set": "extras.custom-field-choice-sets",
    "group": None,  # resolved per endpoint below
}

# endpoint-specific ref fields (override/extend _COMMON_REFS)
REFS = {
    "dcim.devices": {"role": "dcim.device-roles", "primary_ip4": "ipam.ip-addresses",
                     "oob_ip": "ipam.ip-addresses"},
    "dcim.interfaces": {"lag": "dcim.interfaces", "parent": "dcim.interfaces",
                        "untagged_vlan": "ipam.vlans", "tagged_vlans": "ipam.vlans",
                        "primary_mac_address": "dcim.mac-addresses"},
    "dcim.power-outlets": {"power_port": "dcim.power-ports"},
    "dcim.power-outlet-templates": {"power_port": "dcim.power-port-templates"},
    "dcim.locations": {"parent": "dcim.locations"},
    "dcim.regions": {"parent": "dcim.regions"},
    "dcim.power-feeds": {"rack": "dcim.racks"},
    "ipam.vlans": {"group": "ipam.vlan-groups", "role": "ipam.roles"},
    "ipam.prefixes": {"vlan": "ipam.vlans", "role": "ipam.roles"},
    "virtualization.clusters": {"type": "virtualization.cluster-types", "group": "virtualization.cluster-groups"},
    "extras.config-contexts": {"sites": "dcim.sites", "cluster_types": "virtualization.cluster-types",
                               "device_types": "dcim.device-types", "roles": "dcim.device-roles",
                               "platforms": "dcim.platforms", "clusters": "virtualization.clusters"},
}

# the field a plain string names, per endpoint
LABEL_FIELD = {ep: keys[-1] for ep, keys in KEYS.items()}
LABEL_FIELD.update({"dcim.devices": "name", "ipam.asns": "asn", "ipam.vlans": "name"})

# termination kinds for cables: key in the cable end dict -> (object_type, endpoint)
TERMINATIONS = {
    "interface": ("dcim.interface", "dcim.interfaces"),
    "power_port": ("dcim.powerport", "dcim.power-ports"),
    "power_outlet": ("dcim.poweroutlet", "dcim.power-outlets"),
    "power_feed": ("dcim.powerfeed", "dcim.power-feeds"),
}
# assigned objects (IP addresses, MAC addresses, L2VPN terminations)
ASSIGNABLE = {
    "interface": ("dcim.interface", "dcim.interfaces"),
    "vlan": ("ipam.vlan", "ipam.vlans"),
}
_ASSIGNED_ENDPOINTS = ("ipam.ip-addresses", "dcim.mac-addresses", "vpn.l2vpn-terminations")


def refs_for(endpoint):
    refs = dict(_COMMON_REFS)
    refs.pop("group")
    refs.update(REFS.get(endpoint, {}))
    return refs


class NetBoxApply:
    """Plan and apply ordered object sections against one NetBox."""

    def __init__(self, client, check_mode=False, changelog_message=None):
        self.client = client
        self.check_mode = check_mode
        self.message = changelog_message
        self._index = {}        # endpoint -> {key tuple: object}
        self._by_id = {}        # endpoint -> {id: object}
        self.changes = []       # [{endpoint, action, key, before, after}]
        self._fake_id = -1

    # -- reading ---------------------------------------------------------
    def index(self, endpoint):
        if endpoint not in self._index:
            if endpoint not in KEYS:
                raise ConfigError("netbox_apply does not know the endpoint %r (known: %s)"
                                  % (endpoint, ", ".join(sorted(KEYS))))
            objs = self.client.list(endpoint)
            self._index[endpoint] = {}
            self._by_id[endpoint] = {}
            for obj in objs:
                self._remember(endpoint, obj)
        return self._index[endpoint]

    def _remember(self, endpoint, obj):
        self._index[endpoint][self.current_key(endpoint, obj)] = obj
        self._by_id[endpoint][obj["id"]] = obj

    def current_key(self, endpoint, obj):
        key = []
        for field in KEYS[endpoint]:
            if field == "_terminations":
                key.append(frozenset(
                    (t["object_type"], t["object_id"])
                    for t in (obj.get("a_terminations") or []) + (obj.get("b_terminations") or [])))
            elif field == "_assigned":
                key.append((obj.get("assigned_object_type"), obj.get("assigned_object_id")))
            else:
                val = obj.get(field)
                if isinstance(val, dict):
                    val = val.get("id", val.get("value"))
                if field in ("address", "prefix") and isinstance(val, str):
                    val = val.lower()
                key.append(val)
        return tuple(key)

    # -- resolving natural keys -----------------------------------------
    def resolve(self, endpoint, ref, where):
        """A natural-key reference (string or dict) -> object id."""
        if ref is None or isinstance(ref, int):
            return ref
        if isinstance(ref, str):
            ref = {LABEL_FIELD[endpoint]: ref}
        ref = dict(ref)
        ref.pop("_ref", None)
        index = self.index(endpoint)
        keys = KEYS[endpoint]
        if set(keys) <= set(ref):
            key = tuple(self._resolve_key_value(endpoint, f, ref[f], where) for f in keys)
            obj = index.get(key)
        else:  # match on the given fields (e.g. a VLAN by name)
            matches = [o for o in index.values() if all(self._field_matches(o.get(f), v) for f, v in ref.items())]
            obj = matches[0] if len(matches) == 1 else None
            if len(matches) > 1:
                raise ConfigError("%s: reference %s to %s matches %d objects; give all of %s"
                                  % (where, ref, endpoint, len(matches), ", ".join(keys)))
        if obj is None:
            raise ConfigError("%s: reference to %s %s does not exist in NetBox (or earlier in this file)"
                              % (where, endpoint, _fmt(ref)))
        return obj["id"]

    def _resolve_key_value(self, endpoint, field, value, where):
        target = refs_for(endpoint).get(field)
        if target:
            return self.resolve(target, value, where)
        if field in ("address", "prefix") and isinstance(value, str):
            return value.lower()
        return value

    @staticmethod
    def _field_matches(current, wanted):
        if isinstance(current, dict):
            return wanted in (current.get("name"), current.get("slug"), current.get("id"), current.get("value"))
        return current == wanted

    def _resolve_value(self, value, where):
        """Resolve ``{_ref: endpoint, ...}`` anywhere inside a value."""
        if isinstance(value, dict):
            if "_ref" in value:
                return self.resolve(value["_ref"], value, where)
            return {k: self._resolve_value(v, where) for k, v in value.items()}
        if isinstance(value, list):
            return [self._resolve_value(v, where) for v in value]
        return value

    def _termination(self, end, where):
        kinds = [k for k in TERMINATIONS if k in end]
        if len(kinds) != 1:
            raise ConfigError("%s: a cable end needs exactly one of %s, got %s" % (where, ", ".join(TERMINATIONS), _fmt(end)))
        kind = kinds[0]
        obj_type, endpoint = TERMINATIONS[kind]
        if kind == "power_feed":
            ref = end[kind]
        else:
            ref = {"device": end["device"], "name": end[kind]}
        return {"object_type": obj_type, "object_id": self.resolve(endpoint, ref, where)}

    def _assigned(self, spec, where):
        kinds = [k for k in ASSIGNABLE if k in spec]
        if len(kinds) != 1:
            raise ConfigError("%s: assigned_object needs one of %s" % (where, ", ".join(ASSIGNABLE)))
        kind = kinds[0]
        obj_type, endpoint = ASSIGNABLE[kind]
        ref = spec[kind] if kind == "vlan" else {"device": spec["device"], "name": spec[kind]}
        return obj_type, self.resolve(endpoint, ref, where)

    def desired(self, endpoint, obj, where):
        """Natural-key object -> (key tuple, REST body)."""
        body = {}
        refs = refs_for(endpoint)
        for field, value in obj.items():
            if endpoint == "dcim.cables" and field in ("a", "b"):
                body[field + "_terminations"] = [self._termination(e, where) for e in value]
            elif field == "assigned_object" and endpoint in _ASSIGNED_ENDPOINTS:
                otype, oid = self._assigned(value, where)
                body["assigned_object_type"] = otype
                body["assigned_object_id"] = oid
            elif field in refs and refs[field]:
                if isinstance(value, list):
                    body[field] = [self.resolve(refs[field], v, where) for v in value]
                else:
                    body[field] = self.resolve(refs[field], value, where)
            else:
                body[field] = self._resolve_value(value, where)
        key = []
        for field in KEYS[endpoint]:
            if field == "_terminations":
                key.append(frozenset((t["object_type"], t["object_id"])
                                     for t in body.get("a_terminations", []) + body.get("b_terminations", [])))
            elif field == "_assigned":
                key.append((body.get("assigned_object_type"), body.get("assigned_object_id")))
            else:
                val = body.get(field)
                if field in ("address", "prefix") and isinstance(val, str):
                    val = val.lower()
                key.append(val)
        return tuple(key), body

    # -- comparing -------------------------------------------------------
    def differences(self, endpoint, body, current):
        """Fields of ``body`` whose value differs from ``current``."""
        diff = {}
        for field, want in body.items():
            if field in ("a_terminations", "b_terminations"):
                continue  # part of the key
            have = current.get(field)
            if field == "custom_fields":
                have = have or {}
                sub = {k: v for k, v in want.items() if not same(v, have.get(k))}
                if sub:
                    diff[field] = sub
            elif not same(want, have):
                diff[field] = want
        return diff

    # -- applying --------------------------------------------------------
    def apply_section(self, section):
        endpoint = section.get("endpoint")
        if endpoint not in KEYS:
            raise ConfigError("section %r: unknown endpoint (known: %s)" % (endpoint, ", ".join(sorted(KEYS))))
        index = self.index(endpoint)
        creates, updates = [], []
        wheres, update_wheres = [], []
        planned = {}
        for pos, obj in enumerate(section.get("objects") or []):
            where = "%s[%d] %s" % (endpoint, pos, _fmt({k: obj[k] for k in list(obj)[:3] if k not in ("a", "b")}))
            key, body = self.desired(endpoint, obj, where)
            current = index.get(key)
            if current is None:
                if key in planned:
                    raise ConfigError("%s: duplicate object (same natural key as an earlier one)" % where)
                planned[key] = True
                creates.append((key, body))
                wheres.append(where)
                self.changes.append({"endpoint": endpoint, "action": "create", "key": _fmt_key(key), "after": _printable(body)})
            else:
                diff = self.differences(endpoint, body, current)
                if diff:
                    before = {k: _printable(current.get(k)) for k in diff}
                    updates.append(dict(diff, id=current["id"]))
                    update_wheres.append(where)
                    self.changes.append({"endpoint": endpoint, "action": "update", "key": _fmt_key(key),
                                         "before": before, "after": _printable(diff)})
        if self.check_mode:
            for key, body in creates:  # placeholders so later references resolve
                fake = dict(body, id=self._fake_id)
                self._fake_id -= 1
                self._index[endpoint][key] = fake
            return len(creates), len(updates)
        if creates:
            created = self._write(self.client.create, endpoint, creates, wheres)
            self._invalidate_except(endpoint)
            for obj in created:
                self._remember(endpoint, obj)
        if updates:
            for obj in self._write(self.client.update, endpoint, [(None, u) for u in updates], update_wheres):
                self._remember(endpoint, obj)
        return len(creates), len(updates)

    def _write(self, method, endpoint, items, wheres):
        """One bulk write; NetBox's per-object errors are named by object and field."""
        try:
            return method(endpoint, [body for _key, body in items], self.message)
        except ApiError as exc:
            errors = (exc.details.get("errors") or {})
            per_object = errors.get("errors") if isinstance(errors, dict) else errors
            if not isinstance(per_object, list):
                raise
            lines = []
            for pos, err in enumerate(per_object):
                index = err.get("index", pos) if isinstance(err, dict) and "index" in err else pos
                fields = err.get("errors", err) if isinstance(err, dict) else err
                if not fields:
                    continue
                where = wheres[index] if index < len(wheres) else "%s[%d]" % (endpoint, index)
                for field, msgs in (fields.items() if isinstance(fields, dict) else [("", fields)]):
                    lines.append("%s: field %s: %s" % (where, field, " ".join(str(m) for m in _as_list(msgs))))
            raise ApiError("NetBox rejected %d object(s):\n  %s" % (len(lines), "\n  ".join(lines)),
                           status=exc.details.get("status")) from exc

    def _invalidate_except(self, endpoint):
        """New parents can create children (device -> interfaces from templates)."""
        for ep in list(self._index):
            if ep != endpoint:
                del self._index[ep]
                del self._by_id[ep]

    def apply(self, sections):
        summary = {}
        for section in sections:
            try:
                created, updated = self.apply_section(section)
            except OdcError as exc:
                raise type(exc)("%s (section %s)" % (exc.message, section.get("endpoint")), **exc.details) from exc
            stats = summary.setdefault(section["endpoint"], {"created": 0, "updated": 0})
            stats["created"] += created
            stats["updated"] += updated
        return summary


def same(want, have):
    """True when the desired value equals NetBox's representation of it."""
    if isinstance(have, dict) and not isinstance(want, dict):
        if "id" in have and (isinstance(want, int) or want is None):
            return want == have["id"]
        if "value" in have:
            return want == have["value"]
    if isinstance(want, list) and isinstance(have, list):
        if all(isinstance(w, int) for w in want) and all(isinstance(h, dict) and "id" in h for h in have):
            return sorted(want) == sorted(h["id"] for h in have)
        return len(want) == len(have) and all(same(w, h) for w, h in zip(want, have))
    if isinstance(want, dict) and isinstance(have, dict):
        return set(want) <= set(have) and all(same(v, have.get(k)) for k, v in want.items())
    if isinstance(want, (int, float)) and isinstance(have, (int, float, str)) and not isinstance(want, bool):
        try:
            return float(want) == float(have)
        except ValueError:
            return False
    if want in ("", None) and have in ("", None):
        return True
    if isinstance(want, str) and isinstance(have, str) and "/" in want:
        return want.lower() == have.lower()
    return want == have


def _as_list(value):
    return value if isinstance(value, list) else [value]


def _fmt(value):
    if isinstance(value, dict):
        return "{" + ", ".join("%s=%s" % (k, _fmt(v)) for k, v in value.items() if k != "_ref") + "}"
    return str(value)


def _fmt_key(key):
    return "/".join(str(sorted(k)) if isinstance(k, frozenset) else str(k) for k in key)


def _printable(value):
    value = copy.deepcopy(value)
    if isinstance(value, dict):
        return {k: _printable(v) for k, v in value.items() if k not in ("changelog_message",)}
    if isinstance(value, (set, frozenset, tuple)):
        return [_printable(v) for v in value]
    return value
