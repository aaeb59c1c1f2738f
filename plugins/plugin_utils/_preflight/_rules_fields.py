# Copyright: odc.buildout developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Required custom fields and config-context keys, typed as the data model says.

Config contexts are checked against the JSON schemas of NetBox's config
context profiles (read from NetBox, so the schema has one home).
"""

import ipaddress
import re

from ansible_collections.odc.buildout.plugins.module_utils._errors import ConfigError
from ansible_collections.odc.buildout.plugins.plugin_utils._preflight._context import (
    BUILD_ROLES,
    cf,
    role,
)
from ansible_collections.odc.buildout.plugins.plugin_utils._preflight._finding import (
    ERROR,
    WARNING,
)
from ansible_collections.odc.buildout.plugins.plugin_utils._preflight._registry import (
    rule,
)

try:
    import jsonschema
except ImportError:  # pragma: no cover - jsonschema is in requirements.txt
    jsonschema = None

BMC_PROTOCOLS = ("redfish", "ipmi")
CREDENTIAL_RE = re.compile(r"^(vault|lookup):[A-Za-z0-9_.:/-]+$")
SERVICE_KEYS = {"ntp_servers": ERROR, "dns_servers": ERROR, "syslog_servers": WARNING}
HOSTNAME_LABEL = re.compile(r"^(?!-)[A-Za-z0-9-]{1,63}(?<!-)$")


@rule("ODC-CF-001", "Servers carry their BMC custom fields")
def server_custom_fields(ctx, report):
    for dev in ctx.devices("server"):
        name = dev["name"]
        protocol = cf(dev, "odc_bmc_protocol")
        if protocol not in BMC_PROTOCOLS:
            what = "is not set" if protocol in (None, "") else f"is {protocol!r}"
            report("dcim.device", dev, "custom_fields.odc_bmc_protocol",
                   f"{name}: BMC protocol {what}; set odc_bmc_protocol to redfish or ipmi.")
        credential = cf(dev, "odc_bmc_credential")
        if not credential:
            report("dcim.device", dev, "custom_fields.odc_bmc_credential",
                   f"{name}: no BMC credential reference; set odc_bmc_credential "
                   f"(e.g. vault:odc_bmc_credentials.{name}).")
        elif not isinstance(credential, str) or not CREDENTIAL_RE.match(credential):
            report("dcim.device", dev, "custom_fields.odc_bmc_credential",
                   f"{name}: BMC credential reference {credential!r} is not of the form vault:<name> "
                   "or lookup:<spec> (NetBox holds references, never secrets).")
        port = cf(dev, "odc_bmc_port")
        if port is not None and (not isinstance(port, int) or isinstance(port, bool) or not 1 <= port <= 65535):
            report("dcim.device", dev, "custom_fields.odc_bmc_port",
                   f"{name}: BMC port {port!r} is not a TCP/UDP port (1-65535); leave it empty for the default.")


@rule("ODC-CF-002", "Spine and leaf switches have a BGP ASN")
def switch_asn(ctx, report):
    for dev in ctx.devices("spine", "leaf"):
        asn = (dev.get("custom_fields") or {}).get("odc_asn")
        if not asn:
            report("dcim.device", dev, "custom_fields.odc_asn",
                   f"{dev['name']} ({role(dev)}) has no BGP ASN; set odc_asn to an ASN object.")
        elif not isinstance(asn, dict) or asn.get("id") not in ctx.nb.by_id["asns"]:
            report("dcim.device", dev, "custom_fields.odc_asn",
                   f"{dev['name']}: odc_asn {asn!r} does not point to an ASN in NetBox.")


def required_profiles(ctx, dev):
    """Config context profiles whose schema a device's rendered context must satisfy."""
    names = ["odc-site-services"]
    if role(dev) == "server":
        names.append("odc-bmc-credentials")
    cluster = ctx.nb.by_id["clusters"].get((dev.get("cluster") or {}).get("id"))
    if cluster and (cluster.get("type") or {}).get("slug") == "openshift":
        names.append("odc-openshift")
    return names


