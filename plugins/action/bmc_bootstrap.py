# -*- coding: utf-8 -*-
# Copyright: odc.buildout developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Controller-side action: bootstrap every BMC of a scope, all servers at once.

Per server, in this order (threads via ``run_on_bmcs``, not Ansible forks):
reach -> identity guard -> inventory written back to NetBox -> credential
rotation -> hardening -> BIOS profile -> firmware compliance -> boot target ->
power on (verified).  The status gate (planned/staged only, unless forced
with a reason) runs before any BMC is contacted.  Check mode reads only.

The work is plain Python (``bootstrap``), so the bench and the tests call it
without Ansible; ``ActionModule`` only converts options and the result.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import os
import secrets
import tempfile
import uuid as uuidlib

from ansible.module_utils.basic import env_fallback
from ansible.plugins.action import ActionBase

from ansible_collections.odc.buildout.plugins.module_utils import _errors
from ansible_collections.odc.buildout.plugins.module_utils._redfish import _runner
from ansible_collections.odc.buildout.plugins.module_utils._redfish._bmc import Bmc
from ansible_collections.odc.buildout.plugins.module_utils._redfish._parallel import run_on_bmcs
from ansible_collections.odc.buildout.plugins.module_utils._redfish._power import PowerControl

STAGE = "bmc-bootstrap"
WRITABLE = ("planned", "staged")
STEPS = ("reach", "identity", "inventory", "credentials", "hardening", "bios", "firmware", "boot", "power")
UNSUPPORTED = "not supported by this BMC"

CRED = {"type": "dict", "no_log": True}
ARGS = dict(
    site=dict(type="str"),
    racks=dict(type="list", elements="str", default=[]),
    devices=dict(type="list", elements="str", default=[]),
    targets=dict(type="list", elements="dict"),
    netbox_url=dict(type="str", fallback=(env_fallback, ["NETBOX_API", "NETBOX_URL"])),
    netbox_token=dict(type="str", no_log=True, fallback=(env_fallback, ["NETBOX_TOKEN"])),
    netbox_validate_certs=dict(type="bool", default=True),
    netbox_ca_path=dict(type="path"),
    writeback=dict(type="bool", default=True),
    factory_credential=CRED,
    factory_credentials=dict(type="dict", no_log=True, default={}),
    credentials=dict(type="dict", no_log=True, default={}),
    credentials_file=dict(type="path"),
    admin_user=dict(type="str", default="odcadmin"),
    retire_factory=dict(type="bool", default=True),
    hardening=dict(type="bool", default=True),
    ntp_servers=dict(type="list", elements="str"),
    bios=dict(type="dict", default={}),
    bios_profiles=dict(type="dict", default={}),
    firmware_baseline=dict(type="dict"),
    boot_target=dict(type="str", default="pxe",
                     choices=["none", "pxe", "cd", "usb", "hdd", "uefi_http", "uefi_target"]),
    boot_persistence=dict(type="str", default="continuous", choices=["once", "continuous"]),
    boot_mode=dict(type="str", default="uefi", choices=["uefi", "legacy"]),
    power_on=dict(type="bool", default=True),
    force=dict(type="bool", default=False),
    force_reason=dict(type="str"),
    workers=dict(type="int", default=16),
    ca_path=dict(type="path"),
    validate_certs=dict(type="bool", default=True),
    timeout=dict(type="int", default=30),
    retry_budget=dict(type="int", default=60),
    power_timeout=dict(type="int", default=300),
    poll_interval=dict(type="float", default=2.0),
    ipmi_pacing=dict(type="float", default=2.0),
    run_id=dict(type="str"),
    state_dir=dict(type="path"),
    expected_exceptions=dict(type="list", elements="str", default=[]),
)


# -- scope from NetBox -----------------------------------------------------------------------
def _value(choice):
    return choice.get("value") if isinstance(choice, dict) else choice


def _mac(iface):
    primary = iface.get("primary_mac_address") or {}
    return (primary.get("mac_address") or iface.get("mac_address") or "").upper() or None


