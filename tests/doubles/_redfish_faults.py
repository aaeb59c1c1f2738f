# -*- coding: utf-8 -*-
# Copyright: odc.buildout developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Fault switches and the request log of the Redfish test double.

Faults (set at start with --faults JSON, at runtime with POST /_control/faults
or ``double.faults.set(...)``):

  expire_sessions          true: every current session token is invalid now
  unavailable              {"count": N, "retry_after": S, "method": "GET", "path": "..."}
                           the next N matching requests get 503 + Retry-After
  timeout_after_apply      {"count": N, "delay": S, "method": "POST", "path": "Reset"}
                           apply the request, then stall S seconds before answering
  drop_before_apply        {"count": N, "method": ..., "path": ...}
                           close the connection without applying anything
  task_fails               N: the next N tasks end in Exception
  insert_not_inserted      true: InsertMedia sets Image but reports Inserted: false
  unreachable_after_reset  S: refuse connections for S seconds after any Reset
  ignore_graceful          true: the OS ignores GracefulShutdown/GracefulRestart
  latency                  S: added to every request (benchmarks)
  ignore_password_change   true: PATCH of an account answers 204 but keeps the old password
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import copy
import threading
import time

COUNTED = ("unavailable", "timeout_after_apply", "drop_before_apply")


class Faults:
    def __init__(self, initial=None):
        self._lock = threading.Lock()
        self._values = {}
        self.unreachable_until = 0.0
        self.set(initial or {})

    def set(self, values):
        with self._lock:
            for name, value in (values or {}).items():
                if name in COUNTED and isinstance(value, dict):
                    value = dict(value)
                    value.setdefault("count", 1)
                self._values[name] = value

    def clear(self):
        with self._lock:
            self._values.clear()
            self.unreachable_until = 0.0

    def snapshot(self):
        with self._lock:
            return copy.deepcopy(self._values)

    def get(self, name, default=None):
        with self._lock:
            return self._values.get(name, default)

    def pop(self, name):
        with self._lock:
            return self._values.pop(name, None)

    def take(self, name, method, path):
        """Consume one shot of a counted fault that matches the request."""
        with self._lock:
            spec = self._values.get(name)
            if not spec or spec.get("count", 0) <= 0:
                return None
            if spec.get("method") and spec["method"] != method:
                return None
            if spec.get("path") and spec["path"] not in path:
                return None
            spec["count"] -= 1
            return dict(spec)

    def take_task_failure(self):
        with self._lock:
            left = int(self._values.get("task_fails") or 0)
            if left <= 0:
                return False
            self._values["task_fails"] = left - 1
            return True

    def start_unreachable(self):
        seconds = float(self.get("unreachable_after_reset") or 0)
        if seconds > 0:
            self.unreachable_until = time.time() + seconds

    def unreachable(self):
        return time.time() < self.unreachable_until


class RequestLog:
    """Every request that reached the handler, in order."""

    def __init__(self):
        self._lock = threading.Lock()
        self._entries = []

    def add(self, **entry):
        entry.setdefault("time", time.time())
        with self._lock:
            self._entries.append(entry)
        return entry

    def entries(self):
        with self._lock:
            return [dict(e) for e in self._entries]

    def clear(self):
        with self._lock:
            self._entries = []

    def writes(self, path_part=None, applied=None):
        """Non-GET requests, optionally filtered by path substring / applied."""
        out = []
        for entry in self.entries():
            if entry["method"] in ("GET", "HEAD") or "/_control" in entry["path"]:
                continue
            if "/SessionService/Sessions" in entry["path"] and path_part is None:
                continue  # logins/logouts are not writes to the BMC's state
            if path_part and path_part not in entry["path"]:
                continue
            if applied is not None and entry.get("applied") != applied:
                continue
            out.append(entry)
        return out
