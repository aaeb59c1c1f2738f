# Copyright: odc.buildout developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The lab derived from NetBox (lab/peers.py up) really runs what NetBox describes.

Every Redfish BMC answers at its NetBox address/port over TLS verified against
the lab CA (401 without credentials, 200 with the factory ones) and reports the
derived system UUID, the NetBox serial and the NetBox uplink MACs; every IPMI
BMC answers ipmitool lanplus; every switch has a namespace with FRR answering;
every inter-switch cable is a veth pair with the NetBox interface names, up.
"""

import json
import os
import socket
import ssl
import stat
import subprocess
import time

import pytest
import requests
import yaml
from lab_support import PEERS, derived_uuid, ip_json, pid_alive

pytestmark = pytest.mark.integration


# -- lab.json against NetBox --------------------------------------------------------------
def test_lab_json_describes_every_netbox_peer(netbox, lab):
    assert set(lab["bmcs"]) == set(netbox["bmcs"])
    assert set(lab["namespaces"]) == set(netbox["switches"])
    for name, expected in netbox["bmcs"].items():
        entry = lab["bmcs"][name]
        assert (entry["protocol"], entry["address"], entry["port"]) == (
            expected["protocol"], expected["address"], expected["port"]), name
        assert entry["system_uuid"] == derived_uuid(name)
        assert entry["serial"] == expected["serial"]
        assert {m.upper() for m in entry["macs"]} == expected["uplink_macs"]
    cabled = {frozenset(c["ends"]) for c in netbox["cables"]}
    assert {frozenset([(x["a_namespace"], x["a_interface"]), (x["b_namespace"], x["b_interface"])])
            for x in lab["links"]} == cabled


def test_secrets_are_private(lab):
    ca_dir = lab["ca"]["dir"]
    assert stat.S_IMODE(os.stat(os.path.join(ca_dir, "ca.key")).st_mode) == 0o600
    for entry in lab["bmcs"].values():
        if entry["protocol"] == "redfish":
            assert stat.S_IMODE(os.stat(entry["key"]).st_mode) == 0o600, entry["key"]
    assert stat.S_IMODE(os.stat(lab["credentials_file"]).st_mode) == 0o600
    with open(lab["credentials_file"]) as handle:
        creds = yaml.safe_load(handle)
    assert set(creds["odc_bmc_factory"]) == {"username", "password"}
    assert set(creds["odc_bmc_factory_devices"]) >= set(lab["bmcs"])
    secrets = {e["password"] for e in creds["odc_bmc_factory_devices"].values()}
    assert not any(secret in json.dumps(lab) for secret in secrets), "lab.json must not carry a password"


# -- Redfish ----------------------------------------------------------------------------------
def test_redfish_bmc_answers_at_its_netbox_address(redfish_bmc, netbox, lab, factory):
    expected = netbox["bmcs"][redfish_bmc]
    entry = lab["bmcs"][redfish_bmc]
    ca = lab["ca"]["cert"]
    base = f"https://{expected['address']}:{expected['port']}"

    # TLS: the certificate verifies against the lab CA for the NetBox IP (and not against the system store)
    ctx = ssl.create_default_context(cafile=ca)
    with socket.create_connection((expected["address"], expected["port"]), timeout=5) as raw, \
            ctx.wrap_socket(raw, server_hostname=expected["address"]) as tls:
        cert = tls.getpeercert()
    assert ("IP Address", expected["address"]) in cert["subjectAltName"]
    assert dict(x[0] for x in cert["issuer"])["commonName"] == "odc-buildout lab CA"
    with pytest.raises(requests.exceptions.SSLError):
        requests.get(base + "/redfish/v1/", verify=True, timeout=5)

    # per-request verify= (a Session's verify loses to $REQUESTS_CA_BUNDLE)
    assert requests.get(base + "/redfish/v1/", verify=ca, timeout=5).status_code == 200
    assert requests.get(base + "/redfish/v1/Systems", verify=ca, timeout=5).status_code == 401
    user, password = factory(redfish_bmc)
    assert requests.get(base + "/redfish/v1/Systems", verify=ca, timeout=5,
                        auth=(user, password + "x")).status_code == 401
    auth = (user, password)
    systems = requests.get(base + "/redfish/v1/Systems", verify=ca, timeout=5, auth=auth)
    assert systems.status_code == 200
    uuid = derived_uuid(redfish_bmc)
    assert [m["@odata.id"] for m in systems.json()["Members"]] == [f"/redfish/v1/Systems/{uuid}"]
    assert entry["system_path"] == f"/redfish/v1/Systems/{uuid}"

    system = requests.get(base + entry["system_path"], verify=ca, timeout=5, auth=auth).json()
    assert system["UUID"] == uuid
    assert system["Name"] == redfish_bmc
    assert system["SerialNumber"] == expected["serial"]
    nics = requests.get(base + entry["system_path"] + "/EthernetInterfaces", verify=ca, timeout=5,
                        auth=auth).json()
    macs = {requests.get(base + m["@odata.id"], verify=ca, timeout=5, auth=auth).json()["MACAddress"].upper()
            for m in nics["Members"]}
    assert macs == expected["uplink_macs"]
    assert len(macs) == 2


# -- IPMI -------------------------------------------------------------------------------------
def ipmitool(address, port, user, password, *command):
    env = dict(os.environ, IPMI_PASSWORD=password)
    return subprocess.run(["ipmitool", "-I", "lanplus", "-C", "3", "-H", address, "-p", str(port), "-U", user,
                           "-E", "-R", "2", "-N", "2", *command],
                          env=env, capture_output=True, text=True, timeout=30, check=False)


def test_ipmi_bmc_answers_at_its_netbox_address(ipmi_bmc, netbox, factory):
    expected = netbox["bmcs"][ipmi_bmc]
    address, port = expected["address"], expected["port"]
    user, password = factory(ipmi_bmc)

    info = ipmitool(address, port, user, password, "mc", "info")
    assert info.returncode == 0, info.stderr
    assert "Device ID" in info.stdout
    assert "IPMI Version              : 2.0" in info.stdout

    guid = ipmitool(address, port, user, password, "mc", "guid")
    assert guid.returncode == 0, guid.stderr
    assert f"System GUID   : {derived_uuid(ipmi_bmc)}" in guid.stdout

    power = ipmitool(address, port, user, password, "chassis", "power", "status")
    assert power.returncode == 0 and power.stdout.startswith("Chassis Power is "), power.stdout + power.stderr

    lan = ipmitool(address, port, user, password, "lan", "print", "1")
    assert lan.returncode == 0, lan.stderr
    fields = {k.strip(): v.strip() for k, _sep, v in (line.partition(":") for line in lan.stdout.splitlines())
              if k.strip() in ("IP Address", "MAC Address")}
    assert fields["IP Address"] == address
    assert fields["MAC Address"].upper() == expected["bmc_mac"]

    wrong = ipmitool(address, port, user, password + "x", "mc", "info")
    assert wrong.returncode != 0


# -- switches ------------------------------------------------------------------------------
def test_switch_has_namespace_with_frr(switch, netbox, lab):
    assert switch in os.listdir("/run/netns")
    entry = lab["namespaces"][switch]
    assert entry["role"] == netbox["switches"][switch]
    for daemon in ("zebra", "bgpd"):
        assert pid_alive(entry["daemons"][daemon]["pid_file"]), f"{daemon} in {switch} is not running"
    version = subprocess.run(["vtysh", "--vty_socket", entry["vty_socket"], "-c", "show version"],
                             capture_output=True, text=True, timeout=20, check=False)
    assert version.returncode == 0, version.stderr
    assert version.stdout.startswith("FRRouting ")
    running = subprocess.run(["vtysh", "--vty_socket", entry["vty_socket"], "--config_dir", entry["frr_dir"],
                              "-c", "show running-config"], capture_output=True, text=True, timeout=20, check=False)
    assert running.returncode == 0, running.stderr
    assert f"hostname {switch}\n" in running.stdout
    lo = ip_json(switch, "link", "show", "lo")
    assert "UP" in lo[0]["flags"]


def test_cable_is_a_veth_pair_with_the_netbox_names(cable, lab):
    (a_ns, a_if), (b_ns, b_if) = cable["ends"]
    a = ip_json(a_ns, "-d", "link", "show", a_if)
    b = ip_json(b_ns, "-d", "link", "show", b_if)
    assert a and b, f"{a_ns} {a_if} / {b_ns} {b_if} missing"
    a, b = a[0], b[0]
    for end, ns in ((a, a_ns), (b, b_ns)):
        assert end["linkinfo"]["info_kind"] == "veth", ns
        assert "UP" in end["flags"] and end["operstate"] == "UP", f"{ns} {end['ifname']} is not up"
    # each end's peer is the other end, in the other namespace
    assert a["link_index"] == b["ifindex"] and b["link_index"] == a["ifindex"]
    a_ids = {x["nsid"]: x.get("name") for x in ip_json(a_ns, "netns", "list-id")}
    b_ids = {x["nsid"]: x.get("name") for x in ip_json(b_ns, "netns", "list-id")}
    assert a_ids[a["link_netnsid"]] == b_ns
    assert b_ids[b["link_netnsid"]] == a_ns


# -- the command itself ------------------------------------------------------------------------
def test_status_reports_healthy(lab):
    done = subprocess.run(PEERS + ["status", "--json"], capture_output=True, text=True, timeout=60, check=False)
    status = json.loads(done.stdout)
    assert done.returncode == 0 and status["healthy"], done.stdout
    assert len(status["bmcs"]) == len(lab["bmcs"])
    assert all(b["answering"] for b in status["bmcs"])


def test_second_up_starts_nothing_and_is_quick(lab):
    pid_files = [e["pid_file"] for e in lab["bmcs"].values()] + [
        d["pid_file"] for e in lab["namespaces"].values() for d in e["daemons"].values()]

    def pids():
        out = {}
        for path in pid_files:
            with open(path) as handle:
                out[path] = handle.read().strip()
        return out

    before = pids()
    began = time.monotonic()
    done = subprocess.run(PEERS + ["up"], capture_output=True, text=True, timeout=120, check=False)
    took = time.monotonic() - began
    assert done.returncode == 0, done.stderr
    assert f"{len(lab['bmcs'])} BMCs (0 started, {len(lab['bmcs'])} kept, 0 stopped)" in done.stderr
    assert "(0 created, 0 repaired, 0 removed); FRR started in 0" in done.stderr
    assert pids() == before
    assert took < 15, f"idempotent up took {took:.1f}s"
    # never prints a secret
    with open(lab["credentials_file"]) as handle:
        creds = yaml.safe_load(handle)
    assert creds["odc_bmc_factory"]["password"] not in done.stdout + done.stderr