def targets_from_netbox(client, site, racks=(), devices=()):
    """One target per server of the scope: three bulk reads (devices, interfaces, IPs)."""
    found = [d for d in client.list("dcim.devices", {"site": site, "role": "server"})
             if (d.get("site") or {}).get("slug") == site and (d.get("role") or {}).get("slug") == "server"]
    if racks:
        found = [d for d in found if (d.get("rack") or {}).get("name") in racks]
    if devices:
        missing = sorted(set(devices) - {d["name"] for d in found})
        if missing:
            raise _errors.NotFound(f"NetBox site {site} has no server(s) {', '.join(missing)}")
        found = [d for d in found if d["name"] in devices]
    if not found:
        raise _errors.NotFound(f"no servers in scope (site {site}, racks {list(racks)}, devices {list(devices)})")
    ids = {d["id"] for d in found}
    ifaces = [i for i in client.list("dcim.interfaces", {"site": site}) if i["device"]["id"] in ids]
    ips = client.list("ipam.ip-addresses", {"device_id": sorted(ids)})
    ip_by_iface = {ip["assigned_object_id"]: ip for ip in ips if ip.get("assigned_object_type") == "dcim.interface"}
    out = []
    for dev in sorted(found, key=lambda d: d["name"]):
        mine = sorted((i for i in ifaces if i["device"]["id"] == dev["id"]), key=lambda i: i["name"])
        bmc_if = [i for i in mine if i.get("mgmt_only")]
        uplinks = [i for i in mine if _value((i.get("custom_fields") or {}).get("odc_link_role")) == "uplink"]
        fields = dev.get("custom_fields") or {}
        protocol = _value(fields.get("odc_bmc_protocol"))
        ip = ip_by_iface.get(bmc_if[0]["id"]) if len(bmc_if) == 1 else None
        context = dev.get("config_context") or {}
        dtype = (dev.get("device_type") or {}).get("slug")
        problems = []
        if len(bmc_if) != 1:
            problems.append(f"{len(bmc_if)} mgmt_only (BMC) interfaces in NetBox, expected 1")
        elif ip is None:
            problems.append(f"BMC interface {bmc_if[0]['name']} has no IP address in NetBox")
        if protocol not in ("redfish", "ipmi"):
            problems.append("custom field odc_bmc_protocol is not set (redfish or ipmi)")
        out.append({
            "name": dev["name"], "device_id": dev["id"], "site": site,
            "status": _value(dev.get("status")), "device_type": dtype,
            "address": ip["address"].split("/")[0] if ip else None,
            "port": fields.get("odc_bmc_port") or (623 if protocol == "ipmi" else 443),
            "protocol": protocol or "redfish",
            "expected_serial": (dev.get("serial") or "").strip() or None,
            # Redfish: the system NICs NetBox knows; IPMI: the BMC's own MAC (LAN config)
            "expected_macs": ([_mac(bmc_if[0])] if protocol == "ipmi" and len(bmc_if) == 1 and _mac(bmc_if[0])
                              else [m for m in (_mac(i) for i in uplinks) if m]),
            "bmc_interface": bmc_if[0]["name"] if len(bmc_if) == 1 else None,
            "bmc_mac": _mac(bmc_if[0]) if len(bmc_if) == 1 else None,
            "uplinks": [i["name"] for i in uplinks],
            "firmware_baseline": (context.get("firmware_baseline") or {}).get(dtype),
            "ntp_servers": context.get("ntp_servers"),
            "problems": problems,
        })
    return out


# -- status gate and plan ------------------------------------------------------------------
def gate(target, force, reason):
    """None when the device may be touched, else the refusal message."""
    if target.get("problems"):
        return "NetBox data incomplete: " + "; ".join(target["problems"])
    status = target.get("status") or "planned"
    if status in WRITABLE:
        return None
    if force and (reason or "").strip():
        return None
    return (f"refused: NetBox status is {status!r}; bmc_bootstrap touches only planned or staged devices "
            "(pass force: true with a force_reason to override)")


def plan_lines(targets, opts):
    lines = []
    for t in targets:
        lines.append(f"{t['name']}: {t['protocol']} {t.get('address')}:{t.get('port')} status={t.get('status')} "
                     f"serial={t.get('expected_serial')} macs={len(t.get('expected_macs') or [])} -> "
                     f"boot {opts['boot_target']}/{opts['boot_persistence']}, power on={opts['power_on']}")
    return lines


