# Copyright: odc.buildout developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Status lifecycle, custom fields and config contexts."""

import pytest
from preflight_demo import choice

from ansible_collections.odc.buildout.plugins.module_utils._errors import ConfigError

SYSLOG_WARNING = ("warning", "ODC-CTX-002", "extras.configcontext", "odc-rsw1-services", "data.syslog_servers[0]",
                  "syslog_servers entry '10.255.255.514' in config context odc-rsw1-services is neither an IP "
                  "address nor a valid host name.")


def test_demo_site_has_no_errors(baseline):
    assert baseline.errors == []
    assert [(f.severity, f.rule, f.object_type, f.object_name, f.field, f.message) for f in baseline.findings] \
        == [SYSLOG_WARNING]
    assert baseline.passed


# -- ODC-STATUS-001 ----------------------------------------------------------
def test_offline_server_is_not_built(site, new):
    site.device("r02-srv08")["status"] = choice("offline")
    assert new(site.run()) == [(
        "error", "ODC-STATUS-001", "dcim.device", "r02-srv08", "status",
        "r02-srv08 is offline; only planned or staged devices are built. Set the status to planned (or staged) "
        "or leave the device out of the scope.")]


def test_failed_server_is_a_warning(site, new):
    site.device("r01-srv02")["status"] = choice("failed")
    assert new(site.run()) == [(
        "warning", "ODC-STATUS-001", "dcim.device", "r01-srv02", "status",
        "r01-srv02 is failed (a previous build did not finish); this run builds it again.")]


def test_pdu_status_does_not_matter(site, new):
    site.device("r01-pdu-a")["status"] = choice("offline")
    assert new(site.run(stage_destructive=True)) == []


# -- ODC-STATUS-002 ----------------------------------------------------------
def test_active_device_only_matters_for_destructive_stages(site, new):
    site.device("r02-srv07")["status"] = choice("active")
    assert new(site.run()) == []
    assert new(site.run(stage_destructive=True)) == [(
        "error", "ODC-STATUS-002", "dcim.device", "r02-srv07", "status",
        "r02-srv07 is active (in production): a destructive stage refuses it. Leave it out of the scope, or run "
        "with force: true and a force_reason.")]


def test_force_with_reason_turns_active_into_a_warning(site, new):
    site.device("spine01")["status"] = choice("active")
    report = site.run(stage_destructive=True, force=True, force_reason="CHG-1 replace PSU")
    assert new(report) == [(
        "warning", "ODC-STATUS-002", "dcim.device", "spine01", "status",
        "spine01 is active and will be changed anyway (force: CHG-1 replace PSU).")]
    assert report.passed


def test_force_without_reason_does_not_count(site, new):
    site.device("spine01")["status"] = choice("active")
    assert [f[1] for f in new(site.run(stage_destructive=True, force=True))] == ["ODC-STATUS-002"]
    assert new(site.run(stage_destructive=True, force=True))[0][0] == "error"


# -- ODC-CF-001 --------------------------------------------------------------
def test_server_bmc_custom_fields(site, new):
    site.set_cf(site.device("r02-srv06"), odc_bmc_protocol=None, odc_bmc_credential=None)
    site.set_cf(site.device("r01-srv03"), odc_bmc_protocol=choice("ssh"), odc_bmc_credential="hunter2",
                odc_bmc_port=70000)
    assert new(site.run()) == [
        ("error", "ODC-CF-001", "dcim.device", "r01-srv03", "custom_fields.odc_bmc_credential",
         "r01-srv03: BMC credential reference 'hunter2' is not of the form vault:<name> or lookup:<spec> "
         "(NetBox holds references, never secrets)."),
        ("error", "ODC-CF-001", "dcim.device", "r01-srv03", "custom_fields.odc_bmc_port",
         "r01-srv03: BMC port 70000 is not a TCP/UDP port (1-65535); leave it empty for the default."),
        ("error", "ODC-CF-001", "dcim.device", "r01-srv03", "custom_fields.odc_bmc_protocol",
         "r01-srv03: BMC protocol is 'ssh'; set odc_bmc_protocol to redfish or ipmi."),
        ("error", "ODC-CF-001", "dcim.device", "r02-srv06", "custom_fields.odc_bmc_credential",
         "r02-srv06: no BMC credential reference; set odc_bmc_credential (e.g. vault:odc_bmc_credentials.r02-srv06)."),
        ("error", "ODC-CF-001", "dcim.device", "r02-srv06", "custom_fields.odc_bmc_protocol",
         "r02-srv06: BMC protocol is not set; set odc_bmc_protocol to redfish or ipmi."),
    ]


# -- ODC-CF-002 --------------------------------------------------------------
def test_switch_asn(site, new):
    site.set_cf(site.device("r02-leaf02"), odc_asn=None)
    site.set_cf(site.device("spine01"), odc_asn={"id": 999, "asn": 64999})
    assert new(site.run()) == [
        ("error", "ODC-CF-002", "dcim.device", "r02-leaf02", "custom_fields.odc_asn",
         "r02-leaf02 (leaf) has no BGP ASN; set odc_asn to an ASN object."),
        ("error", "ODC-CF-002", "dcim.device", "spine01", "custom_fields.odc_asn",
         "spine01: odc_asn {'id': 999, 'asn': 64999} does not point to an ASN in NetBox."),
    ]


