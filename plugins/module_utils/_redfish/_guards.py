# -*- coding: utf-8 -*-
# Copyright: odc.buildout developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Per-BMC guards that must hold across threads AND across module processes
on the same host (Ansible runs every module task in its own process):

* ``SessionSlots`` - at most N sessions of ours per BMC at once (N from the
  vendor table minus a reserve left for humans).  One lock file per slot
  (``fcntl.flock``); the kernel frees the lock if the process dies.
* ``LoginGuard``  - after ONE failed login on a BMC, no further login is tried
  on that BMC in the same run (avoids account lockout).  In-process memory
  always; plus a marker file ``<state_dir>/login-guard/<run_id>/<bmc-hash>``
  when a ``run_id`` is given, so later tasks of the same run see it too.

File names are hashes of ``address:port``; no credential is ever written.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import hashlib
import os
import tempfile
import threading
import time

try:
    import fcntl
except ImportError:  # pragma: no cover - non-POSIX controller
    fcntl = None

from ansible_collections.odc.buildout.plugins.module_utils import _errors

_LOCK = threading.Lock()
_FAILED_LOGINS = set()
_HELD = set()


def default_state_dir():
    return os.path.join(tempfile.gettempdir(), "odc-buildout-bmc")


def bmc_key(address, port):
    return hashlib.sha256((f"{address}:{port}").encode()).hexdigest()[:24]


def _private_dir(path):
    os.makedirs(path, mode=0o700, exist_ok=True)
    return path


class SessionSlots:
    """Context manager that holds one of ``limit`` slots for one BMC."""

    def __init__(self, state_dir, key, limit, wait=60.0, interval=0.2,
                 clock=time.monotonic, sleep=time.sleep):
        self.directory = os.path.join(state_dir or default_state_dir(), "sessions", key)
        self.limit = max(1, int(limit))
        self.wait = wait
        self.interval = interval
        self._clock = clock
        self._sleep = sleep
        self._handle = None
        self._path = None

    def _try(self, index):
        path = os.path.join(self.directory, f"slot-{index}.lock")
        with _LOCK:  # flock is per process: threads share it, so track held slots
            if path in _HELD:
                return False
            handle = open(path, "a")  # noqa: SIM115 - held open while the slot is ours
            try:
                fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError:
                handle.close()
                return False
            _HELD.add(path)
        self._handle, self._path = handle, path
        return True

    def acquire(self):
        if fcntl is None:
            return
        _private_dir(self.directory)
        deadline = self._clock() + self.wait
        while True:
            for index in range(self.limit):
                if self._try(index):
                    return
            if self._clock() >= deadline:
                raise _errors.TimeoutExpired(
                    f"all {self.limit} session slots for this BMC stayed busy for {self.wait}s")
            self._sleep(self.interval)

    def release(self):
        if self._handle is None:
            return
        with _LOCK:
            _HELD.discard(self._path)
            fcntl.flock(self._handle.fileno(), fcntl.LOCK_UN)
            self._handle.close()
        self._handle = self._path = None

    def __enter__(self):
        self.acquire()
        return self

    def __exit__(self, *exc):
        self.release()


class LoginGuard:
    """Remembers a failed login per BMC for the rest of a run."""

    def __init__(self, state_dir, key, run_id=None):
        self.key = key
        self.run_id = run_id
        self.marker = None
        if run_id:
            safe_run = hashlib.sha256(str(run_id).encode("utf-8")).hexdigest()[:16]
            self.marker = os.path.join(state_dir or default_state_dir(),
                                       "login-guard", safe_run, key)

    def _memory_key(self):
        return (self.key, self.run_id)

    def failed_before(self):
        with _LOCK:
            if self._memory_key() in _FAILED_LOGINS:
                return True
        return bool(self.marker) and os.path.exists(self.marker)

    def check(self):
        if self.failed_before():
            raise _errors.AuthenticationError(
                "a login on this BMC already failed in this run; not trying again "
                "to avoid locking the account (fix the credential, then start a new run)")

    def record_failure(self):
        with _LOCK:
            _FAILED_LOGINS.add(self._memory_key())
        if self.marker:
            _private_dir(os.path.dirname(self.marker))
            with open(self.marker, "w") as handle:
                handle.write(f"login failed at {int(time.time())}\n")


def forget_failures():
    """Tests only: clear the in-process memory."""
    with _LOCK:
        _FAILED_LOGINS.clear()
