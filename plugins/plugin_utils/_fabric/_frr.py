# -*- coding: utf-8 -*-
# Copyright: odc.buildout developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""FRR in a lab namespace: vtysh reads, frr-reload diffs and applies."""

from __future__ import annotations

import json
import os
import subprocess

from ansible_collections.odc.buildout.plugins.module_utils._errors import ApiError, ConnectionFailure

FRR_RELOAD = "/usr/lib/frr/frr-reload.py"
# Lines frr-reload always reports in the lab: every namespace shares the
# machine's UTS hostname, which FRR prints next to the configured one.
IGNORED_DELTAS = ("hostname ", "no hostname ")


def _run(cmd, timeout=60):
    try:
        return subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, check=False)
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise ConnectionFailure("%s failed: %s" % (cmd[0], exc)) from exc


def vtysh(vty_dir, *commands, as_json=False, timeout=30):
    cmd = ["vtysh", "--vty_socket", vty_dir, "--config_dir", vty_dir]
    for command in commands:
        cmd += ["-c", command]
    done = _run(cmd, timeout)
    if done.returncode != 0:
        detail = (done.stderr or done.stdout).strip()
        raise ConnectionFailure("vtysh --vty_socket %s %s: %s" % (vty_dir, " / ".join(commands), detail))
    if as_json:
        try:
            return json.loads(done.stdout or "{}")
        except ValueError as exc:
            raise ApiError("vtysh %s returned no JSON: %s" % (commands[-1], done.stdout[:200])) from exc
    return done.stdout


def running_config(vty_dir):
    """``show running-config`` without the 'Building configuration' preamble."""
    text = vtysh(vty_dir, "show running-config")
    lines = text.splitlines()
    for index, line in enumerate(lines):
        if line.startswith("frr version"):
            return "\n".join(lines[index:]) + "\n"
    return text


def deltas(vty_dir, conf_path, rundir):
    """(lines to delete, lines to add) that frr-reload would apply."""
    done = _run(["python3", FRR_RELOAD, "--test", "--vty_socket", vty_dir, "--confdir", vty_dir,
                 "--rundir", rundir, conf_path])
    if done.returncode != 0:
        raise ApiError("frr-reload --test for %s failed: %s" % (conf_path, (done.stderr or done.stdout).strip()[-800:]))
    delete, add, section = [], [], None
    for line in done.stdout.splitlines():
        if line.startswith("Lines To Delete"):
            section = delete
        elif line.startswith("Lines To Add"):
            section = add
        elif section is not None and line.strip() and not line.startswith("====="):
            if not line.strip().startswith(IGNORED_DELTAS):
                section.append(line.rstrip())
    return _collapse(delete), _collapse(add)


def _indent(line):
    return len(line) - len(line.lstrip(" "))


def _collapse(lines):
    """frr-reload prints each change with its context lines: keep each change once, as
    'context / context / line' (e.g. 'router bgp 65101 / address-family ipv4 unicast / network ...')."""
    out, stack = [], []
    for index, line in enumerate(lines):
        depth = _indent(line)
        stack = [item for item in stack if item[0] < depth]
        nxt = lines[index + 1] if index + 1 < len(lines) else ""
        if nxt and _indent(nxt) > depth:
            stack.append((depth, line.strip()))
            continue
        text = " / ".join([item[1] for item in stack] + [line.strip()])
        if text not in out:
            out.append(text)
    return out


def apply(vty_dir, conf_path, rundir):
    done = _run(["python3", FRR_RELOAD, "--reload", "--vty_socket", vty_dir, "--confdir", vty_dir,
                 "--rundir", rundir, conf_path], timeout=120)
    if done.returncode != 0:
        raise ApiError("frr-reload --reload for %s failed: %s"
                       % (conf_path, (done.stderr or done.stdout).strip()[-800:]))


def save_startup(text, path):
    """Write the applied config as the namespace's startup frr.conf (owned by frr, 0640)."""
    tmp = path + ".odc-tmp"
    with open(tmp, "w") as handle:
        handle.write(text)
    try:
        import grp
        import pwd
        os.chown(tmp, pwd.getpwnam("frr").pw_uid, grp.getgrnam("frr").gr_gid)
    except (KeyError, PermissionError):
        pass
    os.chmod(tmp, 0o640)
    os.replace(tmp, path)