# -- credentials --------------------------------------------------------------------------
def _credential(value, what):
    if not isinstance(value, dict) or not value.get("username") or not value.get("password"):
        raise _errors.ConfigError(f"{what} must be a dict with username and password")
    return {"username": str(value["username"]), "password": str(value["password"])}


def ensure_lab_credentials(path, names, admin_user, check_mode):
    """Lab vault: add odc_bmc_credentials.<name> (random) for names without one.
    Returns the names generated (or that would be).  Other keys are kept; 0600."""
    import yaml

    try:
        with open(path, encoding="utf-8") as handle:
            data = yaml.safe_load(handle) or {}
    except FileNotFoundError:
        data = {}
    creds = data.setdefault("odc_bmc_credentials", {}) or {}
    data["odc_bmc_credentials"] = creds
    missing = [n for n in names if n not in creds]
    if not missing or check_mode:
        return missing, creds
    for name in missing:
        creds[name] = {"username": admin_user, "password": secrets.token_urlsafe(18)}
    directory = os.path.dirname(os.path.abspath(path))
    fd, tmp = tempfile.mkstemp(prefix=".credentials-", dir=directory)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        yaml.safe_dump(data, handle, default_flow_style=False, sort_keys=True)
    os.chmod(tmp, 0o600)
    os.replace(tmp, path)
    return missing, creds


# -- opening a BMC with the right credential ------------------------------------------------
def _conn(target, opts, cred, run_id):
    return {"address": target["address"], "port": target.get("port"), "protocol": target["protocol"],
            "username": cred["username"], "password": cred["password"], "ca_path": opts.get("ca_path"),
            "validate_certs": opts.get("validate_certs", True), "timeout": opts.get("timeout", 30),
            "retry_budget": opts.get("retry_budget", 60), "vendor": "auto", "system_id": None,
            "run_id": run_id, "state_dir": opts.get("state_dir"), "reserve_sessions": 2,
            "ipmi_pacing": opts.get("ipmi_pacing", 2.0)}


class _IpmiBmc:
    """An opened IpmiClient that looks like Bmc to run_on_bmcs (guard + client)."""

    protocol = "ipmi"

    def __init__(self, client):
        self.client = client

    def guard(self, expected_serial=None, expected_uuid=None, expected_macs=None):
        # no serial over IPMI: the BMC MAC (and UUID if known) identify the machine
        _runner.guard_ipmi(self.client, {"expected_serial": None, "expected_uuid": expected_uuid,
                                         "expected_macs": expected_macs})

    def close(self):
        self.client.close()


class Opener:
    """Context manager for run_on_bmcs: log in with the per-server credential
    from the vault if it already works, else with the factory credential.

    The vault credential is tried first (steady state after rotation: no
    failed login at all).  Its refusal is recorded by the login guard under a
    separate run key, so it costs at most one failed login per BMC per run
    and never blocks the factory login; the factory credential has the
    normal one-failure-per-run guard."""

    def __init__(self, target, opts):
        self.target = target
        self.opts = opts
        self.bmc = None

    def _open(self, cred, run_id):
        params = _conn(self.target, self.opts, cred, run_id)
        if self.target["protocol"] == "ipmi":
            client = _runner.ipmi_client(params)
            client.open()
            return _IpmiBmc(client)
        bmc = Bmc.from_params(params, poll_interval=self.opts.get("poll_interval", 2.0))
        bmc.__enter__()
        bmc.protocol = "redfish"
        return bmc

    def __enter__(self):
        run_id = self.opts["run_id"]
        vault, factory = self.target.get("credential"), self.target.get("factory")
        if vault:
            try:
                self.bmc = self._open(vault, f"{run_id}/vault")
                self.target["logged_in_as"] = "vault"
                return self.bmc
            except _errors.AuthenticationError:
                if not factory:
                    raise
        if not factory:
            raise _errors.ConfigError(f"{self.target['name']}: no factory or per-server credential given")
        self.bmc = self._open(factory, run_id)
        self.target["logged_in_as"] = "factory"
        return self.bmc

    def __exit__(self, *exc):
        if self.bmc is not None:
            if isinstance(self.bmc, _IpmiBmc):
                self.bmc.close()
            else:
                self.bmc.__exit__(*exc)


