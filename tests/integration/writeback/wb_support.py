# Copyright: odc.buildout developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Shared by conftest.py and the tests: this session's run id and changelog messages."""

import uuid

RUN = "wbtest-" + uuid.uuid4().hex[:8]
SITE = "wb-test"


def message(stage):
    """The changelog message of one step: unique per session and step."""
    return f"odc.buildout run {RUN} stage {stage}"


def device_macs(device):
    """Locally administered MACs unique to this session and device, per interface of a PowerEdge R650."""
    tail = RUN[-6:].upper()
    base = f"02:{device['id'] % 256:02X}:{tail[0:2]}:{tail[2:4]}:{tail[4:6]}"
    return {name: f"{base}:{n:02X}" for n, name in enumerate(("eno1", "eno2", "ens1f0", "ens1f1", "iDRAC"))}
