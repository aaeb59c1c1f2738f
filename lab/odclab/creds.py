# Copyright: odc.buildout developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Factory credentials of the lab BMCs: $ODC_LAB_HOME/bmc/credentials.yml (0600).

An Ansible vars file, the lab's stand-in for the vault (NetBox holds only
references: config context ``bmc_credentials.factory: vault:odc_bmc_factory``)::

    odc_bmc_factory:                 # the site's factory default
      username: admin
      password: <random>
    odc_bmc_factory_devices:         # what each lab BMC is seeded with
      r01-srv01: {username: admin, password: <same as the default unless edited>}

Every BMC is seeded from its ``odc_bmc_factory_devices`` entry (created from
the default when missing): edit one entry and re-run ``up`` to give one BMC a
different factory password. Other top-level keys (e.g. the per-device
credentials a later stage rotates to) are preserved. Never printed.
"""

import os
import secrets
import string

import yaml

from .common import read_text, write_file

DEFAULT_KEY = "odc_bmc_factory"
DEVICES_KEY = "odc_bmc_factory_devices"
FACTORY_USER = "admin"
_ALPHABET = string.ascii_letters + string.digits
HEADER = ("# Lab BMC factory credentials, written by lab/peers.py. Secret (0600), never commit.\n"
          f"# NetBox references them as vault:{DEFAULT_KEY} (site default) and vault:{DEVICES_KEY}.<device>.\n")


def new_password(length=16):
    """IPMI 2.0 passwords are at most 20 bytes: 16 alphanumerics, at least one digit and one of each case."""
    while True:
        password = "".join(secrets.choice(_ALPHABET) for _ in range(length))
        if (any(c.isdigit() for c in password) and any(c.islower() for c in password)
                and any(c.isupper() for c in password)):
            return password


def _valid(entry):
    return (isinstance(entry, dict) and isinstance(entry.get("username"), str) and entry["username"]
            and isinstance(entry.get("password"), str) and entry["password"])


def ensure(path, names):
    """Load (creating what is missing) and return {device: {"username", "password"}} for names."""
    text = read_text(path)
    data = (yaml.safe_load(text) if text else None) or {}
    if not isinstance(data, dict):
        data = {}
    changed = False
    default = data.get(DEFAULT_KEY)
    if not _valid(default):
        default = {"username": FACTORY_USER, "password": new_password()}
        data[DEFAULT_KEY] = default
        changed = True
    devices = data.get(DEVICES_KEY)
    if not isinstance(devices, dict):
        devices = {}
        data[DEVICES_KEY] = devices
        changed = True
    for name in names:
        if not _valid(devices.get(name)):
            devices[name] = {"username": default["username"], "password": default["password"]}
            changed = True
    if changed or text is None:
        write_file(path, HEADER + yaml.safe_dump(data, default_flow_style=False, sort_keys=True), mode=0o600)
    else:
        os.chmod(path, 0o600)
    return {name: dict(devices[name]) for name in names}