# -- the steps ------------------------------------------------------------------------
def _unsupported(exc):
    return {"status": "unsupported", "changed": False, "msg": f"{UNSUPPORTED}: {exc}"}


def _outcome(result, check_mode):
    changed = bool(result.get("changed"))
    status = ("would change" if check_mode else "changed") if changed else "ok"
    out = {"status": status, "changed": changed}
    for key in ("before", "after", "plan", "actions", "pending", "reboot_required", "retired", "verified",
                "compliant", "drift", "components"):
        if key in result:
            out[key] = result[key]
    return out


class Bootstrap:
    """Runs the nine steps on one opened BMC (Redfish or IPMI)."""

    def __init__(self, opts, check_mode, writeback_factory=None):
        self.opts = opts
        self.check = check_mode
        self.writeback_factory = writeback_factory

    def __call__(self, bmc, target):
        steps = {"reach": {"status": "ok", "changed": False, "credential": target.get("logged_in_as")},
                 "identity": {"status": "ok", "changed": False,
                              "checked": [k for k in ("expected_serial", "expected_uuid", "expected_macs")
                                          if target.get(k)]}}
        out = {"steps": steps, "warnings": []}
        try:
            if getattr(bmc, "protocol", "redfish") == "ipmi":
                self._ipmi(bmc.client, target, steps)
            else:
                self._redfish(bmc, target, steps)
        except _errors.OdcError as exc:
            exc.details["steps"] = steps
            raise
        out["changed"] = any(s.get("changed") for s in steps.values())
        for step in steps.values():
            out["warnings"].extend(step.pop("warnings", []))
            if step["status"] == "unsupported":
                out["warnings"].append(f"{target['name']}: {step['msg']}")
        return out

    def _step(self, steps, name, func):
        try:
            steps[name] = func()
        except _errors.NotFound as exc:
            steps[name] = _unsupported(exc)

    # -- Redfish ---------------------------------------------------------------------
    def _redfish(self, bmc, target, steps):
        self._step(steps, "inventory", lambda: self._inventory(bmc, target))
        active = bmc
        self._step(steps, "credentials", lambda: self._rotate(bmc, target))
        if steps["credentials"].get("reopen"):
            active = steps["credentials"].pop("reopen")
        try:
            self._step(steps, "hardening", lambda: self._hardening(active, target))
            self._step(steps, "bios", lambda: self._bios(active, target))
            self._step(steps, "firmware", lambda: self._firmware(active, target, steps))
            self._step(steps, "boot", lambda: _outcome(active.boot.ensure(
                self.opts["boot_target"], self.opts["boot_persistence"], self.opts["boot_mode"],
                check_mode=self.check), self.check))
            self._step(steps, "power", lambda: self._power(PowerControl(
                active.system, poll_interval=self.opts.get("poll_interval", 2.0),
                wait_timeout=self.opts.get("power_timeout", 300))))
        finally:
            if active is not bmc:
                active.__exit__(None, None, None)

    def _inventory(self, bmc, target):
        ident = bmc.system.identity(with_macs=True)
        nics = bmc.system.nics()
        try:
            firmware = bmc.firmware.inventory()
        except _errors.NotFound as exc:
            firmware, target["_fw_missing"] = None, str(exc)
        target["_firmware_inventory"] = firmware
        found = {"serial": ident.get("serial"), "uuid": ident.get("uuid"), "macs": ident.get("macs"),
                 "bios_version": bmc.system.read().get("BiosVersion"),
                 "firmware": {(f["name"] or f["id"]): f["version"] for f in firmware or [] if f.get("version")}}
        named = {n.get("name") or n.get("id"): n.get("mac") for n in nics}
        macs = [{"interface": i, "mac": named[i]} for i in target.get("uplinks") or [] if named.get(i)]
        return self._write_back(target, found, macs)

    def _write_back(self, target, found, macs):
        result = {"status": "ok", "changed": False, "discovered": found, "warnings": []}
        if target.get("_fw_missing"):
            result["warnings"].append(f"{target['name']}: firmware inventory {UNSUPPORTED} ({target['_fw_missing']})")
        if not self.writeback_factory or not target.get("device_id"):
            result["status"] = "discovered"
            result["netbox"] = "skipped (no NetBox for this target)"
            return result
        writeback, close = self.writeback_factory()
        ref = {"name": None, "site": None, "device_id": target["device_id"]}
        try:
            done = {}
            # one read of the device for the three records (none of them changes what the others read)
            device = writeback.device(**ref)
            if found.get("serial"):
                done["serial"] = writeback.record_serial(ref, found["serial"], device=device)
            if macs:
                done["macs"] = writeback.record_macs(ref, macs, device=device)
            if found["firmware"] or found.get("bios_version"):
                done["firmware"] = writeback.record_firmware(ref, found["firmware"] or None,
                                                             found.get("bios_version") or None, device=device)
        finally:
            close()
        result["netbox"] = {k: {"changed": v["changed"], "before": v.get("before"), "after": v.get("after")}
                            for k, v in done.items()}
        result["changed"] = any(v["changed"] for v in done.values())
        if result["changed"]:
            result["status"] = "would change" if self.check else "changed"
        return result

    def _rotate(self, bmc, target):
        cred = target.get("credential")
        factory = target.get("factory") or {}
        if not cred:
            return {"status": "skipped", "changed": False, "msg": "no per-server credential in the vault"}
        retire = []
        if self.opts.get("retire_factory", True) and factory.get("username") not in (None, cred["username"]):
            retire = [factory["username"]]
        result = bmc.accounts.ensure(cred["username"], password=cred["password"], role="administrator",
                                     update_password="always", retire=retire, retire_mode="disable",
                                     check_mode=self.check)
        out = _outcome(result, self.check)
        out["username"] = cred["username"]
        out["warnings"] = list(result.get("warnings") or [])
        if not self.check and target.get("logged_in_as") != "vault":
            # continue as the new account (the factory one may be disabled now)
            reopened = Bmc.from_params(_conn(target, self.opts, cred, self.opts["run_id"]),
                                       poll_interval=self.opts.get("poll_interval", 2.0))
            reopened.__enter__()
            out["reopen"] = reopened
        return out

    def _hardening(self, bmc, target):
        if not self.opts.get("hardening", True):
            return {"status": "skipped", "changed": False, "msg": "hardening: false"}
        ntp = self.opts.get("ntp_servers")
        if ntp is None:
            ntp = target.get("ntp_servers")
        result = bmc.settings.ensure(ntp_servers=ntp, hardening=True, check_mode=self.check)
        out = _outcome(result, self.check)
        out["warnings"] = list(result.get("warnings") or [])
        return out

    def _bios(self, bmc, target):
        attrs = dict(self.opts.get("bios") or {})
        attrs.update((self.opts.get("bios_profiles") or {}).get(target.get("device_type")) or {})
        if not attrs:
            return {"status": "skipped", "changed": False, "msg": "no BIOS profile for this device type"}
        out = _outcome(bmc.bios.ensure(attrs, check_mode=self.check), self.check)
        if out.get("reboot_required"):
            out["msg"] = "pending until the next boot (the install stage boots the server)"
        return out

    def _firmware(self, bmc, target, steps):
        baseline = self.opts.get("firmware_baseline")
        if baseline is None:
            baseline = target.get("firmware_baseline")
        if not baseline:
            return {"status": "skipped", "changed": False, "msg": "no firmware baseline for this device type"}
        inventory = target.get("_firmware_inventory")
        if inventory is None:
            raise _errors.NotFound(target.get("_fw_missing") or "no FirmwareInventory")
        report = bmc.firmware.compliance(baseline, inventory)
        status = "compliant" if report["compliant"] else "drift"
        return {"status": status, "changed": False, "compliant": report["compliant"], "drift": report["drift"],
                "components": report["components"]}

    def _power(self, control):
        if not self.opts.get("power_on", True):
            return {"status": "skipped", "changed": False, "msg": "power_on: false"}
        out = _outcome(control.ensure("on", check_mode=self.check), self.check)
        if not self.check:
            state = control.state()
            if state != "On":
                raise _errors.TimeoutExpired(f"power on not verified: the BMC reports {state}")
            out["verified"] = True
        return out

    # -- IPMI ------------------------------------------------------------------------------
    def _ipmi(self, ipmi, target, steps):
        from ansible_collections.odc.buildout.plugins.module_utils import _ipmi

        lan = ipmi.lan()
        info = ipmi.mc_info()
        found = {"serial": None, "uuid": ipmi.guid(), "macs": [lan.get("mac")] if lan.get("mac") else [],
                 "bios_version": None, "firmware": {"BMC": info["firmware_version"]}}
        macs = []
        if target.get("bmc_interface") and lan.get("mac"):
            macs = [{"interface": target["bmc_interface"], "mac": lan["mac"]}]
        steps["inventory"] = self._write_back(dict(target, _fw_missing=None), found, macs)
        steps["inventory"]["warnings"].append(f"{target['name']}: no serial number over IPMI (identity by MAC/GUID)")
        steps["credentials"] = _unsupported("account rotation over IPMI is not done by this stage "
                                            "(IpmiClient.set_user exists; rotate with a Redfish-capable BMC)")
        steps["hardening"] = _unsupported("hardening settings need Redfish")
        steps["bios"] = _unsupported("BIOS attributes need Redfish")
        baseline = self.opts.get("firmware_baseline") or target.get("firmware_baseline")
        if baseline:
            inventory = [{"id": "BMC", "name": "BMC", "version": info["firmware_version"], "software_id": None,
                          "uri": None}]
            from ansible_collections.odc.buildout.plugins.module_utils._redfish._firmware import FirmwareService
            report = FirmwareService(None).compliance(baseline, inventory)
            steps["firmware"] = {"status": "compliant" if report["compliant"] else "drift", "changed": False,
                                 "compliant": report["compliant"], "drift": report["drift"],
                                 "components": report["components"]}
        else:
            steps["firmware"] = {"status": "skipped", "changed": False, "msg": "no firmware baseline"}
        target_dev = self.opts["boot_target"]
        if target_dev not in _ipmi.BOOT_DEVICES:
            steps["boot"] = _unsupported(f"boot target {target_dev} does not exist over IPMI")
        else:
            steps["boot"] = self._ipmi_boot(ipmi, target, target_dev)
        steps["power"] = self._power(PowerControl(_ipmi.IpmiSystem(ipmi),
                                                  poll_interval=self.opts.get("poll_interval", 2.0),
                                                  wait_timeout=self.opts.get("power_timeout", 300)))

    def _ipmi_boot(self, ipmi, target, target_dev):
        """Boot override over IPMI, idempotent only as far as the BMC reads it back.

        * override flagged valid: device and persistence compared -> ok / changed.
        * not flagged valid, other device selected: changed (set).
        * not flagged valid, the wanted device selected (ipmi_sim: it keeps the device
          but not the valid/persistent/UEFI bits): ``unverifiable`` - set again so the
          install boot gets it, with a warning, and not counted as changed."""
        from ansible_collections.odc.buildout.plugins.module_utils import _ipmi

        want = {"bootdev": _ipmi.BOOT_DEVICES[target_dev],
                "persistent": self.opts["boot_persistence"] == "continuous"}
        flags = ipmi.boot_flags()
        same_device = flags["selector"] == _ipmi.BOOT_SELECTORS.get(want["bootdev"])
        before = {"bootdev": flags["bootdev"], "persistent": flags["persistent"] if flags["valid"] else None,
                  "valid": flags["valid"]}
        if flags["valid"] or not same_device:
            changed = not same_device or flags["persistent"] != want["persistent"]
            out = _outcome({"changed": changed, "before": before, "after": want}, self.check)
        else:
            changed = False
            out = {"status": "unverifiable", "changed": False, "before": before, "after": want,
                   "warnings": [f"{target['name']}: the BMC reports boot device {flags['bootdev']} but not whether "
                                "the override is valid/persistent; "
                                + ("it would be set again" if self.check else "set again")
                                + " (not counted as changed)"]}
        if (changed or out["status"] == "unverifiable") and not self.check:
            ipmi.set_boot_device(target_dev, want["persistent"], self.opts["boot_mode"] != "legacy")
        return out


