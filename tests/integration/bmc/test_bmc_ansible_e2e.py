# -*- coding: utf-8 -*-
# Copyright: odc.buildout developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The modules run the way Ansible runs them (ansible-playbook, AnsiballZ,
collection loader) against the Redfish double."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest

pytestmark = pytest.mark.integration


@pytest.fixture()
def connection(certs, state_dir):
    def make(double, **extra):
        args = {"address": double.address, "port": double.port, "username": "admin", "password": "password",
                "ca_path": certs["ca"], "timeout": 5, "retry_budget": 10, "state_dir": state_dir}
        args.update(extra)
        return args
    return make


def test_info_through_ansible_hides_the_password(make_double, connection, run_playbook):
    double = make_double("dell", serial="7XK2DS3")
    result = run_playbook("odc.buildout.bmc_info", dict(connection(double), sections=["identity", "nics"]))
    assert not result.get("failed"), result
    assert result["bmc"]["identity"]["serial"] == "7XK2DS3"
    assert result["bmc"]["vendor"] == "dell"
    assert "password" not in result["_stdout"].replace('"password": "VALUE_SPECIFIED_IN_NO_LOG_PARAMETER"', "")


def test_power_check_and_diff_mode_write_nothing(make_double, connection, run_playbook):
    double = make_double("hpe")
    result = run_playbook("odc.buildout.bmc_power", dict(connection(double), state="on", poll_interval=0.1),
                          check=True, diff=True)
    assert result["changed"] is True and not result.get("failed"), result
    assert result["diff"] == {"before": {"power_state": "Off"}, "after": {"power_state": "On"}}
    assert double.log.writes() == []
    assert double.summary()["power"] == "Off"


def test_identity_mismatch_fails_the_task_before_any_write(make_double, connection, run_playbook):
    double = make_double("lenovo", serial="J300ABCD")
    result = run_playbook("odc.buildout.bmc_power",
                          dict(connection(double), state="on", expected_serial="J300ZZZZ", poll_interval=0.1))
    assert result["failed"] is True
    assert result["error_type"] == "IdentityMismatch"
    assert "refusing to write" in result["msg"] and "J300ABCD" in result["msg"]
    assert double.log.writes() == []


def test_account_secret_never_reaches_the_output(make_double, connection, run_playbook):
    double = make_double("generic")
    secret = "Very-Secret-Pass-9"
    result = run_playbook("odc.buildout.bmc_account",
                          dict(connection(double), account_name="odc-admin", account_password=secret), diff=True)
    assert result["changed"] and result["verified"], result
    assert secret not in result["_stdout"]
    assert double.password_of("odc-admin") == secret
