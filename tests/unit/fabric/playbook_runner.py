# -*- coding: utf-8 -*-
# Copyright: odc.buildout developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Run one task the way Ansible does (ansible-playbook, json callback) and return its result."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json
import os
import subprocess
import sys

from fabric_testlib import COLLECTIONS

VENV_BIN = os.path.dirname(sys.executable)


def run_task(tmp_path, module, args, check=False, diff=False, timeout=300):
    playbook = tmp_path / "play.yml"
    task = {"name": "under test", module: args, "register": "out", "ignore_errors": True}
    playbook.write_text(json.dumps([{"hosts": "localhost", "gather_facts": False, "tasks": [task]}]))
    env = dict(os.environ, ANSIBLE_COLLECTIONS_PATH=COLLECTIONS, ANSIBLE_STDOUT_CALLBACK="json",
               ANSIBLE_LOCALHOST_WARNING="False", ANSIBLE_INVENTORY_UNPARSED_WARNING="False",
               ANSIBLE_PYTHON_INTERPRETER=sys.executable, ANSIBLE_NOCOLOR="1",
               PATH=VENV_BIN + os.pathsep + os.environ.get("PATH", ""))
    command = [os.path.join(VENV_BIN, "ansible-playbook"), "-i", "localhost,", "-c", "local", str(playbook)]
    if check:
        command.append("--check")
    if diff:
        command.append("--diff")
    done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=timeout, check=False)
    try:
        report = json.loads(done.stdout)
    except ValueError:
        raise AssertionError("ansible-playbook output is not JSON:\n%s\n%s" % (done.stdout, done.stderr))
    return report["plays"][0]["tasks"][0]["hosts"]["localhost"]
