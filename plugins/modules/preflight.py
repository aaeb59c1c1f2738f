# Copyright: odc.buildout developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# Documentation only: the work is done by the action plugin plugins/action/preflight.py (on the controller).

DOCUMENTATION = r"""
---
module: preflight
short_description: Validate a site, racks or devices in NetBox before any hardware is touched
version_added: 0.1.0
description:
  - Reads the scope from NetBox in one bulk read and checks it against the ODC data model; reports B(all)
    findings at once, each with a severity, a rule id (for example C(ODC-BMC-002)), the NetBox object (type,
    id, name, URL), the field concerned and a message for the datacenter engineer.
  - Fails when any finding is an error; warnings are reported but do not fail the run.
  - Talks to NetBox only. It never contacts a BMC, a switch or a host.
  - Rules cover BMC interfaces and addresses, identity (MACs, serials, names), boot NIC, cabling and link roles,
    dual-homing on the rack's leaf pair, VLANs on leaf ports, IP addresses and prefixes per VRF, rack space and
    power, OpenShift clusters, the status lifecycle and required custom fields and config contexts.
    See C(docs/preflight.md) for the rule list.
  - This is an action plugin; it runs on the controller.
extends_documentation_fragment:
  - odc.buildout.netbox_connection
  - ansible.builtin.action_common_attributes
options:
  site:
    description:
      - Slug of the NetBox site to check.
    type: str
    required: true
  racks:
    description:
      - Only check the devices in these racks (names). Adds up with O(devices).
      - Site-wide checks (uniqueness of names, MACs, serials, IPs) still compare with the whole site.
    type: list
    elements: str
    default: []
  devices:
    description:
      - Only check these devices (names). Adds up with O(racks).
    type: list
    elements: str
    default: []
  stage_destructive:
    description:
      - The run precedes a stage that changes devices (BMC bootstrap, firmware, install). Active devices in the
        scope are then errors unless O(force=true).
    type: bool
    default: false
  force:
    description:
      - With O(stage_destructive=true), accept active devices in the scope (reported as warnings). Needs
        O(force_reason).
    type: bool
    default: false
  force_reason:
    description:
      - Why active devices may be changed (a change or incident number); recorded in the report.
    type: str
  report_path:
    description:
      - Write the report as JSON to this file on the controller (for CI and NetBox-triggered runs).
      - Not written in check mode.
    type: path
attributes:
  action:
    support: full
    description: Runs on the controller as an action plugin.
  async:
    support: none
    description: The action plugin does not run asynchronously.
  bypass_host_loop:
    support: none
    description: Runs once per host of the play; the role runs it once (C(run_once)).
  check_mode:
    support: full
    details: Read-only; in check mode the report file is not written.
  diff_mode:
    support: none
  platform:
    platforms: all
notes:
  - Needs the Python package C(jsonschema) on the controller (config contexts are checked against the schemas of
    NetBox's config context profiles).
seealso:
  - module: odc.buildout.netbox_apply
author:
  - odc.buildout developers (@odc-buildout)
"""

EXAMPLES = r"""
- name: Check the whole site before the BMC bootstrap
  odc.buildout.preflight:
    site: odc-rsw1
    stage_destructive: true
    report_path: "{{ playbook_dir }}/artifacts/preflight-odc-rsw1.json"

- name: Check two racks only
  odc.buildout.preflight:
    site: odc-rsw1
    racks: [R01, R02]

- name: Rebuild an active server (recorded in the report)
  odc.buildout.preflight:
    site: odc-rsw1
    devices: [r01-srv03]
    stage_destructive: true
    force: true
    force_reason: CHG-2041 replace system board
"""

RETURN = r"""
passed:
  description: True when there is no error finding.
  returned: success
  type: bool
msg:
  description: One line summary (scope, number of errors and warnings).
  returned: always
  type: str
  sample: "Preflight FAILED for site odc-rsw1 (28 devices, 35 rules): 1 error(s), 0 warning(s)."
stdout:
  description: The findings as a table (severity, rule, object, field, message).
  returned: success
  type: str
stdout_lines:
  description: The table of RV(stdout) split into lines.
  returned: success
  type: list
  elements: str
findings:
  description: Every finding, errors first.
  returned: success
  type: list
  elements: dict
  contains:
    severity:
      description: C(error) or C(warning).
      type: str
      sample: error
    rule:
      description: Rule id.
      type: str
      sample: ODC-BMC-002
    object_type:
      description: NetBox object type (C(app_label.model)).
      type: str
      sample: ipam.ipaddress
    object_id:
      description: NetBox id of the object.
      type: int
      sample: 7
    object_name:
      description: Name of the object (for an interface C(device interface)).
      type: str
      sample: 127.0.9.11/24
    url:
      description: The object's page in NetBox.
      type: str
      sample: https://netbox.example.org/ipam/ip-addresses/7/
    field:
      description: The field to fix.
      type: str
      sample: address
    message:
      description: What is wrong, for a datacenter engineer.
      type: str
      sample: BMC address 127.0.9.11/24 of r01-srv01 iDRAC is outside the OOB/BMC prefix (role oob-bmc, 127.0.10.0/24).
summary:
  description: Number of errors and warnings and of devices in the scope.
  returned: success
  type: dict
  sample: {"errors": 1, "warnings": 0, "devices": 28}
rules:
  description: Ids of the rules that ran.
  returned: success
  type: list
  elements: str
report_path:
  description: Where the JSON report was written (same content as RV(findings) plus scope, summary and rules).
  returned: when O(report_path) is set
  type: str
requests:
  description: Number of HTTP requests sent to NetBox (the only peer contacted).
  returned: success
  type: int
"""
