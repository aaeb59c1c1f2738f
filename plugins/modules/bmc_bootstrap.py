#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: odc.buildout developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: bmc_bootstrap
short_description: Bootstrap every BMC of a site, racks or devices in parallel
version_added: 0.1.0
description:
  - Runs on the controller (action plugin). Reads the scope from NetBox (or takes O(targets)) and runs, for
    all servers at once in threads, in this order per server - reach the BMC; identity guard (serial, UUID,
    MACs NetBox has); inventory written back to NetBox (serial, MACs, firmware); rotation of the factory
    credential to the per-server credential; hardening settings; BIOS profile; firmware compliance report;
    boot target for the install stage; power on, verified.
  - Status gate before any BMC contact - only devices with NetBox status C(planned) or C(staged); others are
    refused unless O(force=true) with O(force_reason) (logged in the result and in a NetBox journal entry).
  - A step the BMC does not implement (no AccountService, Bios, FirmwareInventory, NetworkProtocol) is
    reported as C(unsupported) with a warning, never faked, never failed.
  - Fails when any server failed or was refused, after all servers ran.
options:
  site: {description: NetBox site slug (scope)., type: str}
  racks: {description: Rack names within O(site)., type: list, elements: str, default: []}
  devices: {description: Device names within O(site)., type: list, elements: str, default: []}
  targets:
    description:
      - BMCs given directly (no NetBox, no write-back) - dicts with C(name), C(address), C(port), C(protocol),
        C(status), C(device_type), C(expected_serial), C(expected_uuid), C(expected_macs).
    type: list
    elements: dict
  netbox_url: {description: NetBox URL (env C(NETBOX_API))., type: str}
  netbox_token: {description: NetBox token (env C(NETBOX_TOKEN))., type: str}
  netbox_validate_certs: {description: Verify NetBox TLS., type: bool, default: true}
  netbox_ca_path: {description: CA for NetBox., type: path}
  writeback: {description: Write the inventory back to NetBox., type: bool, default: true}
  factory_credential:
    description: "Factory credential C({username, password}) (vault C(odc_bmc_factory))."
    type: dict
  factory_credentials: {description: Per-device factory credentials by device name., type: dict, default: {}}
  credentials:
    description: "Per-server credentials by device name, C({username, password}) (vault C(odc_bmc_credentials))."
    type: dict
    default: {}
  credentials_file:
    description:
      - Lab only - a 0600 vars file; a per-server credential missing from its C(odc_bmc_credentials) is
        generated (random) and stored there before the run (not in check mode).
    type: path
  admin_user: {description: Username for generated per-server credentials., type: str, default: odcadmin}
  retire_factory: {description: Disable the factory account after the new one is verified., type: bool, default: true}
  hardening: {description: Apply the hardening profile of bmc_settings., type: bool, default: true}
  ntp_servers: {description: NTP servers (default from the NetBox config context C(ntp_servers))., type: list, elements: str}
  bios: {description: BIOS attributes for every server., type: dict, default: {}}
  bios_profiles: {description: BIOS attributes by device type slug (merged over O(bios))., type: dict, default: {}}
  firmware_baseline:
    description: "Baseline C({component: version}) (default from config context C(firmware_baseline) by device type)."
    type: dict
  boot_target:
    description: Boot target for the install stage.
    type: str
    default: pxe
    choices: [none, pxe, cd, usb, hdd, uefi_http, uefi_target]
  boot_persistence: {description: Boot override persistence., type: str, default: continuous, choices: [once, continuous]}
  boot_mode: {description: Boot mode., type: str, default: uefi, choices: [uefi, legacy]}
  power_on: {description: Power on and verify., type: bool, default: true}
  force: {description: Also touch devices not planned/staged., type: bool, default: false}
  force_reason: {description: Why (required with O(force))., type: str}
  workers: {description: Servers in parallel (threads)., type: int, default: 16}
  ca_path: {description: CA bundle for the BMCs., type: path}
  validate_certs: {description: Verify BMC TLS., type: bool, default: true}
  timeout: {description: BMC request timeout (s)., type: int, default: 30}
  retry_budget: {description: Retry budget per request (s)., type: int, default: 60}
  power_timeout: {description: Wait for power on (s)., type: int, default: 300}
  poll_interval: {description: Power poll interval (s)., type: float, default: 2.0}
  ipmi_pacing: {description: Seconds between IPMI commands., type: float, default: 2.0}
  run_id: {description: Run id for the login guard and the journal (generated when missing)., type: str}
  state_dir: {description: Directory for session slots and login-guard markers., type: path}
  expected_exceptions:
    description:
      - Devices this run expects to be refused or to fail. Any other failed or refused server fails the task,
        and so does one of these that is in scope and passes.
    type: list
    elements: str
    default: []
attributes:
  check_mode: {support: full, description: Reads only; prints the plan.}
  diff_mode: {support: none, description: Before/after are in the per-step results.}
notes:
  - Credentials are tried vault first, then factory; see docs/bmc.md "The bootstrap stage".
author:
  - odc.buildout developers (@odc-buildout)
"""

EXAMPLES = r"""
- name: Bootstrap rack R01
  odc.buildout.bmc_bootstrap:
    site: odc-rsw1
    racks: [R01]
    factory_credential: "{{ odc_bmc_factory }}"
    credentials: "{{ odc_bmc_credentials | default({}) }}"
    ca_path: /etc/pki/odc/bmc-ca.pem
"""

RETURN = r"""
results:
  description: Per server - ok, status (ok/failed/refused), steps (one dict per step, in order), error, forced.
  returned: always
  type: dict
summary:
  description: total, ok, failed, refused, changed, unsupported, run_id, check_mode.
  returned: always
  type: dict
plan:
  description: One line per server in scope.
  returned: always
  type: list
  elements: str
"""
