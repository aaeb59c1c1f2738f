# Copyright: odc.buildout developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Run playbooks/preflight.yml the way a user does (ansible-playbook, json callback)."""

import json
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", "..", ".."))
COLLECTIONS = os.path.join(ROOT, ".cache", "collections")
PLAYBOOK = os.path.join(ROOT, "playbooks", "preflight.yml")
VENV_BIN = os.path.dirname(sys.executable)
TASK = "Preflight the scope in NetBox"


def run_preflight_playbook(url, token, extra_vars, check=False, timeout=300):
    """-> (return code, the preflight task's result or None, the whole json report)."""
    env = dict(os.environ, ANSIBLE_COLLECTIONS_PATH=COLLECTIONS, ANSIBLE_STDOUT_CALLBACK="json",
               ANSIBLE_LOCALHOST_WARNING="False", ANSIBLE_INVENTORY_UNPARSED_WARNING="False",
               ANSIBLE_PYTHON_INTERPRETER=sys.executable, ANSIBLE_NOCOLOR="1", NETBOX_API=url, NETBOX_TOKEN=token,
               PATH=VENV_BIN + os.pathsep + os.environ.get("PATH", ""))
    # inline inventory: the preflight runs on localhost; the lab inventory (ansible.cfg) is not needed
    command = [os.path.join(VENV_BIN, "ansible-playbook"), "-i", "localhost,", PLAYBOOK, "-e", json.dumps(extra_vars)]
    if check:
        command.append("--check")
    done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=timeout, check=False)
    try:
        report = json.loads(done.stdout)
    except ValueError as exc:
        raise AssertionError(f"ansible-playbook output is not JSON:\n{done.stdout}\n{done.stderr}") from exc
    result = None
    for task in report["plays"][0]["tasks"]:
        if task["task"]["name"].endswith(TASK):
            result = task["hosts"]["localhost"]
    return done.returncode, result, report
