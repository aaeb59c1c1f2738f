# Copyright: odc.buildout developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Helpers of the lab tests: what NetBox says the lab must contain (plain REST reads,
independent of lab/odclab's own reading: cables from /api/dcim/cables/, BMC addresses
from the mgmt_only interface's IP) and small probes."""

import json
import os
import subprocess
import sys
import uuid

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", "..", ".."))
COLLECTIONS = os.path.join(ROOT, ".cache", "collections")
LAB_HOME = os.environ.get("ODC_LAB_HOME", "/var/lib/odc-lab")
LAB_JSON = os.path.join(LAB_HOME, "lab.json")
SITE = os.environ.get("ODC_LAB_SITE", "odc-rsw1")
SWITCH_ROLES = ("spine", "leaf", "oob-switch")
PEERS = [sys.executable, os.path.join(ROOT, "lab", "peers.py")]
# must match lab/odclab/netbox.py: system UUID = uuid5(namespace, NetBox device name)
LAB_UUID_NAMESPACE = uuid.UUID("5a0b6f2e-0dc0-4b1d-9c8e-1ab0dc0b0001")

if COLLECTIONS not in sys.path:
    sys.path.insert(0, COLLECTIONS)


def derived_uuid(name):
    return str(uuid.uuid5(LAB_UUID_NAMESPACE, name))


def ip_json(ns, *args):
    done = subprocess.run(["ip", "-n", ns, "-j", *args], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout or "[]")


def pid_alive(pid_file):
    with open(pid_file) as handle:
        pid = int(handle.read().strip())
    try:
        with open(f"/proc/{pid}/stat") as handle:
            return handle.read().rsplit(")", 1)[1].split()[0] not in ("Z", "X")
    except OSError:
        return False


def _value(field):
    return field.get("value") if isinstance(field, dict) else field


def _mac(itf):
    return ((itf.get("primary_mac_address") or {}).get("mac_address") or itf.get("mac_address") or "").upper()


def _client():
    port = os.environ.get("NETBOX_PORT", "8001")
    url = os.environ.get("NETBOX_URL") or os.environ.get("NETBOX_API") or f"http://127.0.0.1:{port}"
    token = os.environ.get("NETBOX_TOKEN")
    if not token:
        try:
            with open(os.path.join(LAB_HOME, "netbox-token")) as handle:
                token = handle.read().strip()
        except OSError as exc:
            return None, f"no NetBox token (NETBOX_TOKEN or {LAB_HOME}/netbox-token): {exc}"
    link = os.path.join(COLLECTIONS, "ansible_collections", "odc", "buildout")
    if not os.path.exists(link):
        os.makedirs(os.path.dirname(link), exist_ok=True)
        os.symlink(ROOT, link)
    from ansible_collections.odc.buildout.plugins.module_utils._netbox_client import (
        NetBoxClient,
    )

    nb = NetBoxClient(url, token, timeout=20)
    try:
        nb.status()
    except Exception as exc:  # noqa: BLE001 - any failure: NetBox is not usable
        return None, f"NetBox is not reachable at {url}: {exc}"
    return nb, None


def read_netbox():
    """(expectations, None) or (None, the reason NetBox cannot be read)."""
    nb, reason = _client()
    if nb is None:
        return None, reason
    try:
        devices = [d for d in nb.list("dcim/devices", {"site": SITE, "fields": "id,name,role,site,serial,custom_fields"})
                   if d["site"]["slug"] == SITE]
        servers = {d["id"]: d for d in devices if d["role"]["slug"] == "server"
                   and _value(d["custom_fields"].get("odc_bmc_protocol"))}
        switches = {d["name"]: d["role"]["slug"] for d in devices if d["role"]["slug"] in SWITCH_ROLES}
        bmcs = {}
        itf_fields = "id,device,mgmt_only,custom_fields,primary_mac_address,mac_address"
        for itf in nb.list("dcim/interfaces", {"site": SITE, "device_role": "server", "fields": itf_fields}):
            dev = servers.get(itf["device"]["id"])
            if dev is None:
                continue
            entry = bmcs.setdefault(dev["name"], {
                "name": dev["name"], "protocol": _value(dev["custom_fields"]["odc_bmc_protocol"]),
                "port": int(dev["custom_fields"].get("odc_bmc_port") or 0), "serial": dev["serial"],
                "uplink_macs": set(), "bmc_interface_id": None, "bmc_mac": None})
            if itf["mgmt_only"]:
                entry["bmc_interface_id"] = itf["id"]
                entry["bmc_mac"] = _mac(itf)
            elif _value(itf["custom_fields"].get("odc_link_role")) == "uplink" and _mac(itf):
                entry["uplink_macs"].add(_mac(itf))
        ids = [e["bmc_interface_id"] for e in bmcs.values() if e["bmc_interface_id"]]
        ips = nb.list("ipam/ip-addresses", {"interface_id": ids, "fields": "id,address,assigned_object_id"}) if ids else []
        for entry in bmcs.values():
            mine = [ip for ip in ips if ip.get("assigned_object_id") == entry["bmc_interface_id"]]
            entry["address"] = mine[0]["address"].split("/")[0] if len(mine) == 1 else None
        cables = []
        for cable in nb.list("dcim/cables", {"site": SITE, "fields": "id,a_terminations,b_terminations"}):
            a, b = cable["a_terminations"], cable["b_terminations"]
            if len(a) != 1 or len(b) != 1 or {a[0]["object_type"], b[0]["object_type"]} != {"dcim.interface"}:
                continue
            ends = [(t[0]["object"]["device"]["name"], t[0]["object"]["name"]) for t in (a, b)]
            if all(dev in switches for dev, _iface in ends):
                cables.append({"id": cable["id"], "ends": ends})
    finally:
        nb.close()
    return {"url": nb.url, "bmcs": bmcs, "switches": switches, "cables": cables}, None