def test_oob_switch_needs_no_asn(site, new):
    site.set_cf(site.device("r01-oob01"), odc_asn=None)
    assert new(site.run()) == []


# -- ODC-CTX-001 -------------------------------------------------------------
def test_config_context_types_follow_the_profile_schema(site, new):
    ctx = site.device("r02-srv05")["config_context"]
    ctx["ntp_servers"] = "10.255.255.1"
    ctx["bmc_credentials"]["factory"] = "odc_bmc_factory"
    assert new(site.run()) == [
        ("error", "ODC-CTX-001", "dcim.device", "r02-srv05", "config_context.bmc_credentials.factory",
         "r02-srv05: config context bmc_credentials.factory value 'odc_bmc_factory' does not match ^(vault|lookup): "
         "(profile odc-bmc-credentials)."),
        ("error", "ODC-CTX-001", "dcim.device", "r02-srv05", "config_context.ntp_servers",
         "r02-srv05: config context ntp_servers must be of type array, got '10.255.255.1' "
         "(profile odc-site-services)."),
    ]


def test_missing_keys_are_one_finding_per_device_and_profile(site, new):
    ctx = site.device("r01-leaf01")["config_context"]
    for key in ("ntp_servers", "dns_servers", "syslog_servers"):
        del ctx[key]
    del site.device("r01-srv01")["config_context"]["bmc_credentials"]
    del site.device("r01-srv02")["config_context"]["openshift"]["version"]
    site.device("r01-srv03")["config_context"]["dns_servers"] = []
    assert new(site.run()) == [
        ("error", "ODC-CTX-001", "dcim.device", "r01-leaf01", "config_context",
         "r01-leaf01: config context lacks dns_servers, ntp_servers, syslog_servers (profile odc-site-services); "
         "assign a config context with profile odc-site-services to the site."),
        ("error", "ODC-CTX-001", "dcim.device", "r01-srv01", "config_context",
         "r01-srv01: config context lacks bmc_credentials (profile odc-bmc-credentials); assign a config context "
         "with profile odc-bmc-credentials to the site."),
        ("error", "ODC-CTX-001", "dcim.device", "r01-srv02", "config_context.openshift",
         "r01-srv02: config context openshift lacks version (profile odc-openshift)."),
        ("error", "ODC-CTX-001", "dcim.device", "r01-srv03", "config_context.dns_servers",
         "r01-srv03: config context dns_servers must list at least 1 item(s) (profile odc-site-services)."),
    ]


def test_missing_profile_is_reported_once_on_the_site(site, new):
    site.data["config_context_profiles"] = [p for p in site.data["config_context_profiles"]
                                            if p["name"] != "odc-bmc-credentials"]
    assert new(site.run()) == [
        ("error", "ODC-CTX-001", "dcim.site", "ODC Rijswijk 1", "config_context_profiles",
         "The config context profile odc-bmc-credentials does not exist in NetBox; create the ODC data model "
         "(playbooks/netbox_model.yml).")]


def test_snapshot_without_config_contexts_is_an_input_error(site):
    for dev in site.data["devices"]:
        dev.pop("config_context", None)
    with pytest.raises(ConfigError, match="config_context=True"):
        site.run()


def test_snapshot_without_profiles_is_an_input_error(site):
    del site.data["config_context_profiles"]
    with pytest.raises(ConfigError, match="config context profiles"):
        site.run()


# -- ODC-CTX-002 -------------------------------------------------------------
def test_service_address_in_device_local_context(site, new):
    site.device("r02-srv05")["config_context"]["dns_servers"] = ["10.255.255.53", "not_a host"]
    assert new(site.run()) == [
        ("error", "ODC-CTX-002", "dcim.device", "r02-srv05", "config_context.dns_servers[1]",
         "dns_servers entry 'not_a host' in r02-srv05's config context is neither an IP address nor a valid "
         "host name.")]


def test_service_address_in_site_context_is_reported_once(site, new, baseline):
    for dev in site.data["devices"]:
        if "ntp_servers" in (dev.get("config_context") or {}):
            dev["config_context"]["ntp_servers"] = ["10.255.255.300", "ntp.rsw1.odc.example"]
    site.context("odc-rsw1-services")["data"]["ntp_servers"] = ["10.255.255.300", "ntp.rsw1.odc.example"]
    assert new(site.run()) == [
        ("error", "ODC-CTX-002", "extras.configcontext", "odc-rsw1-services", "data.ntp_servers[0]",
         "ntp_servers entry '10.255.255.300' in config context odc-rsw1-services is neither an IP address nor a "
         "valid host name.")]


@pytest.mark.parametrize(("text", "port", "ok"), [
    ("10.0.0.1", False, True), ("2001:db8::1", False, True), ("ntp1.example.org", False, True),
    ("ntp1", False, True), ("10.255.255.514", False, False), ("-bad.example", False, False),
    ("a" * 64 + ".example", False, False), ("", False, False), ("syslog.example:514", True, True),
    ("[2001:db8::1]:514", True, True), ("10.0.0.1:514", True, True), ("10.0.0.1:514", False, False),
])
def test_valid_server(text, port, ok):
    from ansible_collections.odc.buildout.plugins.plugin_utils._preflight._rules_fields import valid_server

    assert valid_server(text, allow_port=port) is ok