@rule("ODC-CTX-001", "Config context has the keys the profiles require, typed as their schema says")
def config_context_schema(ctx, report):
    if jsonschema is None:  # pragma: no cover
        raise ConfigError("The preflight needs the Python package jsonschema on the controller.")
    profiles = ctx.nb.data.get("config_context_profiles")
    if profiles is None:
        raise ConfigError("The snapshot has no config context profiles (Snapshot.fetch(extra=...)).")
    by_name = {p["name"]: p for p in profiles}
    missing_reported = set()
    for dev in ctx.devices(*BUILD_ROLES):
        if "config_context" not in dev:
            raise ConfigError("The snapshot was read without config contexts (Snapshot.fetch(config_context=True)).")
        data = dev.get("config_context") or {}
        for name in required_profiles(ctx, dev):
            profile = by_name.get(name)
            if profile is None:
                if name not in missing_reported:
                    missing_reported.add(name)
                    report("dcim.site", ctx.scope.site, "config_context_profiles",
                           f"The config context profile {name} does not exist in NetBox; "
                           "create the ODC data model (playbooks/netbox_model.yml).")
                continue
            _check_schema(dev, data, profile, report)


def _check_schema(dev, data, profile, report):
    validator = jsonschema.Draft202012Validator(profile.get("schema") or {})
    errors = sorted(validator.iter_errors(data), key=lambda e: (list(e.absolute_path), e.message))
    missing = [e.message.split("'")[1] for e in errors
               if e.validator == "required" and not list(e.absolute_path) and "'" in e.message]
    if missing:
        report("dcim.device", dev, "config_context",
               f"{dev['name']}: config context lacks {', '.join(missing)} (profile {profile['name']}); "
               f"assign a config context with profile {profile['name']} to the site.")
    for err in errors:
        path = ".".join(str(p) for p in err.absolute_path)
        if err.validator == "required" and not path:
            continue
        report("dcim.device", dev, "config_context" + (f".{path}" if path else ""),
               f"{dev['name']}: config context {path or '(root)'} {_explain(err)} (profile {profile['name']}).")


def _explain(err):
    if err.validator == "type":
        return f"must be of type {err.validator_value}, got {err.instance!r}"
    if err.validator == "minItems":
        return f"must list at least {err.validator_value} item(s)"
    if err.validator == "pattern":
        return f"value {err.instance!r} does not match {err.validator_value}"
    if err.validator == "required":
        return f"lacks {err.message.split(chr(39))[1] if chr(39) in err.message else err.message}"
    return err.message


def valid_server(text, allow_port=False):
    """An IP address or a DNS host name (RFC 1123: the last label is not all digits)."""
    if not isinstance(text, str) or not text:
        return False
    host = text
    if allow_port:
        match = re.match(r"^\[(?P<v6>[^\]]+)\]:(?P<p>\d+)$|^(?P<h>[^:]+):(?P<port>\d+)$", text)
        if match:
            host = match.group("v6") or match.group("h")
    try:
        ipaddress.ip_address(host)
        return True
    except ValueError:
        pass
    labels = host.rstrip(".").split(".")
    if len(host) > 253 or not all(HOSTNAME_LABEL.match(label) for label in labels):
        return False
    return not labels[-1].isdigit()


@rule("ODC-CTX-002", "NTP, DNS and syslog servers are IP addresses or host names")
def service_addresses(ctx, report):
    contexts = ctx.nb.data.get("config_contexts") or []
    for dev in ctx.devices(*BUILD_ROLES):
        data = dev.get("config_context") or {}
        for key, severity in SERVICE_KEYS.items():
            entries = data.get(key)
            if not isinstance(entries, list):
                continue  # ODC-CTX-001 reports the shape
            for pos, entry in enumerate(entries):
                if valid_server(entry, allow_port=key == "syslog_servers"):
                    continue
                source = next((c for c in contexts if c.get("is_active", True)
                               and entry in ((c.get("data") or {}).get(key) or [])), None)
                obj_type, obj = ("extras.configcontext", source) if source else ("dcim.device", dev)
                if source:
                    index = source["data"][key].index(entry)
                    field, where = f"data.{key}[{index}]", f"config context {source['name']}"
                else:
                    field, where = f"config_context.{key}[{pos}]", f"{dev['name']}'s config context"
                report(obj_type, obj, field,
                       f"{key} entry {entry!r} in {where} is neither an IP address nor a valid host name.",
                       severity)
