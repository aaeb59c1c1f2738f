# Copyright: odc.buildout developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""One preflight finding: what is wrong, where in NetBox, and how bad."""

from dataclasses import asdict, dataclass

ERROR = "error"
WARNING = "warning"
SEVERITIES = (ERROR, WARNING)

# NetBox object type -> path of its page in the web UI
UI_PATHS = {
    "dcim.site": "dcim/sites",
    "dcim.rack": "dcim/racks",
    "dcim.device": "dcim/devices",
    "dcim.interface": "dcim/interfaces",
    "dcim.powerfeed": "dcim/power-feeds",
    "ipam.ipaddress": "ipam/ip-addresses",
    "ipam.prefix": "ipam/prefixes",
    "virtualization.cluster": "virtualization/clusters",
    "extras.configcontext": "extras/config-contexts",
    "extras.configcontextprofile": "extras/config-context-profiles",
}


@dataclass(frozen=True, order=True)
class Finding:
    """A problem found in NetBox by one preflight rule.

    ``object_type`` is NetBox's ``app_label.model`` (``dcim.interface``),
    ``field`` the attribute to fix (``custom_fields.odc_link_role``,
    ``position``), ``message`` a sentence for a datacenter engineer.
    """

    severity: str
    rule: str
    object_name: str
    field: str
    message: str
    object_type: str = ""
    object_id: int = 0
    url: str = ""

    def to_dict(self):
        return asdict(self)

    @property
    def is_error(self):
        return self.severity == ERROR


def sort_key(finding):
    """Errors first, then by rule id, object and field."""
    return (SEVERITIES.index(finding.severity), finding.rule, finding.object_name, finding.field, finding.message)


def object_name(object_type, obj):
    """A name an engineer recognises: ``r01-srv01``, ``r01-srv01 ens1f0``, ``10.40.0.5/24``."""
    if object_type == "dcim.interface":
        device = (obj.get("device") or {}).get("name") or "?"
        return f"{device} {obj.get('name')}"
    if object_type == "ipam.ipaddress":
        return _with_vrf(obj.get("address"), obj)
    if object_type == "ipam.prefix":
        return _with_vrf(obj.get("prefix"), obj)
    return str(obj.get("name") or obj.get("display") or f"#{obj.get('id')}")


def _with_vrf(text, obj):
    vrf = obj.get("vrf")
    if vrf:
        return f"{text} (VRF {vrf.get('name') or vrf.get('id')})"
    return str(text)


def object_url(object_type, obj, netbox_url=""):
    """The object's page in the NetBox UI (``display_url``, else built from the type and id)."""
    if obj.get("display_url"):
        return obj["display_url"]
    path = UI_PATHS.get(object_type)
    if path and obj.get("id") and netbox_url:
        return f"{netbox_url.rstrip('/')}/{path}/{obj['id']}/"
    return ""
