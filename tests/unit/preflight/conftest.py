# Copyright: odc.buildout developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Fixtures for the preflight unit tests.

``fixtures/demo_site.json`` is a REST dump of the demo site as the preflight
reads it from the lab NetBox: ``json.dump(fetch_snapshot(client, "odc-rsw1").to_dict(), fh)``
(plugins/plugin_utils/_preflight/_run.py), i.e. the default snapshot kinds with
rendered config contexts plus device types, config contexts and their profiles,
reduced to the demo site's objects. Tests parse a fresh copy and mutate it.
"""

import os
import sys

import pytest

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", "..", ".."))
COLLECTIONS = os.path.join(ROOT, ".cache", "collections")
if COLLECTIONS not in sys.path:
    sys.path.insert(0, COLLECTIONS)
if HERE not in sys.path:
    sys.path.insert(0, HERE)

from preflight_demo import DemoSite, load_demo  # noqa: E402


@pytest.fixture(scope="session")
def demo_data():
    return load_demo()


@pytest.fixture
def site():
    """A mutable copy of the demo site with finders and a ``run()`` helper."""
    return DemoSite(load_demo())


@pytest.fixture(scope="session")
def baseline():
    """Findings on the untouched demo site (one warning: the syslog address, see docs/preflight.md)."""
    return DemoSite(load_demo()).run()


@pytest.fixture
def new(baseline):
    """new(report) -> findings that the untouched demo site does not have, as comparable tuples."""

    def diff(report):
        before = set(baseline.findings)
        return sorted(key(f) for f in report.findings if f not in before)

    return diff


def key(finding):
    return (finding.severity, finding.rule, finding.object_type, finding.object_name, finding.field, finding.message)