# -- the whole run ----------------------------------------------------------------------------
def bootstrap(targets, opts, check_mode=False, writeback_factory=None, journal=None):
    """Gate, then all allowed targets in parallel.  Returns the action result
    (without ``failed``/``msg``): per-server results, summary, plan."""
    opts = dict(opts)
    opts.setdefault("run_id", uuidlib.uuid4().hex[:16])
    results, allowed = {}, []
    for target in targets:
        refusal = gate(target, opts.get("force"), opts.get("force_reason"))
        if refusal:
            results[target["name"]] = {"ok": False, "status": "refused", "changed": False,
                                       "error": {"msg": f"{target['name']}: {refusal}",
                                                 "error_type": "SafetyRefusal"}}
            continue
        if target.get("status", "planned") not in WRITABLE:
            target["forced"] = opts["force_reason"]
        allowed.append(target)
    ran = run_on_bmcs(allowed, Bootstrap(opts, check_mode, writeback_factory), workers=opts.get("workers", 16),
                      bmc_factory=lambda t: Opener(t, opts)) if allowed else {}
    for target in allowed:
        one = ran[target["name"]]
        entry = {"ok": one["ok"], "status": "ok" if one["ok"] else "failed"}
        if one["ok"]:
            entry.update(one["result"])
        else:
            error = dict(one["error"])
            entry["steps"] = error.pop("steps", None)
            entry["error"] = error
            entry["changed"] = False
        if target.get("forced"):
            entry["forced"] = {"status": target.get("status"), "reason": target["forced"]}
        # audit trail: one NetBox journal entry per device and run, for every run that
        # changed, failed or was forced on it (a no-op rerun adds nothing)
        if journal and not check_mode and (
                entry.get("changed") or not entry["ok"] or target.get("forced")):
            entry["journal"] = journal(target, opts, entry)
        results[target["name"]] = entry
    for name, entry in results.items():
        entry["address"] = next((t.get("address") for t in targets if t["name"] == name), None)
    summary = {"total": len(results), "ok": sum(1 for r in results.values() if r["ok"]),
               "failed": sorted(n for n, r in results.items() if r["status"] == "failed"),
               "refused": sorted(n for n, r in results.items() if r["status"] == "refused"),
               "changed": sorted(n for n, r in results.items() if r.get("changed")),
               "unsupported": sorted({f"{step}" for r in results.values()
                                      for step, s in (r.get("steps") or {}).items()
                                      if s and s.get("status") == "unsupported"}),
               "run_id": opts["run_id"], "check_mode": check_mode}
    return {"results": results, "summary": summary, "changed": bool(summary["changed"])}


