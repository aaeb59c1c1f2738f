# -*- coding: utf-8 -*-
# Copyright: odc.buildout developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Safety gate: ports facing active devices are not re-purposed without force."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest
from fabric_testlib import Edit, demo_data

from ansible_collections.odc.buildout.plugins.module_utils._errors import ConfigError
from ansible_collections.odc.buildout.plugins.plugin_utils._fabric._build import build_fabric
from ansible_collections.odc.buildout.plugins.plugin_utils._fabric._deploy import Deployer, protected_ports
from ansible_collections.odc.buildout.plugins.plugin_utils._netbox._snapshot import Snapshot


@pytest.fixture()
def active_srv05():
    data = demo_data()
    Edit(data).device("r01-srv05")["status"] = {"value": "active", "label": "Active"}
    return build_fabric(Snapshot.from_dict(data))


def test_protected_ports_follow_netbox_status(active_srv05):
    leaf = active_srv05["switches"]["r01-leaf01"]
    assert protected_ports(leaf) == {"bond5": "r01-srv05 bond0", "swp5": "r01-srv05 ens1f0"}
    assert protected_ports(active_srv05["switches"]["spine01"]) == {}


def test_risky_changes_are_refused(active_srv05):
    deployer = Deployer(active_srv05, {}, lab=None)
    leaf = active_srv05["switches"]["r01-leaf01"]
    refused = deployer.check_safety("r01-leaf01", leaf,
                                    ["swp5 master br40 (was br10)", "swp5 mtu 9000", "swp6 nomaster (was br10)",
                                     "swp5 up"],
                                    ["interface bond5 / evpn mh es-id 9", "interface bond6 / evpn mh es-id 6"])
    assert refused == [
        "r01-leaf01 swp5: faces r01-srv05 ens1f0 (NetBox status active); planned 'swp5 master br40 (was br10)'",
        "r01-leaf01 bond5: faces r01-srv05 bond0 (NetBox status active); planned FRR change "
        "'interface bond5 / evpn mh es-id 9'",
    ]


def test_force_needs_a_reason(active_srv05):
    with pytest.raises(ConfigError) as info:
        Deployer(active_srv05, {}, lab=None, force=True, force_reason=" ")
    assert info.value.message == "force=true needs a force_reason (it is recorded in the result)."
