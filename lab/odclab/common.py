# Copyright: odc.buildout developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Paths, logging, subprocess and PID helpers shared by the lab modules.

Mirrors lab/common.sh: everything lives under $ODC_LAB_HOME (default
/var/lib/odc-lab), PIDs under $ODC_LAB_HOME/run/<name>.pid.
"""

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
COMMON_SH = REPO / "lab" / "common.sh"


class LabError(Exception):
    """A lab step failed; the message says what and where to look."""


class Paths:
    """Every file the lab peers own, relative to $ODC_LAB_HOME."""

    def __init__(self, home=None):
        self.home = Path(home or os.environ.get("ODC_LAB_HOME", "/var/lib/odc-lab"))
        self.run = self.home / "run"
        self.ca = self.home / "ca"
        self.bmc = self.home / "bmc"
        # FRR drops privileges to user frr, which cannot traverse $ODC_LAB_HOME (0700, see
        # lab/common.sh): the per-namespace FRR directories live under /run (tmpfs, like the
        # namespaces themselves in /run/netns).
        self.frr = Path(os.environ.get("ODC_LAB_FRR_DIR", "/run/odc-lab/frr"))
        self.lab_json = self.home / "lab.json"
        self.credentials = self.bmc / "credentials.yml"
        self.lock = self.run / "peers.lock"

    def pid_file(self, name):
        return self.run / (name + ".pid")

    def ensure(self):
        for path in (self.home, self.run, self.bmc, self.frr):
            path.mkdir(parents=True, exist_ok=True)
        os.chmod(self.home, 0o700)
        os.chmod(self.frr, 0o755)
        if self.frr.parent.name == "odc-lab":
            os.chmod(self.frr.parent, 0o755)


def log(message):
    print("[lab] " + message, file=sys.stderr, flush=True)


def _cmd(args):
    return " ".join(str(a) for a in args)


def run(args, check=True, input_text=None, timeout=60, env=None):
    """Run a command, capture its output; raise LabError with stderr on failure."""
    try:
        done = subprocess.run([str(a) for a in args], capture_output=True, text=True, input=input_text,
                              timeout=timeout, env=env, check=False)
    except FileNotFoundError as exc:
        raise LabError(f"command not found: {args[0]}") from exc
    except subprocess.TimeoutExpired as exc:
        raise LabError(f"command timed out after {timeout}s: {_cmd(args)}") from exc
    if check and done.returncode != 0:
        detail = (done.stderr or done.stdout).strip()[-800:]
        raise LabError(f"{_cmd(args)} failed (rc={done.returncode}): {detail}")
    return done


def write_file(path, text, mode=0o644, owner=None):
    """Atomic write with the given mode (created with it: no window with wider permissions)."""
    path = Path(path)
    tmp = path.with_name("." + path.name + ".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, mode)
    with os.fdopen(fd, "w") as handle:
        handle.write(text)
    os.chmod(tmp, mode)
    if owner:
        shutil.chown(tmp, *owner)
    os.replace(tmp, path)


def write_json(path, data, mode=0o644):
    write_file(path, json.dumps(data, indent=2, sort_keys=True) + "\n", mode)


def read_text(path, default=None):
    try:
        return Path(path).read_text()
    except OSError:
        return default


def apt_ensure(packages, binaries):
    """Install Debian packages through lab/common.sh's apt_ensure when a binary is missing."""
    if all(shutil.which(b) or os.path.exists(b) for b in binaries):
        return
    log(f"installing {' '.join(packages)}")
    run(["bash", "-c", 'source "$0"; apt_ensure "$@"', COMMON_SH] + list(packages), timeout=900)


