# -*- coding: utf-8 -*-
# Copyright: odc.buildout developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""How the integration tests reach the lab NetBox: one place for its token.

``tests/`` is on sys.path (pytest puts the directory of ``tests/conftest.py``
there), so any test module or conftest can ``from lab_access import lab_token``.
"""

import os

import pytest

LAB_HOME = os.environ.get("ODC_LAB_HOME", "/var/lib/odc-lab")
TOKEN_FILE = os.environ.get("ODC_NETBOX_TOKEN_FILE", os.path.join(LAB_HOME, "netbox-token"))


def lab_token(required=True):
    """The lab NetBox token: NETBOX_TOKEN, else the lab's token file (root only); never printed.

    When there is none: skips the test, or returns None with ``required=False``.
    """
    token = (os.environ.get("NETBOX_TOKEN") or "").strip()
    if token:
        return token
    try:
        with open(TOKEN_FILE) as handle:
            return handle.read().strip()
    except OSError as exc:
        if not required:
            return None
        pytest.skip("no lab NetBox token readable at %s: %s (run make lab-up)" % (TOKEN_FILE, exc.strerror))