def summary_lines(out):
    lines = []
    for name, r in out["results"].items():
        if not r["ok"]:
            lines.append(f"{name}: {r['status'].upper()} - {r['error']['msg']}")
            continue
        steps = ", ".join(f"{k}={v['status']}" for k, v in r["steps"].items())
        lines.append(f"{name}: {'changed' if r.get('changed') else 'ok'} ({steps})")
    s = out["summary"]
    lines.append(f"{s['total']} servers: {s['ok']} ok, {len(s['failed'])} failed, {len(s['refused'])} refused, "
                 f"{len(s['changed'])} changed")
    return lines


def verdict(out, expected=()):
    """``(failed, msg)`` of a run: every failed or refused server fails it, except those the
    run expects (``expected``, e.g. a site's deliberately bad servers); an expected one that
    was in scope and passed fails it too (the gate it should have shown did not fire)."""
    bad = set(out["summary"]["failed"]) | set(out["summary"]["refused"])
    expected = set(expected or ())
    unexpected = sorted(bad - expected)
    passed = sorted((expected & set(out["results"])) - bad)
    problems = []
    if unexpected:
        problems.append(f"bmc_bootstrap failed on {', '.join(unexpected)}")
    if passed:
        problems.append(f"expected to be refused or to fail but did not: {', '.join(passed)}")
    if problems:
        return True, "; ".join(problems)
    if bad:
        return False, f"refused or failed as expected: {', '.join(sorted(bad))}"
    return False, None


