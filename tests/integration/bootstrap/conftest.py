# -*- coding: utf-8 -*-
# Copyright: odc.buildout developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Fixtures for the bootstrap tests: reuse the BMC test fixtures (doubles, certs)."""

import importlib.util
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "bmc"))
_spec = importlib.util.spec_from_file_location("odc_bmc_test_fixtures", os.path.join(HERE, "..", "bmc", "conftest.py"))
_bmc = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_bmc)

_fresh_login_guard = _bmc._fresh_login_guard
certs = _bmc.certs
state_dir = _bmc.state_dir
make_double = _bmc.make_double
ROOT = _bmc.ROOT
