# Copyright: odc.buildout developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Doc fragment for DEVICE_SPEC (plugins/module_utils/_netbox_writeback.py): one NetBox device, explicitly."""


class ModuleDocFragment:
    DOCUMENTATION = r"""
options:
  device:
    description:
      - Name of the NetBox device. Needs O(site); a name alone is never looked up across sites.
      - Mutually exclusive with O(device_id).
    type: str
  site:
    description:
      - Slug of the site the O(device) belongs to (for example V(odc-rsw1)).
    type: str
  device_id:
    description:
      - NetBox id of the device. Mutually exclusive with O(device) and O(site).
    type: int
notes:
  - The device is identified by O(device) + O(site) or by O(device_id); one of them is required.
    An unknown site or device, or a name that matches more than one device in the site, fails without writing.
"""
