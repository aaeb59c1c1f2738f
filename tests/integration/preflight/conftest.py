# Copyright: odc.buildout developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Fixtures for the preflight tests against the REAL lab NetBox (127.0.0.1:8001).

* ``nb``        the collection's NetBoxClient (token from /var/lib/odc-lab/netbox-token, never printed)
* ``Corruptor`` (pf_support.py) corrupts the demo site odc-rsw1 through NetBoxApply sections, records the
  values it overwrites and every object it creates, and restores / deletes them afterwards
"""

import os
import sys

import pytest

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", "..", ".."))
COLLECTIONS = os.path.join(ROOT, ".cache", "collections")
UNIT = os.path.join(ROOT, "tests", "unit", "preflight")

_link = os.path.join(COLLECTIONS, "ansible_collections", "odc", "buildout")
if not os.path.exists(_link):
    os.makedirs(os.path.dirname(_link), exist_ok=True)
    os.symlink(ROOT, _link)
for path in (COLLECTIONS, UNIT, HERE):
    if path not in sys.path:
        sys.path.insert(0, path)

from lab_access import lab_token  # noqa: E402
from pf_support import NETBOX_URL, RecordingClient  # noqa: E402

from ansible_collections.odc.buildout.plugins.module_utils._errors import OdcError  # noqa: E402


def pytest_configure(config):
    config.addinivalue_line("markers", "integration: needs the real lab NetBox on 127.0.0.1:8001")


@pytest.fixture(scope="session")
def token():
    return lab_token()


@pytest.fixture(scope="session")
def nb(token):
    client = RecordingClient(NETBOX_URL, token)
    try:
        client.check_version()
    except OdcError as exc:
        pytest.skip(f"lab NetBox not usable: {exc}")
    try:
        yield client
    finally:
        client.close()
