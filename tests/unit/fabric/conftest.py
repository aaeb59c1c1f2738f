# -*- coding: utf-8 -*-
# Copyright: odc.buildout developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Fixtures for the fabric unit tests: the demo-site snapshot and edits of it."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import os
import sys

import pytest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from fabric_testlib import Edit, demo_data  # noqa: E402


@pytest.fixture()
def demo():
    """A mutable copy of the demo-site snapshot dict."""
    return demo_data()


@pytest.fixture()
def edit(demo):
    return Edit(demo)
