# -*- coding: utf-8 -*-
# Copyright: odc.buildout developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""JSON-schema validation of the structured config (and of rendered config_db.json)."""

from __future__ import annotations

import json
import os

from ansible_collections.odc.buildout.plugins.module_utils._errors import ValidationFailed

SCHEMA_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), "schemas")
_VALIDATORS = {}
_FAST = {}


def schema(name):
    with open(os.path.join(SCHEMA_DIR, name + ".schema.json")) as handle:
        return json.load(handle)


def validator(name):
    if name not in _VALIDATORS:
        from jsonschema import Draft202012Validator
        _VALIDATORS[name] = Draft202012Validator(schema(name))
    return _VALIDATORS[name]


def fast_validator(name):
    """Optional accelerator: fastjsonschema compiles the schema to Python (the schemas use only
    draft-7 keywords).  Used as a yes/no fast path; messages always come from jsonschema."""
    if name not in _FAST:
        try:
            import fastjsonschema
            definition = dict(schema(name))
            definition["$schema"] = "http://json-schema.org/draft-07/schema#"
            definition.pop("$id", None)
            _FAST[name] = (fastjsonschema.compile(definition), fastjsonschema.JsonSchemaException)
        except ImportError:
            _FAST[name] = None
    return _FAST[name]


def errors_for(name, document, label):
    fast = fast_validator(name)
    if fast is not None:
        check, failure = fast
        try:
            check(document)
            return []
        except failure:
            pass
    out = []
    for err in sorted(validator(name).iter_errors(document), key=lambda e: list(e.absolute_path)):
        path = "/" + "/".join(str(p) for p in err.absolute_path)
        out.append("%s %s: %s" % (label, path, err.message))
    return out


def validate_result(result):
    problems = errors_for("site", result["site"], "site")
    for name, doc in result["switches"].items():
        problems += errors_for("switch", doc, "switch %s" % name)
    for name, doc in result["servers"].items():
        problems += errors_for("server", doc, "server %s" % name)
    if problems:
        raise ValidationFailed("Structured config failed its schema (%d problem(s)):\n%s"
                               % (len(problems), "\n".join("- " + p for p in problems)), findings=problems)
    return result
