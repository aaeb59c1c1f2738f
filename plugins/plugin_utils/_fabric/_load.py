# -*- coding: utf-8 -*-
# Copyright: odc.buildout developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Snapshot -> typed Fabric, with preflight: every problem at once.

Each finding names the NetBox object (device + interface or VLAN) and its
URL, so bad cabling surfaces as "r01-leaf01 swp51: ..." and never as a
KeyError or a Jinja traceback further down.
"""

from __future__ import annotations

import ipaddress
import re

from ansible_collections.odc.buildout.plugins.module_utils._errors import ValidationFailed
from ansible_collections.odc.buildout.plugins.plugin_utils._fabric._model import (
    Address,
    Bmc,
    Fabric,
    Peer,
    Port,
    PortChannel,
    Server,
    Services,
    Settings,
    Switch,
    Uplink,
    Vlan,
)
from ansible_collections.odc.buildout.plugins.plugin_utils._netbox._snapshot import slug, value

SWITCH_ROLES = ("spine", "leaf", "oob-switch")
FABRIC_PEERS = {"leaf": "spine", "spine": "leaf"}


class Findings:
    """Collects preflight problems; ``raise_if_any`` raises them all together."""

    def __init__(self, site):
        self.site = site
        self.items = []

    def add(self, where, what, obj=None):
        url = (obj or {}).get("display_url") or (obj or {}).get("url") or ""
        self.items.append("%s: %s%s" % (where, what, " [%s]" % url if url else ""))

    def raise_if_any(self):
        if self.items:
            lines = "\n".join("- " + item for item in self.items)
            raise ValidationFailed("Fabric preflight for site %s found %d problem(s):\n%s"
                                   % (self.site, len(self.items), lines), findings=list(self.items))


def _link_role(iface):
    return value((iface.get("custom_fields") or {}).get("odc_link_role"))


def _mac(iface):
    mac = iface.get("mac_address") or (iface.get("primary_mac_address") or {}).get("mac_address")
    return mac.lower() if mac else None


def _vid(nested):
    return nested.get("vid") if nested else None


def _mode(iface):
    return value(iface.get("mode"))


def _tagged(iface):
    return tuple(sorted(v["vid"] for v in iface.get("tagged_vlans") or []))


class _Loader:
    def __init__(self, snapshot, settings):
        self.snap = snapshot
        self.settings = settings
        site = snapshot.site or {}
        self.site = site.get("slug", "?")
        self.findings = Findings(self.site)
        self.devices = {d["name"]: d for d in snapshot.data["devices"] if d.get("name")}

    # -- helpers -----------------------------------------------------------
    def role(self, name):
        return slug((self.devices.get(name) or {}).get("role"))

    def status(self, name):
        return value((self.devices.get(name) or {}).get("status")) or "unknown"

    def peer(self, iface):
        found = self.snap.peer(iface)
        if not found or not found[0]:
            return None
        return Peer(found[0], found[1], self.role(found[0]) or "?", self.status(found[0]))

    def peer_iface(self, peer):
        return self.snap.interface(peer.device, peer.interface)

    # -- VLANs, services -----------------------------------------------------
    def vlans(self):
        prefixes = {}
        for prefix in self.snap.data["prefixes"]:
            if prefix.get("vlan"):
                prefixes[prefix["vlan"]["id"]] = prefix["prefix"]
        anycast = [ip for ip in self.snap.data["ip_addresses"] if value(ip.get("role")) == "anycast"]
        out = {}
        for vlan in self.snap.data["vlans"]:
            prefix = prefixes.get(vlan["id"])
            gateways = []
            if prefix:
                net = ipaddress.ip_network(prefix)
                gateways = [ip["address"] for ip in anycast
                            if ipaddress.ip_interface(ip["address"]).ip in net]
            if len(gateways) > 1:
                self.findings.add("VLAN %s (%s)" % (vlan["vid"], vlan["name"]),
                                  "%d anycast IPs in prefix %s (%s); an L3 VLAN has exactly one gateway"
                                  % (len(gateways), prefix, ", ".join(sorted(gateways))), vlan)
            gateway = gateways[0] if gateways else None
            if gateway and ipaddress.ip_interface(gateway).network != ipaddress.ip_network(prefix):
                self.findings.add("VLAN %s (%s)" % (vlan["vid"], vlan["name"]),
                                  "anycast gateway %s has a different mask than prefix %s" % (gateway, prefix), vlan)
            if vlan["vid"] in out:
                self.findings.add("VLAN %s" % vlan["vid"], "defined twice for this site", vlan)
            out[vlan["vid"]] = Vlan(vlan["vid"], vlan["name"], self.snap.vlan_vni.get(vlan["id"]), prefix, gateway)
        return out

    def services(self):
        for dev in self.snap.data["devices"]:
            ctx = dev.get("config_context") or {}
            if ctx.get("dns_servers") or ctx.get("ntp_servers"):
                return Services(list(ctx.get("dns_servers") or []), list(ctx.get("ntp_servers") or []),
                                list(ctx.get("dns_search") or []), list(ctx.get("syslog_servers") or []))
        return Services()

    # -- switches ------------------------------------------------------------
    def switch(self, dev):
        name = dev["name"]
        role = slug(dev.get("role"))
        asn = ((dev.get("custom_fields") or {}).get("odc_asn") or {}).get("asn")
        sw = Switch(name=name, role=role, platform=slug(dev.get("platform")) or "",
                    status=value(dev.get("status")) or "unknown", rack=(dev.get("rack") or {}).get("name") or "",
                    url=self.snap.url(dev), asn=asn)
        if role in FABRIC_PEERS:
            if asn is None:
                self.findings.add(name, "no BGP ASN (custom field odc_asn is empty)", dev)
            lo = self.snap.interface(name, "lo")
            ips = [ip["address"] for ip in self.snap.ips(lo)] if lo else []
            if not ips:
                self.findings.add(name, "no loopback address (an IP on interface lo)", dev)
            else:
                sw.loopback = ips[0]
        for iface in sorted(self.snap.interfaces(dev), key=lambda i: _natural(i["name"])):
            port = self.port(sw, iface)
            if port:
                sw.ports.append(port)
        return sw

    def port(self, sw, iface):
        where = "%s %s" % (sw.name, iface["name"])
        link_role = _link_role(iface)
        if value(iface.get("type")) in ("lag", "virtual"):
            return None
        peer = self.peer(iface)
        if link_role == "fabric":
            if sw.role not in FABRIC_PEERS:
                self.findings.add(where, "odc_link_role fabric on a %s; fabric links join leaves and spines"
                                  % sw.role, iface)
                return None
            if peer is None:
                self.findings.add(where, "odc_link_role fabric but no cable to another interface", iface)
                return None
            want = FABRIC_PEERS[sw.role]
            if peer.role != want:
                self.findings.add(where, "fabric link cabled to %s %s (role %s); a %s's fabric links go to a %s"
                                  % (peer.device, peer.interface, peer.role, sw.role, want), iface)
                return None
            if _link_role(self.peer_iface(peer) or {}) != "fabric":
                self.findings.add(where, "cabled to %s %s, which is not marked odc_link_role fabric"
                                  % (peer.device, peer.interface), iface)
            return Port(iface["name"], "fabric", peer, description="%s %s" % (peer.device, peer.interface),
                        url=self.snap.url(iface))
        if link_role == "uplink" and sw.role == "leaf":
            if peer is None:
                self.findings.add(where, "odc_link_role uplink but not cabled to a server", iface)
                return None
            if peer.role != "server":
                self.findings.add(where, "server port cabled to %s %s (role %s), expected a server"
                                  % (peer.device, peer.interface, peer.role), iface)
                return None
            return Port(iface["name"], "server", peer, lag=(iface.get("lag") or {}).get("name"),
                        description="%s %s" % (peer.device, peer.interface), url=self.snap.url(iface))
        if peer is None:
            return None
        kind = {"mgmt": "mgmt", "oob-uplink": "oob-uplink"}.get(link_role or "", "access")
        if peer.role == "server" and link_role is None:
            peer_role = _link_role(self.peer_iface(peer) or {})
            kind = "bmc" if peer_role == "bmc" else "access"
        if sw.role == "spine" and kind == "access":
            self.findings.add(where, "spine port cabled to %s %s (role %s) without odc_link_role fabric/mgmt"
                              % (peer.device, peer.interface, peer.role), iface)
            return None
        return Port(iface["name"], kind, peer, mode=_mode(iface), untagged_vlan=_vid(iface.get("untagged_vlan")),
                    tagged_vlans=_tagged(iface), description="%s %s" % (peer.device, peer.interface),
                    url=self.snap.url(iface))

    def port_channels(self, sw):
        by_lag = {}
        for port in sw.ports:
            if port.kind == "server":
                by_lag.setdefault(port.lag, []).append(port)
        for port in [p for p in sw.ports if p.kind == "server" and not p.lag]:
            self.findings.add("%s %s" % (sw.name, port.name),
                              "server port towards %s %s is not a member of a LAG (bondN) on the leaf"
                              % (port.peer.device, port.peer.interface), {"url": port.url})
        by_lag.pop(None, None)
        for lag_name in sorted(by_lag, key=_natural):
            members = by_lag[lag_name]
            lag = self.snap.interface(sw.name, lag_name) or {}
            servers = sorted({p.peer.device for p in members})
            where = "%s %s" % (sw.name, lag_name)
            if len(servers) > 1:
                self.findings.add(where, "members lead to different servers (%s)" % ", ".join(servers), lag)
                continue
            server_iface = self.snap.interface(members[0].peer.device, members[0].peer.interface) or {}
            server_lag = (server_iface.get("lag") or {}).get("name") or ""
            digits = re.findall(r"\d+", lag_name)
            sw.port_channels.append(PortChannel(
                name=lag_name, members=[p.name for p in members], mode=_mode(lag) or "access",
                untagged_vlan=_vid(lag.get("untagged_vlan")), tagged_vlans=_tagged(lag), server=servers[0],
                server_lag=server_lag, server_status=members[0].peer.status,
                es_id=int(digits[-1]) if digits else 0, url=self.snap.url(lag)))

    # -- servers ---------------------------------------------------------------
    def server(self, dev, vlans):
        name = dev["name"]
        srv = Server(name=name, rack=(dev.get("rack") or {}).get("name") or "", status=value(dev.get("status")) or "",
                     url=self.snap.url(dev), platform=slug(dev.get("platform")) or "",
                     primary_ip=(dev.get("primary_ip4") or {}).get("address"))
        ifaces = self.snap.interfaces(dev)
        lags = set()
        for iface in sorted(ifaces, key=lambda i: _natural(i["name"])):
            role = _link_role(iface)
            where = "%s %s" % (name, iface["name"])
            if role == "uplink":
                peer = self.peer(iface)
                if peer is None:
                    self.findings.add(where, "odc_link_role uplink but no cable to a leaf", iface)
                    continue
                if peer.role != "leaf":
                    self.findings.add(where, "uplink cabled to %s %s (role %s), expected a leaf"
                                      % (peer.device, peer.interface, peer.role), iface)
                    continue
                leaf_iface = self.peer_iface(peer) or {}
                lags.add((iface.get("lag") or {}).get("name"))
                boot = bool((iface.get("custom_fields") or {}).get("odc_boot"))
                srv.uplinks.append(Uplink(iface["name"], _mac(iface), boot, peer.device, peer.interface,
                                          (leaf_iface.get("lag") or {}).get("name")))
            elif role == "bmc" or (iface.get("mgmt_only") and role is None and self.peer(iface)):
                srv.bmc = self.bmc(name, iface)
        if not srv.uplinks:
            if any(t.get("slug") == "dual-homed" for t in dev.get("tags") or []):
                self.findings.add(name, "tagged dual-homed but no interface with odc_link_role uplink is cabled", dev)
            return srv
        if None in lags or len(lags) != 1:
            self.findings.add(name, "uplinks %s must all be members of one LAG (found %s)"
                              % (", ".join(u.name for u in srv.uplinks),
                                 ", ".join(sorted(str(lg) for lg in lags))), dev)
            return srv
        srv.lag = lags.pop()
        lag = next((i for i in ifaces if i["name"] == srv.lag), {})
        srv.mode = _mode(lag) or "access"
        srv.untagged_vlan = _vid(lag.get("untagged_vlan"))
        srv.tagged_vlans = _tagged(lag)
        self.check_pair(srv, dev)
        self.addresses(srv, ifaces, vlans)
        return srv

    def check_pair(self, srv, dev):
        leaves = [u.leaf for u in srv.uplinks]
        racks = {(self.devices.get(leaf, {}).get("rack") or {}).get("name") for leaf in leaves}
        if len(leaves) > 1 and len(set(leaves)) != len(leaves):
            self.findings.add(srv.name, "uplinks %s land on the same leaf %s; a dual-homed server needs both leaves "
                              "of its rack's leaf pair" % (", ".join(u.name for u in srv.uplinks), leaves[0]), dev)
        elif len(racks) > 1:
            self.findings.add(srv.name, "uplinks land on leaves in different racks (%s); they must go to one leaf pair"
                              % ", ".join("%s %s" % (u.leaf, u.leaf_port) for u in srv.uplinks), dev)
        lag_names = {u.leaf_lag for u in srv.uplinks}
        if len(lag_names) > 1:
            self.findings.add(srv.name, "leaf-side LAGs differ (%s); both leaves need the same bondN for one "
                              "Ethernet segment" % ", ".join("%s %s in %s" % (u.leaf, u.leaf_port, u.leaf_lag or "no LAG")
                                                             for u in srv.uplinks), dev)

    def addresses(self, srv, ifaces, vlans):
        by_id = {i["id"]: i for i in ifaces}
        for iface in ifaces:
            parent = (iface.get("parent") or {}).get("name")
            if iface["name"] != srv.lag and parent != srv.lag:
                continue
            vid = srv.untagged_vlan if iface["name"] == srv.lag else _vid(iface.get("untagged_vlan"))
            if parent == srv.lag:
                if vid is None:
                    self.findings.add("%s %s" % (srv.name, iface["name"]), "VLAN sub-interface without a VLAN", iface)
                    continue
                srv.vlan_interfaces.append((iface["name"], vid))
            for ip in self.snap.ips(by_id[iface["id"]]):
                vlan = vlans.get(vid)
                where = "%s %s" % (srv.name, iface["name"])
                if vlan is None or not vlan.prefix:
                    self.findings.add(where, "address %s but VLAN %s has no prefix in NetBox" % (ip["address"], vid),
                                      ip)
                    continue
                if ipaddress.ip_interface(ip["address"]).ip not in ipaddress.ip_network(vlan.prefix):
                    self.findings.add(where, "address %s is outside VLAN %s's prefix %s"
                                      % (ip["address"], vid, vlan.prefix), ip)
                    continue
                srv.addresses.append(Address(iface["name"], ip["address"], vid, ip.get("dns_name") or ""))
        srv.vlan_interfaces.sort(key=lambda item: item[1])
        srv.addresses.sort(key=lambda a: (a.vlan, a.address))

    def bmc(self, server, iface):
        where = "%s %s" % (server, iface["name"])
        peer = self.peer(iface)
        mac = _mac(iface)
        ips = self.snap.ips(iface)
        ok = True
        if not mac:
            self.findings.add(where, "BMC interface has no MAC address (needed for the DHCP reservation)", iface)
            ok = False
        if not ips:
            self.findings.add(where, "BMC interface has no IP address", iface)
            ok = False
        if peer is None or peer.role != "oob-switch":
            self.findings.add(where, "BMC must be cabled to an oob-switch, found %s"
                              % ("no cable" if peer is None else "%s %s (role %s)"
                                 % (peer.device, peer.interface, peer.role)), iface)
            ok = False
        if not ok:
            return None
        return Bmc(iface["name"], mac, ips[0]["address"], peer.device, peer.interface, ips[0].get("dns_name") or "")

    # -- cross checks ------------------------------------------------------------
    def check_server_vlans(self, fabric):
        for srv in fabric.servers.values():
            if not srv.uplinks:
                continue
            for vid in ([srv.untagged_vlan] if srv.untagged_vlan else []) + list(srv.tagged_vlans):
                vlan = fabric.vlans.get(vid)
                if vlan is None:
                    self.findings.add("%s %s" % (srv.name, srv.lag), "VLAN %s is not defined for the site" % vid,
                                      {"url": srv.url})
                elif vlan.vni is None:
                    self.findings.add("%s %s" % (srv.name, srv.lag),
                                      "VLAN %s (%s) has no vxlan-evpn L2VPN (VNI) but is carried to a server"
                                      % (vid, vlan.name), {"url": srv.url})
        for leaf in fabric.by_role("leaf"):
            for pc in leaf.port_channels:
                srv = fabric.servers.get(pc.server)
                if srv is None or not srv.uplinks:
                    continue
                mine = (pc.mode, pc.untagged_vlan, pc.tagged_vlans)
                theirs = (srv.mode, srv.untagged_vlan, srv.tagged_vlans)
                if mine != theirs:
                    self.findings.add("%s %s" % (leaf.name, pc.name),
                                      "VLANs %s do not match server %s %s (%s)"
                                      % (_vlan_text(*mine), srv.name, srv.lag, _vlan_text(*theirs)), {"url": pc.url})

    def check_asns(self, fabric):
        seen = {}
        for leaf in sorted(fabric.by_role("leaf"), key=lambda s: s.name):
            if leaf.asn is not None:
                seen.setdefault(leaf.asn, []).append(leaf.name)
        for asn, names in sorted(seen.items()):
            if len(names) > 1:
                self.findings.add(", ".join(names), "leaves share ASN %s; every leaf needs its own ASN in this design"
                                  % asn)
        spine_asns = {s.asn for s in fabric.by_role("spine") if s.asn is not None}
        for asn in sorted(spine_asns & set(seen)):
            self.findings.add("ASN %s" % asn, "used by a spine and a leaf")
        loops = {}
        for sw in fabric.switches.values():
            if sw.loopback:
                loops.setdefault(sw.loopback, []).append(sw.name)
        for addr, names in sorted(loops.items()):
            if len(names) > 1:
                self.findings.add(", ".join(sorted(names)), "share loopback %s" % addr)

    def load(self):
        vlans = self.vlans()
        switches = {}
        for dev in sorted(self.snap.data["devices"], key=lambda d: d.get("name") or ""):
            if slug(dev.get("role")) in SWITCH_ROLES and dev.get("name"):
                switches[dev["name"]] = self.switch(dev)
        servers = {}
        for dev in sorted(self.snap.devices("server"), key=lambda d: d.get("name") or ""):
            if dev.get("name"):
                servers[dev["name"]] = self.server(dev, vlans)
        racks = sorted({s.rack for s in switches.values() if s.role == "leaf"}, key=_natural)
        for sw in switches.values():
            if sw.role == "leaf":
                self.port_channels(sw)
                sw.pair_index = racks.index(sw.rack) + 1
                for pc in sw.port_channels:
                    index = sw.pair_index
                    pc.es_sys_mac = "%s:%02x:%02x" % (self.settings.es_sys_mac_prefix, index >> 8, index & 0xFF)
        for rack in racks:
            leaves = [s.name for s in switches.values() if s.role == "leaf" and s.rack == rack]
            if len(leaves) > 2:
                self.findings.add("rack %s" % rack, "has %d leaves (%s); a rack holds one leaf pair"
                                  % (len(leaves), ", ".join(sorted(leaves))))
        site = self.snap.site or {}
        fabric = Fabric(site=self.site, site_name=site.get("name", self.site), netbox_url=self.snap.netbox_url,
                        vlans=vlans, switches=switches, servers=servers, services=self.services(),
                        settings=self.settings)
        if not fabric.by_role("spine"):
            self.findings.add("site %s" % self.site, "no device with role spine")
        self.check_server_vlans(fabric)
        self.check_asns(fabric)
        self.findings.raise_if_any()
        return fabric


def _vlan_text(mode, untagged, tagged):
    text = "%s untagged %s" % (mode, untagged)
    return text + (" tagged %s" % ",".join(str(v) for v in tagged) if tagged else "")


def _natural(name):
    return [int(part) if part.isdigit() else part for part in re.split(r"(\d+)", name or "")]


def load_fabric(snapshot, settings=None):
    """Typed Fabric for the snapshot's site; raises ValidationFailed with all findings."""
    return _Loader(snapshot, settings or Settings()).load()


natural_key = _natural
