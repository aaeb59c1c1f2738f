# -*- coding: utf-8 -*-
# Copyright: odc.buildout developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Scale fixture for the inventory benchmark, loaded through NetBox's ORM.

Site ``bench-site`` in the lab NetBox (the demo site ``odc-rsw1`` is left
alone): 20 racks, 400 servers (20 per rack) with 4 interfaces each (``bmc``
mgmt-only, ``ens1f0``/``ens1f1`` in ``bond0``) and one IP (on ``bond0``,
primary), 2,000 VMs in cluster ``bench-kvm`` with one interface and one IP
(primary) each.  Idempotent: only missing objects are created, so a second
run takes seconds.  REST would take ~15 min for this (LAB-NOTES); the ORM
takes about two.

Run from the controller venv (it re-executes itself inside ``netbox nbshell``):

    .venv/bin/python tests/bench/scale_fixture.py           # load (idempotent)
    .venv/bin/python tests/bench/scale_fixture.py --check   # print counts only

Environment: ODC_LAB_HOME (default /var/lib/odc-lab) locates the NetBox venv
and NETBOX_ROOT.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time

SITE = "bench-site"
CLUSTER = "bench-kvm"
RACKS = 20
SERVERS_PER_RACK = 20
VMS = 2000
SERVER_NET = "10.200.%d.%d/22"      # 10.200.0.0/22 holds the 400 servers
VM_NET = "10.201.%d.%d/20"          # 10.201.0.0/20 holds the 2,000 VMs
IN_NETBOX = "odc_scale_fixture_in_netbox"
EXPECTED = {"devices": RACKS * SERVERS_PER_RACK, "interfaces": RACKS * SERVERS_PER_RACK * 4,
            "vms": VMS, "vm_interfaces": VMS, "ips": RACKS * SERVERS_PER_RACK + VMS}


def server_names():
    return ["bench-r%02d-srv%02d" % (r, s) for r in range(1, RACKS + 1) for s in range(1, SERVERS_PER_RACK + 1)]


def vm_names():
    return ["bench-vm%04d" % i for i in range(1, VMS + 1)]


