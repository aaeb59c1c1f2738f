# -*- coding: utf-8 -*-
# Copyright: odc.buildout developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Render structured config to files; parse each format back where we can.

Templates only print.  After rendering, config_db.json is parsed back with
json.loads and checked against its schema, NMState with yaml.safe_load: a
template bug becomes a clear ValidationFailed naming the file.
"""

from __future__ import annotations

import difflib
import json
import os

from ansible_collections.odc.buildout.plugins.module_utils._errors import ValidationFailed
from ansible_collections.odc.buildout.plugins.plugin_utils._fabric._schema import errors_for

TEMPLATE_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), "templates")
FORMATS = ("frr", "lab", "sonic", "nmstate", "dhcp", "docs", "structured")
_ENV = []


def environment():
    if not _ENV:
        import jinja2
        _ENV.append(jinja2.Environment(loader=jinja2.FileSystemLoader(TEMPLATE_DIR), undefined=jinja2.StrictUndefined,
                                       trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True,
                                       autoescape=False))
    return _ENV[0]


def _render(name, data, subject=""):
    import jinja2
    try:
        return environment().get_template(name).render(**data)
    except jinja2.TemplateError as exc:
        raise ValidationFailed("Template %s failed for %s: %s (the structured config does not match what the "
                               "template prints; the schema should have caught this)" % (name, subject or "?", exc),
                               findings=[str(exc)]) from exc


def render_all(result, formats=FORMATS):
    """{relative path: text} for every output file of the site."""
    files = {}
    site = result["site"]
    for name, sw in result["switches"].items():
        if "frr" in formats:
            files["frr/%s.conf" % name] = _render("frr.conf.j2", sw, name)
        if "lab" in formats:
            files["lab/%s.sh" % name] = _render("interfaces.sh.j2", sw, name)
        if "sonic" in formats:
            files["sonic/%s.config_db.json" % name] = _render("config_db.json.j2", sw, name)
        if "docs" in formats:
            files["docs/devices/%s.md" % name] = _render("device.md.j2", sw, name)
        if "structured" in formats:
            files["structured/switches/%s.json" % name] = _json(sw)
    for name, srv in result["servers"].items():
        if "nmstate" in formats:
            files["nmstate/%s.nmstate.yml" % name] = _render("nmstate.yml.j2", srv, name)
        if "docs" in formats:
            files["docs/servers/%s.md" % name] = _render("server.md.j2", srv, name)
        if "structured" in formats:
            files["structured/servers/%s.json" % name] = _json(srv)
    if "dhcp" in formats:
        files["dhcp/dnsmasq.conf"] = _render("dnsmasq.conf.j2", site, "site")
    if "docs" in formats:
        files["docs/topology.md"] = _render("topology.md.j2", site, "site")
    if "structured" in formats:
        files["structured/site.json"] = _json(site)
    parse_back(files)
    return files


def _json(data):
    return json.dumps(data, indent=2, sort_keys=True) + "\n"


def parse_back(files):
    problems = []
    for path, text in files.items():
        if path.endswith(".config_db.json"):
            try:
                doc = json.loads(text)
            except ValueError as exc:
                problems.append("%s: not JSON (%s)" % (path, exc))
                continue
            problems += errors_for("config_db", doc, path)
        elif path.endswith(".nmstate.yml"):
            import yaml
            loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
            try:
                doc = yaml.load(text, Loader=loader)  # noqa: S506 - a safe loader
            except yaml.YAMLError as exc:
                problems.append("%s: not YAML (%s)" % (path, exc))
                continue
            if not isinstance(doc, dict) or not doc.get("interfaces"):
                problems.append("%s: no interfaces" % path)
    if problems:
        raise ValidationFailed("Rendered files failed their parse-back check:\n%s"
                               % "\n".join("- " + p for p in problems), findings=problems)


def write_files(files, dest, check_mode=False, prune=True):
    """Write changed files under ``dest``; returns {"changed": [...], "removed": [...], "diff": [...]}."""
    changed, removed, diffs = [], [], []
    for rel in sorted(files):
        path = os.path.join(dest, rel)
        old = None
        if os.path.exists(path):
            with open(path) as handle:
                old = handle.read()
        if old == files[rel]:
            continue
        changed.append(rel)
        diffs.append({"before_header": rel, "after_header": rel, "before": old or "", "after": files[rel]})
        if not check_mode:
            os.makedirs(os.path.dirname(path), exist_ok=True)
            tmp = path + ".tmp"
            with open(tmp, "w") as handle:
                handle.write(files[rel])
            if rel.startswith("lab/"):
                os.chmod(tmp, 0o755)
            os.replace(tmp, path)
    if prune and os.path.isdir(dest):
        for fmt in {rel.split("/")[0] for rel in files}:
            root = os.path.join(dest, fmt)
            for dirpath, _dirs, names in os.walk(root):
                for fname in names:
                    rel = os.path.relpath(os.path.join(dirpath, fname), dest)
                    if rel not in files:
                        removed.append(rel)
                        if not check_mode:
                            os.remove(os.path.join(dest, rel))
    return {"changed": changed, "removed": sorted(removed), "diff": diffs}


def unified(before, after, name):
    return "".join(difflib.unified_diff(before.splitlines(True), after.splitlines(True),
                                        "running/" + name, "intended/" + name))