# -- Ansible edge -------------------------------------------------------------------------
class ActionModule(ActionBase):
    TRANSFERS_FILES = False
    _requires_connection = False
    _supports_check_mode = True
    _supports_async = False

    def run(self, tmp=None, task_vars=None):
        result = super().run(tmp, task_vars)
        _spec, args = self.validate_argument_spec(argument_spec=ARGS)
        check = bool(self._task.check_mode)
        try:
            out = self._run(args, check)
        except _errors.OdcError as exc:
            result.update(failed=True, msg=exc.message, error_type=type(exc).__name__)
            return result
        lines = summary_lines(out)
        failed, msg = verdict(out, args["expected_exceptions"])
        result.update(out)
        result.update(failed=failed, stdout_lines=lines, msg=msg or lines[-1])
        return result

    def _run(self, args, check):
        if args["force"] and not (args["force_reason"] or "").strip():
            raise _errors.ConfigError("force: true needs a force_reason (it is logged in the result and in NetBox)")
        use_netbox = args["targets"] is None
        client = None
        if use_netbox:
            if not args["site"]:
                raise _errors.ConfigError("give site (with optional racks/devices) or targets")
            client = self._netbox(args)
            try:
                targets = targets_from_netbox(client, args["site"], args["racks"], args["devices"])
            finally:
                client.close()
        else:
            targets = [dict(t) for t in args["targets"]]
            for t in targets:
                if not t.get("name") or not t.get("address"):
                    raise _errors.ConfigError(f"every target needs name and address: {t.get('name')!r}")
                t.setdefault("protocol", "redfish")
                t.setdefault("status", "planned")
        creds = dict(args["credentials"] or {})
        generated = []
        if args["credentials_file"]:
            generated, stored = ensure_lab_credentials(args["credentials_file"], [t["name"] for t in targets],
                                                       args["admin_user"], check)
            for name, value in stored.items():
                creds.setdefault(name, value)
        for t in targets:
            factory = (args["factory_credentials"] or {}).get(t["name"]) or args["factory_credential"]
            t["factory"] = _credential(factory, f"factory credential of {t['name']}") if factory else None
            t["credential"] = _credential(creds[t["name"]], f"credential of {t['name']}") if t["name"] in creds else None
        opts = {k: args[k] for k in ARGS if k not in ("targets", "credentials", "factory_credential",
                                                      "factory_credentials", "netbox_token")}
        if not opts.get("run_id"):
            opts["run_id"] = uuidlib.uuid4().hex[:16]
        factory = self._writeback_factory(args, check) if (use_netbox and args["writeback"]) else None
        journal = self._journal(args) if use_netbox else None
        out = bootstrap(targets, opts, check, factory, journal)
        out["plan"] = plan_lines(targets, opts)
        out["credentials_generated"] = generated
        return out

    @staticmethod
    def _netbox(args):
        from ansible_collections.odc.buildout.plugins.module_utils._netbox_client import NetBoxClient

        return NetBoxClient(args["netbox_url"], args["netbox_token"], validate_certs=args["netbox_validate_certs"],
                            ca_path=args["netbox_ca_path"])

    def _writeback_factory(self, args, check):
        from ansible_collections.odc.buildout.plugins.module_utils._netbox_writeback import WriteBack

        def make():
            client = self._netbox(args)
            return WriteBack(client, check_mode=check, changelog_message=f"odc.buildout {STAGE}"), client.close
        return make

    def _journal(self, args):
        from ansible_collections.odc.buildout.plugins.module_utils._netbox_writeback import WriteBack

        def write(target, opts, entry):
            changed = [k for k, v in (entry.get("steps") or {}).items() if v and v.get("status") == "changed"]
            if target.get("forced"):
                kind, result = "warning", f"{entry['status']} (forced on status {target.get('status')})"
            elif entry["ok"]:
                kind, result = "success", "ok"
            else:
                kind, result = "danger", "failed"
            details = [f"changed steps: {', '.join(changed) or 'none'}"]
            if target.get("forced"):
                details.append(f"force reason: {target['forced']}".replace("\n", " "))
            if not entry["ok"]:
                details.append(f"error: {entry['error'].get('msg')}".replace("\n", " "))
            client = self._netbox(args)
            try:
                done = WriteBack(client, changelog_message=f"odc.buildout {STAGE} run={opts['run_id']}").journal(
                    {"name": None, "site": None, "device_id": target["device_id"]}, opts["run_id"], STAGE,
                    result, kind=kind, details="\n".join(details))
                return {"entry_id": done.get("entry_id"), "changed": done["changed"]}
            except _errors.OdcError as exc:
                return {"error": exc.message}
            finally:
                client.close()
        return write
