# -*- coding: utf-8 -*-
# Copyright: odc.buildout developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The bootstrap's verdict (which outcomes fail the run) and its documented options."""

import yaml

from ansible_collections.odc.buildout.plugins.action.bmc_bootstrap import ARGS, verdict
from ansible_collections.odc.buildout.plugins.modules import bmc_bootstrap as module_doc


def _out(ok=(), failed=(), refused=()):
    results = {n: {"status": "ok"} for n in ok}
    results.update({n: {"status": "failed"} for n in failed})
    results.update({n: {"status": "refused"} for n in refused})
    return {"results": results, "summary": {"failed": sorted(failed), "refused": sorted(refused)}}


def test_all_ok_passes():
    assert verdict(_out(ok=["a", "b"])) == (False, None)


def test_any_failure_or_refusal_fails_by_default():
    assert verdict(_out(ok=["a"], failed=["b"], refused=["c"])) == (True, "bmc_bootstrap failed on b, c")


def test_expected_exceptions_pass_and_are_named():
    assert verdict(_out(ok=["a"], failed=["b"], refused=["c"]), ["b", "c"]) == (
        False, "refused or failed as expected: b, c")


def test_an_expected_exception_that_passed_fails_the_run():
    failed, msg = verdict(_out(ok=["a", "b"], refused=["c"]), ["b", "c"])
    assert failed and msg == "expected to be refused or to fail but did not: b"


def test_expected_exceptions_out_of_scope_are_ignored():
    # a run scoped to some devices does not see the others
    assert verdict(_out(ok=["a"]), ["z"]) == (False, None)


def test_unexpected_and_missed_are_both_reported():
    failed, msg = verdict(_out(ok=["b"], failed=["a"]), ["b"])
    assert failed and msg == "bmc_bootstrap failed on a; expected to be refused or to fail but did not: b"


def test_documented_options_are_the_argument_spec():
    doc = yaml.safe_load(module_doc.DOCUMENTATION)["options"]
    assert set(doc) == set(ARGS)
    for name, spec in ARGS.items():
        assert doc[name].get("type", "str") == spec.get("type", "str"), name
        if "default" in spec:
            assert doc[name].get("default") == spec["default"], name