# -- processes ------------------------------------------------------------------
# Every lab process is recorded as $ODC_LAB_HOME/run/<name>.pid and identified by
# its own command line: a recorded PID is trusted only if that process still has
# the signature below (no killing of a recycled PID), and a process that lost its
# PID file is found again by the same signature (adopted, never by a broad name).
def signatures(paths, name):
    """The (option, value) argv pairs that identify the process recorded as ``name``."""
    if name.startswith("bmc-"):
        home = paths.bmc / name[4:]
        return [("--config", str(home / "emulator.conf")), ("-c", str(home / "lan.conf"))]
    if name.startswith("frr-"):
        namespace, daemon = name[4:].rsplit("-", 1)
        return [("-i", str(paths.frr / namespace / f"{daemon}.pid"))]
    raise ValueError(f"unknown lab process name {name!r}")


def argv(pid):
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as handle:
            return handle.read().decode("utf-8", "replace").split("\0")
    except OSError:
        return None


def _matches(args, pairs):
    return bool(args) and any(args[i] == opt and args[i + 1] == value
                              for opt, value in pairs for i in range(len(args) - 1))


def is_running(pid, pairs=None):
    """True if pid is a live (not zombie) process (carrying one of the signature pairs)."""
    if not pid:
        return False
    try:
        with open(f"/proc/{pid}/stat") as handle:
            state = handle.read().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return False
    if state in ("Z", "X"):
        return False
    return pairs is None or _matches(argv(pid), pairs)


def read_pid(paths, name):
    text = (read_text(paths.pid_file(name), "") or "").strip()
    return int(text) if text.isdigit() else None


def write_pid(paths, name, pid):
    write_file(paths.pid_file(name), f"{pid}\n")


def running_pid(paths, name):
    """The PID of the lab process ``name`` if it runs: the recorded one, else one found by signature."""
    pairs = signatures(paths, name)
    pid = read_pid(paths, name)
    if is_running(pid, pairs):
        return pid
    me = os.getpid()
    for entry in os.listdir("/proc"):
        if entry.isdigit() and int(entry) != me and is_running(int(entry), pairs):
            write_pid(paths, name, int(entry))  # adopt an orphan (its PID file was lost)
            return int(entry)
    return None


def spawn(args, log_path, cwd=None, env=None):
    """Start a detached daemon (own session, stdin closed, output to log_path); return the Popen."""
    with open(log_path, "ab") as out:
        proc = subprocess.Popen([str(a) for a in args], stdin=subprocess.DEVNULL, stdout=out,
                                stderr=subprocess.STDOUT, cwd=cwd, env=env, start_new_session=True)
    return proc


def stop_pids(paths, names, timeout=5.0):
    """TERM every lab process of ``names`` that runs, wait, KILL the rest, remove the PID files.

    Returns the names that were running.
    """
    targets = {}
    for name in names:
        pid = running_pid(paths, name)
        if pid:
            try:
                os.kill(pid, signal.SIGTERM)
                targets[name] = pid
            except ProcessLookupError:
                pass
    deadline = time.monotonic() + timeout
    while targets and time.monotonic() < deadline:
        if not any(is_running(pid) for pid in targets.values()):
            break
        time.sleep(0.05)
    for pid in targets.values():
        if is_running(pid):
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
    for name in names:
        try:
            paths.pid_file(name).unlink()
        except FileNotFoundError:
            pass
    return sorted(targets)


def log_tail(path, lines=15):
    text = read_text(path, "") or ""
    return "\n".join(text.splitlines()[-lines:])


# -- readiness probes -------------------------------------------------------------
def tcp_open(address, port, timeout=0.5):
    try:
        with socket.create_connection((address, port), timeout=timeout):
            return True
    except OSError:
        return False


ASF_PING = bytes.fromhex("0600ff06000011be80000000")


def rmcp_ping(address, port, timeout=0.5):
    """RMCP/ASF presence ping (no credentials); True if a pong comes back."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        sock.settimeout(timeout)
        try:
            sock.sendto(ASF_PING, (address, port))
            data, _ = sock.recvfrom(512)
        except OSError:
            return False
    return len(data) >= 9 and data[8] == 0x40


def unix_open(path, timeout=0.5):
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as sock:
        sock.settimeout(timeout)
        try:
            sock.connect(str(path))
            return True
        except OSError:
            return False
