# -*- coding: utf-8 -*-
# Copyright: odc.buildout developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Typed fabric model (dataclasses) built from a NetBox Snapshot by ``_load``.

Everything here is already joined and checked; builders never look at raw
NetBox dicts.  Names are NetBox names (device, interface).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Dict, List, Optional, Tuple


@dataclass(frozen=True)
class Vlan:
    vid: int
    name: str
    vni: Optional[int]
    prefix: Optional[str]        # "10.10.0.0/24"
    gateway: Optional[str]       # anycast gateway "10.10.0.1/24"

    @property
    def l3(self):
        return self.gateway is not None


@dataclass(frozen=True)
class Peer:
    device: str
    interface: str
    role: str                    # NetBox device role slug of the peer
    status: str                  # NetBox status of the peer device


@dataclass
class Port:
    """A switch interface the fabric manages (fabric, server, oob, mgmt)."""
    name: str
    kind: str                    # fabric | server | oob-uplink | mgmt | bmc | access
    peer: Optional[Peer] = None
    lag: Optional[str] = None
    mode: Optional[str] = None   # access | tagged | None (routed)
    untagged_vlan: Optional[int] = None
    tagged_vlans: Tuple[int, ...] = ()
    description: str = ""
    url: str = ""


@dataclass
class PortChannel:
    """A leaf LAG towards a dual-homed server (EVPN multihoming segment)."""
    name: str
    members: List[str]
    mode: str
    untagged_vlan: Optional[int]
    tagged_vlans: Tuple[int, ...]
    server: str
    server_lag: str
    server_status: str
    es_id: int = 0
    es_sys_mac: str = ""
    url: str = ""


@dataclass
class Switch:
    name: str
    role: str                    # spine | leaf | oob-switch
    platform: str
    status: str
    rack: str
    url: str
    asn: Optional[int] = None
    loopback: Optional[str] = None   # "10.255.0.11/32"
    ports: List[Port] = field(default_factory=list)
    port_channels: List[PortChannel] = field(default_factory=list)
    pair_index: int = 0          # leaves: 1-based leaf-pair (rack) index

    @property
    def router_id(self):
        return self.loopback.split("/")[0] if self.loopback else None


@dataclass
class Uplink:
    name: str
    mac: Optional[str]
    boot: bool
    leaf: str
    leaf_port: str
    leaf_lag: Optional[str]


@dataclass
class Address:
    interface: str               # "bond0" or "bond0.30"
    address: str                 # "10.40.0.10/24"
    vlan: int
    dns_name: str = ""


@dataclass
class Bmc:
    interface: str
    mac: str
    address: str
    oob_switch: str
    oob_port: str
    dns_name: str = ""


@dataclass
class Server:
    name: str
    rack: str
    status: str
    url: str
    platform: str
    lag: str = "bond0"
    mode: str = "access"
    untagged_vlan: Optional[int] = None
    tagged_vlans: Tuple[int, ...] = ()
    uplinks: List[Uplink] = field(default_factory=list)
    addresses: List[Address] = field(default_factory=list)
    vlan_interfaces: List[Tuple[str, int]] = field(default_factory=list)   # ("bond0.30", 30)
    bmc: Optional[Bmc] = None
    primary_ip: Optional[str] = None


@dataclass
class Services:
    dns_servers: List[str] = field(default_factory=list)
    ntp_servers: List[str] = field(default_factory=list)
    dns_search: List[str] = field(default_factory=list)
    syslog_servers: List[str] = field(default_factory=list)


@dataclass
class Fabric:
    site: str
    site_name: str
    netbox_url: str
    vlans: Dict[int, Vlan]
    switches: Dict[str, Switch]
    servers: Dict[str, Server]
    services: Services
    settings: "Settings"

    def by_role(self, role):
        return [s for s in self.switches.values() if s.role == role]

    @property
    def racks(self):
        return sorted({s.rack for s in self.switches.values() if s.role == "leaf"})

    def leaves_in(self, rack):
        return [s for s in self.switches.values() if s.role == "leaf" and s.rack == rack]


@dataclass(frozen=True)
class Settings:
    """Fabric-wide design constants (overridable by the action's options)."""
    anycast_mac: str = "02:0d:c0:00:00:01"
    es_sys_mac_prefix: str = "02:0d:c1:00"
    vxlan_port: int = 4789
    fabric_mtu: int = 9216
    server_mtu: int = 9000
    maximum_paths: int = 64
    bond_mode: str = "802.3ad"