def _ip(template, index):
    # index 0.. -> host addresses starting at .10 of the block
    n = index + 10
    return template % (n // 256, n % 256)


def _mac(prefix, index, port):
    return "%s:%02X:%02X:%02X" % (prefix, (index >> 8) & 0xFF, index & 0xFF, port)


# ---------------------------------------------------------------------------
# Runs inside `netbox nbshell` (Django set up, NetBox models importable).
# ---------------------------------------------------------------------------
def load(check_only=False):  # pragma: no cover - needs NetBox's Django
    from dcim.models import Device, DeviceRole, DeviceType, Interface, MACAddress, Manufacturer, Platform, Rack, Site
    from django.contrib.contenttypes.models import ContentType
    from django.db import transaction
    from extras.models import Tag
    from ipam.models import IPAddress, Prefix
    from virtualization.models import Cluster, ClusterType, VirtualMachine, VMInterface

    started = time.time()

    def counts():
        site = Site.objects.filter(slug=SITE).first()
        if site is None:
            return {k: 0 for k in EXPECTED}
        return {
            "devices": Device.objects.filter(site=site).count(),
            "interfaces": Interface.objects.filter(device__site=site).count(),
            "vms": VirtualMachine.objects.filter(cluster__name=CLUSTER).count(),
            "vm_interfaces": VMInterface.objects.filter(virtual_machine__cluster__name=CLUSTER).count(),
            "ips": IPAddress.objects.filter(address__net_contained_or_equal="10.200.0.0/15").count(),
        }

    if check_only:
        print(json.dumps(counts()))
        return

    with transaction.atomic():
        site, _created = Site.objects.get_or_create(slug=SITE, defaults={"name": SITE, "status": "active"})
        manufacturer, _created = Manufacturer.objects.get_or_create(slug="bench", defaults={"name": "Bench"})
        dtype, _created = DeviceType.objects.get_or_create(
            slug="bench-server", defaults={"manufacturer": manufacturer, "model": "Bench Server", "u_height": 1})
        role, _created = DeviceRole.objects.get_or_create(slug="server", defaults={"name": "Server", "color": "2196f3"})
        platform, _created = Platform.objects.get_or_create(slug="rhel-kvm", defaults={"name": "RHEL KVM"})
        tag, _created = Tag.objects.get_or_create(slug="kvm-hypervisor", defaults={"name": "kvm-hypervisor"})
        ctype, _created = ClusterType.objects.get_or_create(slug="kvm", defaults={"name": "KVM"})
        cluster = Cluster.objects.filter(name=CLUSTER).first()
        if cluster is None:
            cluster = Cluster(name=CLUSTER, type=ctype, status="active", scope=site)
            cluster.full_clean()
            cluster.save()
        racks = {}
        for r in range(1, RACKS + 1):
            name = "B%02d" % r
            rack = Rack.objects.filter(site=site, name=name).first()
            if rack is None:
                rack = Rack(site=site, name=name, status="active", u_height=42)
                rack.save()
            racks[r] = rack
        for cidr, desc in (("10.200.0.0/22", "bench servers"), ("10.201.0.0/20", "bench VMs")):
            if not Prefix.objects.filter(prefix=cidr).exists():
                Prefix(prefix=cidr, status="active", description=desc, scope=site).save()

    iface_ct = ContentType.objects.get_for_model(Interface)
    vmiface_ct = ContentType.objects.get_for_model(VMInterface)

    # -- servers -------------------------------------------------------------
    existing = set(Device.objects.filter(site=site).values_list("name", flat=True))
    index = 0
    for r in range(1, RACKS + 1):
        with transaction.atomic():
            for s in range(1, SERVERS_PER_RACK + 1):
                name = "bench-r%02d-srv%02d" % (r, s)
                i = index
                index += 1
                if name in existing:
                    continue
                dev = Device(name=name, site=site, rack=racks[r], position=s * 2, face="front",
                             device_type=dtype, role=role, platform=platform,
                             status="active" if s % 4 else "planned", cluster=cluster if s <= 10 else None,
                             serial="BENCH%05d" % i, asset_tag="BENCH-%05d" % i)
                dev.custom_field_data = {"odc_bmc_protocol": "redfish", "odc_bmc_port": 443,
                                         "odc_bmc_credential": "vault:odc_bmc_credentials.%s" % name}
                dev.save()
                dev.tags.add(tag)
                bond = Interface(device=dev, name="bond0", type="lag", mode="access")
                bond.save()
                made = {"bond0": bond}
                for port, (iname, itype, extra) in enumerate((
                        ("bmc", "1000base-t", {"mgmt_only": True, "custom_field_data": {"odc_link_role": "bmc"}}),
                        ("ens1f0", "25gbase-x-sfp28", {"lag": bond, "custom_field_data": {
                            "odc_link_role": "uplink", "odc_boot": True}}),
                        ("ens1f1", "25gbase-x-sfp28", {"lag": bond, "custom_field_data": {
                            "odc_link_role": "uplink", "odc_boot": False}})), start=1):
                    iface = Interface(device=dev, name=iname, type=itype, **extra)
                    iface.save()
                    mac = MACAddress(mac_address=_mac("02:BE:00", i, port), assigned_object_type=iface_ct,
                                     assigned_object_id=iface.pk)
                    mac.save()
                    iface.primary_mac_address = mac
                    iface.save()
                    made[iname] = iface
                ip = IPAddress(address=_ip(SERVER_NET, i), status="active", assigned_object_type=iface_ct,
                               assigned_object_id=made["bond0"].pk, dns_name="%s.bench.example" % name)
                ip.save()
                dev.primary_ip4 = ip
                dev.save()

    # -- VMs -----------------------------------------------------------------
    existing = set(VirtualMachine.objects.filter(cluster=cluster).values_list("name", flat=True))
    names = vm_names()
    for start in range(0, VMS, 200):
        with transaction.atomic():
            for i in range(start, min(start + 200, VMS)):
                name = names[i]
                if name in existing:
                    continue
                vm = VirtualMachine(name=name, cluster=cluster, site=site, status="active" if i % 10 else "staged",
                                    vcpus=2 + i % 3, memory=4096, disk=40960)
                vm.save()
                iface = VMInterface(virtual_machine=vm, name="eth0", mode="access")
                iface.save()
                mac = MACAddress(mac_address=_mac("02:BF:00", i, 0), assigned_object_type=vmiface_ct,
                                 assigned_object_id=iface.pk)
                mac.save()
                iface.primary_mac_address = mac
                iface.save()
                ip = IPAddress(address=_ip(VM_NET, i), status="active", assigned_object_type=vmiface_ct,
                               assigned_object_id=iface.pk)
                ip.save()
                vm.primary_ip4 = ip
                vm.save()

    got = counts()
    print(json.dumps({"counts": got, "seconds": round(time.time() - started, 1)}))
    if got != EXPECTED:
        raise SystemExit("scale fixture incomplete: %s != %s" % (got, EXPECTED))


# ---------------------------------------------------------------------------
# Controller side: re-execute inside nbshell.
# ---------------------------------------------------------------------------
def run(check_only=False, quiet=False):
    """Load (or check) the fixture; returns the parsed JSON line nbshell printed."""
    lab = os.environ.get("ODC_LAB_HOME", "/var/lib/odc-lab")
    env = dict(os.environ, NETBOX_ROOT=os.environ.get("NETBOX_ROOT", os.path.join(lab, "netbox")))
    code = "import runpy; g = runpy.run_path(%r, run_name=%r); g['load'](check_only=%r)" % (
        os.path.abspath(__file__), IN_NETBOX, check_only)
    proc = subprocess.run([os.path.join(lab, "netbox-venv", "bin", "netbox"), "nbshell", "-c", code],
                          env=env, capture_output=True, text=True, check=False)
    if proc.returncode != 0:
        sys.stderr.write(proc.stdout[-2000:] + proc.stderr[-4000:])
        raise SystemExit("scale fixture failed (exit %s)" % proc.returncode)
    line = [x for x in proc.stdout.splitlines() if x.startswith("{")][-1]
    if not quiet:
        print(line)
    return json.loads(line)


def ensure():
    """Load the fixture only when it is not complete already."""
    if run(check_only=True, quiet=True) != EXPECTED:
        return run()
    return {"counts": EXPECTED, "seconds": 0}


if __name__ == "__main__":
    run(check_only="--check" in sys.argv[1:])
