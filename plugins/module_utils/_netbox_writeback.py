# Copyright: odc.buildout developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Write discovered facts and run results back to NetBox (service layer).

Used by the modules ``netbox_device_serial``, ``netbox_interface_mac``,
``netbox_device_firmware``, ``netbox_device_status`` and ``netbox_journal``.

Every operation has the same shape: resolve the device explicitly (name + site
slug, or id), read the current state, let a pure ``plan_*`` function compute
the difference (or raise a typed error), then write only that difference --
nothing at all in check mode -- with the run's ``changelog_message``.

The ``plan_*`` functions take plain values and never talk to NetBox, so the
decisions (identity conflicts, status gate, journal marker) are unit-tested
without a server.
"""

import re

from ansible_collections.odc.buildout.plugins.module_utils._errors import (
    ApiError,
    ConfigError,
    IdentityMismatch,
    NotFound,
    SafetyRefusal,
)

CHANGELOG_MAX = 200  # NetBox's ObjectChange.message max_length
FIRMWARE_FIELD = "odc_firmware"
BIOS_FIELD = "odc_bios_version"
JOURNAL_KINDS = ("info", "success", "warning", "danger")
LIFECYCLE = ("planned", "staged", "active", "failed")
# current status -> statuses reachable without force.  ``active`` leads
# nowhere: leaving it (even to ``failed``, from which ``planned`` is
# reachable) would open the device to stages that write to hardware.
TRANSITIONS = {
    "planned": ("staged", "failed"),
    "staged": ("active", "failed"),
    "failed": ("planned", "staged"),
    "active": (),
}
_TOKEN = re.compile(r"^[A-Za-z0-9_.:@+-]{1,64}$")
_MAC_HEX = re.compile(r"^[0-9A-Fa-f]{12}$")

# device identity options shared by every write-back module (doc fragment
# odc.buildout.netbox_device); passed to AnsibleModule with DEVICE_RULES
DEVICE_SPEC = {
    "device": {"type": "str"},
    "site": {"type": "str"},
    "device_id": {"type": "int"},
}
DEVICE_RULES = {
    "mutually_exclusive": [("device_id", "device"), ("device_id", "site")],
    "required_together": [("device", "site")],
    "required_one_of": [("device", "device_id")],
}


# -- small helpers --------------------------------------------------------------
def _text(value):
    return "" if value is None else str(value).strip()


def check_changelog_message(message):
    """Return the message (or None); NetBox keeps at most 200 characters."""
    message = _text(message)
    if len(message) > CHANGELOG_MAX:
        raise ConfigError(f"changelog_message is {len(message)} characters; NetBox keeps at most "
                          f"{CHANGELOG_MAX}: {message[:60]!r}...")
    return message or None


def device_label(device):
    """``r01-srv01 (site odc-rsw1, id 67)`` for messages."""
    site = (device.get("site") or {}).get("slug", "?")
    return f"{device.get('name') or '<unnamed>'} (site {site}, id {device.get('id')})"


def device_summary(device):
    return {"id": device["id"], "name": device.get("name"), "site": (device.get("site") or {}).get("slug")}


def device_ref(params):
    """The device identity from module parameters: name + site slug, or id."""
    return {"name": params.get("device"), "site": params.get("site"), "device_id": params.get("device_id")}


def module_result(result, diff_mode):
    """Result dict for exit_json, with ``diff`` when asked and something changed."""
    out = dict(result)
    if diff_mode and out.get("changed"):
        dev = out.get("device") or {}
        header = f"netbox dcim.device {dev.get('name')} (site {dev.get('site')}, id {dev.get('id')})"
        out["diff"] = {"before": out.get("before") or {}, "after": out.get("after") or {},
                       "before_header": header, "after_header": header}
    return out


# -- serial ---------------------------------------------------------------------
def normalize_serial(value):
    return _text(value)


def plan_serial(label, current, discovered):
    """The serial to write, or None when NetBox already has it.

    NetBox empty -> write the discovered serial.  NetBox equal (ignoring case
    and surrounding blanks) -> nothing; NetBox's spelling is kept.  NetBox
    different -> IdentityMismatch: the hardware answering is not the device
    NetBox describes (wrong BMC address, swapped cable, replaced board), and
    an overwrite would hide that.
    """
    discovered = normalize_serial(discovered)
    if not discovered:
        raise ConfigError(f"{label}: the discovered serial is empty; refusing to record it")
    current = normalize_serial(current)
    if not current:
        return discovered
    if current.upper() == discovered.upper():
        return None
    raise IdentityMismatch(
        f"{label}: NetBox has serial {current!r} but the hardware reports {discovered!r}. Not overwritten: "
        "check that the BMC address and cabling belong to this device, or correct the serial in NetBox.",
        device=label, netbox_value=current, discovered_value=discovered)


# -- MAC addresses --------------------------------------------------------------
def normalize_mac(value):
    """Any common MAC spelling -> ``AA:BB:CC:DD:EE:FF`` (NetBox's form)."""
    hexdigits = re.sub(r"[:\-.\s]", "", _text(value))
    if not _MAC_HEX.match(hexdigits):
        raise ConfigError(f"{value!r} is not a MAC address (expected six hex octets, e.g. 'b0:7b:25:73:91:96'; "
                          "quote MACs in YAML, an unquoted 10:20:30:40:50:59 is read as a number)")
    hexdigits = hexdigits.upper()
    return ":".join(hexdigits[i:i + 2] for i in range(0, 12, 2))


def _owner_text(obj):
    owner = obj.get("assigned_object") or {}
    holder = (owner.get("device") or {}).get("name") or (owner.get("virtual_machine") or {}).get("name")
    return f"{holder or obj.get('assigned_object_type')} {owner.get('name') or obj.get('assigned_object_id')}"


def _plan_new_mac(name, iface, mac, device_id, known_macs):
    """An interface without any MAC: create one, adopt an unassigned one, or conflict."""
    elsewhere, orphan = [], None
    for obj in sorted(known_macs or [], key=lambda o: o["id"]):
        if normalize_mac(obj["mac_address"]) != mac:
            continue
        owner = obj.get("assigned_object") or {}
        if obj.get("assigned_object_type") is None:
            orphan = orphan or obj
        elif obj["assigned_object_type"] != "dcim.interface" or (owner.get("device") or {}).get("id") != device_id:
            elsewhere.append(_owner_text(obj))
    if elsewhere:
        return "problem", f"interface {name}: MAC {mac} is already recorded on {', '.join(elsewhere)}"
    item = {"interface": name, "interface_id": iface["id"], "mac": mac}
    if orphan is not None:
        return "adopt", dict(item, mac_id=orphan["id"])
    return "create", item


def plan_macs(label, device_id, interfaces, wanted, known_macs):
    """Plan the MAC objects and primary MACs for one device.

    ``interfaces``: the device's NetBox interfaces (REST representation, with
    ``primary_mac_address`` and ``mac_addresses``).  ``wanted``: list of
    ``{interface, mac}``.  ``known_macs``: every ``dcim.mac-addresses`` object
    carrying one of the wanted addresses (anywhere in NetBox).

    Per interface: primary MAC equal -> unchanged; primary MAC different, or
    other MACs recorded and the discovered one not among them -> conflict;
    discovered MAC recorded but not primary -> make it primary; no MAC at
    all -> create it (or adopt an unassigned MAC object), unless the address
    is recorded on another device -> conflict.  The same MAC on two
    interfaces of the same device is fine (a bond takes its member's MAC).

    Returns ``{"create", "adopt", "primary", "unchanged": [...], "before",
    "after": {interface: mac}}``; raises IdentityMismatch naming every
    conflict at once, or NotFound for interfaces NetBox does not have.
    """
    by_name = {i["name"]: i for i in interfaces}
    seen = {}
    problems, missing = [], []
    plan = {"create": [], "adopt": [], "primary": [], "unchanged": [], "before": {}, "after": {}}
    for pos, item in enumerate(wanted or []):
        if not isinstance(item, dict) or "interface" not in item or "mac" not in item:
            raise ConfigError(f"{label}: macs[{pos}] needs the keys interface and mac, got {item!r}")
        name = str(item["interface"])
        mac = normalize_mac(item["mac"])
        if name in seen:
            if seen[name] != mac:
                raise ConfigError(f"{label}: interface {name} is given twice with different MACs ({seen[name]}, {mac})")
            continue
        seen[name] = mac
        iface = by_name.get(name)
        if iface is None:
            missing.append(name)
            continue
        primary = (iface.get("primary_mac_address") or {}).get("mac_address")
        primary = normalize_mac(primary) if primary else None
        recorded = {}
        for obj in iface.get("mac_addresses") or []:
            recorded.setdefault(normalize_mac(obj["mac_address"]), obj["id"])
        plan["before"][name] = primary
        plan["after"][name] = mac
        if primary == mac:
            plan["unchanged"].append({"interface": name, "mac": mac})
        elif primary is not None:
            problems.append(f"interface {name}: NetBox has primary MAC {primary}, the hardware reports {mac}")
        elif mac in recorded:
            plan["primary"].append({"interface": name, "interface_id": iface["id"], "mac": mac,
                                    "mac_id": recorded[mac]})
        elif recorded:
            problems.append(f"interface {name}: NetBox records MAC {', '.join(sorted(recorded))}, "
                            f"the hardware reports {mac}")
        else:
            action, value = _plan_new_mac(name, iface, mac, device_id, known_macs)
            if action == "problem":
                problems.append(value)
            else:
                plan[action].append(value)
    if problems:
        lines = "\n  ".join(problems)
        raise IdentityMismatch(f"{label}: discovered MACs contradict NetBox (nothing written):\n  {lines}",
                               device=label, conflicts=problems)
    if missing:
        raise NotFound(f"{label} has no interface(s) {', '.join(missing)} in NetBox (nothing written)",
                       device=label, missing_interfaces=missing)
    return plan


# -- firmware -------------------------------------------------------------------
def _plan_firmware_map(label, current, firmware, merge):
    if not isinstance(firmware, dict):
        raise ConfigError(f"{label}: firmware must be a mapping component -> version, got {firmware!r}")
    current = dict(current) if isinstance(current, dict) else {}
    given = {str(k): _text(v) for k, v in firmware.items()}
    empty = sorted(k for k, v in given.items() if not v)
    if empty:
        raise ConfigError(f"{label}: firmware version empty for {', '.join(empty)}")
    new = dict(current, **given) if merge else given
    return current, new


def plan_firmware(label, custom_fields, firmware=None, bios_version=None, merge=True):
    """``(before, after)`` of the two custom fields, or None when unchanged.

    ``firmware`` (component -> version) is merged into ``odc_firmware`` (or
    replaces it with ``merge=False``); ``bios_version`` sets
    ``odc_bios_version``.  Firmware changes are expected (updates), so a
    different value is simply recorded -- unlike serials and MACs.
    """
    if firmware is None and bios_version is None:
        raise ConfigError(f"{label}: give firmware, bios_version or both")
    fields = custom_fields or {}
    wanted = [f for f, v in ((FIRMWARE_FIELD, firmware), (BIOS_FIELD, bios_version)) if v is not None]
    absent = [f for f in wanted if f not in fields]
    if absent:
        raise ConfigError(f"NetBox has no custom field {', '.join(absent)} on dcim.device; create the ODC data "
                          "model first (playbooks/netbox_model.yml)")
    before, after = {}, {}
    if firmware is not None:
        current, new = _plan_firmware_map(label, fields.get(FIRMWARE_FIELD), firmware, merge)
        if new != current:
            before[FIRMWARE_FIELD] = current or None
            after[FIRMWARE_FIELD] = new
    if bios_version is not None:
        bios = _text(bios_version)
        if not bios:
            raise ConfigError(f"{label}: bios_version is empty")
        current = _text(fields.get(BIOS_FIELD)) or None
        if bios != current:
            before[BIOS_FIELD] = current
            after[BIOS_FIELD] = bios
    if not after:
        return None
    return before, after


# -- status ---------------------------------------------------------------------
def plan_status(label, current, target, force=False, reason=None):
    """The status to write, or None when the device already has it.

    Allowed without force: planned -> staged | failed, staged -> active |
    failed, failed -> planned | staged.  Anything else (leaving active,
    skipping staged, a status outside the lifecycle such as inventory) raises
    SafetyRefusal unless ``force`` with a ``reason``.
    """
    if target not in LIFECYCLE:
        raise ConfigError(f"{label}: status must be one of {', '.join(LIFECYCLE)}, got {target!r}")
    if force and not _text(reason):
        raise ConfigError(f"{label}: force needs a force_reason (it is recorded in the change log)")
    if current == target:
        return None
    allowed = TRANSITIONS.get(current, ())
    if target in allowed or force:
        return target
    raise SafetyRefusal(f"{label}: refusing status {current} -> {target} (allowed from {current}: "
                        f"{', '.join(allowed) or 'nothing without force'}). Pass force with a force_reason "
                        "if this is intended.",
                        device=label, current_status=current, wanted_status=target)


# -- journal --------------------------------------------------------------------
def check_token(name, value):
    value = _text(value)
    if not _TOKEN.match(value):
        raise ConfigError(f"{name} {value!r} must be 1-64 characters of letters, digits and _ . : @ + -")
    return value


def journal_marker(run_id, stage):
    """The first line of every journal entry: what makes a rerun idempotent."""
    return f"[odc.buildout run={check_token('run_id', run_id)} stage={check_token('stage', stage)}]"


def journal_comments(run_id, stage, result, details=None):
    result = _text(result)
    if not result or "\n" in result:
        raise ConfigError(f"result must be one non-empty line, got {result!r}")
    text = f"{journal_marker(run_id, stage)}\nresult: {result}"
    details = _text(details)
    if details:
        text += "\n\n" + details
    return text


def _kind(entry):
    kind = entry.get("kind")
    return kind.get("value") if isinstance(kind, dict) else kind


def plan_journal(entries, marker, kind, comments):
    """``("create", None)``, ``("update", entry)`` or ``(None, entry)``.

    ``entries``: the device's journal entries whose comments mention the
    marker.  The entry of this run and stage is the one whose first line is
    the marker; a rerun with the same content changes nothing, a rerun with a
    new result updates that entry instead of adding a second one.
    """
    if kind not in JOURNAL_KINDS:
        raise ConfigError(f"kind must be one of {', '.join(JOURNAL_KINDS)}, got {kind!r}")
    mine = [e for e in entries or [] if (e.get("comments") or "").split("\n", 1)[0].strip() == marker]
    if not mine:
        return "create", None
    entry = min(mine, key=lambda e: e["id"])
    if _kind(entry) == kind and (entry.get("comments") or "").strip() == comments.strip():
        return None, entry
    return "update", entry


# -- the service ----------------------------------------------------------------
class WriteBack:
    """Read, compare and write device facts for one NetBox.

    Every public method takes the device identity (``device_ref``: name +
    site slug, or id) and returns a result dict ``{changed, device, before,
    after, ...}``; in check mode it computes the same result and writes
    nothing.
    """

    def __init__(self, client, check_mode=False, changelog_message=None):
        self.client = client
        self.check_mode = check_mode
        self.message = check_changelog_message(changelog_message)

    # -- identity ----------------------------------------------------------
    def device(self, name=None, site=None, device_id=None):
        """One device, by id or by name within a site (slug). Never guessed."""
        if device_id is not None:
            if name is not None or site is not None:
                raise ConfigError("give either device_id or device + site, not both")
            try:
                return self.client.request("GET", f"/api/dcim/devices/{int(device_id)}/")
            except NotFound as exc:
                raise NotFound(f"NetBox has no device with id {device_id}", device_id=device_id) from exc
        if not name or not site:
            raise ConfigError("a device is identified by device + site (slug) or by device_id")
        sites = self.client.list("dcim.sites", {"slug": site}, brief=True)
        if not sites:
            raise NotFound(f"NetBox has no site with slug {site!r}", site=site)
        found = self.client.list("dcim.devices", {"name": name, "site_id": sites[0]["id"]})
        if not found:
            raise NotFound(f"NetBox has no device {name!r} in site {site}", device=name, site=site)
        if len(found) > 1:
            ids = ", ".join(str(d["id"]) for d in found)
            raise ConfigError(f"device {name!r} in site {site} is ambiguous ({len(found)} devices, ids {ids}); "
                              "use device_id")
        return found[0]

    @staticmethod
    def _result(device, changed, before, after, **extra):
        out = {"changed": changed, "device": device_summary(device), "before": before, "after": after}
        out.update(extra)
        return out

    def _patch(self, endpoint, body, message=None):
        updated = self.client.update(endpoint, [body], message or self.message)
        if not updated:
            raise ApiError(f"NetBox returned nothing for the update of {endpoint} {body.get('id')}")
        return updated[0]

    # -- serial ------------------------------------------------------------
    def record_serial(self, ref, serial, device=None):
        """Record a discovered serial; a different one in NetBox is an IdentityMismatch.

        ``device``: the device as just read by :meth:`device` (the ``record_*``
        methods of one caller share one read); otherwise it is read here.
        """
        device = device or self.device(**ref)
        current = normalize_serial(device.get("serial"))
        new = plan_serial(device_label(device), current, serial)
        if new is None:
            return self._result(device, False, {"serial": current}, {"serial": current})
        if not self.check_mode:
            self._patch("dcim.devices", {"id": device["id"], "serial": new})
        return self._result(device, True, {"serial": current}, {"serial": new})

    # -- MACs --------------------------------------------------------------
    def record_macs(self, ref, macs, device=None):
        """MAC objects per interface and the interface's primary MAC (``device``: see record_serial)."""
        device = device or self.device(**ref)
        interfaces = self.client.list("dcim.interfaces", {"device_id": device["id"]})
        addresses = sorted({normalize_mac(m["mac"]) for m in macs or [] if isinstance(m, dict) and m.get("mac")})
        known = self.client.list("dcim.mac-addresses", {"mac_address": addresses}) if addresses else []
        plan = plan_macs(device_label(device), device["id"], interfaces, macs, known)
        changed = bool(plan["create"] or plan["adopt"] or plan["primary"])
        extra = {key: [{k: v for k, v in item.items() if not k.endswith("_id")} for item in plan[key]]
                 for key in ("create", "adopt", "primary", "unchanged")}
        if changed and not self.check_mode:
            self._write_macs(plan)
        return self._result(device, changed, plan["before"], plan["after"], **extra)

    def _write_macs(self, plan):
        primaries = list(plan["primary"])
        if plan["create"]:
            bodies = [{"mac_address": c["mac"], "assigned_object_type": "dcim.interface",
                       "assigned_object_id": c["interface_id"]} for c in plan["create"]]
            created = self.client.create("dcim.mac-addresses", bodies, self.message)
            primaries.extend(dict(item, mac_id=obj["id"]) for item, obj in zip(plan["create"], created))
        if plan["adopt"]:
            self.client.update("dcim.mac-addresses", [
                {"id": a["mac_id"], "assigned_object_type": "dcim.interface", "assigned_object_id": a["interface_id"]}
                for a in plan["adopt"]], self.message)
            primaries.extend(plan["adopt"])
        self.client.update("dcim.interfaces", [{"id": p["interface_id"], "primary_mac_address": p["mac_id"]}
                                               for p in primaries], self.message)

    # -- firmware ----------------------------------------------------------
    def record_firmware(self, ref, firmware=None, bios_version=None, merge=True, device=None):
        """Custom fields odc_firmware (component -> version) and odc_bios_version (``device``: see record_serial)."""
        device = device or self.device(**ref)
        fields = device.get("custom_fields") or {}
        planned = plan_firmware(device_label(device), fields, firmware, bios_version, merge)
        if planned is None:
            current = {f: fields.get(f) for f in (FIRMWARE_FIELD, BIOS_FIELD) if f in fields}
            return self._result(device, False, current, current)
        before, after = planned
        if not self.check_mode:
            self._patch("dcim.devices", {"id": device["id"], "custom_fields": after})
        return self._result(device, True, before, after)

    # -- status ------------------------------------------------------------
    def set_status(self, ref, status, force=False, reason=None):
        """Lifecycle transition, gated by TRANSITIONS unless forced with a reason."""
        device = self.device(**ref)
        current = (device.get("status") or {}).get("value")
        new = plan_status(device_label(device), current, status, force, reason)
        if new is None:
            return self._result(device, False, {"status": current}, {"status": current}, forced=False)
        forced = new not in TRANSITIONS.get(current, ())
        message = self.message
        if forced:
            message = check_changelog_message(f"{message or 'odc.buildout'} (forced: {_text(reason)})")
        if not self.check_mode:
            self._patch("dcim.devices", {"id": device["id"], "status": new}, message)
        return self._result(device, True, {"status": current}, {"status": new}, forced=forced)

    # -- journal -----------------------------------------------------------
    def journal(self, ref, run_id, stage, result, kind="info", details=None):
        """One journal entry per device, run and stage (found again by its marker)."""
        marker = journal_marker(run_id, stage)
        comments = journal_comments(run_id, stage, result, details)
        device = self.device(**ref)
        entries = self.client.list("extras.journal-entries", {
            "assigned_object_type": "dcim.device", "assigned_object_id": device["id"], "q": marker})
        action, entry = plan_journal(entries, marker, kind, comments)
        before = {"kind": _kind(entry), "comments": entry.get("comments")} if entry else None
        if action is None:
            return self._result(device, False, before, before, entry_id=entry["id"], operation="none")
        after = {"kind": kind, "comments": comments}
        entry_id = entry["id"] if entry else None
        if not self.check_mode:
            if action == "create":
                created = self.client.create("extras.journal-entries", [{
                    "assigned_object_type": "dcim.device", "assigned_object_id": device["id"],
                    "kind": kind, "comments": comments}], self.message)
                entry_id = created[0]["id"]
            else:
                self._patch("extras.journal-entries", {"id": entry["id"], "kind": kind, "comments": comments})
        return self._result(device, True, before, after, entry_id=entry_id, operation=action)
