# -*- coding: utf-8 -*-
# Copyright: odc.buildout developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type


class ModuleDocFragment(object):
    # Same options as BMC_CONNECTION_SPEC in plugins/module_utils/_bmc_argspec.py.
    DOCUMENTATION = r"""
options:
  address:
    description:
      - IP address or DNS name of the BMC.
      - With TLS verification on, the name must be in the certificate (IP SAN or DNS SAN).
    type: str
    required: true
  port:
    description:
      - TCP port (Redfish) or UDP port (IPMI).
      - Defaults to 443 for O(protocol=redfish) and 623 for O(protocol=ipmi).
    type: int
  protocol:
    description:
      - How to talk to the BMC. Modules that only work over Redfish fail with a clear error for V(ipmi).
    type: str
    default: redfish
    choices: [redfish, ipmi]
  username:
    description:
      - BMC account used for this task.
    type: str
    required: true
  password:
    description:
      - Password of O(username). Never logged, never returned.
    type: str
    required: true
  ca_path:
    description:
      - PEM file with the CA that signed the BMC certificate.
      - Without it the system trust store is used.
    type: path
  validate_certs:
    description:
      - Verify the BMC's TLS certificate (TLS 1.2 or newer is always required).
      - Set to V(false) only for a first contact with a factory self-signed certificate.
    type: bool
    default: true
  timeout:
    description:
      - Seconds to wait for one answer from the BMC.
    type: int
    default: 30
  retry_budget:
    description:
      - Total seconds spent retrying one read (backoff with jitter, honouring C(Retry-After)).
      - Writes are never retried blindly, see the BMC documentation (docs/bmc.md).
    type: int
    default: 60
  vendor:
    description:
      - Force a vendor profile instead of detecting it from the Redfish service root.
    type: str
    default: auto
    choices: [auto, dell, hpe, lenovo, supermicro, generic]
  system_id:
    description:
      - Id of the ComputerSystem when a BMC manages more than one.
    type: str
  run_id:
    description:
      - Identifier of this run (for example a timestamp set once per playbook run).
      - After one failed login on a BMC, no further login is tried on that BMC for the same O(run_id),
        also from later tasks, to avoid locking the account.
      - Without it the guard only lasts for one task.
    type: str
  state_dir:
    description:
      - Directory on the host running the module for session-slot locks and login-guard markers.
      - Defaults to C(odc-buildout-bmc) in the system temporary directory. No secret is written there.
    type: path
  reserve_sessions:
    description:
      - Sessions per BMC left free for people and other tools; this collection opens at most the
        vendor's session limit minus this number at once.
    type: int
    default: 2
  ipmi_pacing:
    description:
      - Minimum seconds between two IPMI commands (small BMCs drop commands sent back to back).
    type: float
    default: 2.0
"""

    # Same options as BMC_IDENTITY_SPEC; used by every module that writes.
    IDENTITY = r"""
options:
  expected_serial:
    description:
      - Serial number the system must report. If it differs, the task fails before any write.
    type: str
  expected_uuid:
    description:
      - System UUID the BMC must report (canonical or SMBIOS byte order). If it differs, the task fails
        before any write.
    type: str
  expected_macs:
    description:
      - MAC addresses that must all be present among the system's or the BMC's Ethernet interfaces.
        If one is missing, the task fails before any write.
    type: list
    elements: str
"""
