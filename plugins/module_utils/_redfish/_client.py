# -*- coding: utf-8 -*-
# Copyright: odc.buildout developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The ONE Redfish client: sessions, retries, TLS, ETags, task monitors.

Rules (docs/bmc.md explains them):

* Session auth (POST SessionService/Sessions, X-Auth-Token); the session is
  ALWAYS deleted on exit, also on failure.  HTTP Basic only when the BMC has
  no usable SessionService, and never on vendors that refuse it.
* Reads (GET) are retried with exponential backoff + jitter, honour
  Retry-After and stop after ``retry_budget`` seconds in total.
* Writes are never retried blindly.  A write that got no answer raises
  ``WriteOutcomeUnknown``: the caller re-reads the state and decides.  A
  write is repeated only when the BMC provably did not process it: the
  connection never opened, 401 on an expired session (one re-login), or
  429/503 WITH Retry-After.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import base64
import email.utils
import random
import ssl
import time

from ansible_collections.odc.buildout.plugins.module_utils import _errors
from ansible_collections.odc.buildout.plugins.module_utils._redfish import (
    _guards,
    _messages,
    _tasks,
    _transport,
    _vendors,
)

ROOT = "/redfish/v1/"
READS = frozenset(["GET", "HEAD"])


def _retry_after_seconds(response):
    value = response.header("Retry-After") if response is not None else None
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        parsed = email.utils.parsedate_to_datetime(value)
        return max(0.0, parsed.timestamp() - time.time()) if parsed else None


class RedfishClient:
    """Use as a context manager: ``with RedfishClient(...) as client:``."""

    def __init__(self, address, username, password, port=443, ca_path=None,
                 validate_certs=True, timeout=30, retry_budget=60, vendor="auto",
                 state_dir=None, run_id=None, reserve_sessions=2, scheme="https",
                 transport=None, clock=time.monotonic, sleep=time.sleep,
                 rng=random.random, task_poll_interval=2.0):
        self.address = address
        self.port = port
        self.username = username
        self._password = password
        self.retry_budget = retry_budget
        self.clock = clock
        self.sleep = sleep
        self._rng = rng
        self._vendor_override = vendor
        self._state_dir = state_dir
        self._reserve = reserve_sessions
        self.task_poll_interval = task_poll_interval
        self._key = _guards.bmc_key(address, port)
        self._guard = _guards.LoginGuard(state_dir, self._key, run_id)
        self._transport = transport or _transport.Transport(
            address, port, timeout, _transport.build_ssl_context(ca_path, validate_certs), scheme)
        self.root = None
        self.vendor = None
        self.auth_mode = None
        self.warnings = []
        self.stats = {"requests": 0, "writes": 0}
        self._token = None
        self._session_uri = None
        self._slots = None
        self._extra_secrets = []

    @property
    def secrets(self):
        return tuple([self._password] + self._extra_secrets)

    def add_secret(self, value):
        """Also scrub ``value`` (e.g. a new account password) from errors."""
        if value:
            self._extra_secrets.append(value)

    def knows_password(self, username, password):
        """True when our own login proves ``username`` has ``password``."""
        return username == self.username and password == self._password

    # -- lifecycle ---------------------------------------------------------
    def __enter__(self):
        self.open()
        return self

    def __exit__(self, *exc_info):
        self.close()

    def open(self):
        """Read the service root (no auth), pick the vendor, log in."""
        self.root = self.request("GET", ROOT, auth=False).data
        self.vendor = _vendors.detect(self.root, self._vendor_override)
        self._guard.check()
        uri = self._sessions_uri()
        if uri is None:
            self._use_basic("the BMC has no SessionService")
            return
        self._slots = _guards.SessionSlots(
            self._state_dir, self._key, self.vendor.session_limit - self._reserve,
            clock=self.clock, sleep=self.sleep)
        self._slots.acquire()
        try:
            self._login(uri)
        except BaseException:
            self._release_slot()
            raise

    def close(self):
        """Delete our session (always), free the slot, drop the socket."""
        try:
            if self._token and self._session_uri:
                self._delete_session()
        finally:
            self._token = None
            self._session_uri = None
            self._release_slot()
            self._transport.close()

    # -- authentication ----------------------------------------------------
    def _sessions_uri(self):
        link = ((self.root.get("Links") or {}).get("Sessions") or {}).get("@odata.id")
        if link:
            return link
        service = (self.root.get("SessionService") or {}).get("@odata.id")
        return service.rstrip("/") + "/Sessions" if service else None

    def _use_basic(self, reason):
        if not self.vendor.basic_auth:
            raise _errors.AuthenticationError(
                f"cannot log in: {reason}, and {self.vendor.label} does not accept HTTP Basic")
        self._release_slot()
        self.auth_mode = "basic"
        self.warnings.append(f"using HTTP Basic authentication: {reason}")
        self._verify_basic()

    def _verify_basic(self):
        """One authenticated read, so a wrong password fails here, once."""
        systems = (self.root.get("Systems") or {}).get("@odata.id", ROOT + "Systems")
        self.request("GET", systems)

    def _login(self, uri):
        response = self._create_session(uri)
        token = response.header("X-Auth-Token")
        if not token:
            self._use_basic("the SessionService answered without X-Auth-Token")
            return
        self._token = token
        self._session_uri = response.header("Location") or response.data.get("@odata.id")
        self.auth_mode = "session"

    def _create_session(self, uri):
        body = {"UserName": self.username, "Password": self._password}
        deadline = self.clock() + self.retry_budget
        attempt = 0
        while True:
            try:
                response = self._send("POST", uri, body, {}, fresh=True)
            except (_transport.NotSent, _transport.NoAnswer) as exc:
                # A lost login at worst leaves a session that expires.
                self._wait_or_raise(deadline, attempt, None, _errors.ConnectionFailure(
                    f"login to {self.address} failed: {exc}"))
            else:
                if response.status == 401:
                    self._guard.record_failure()
                    raise _errors.AuthenticationError(
                        f"login as {self.username!r} on {self.address} refused (HTTP 401)")
                if not self._session_busy(response):
                    return self._checked("POST", uri, response)
                self._wait_or_raise(deadline, attempt, response, _messages.error_for(
                    response, "POST", uri, self.secrets))
            attempt += 1

    @staticmethod
    def _session_busy(response):
        return response.status in (429, 503) or (
            response.status == 400 and _messages.has_message(response.data, "SessionLimitExceeded"))

    def _delete_session(self):
        """DELETE is idempotent: on a fresh connection, one more try if lost.
        A leaked session would hold one of the BMC's few session slots."""
        for attempt in (1, 2):
            try:
                self._send("DELETE", self._session_uri, None, self._auth_headers(), fresh=True)
                return
            except (_transport.NotSent, _transport.NoAnswer) as exc:
                if attempt == 2:
                    self.warnings.append(f"could not delete session {self._session_uri}: {exc}")

    def _release_slot(self):
        if self._slots is not None:
            self._slots.release()
            self._slots = None

    def _auth_headers(self):
        if self.auth_mode == "session":
            return {"X-Auth-Token": self._token}
        if self.auth_mode == "basic":
            raw = (f"{self.username}:{self._password}").encode()
            return {"Authorization": "Basic " + base64.b64encode(raw).decode("ascii")}
        return {}

    def _reauthenticate(self):
        """The session expired under us: log in once more."""
        self._token = None
        self._guard.check()
        self._login(self._sessions_uri())
        self.warnings.append("session expired; logged in again")

    # -- requests ----------------------------------------------------------
    def _send(self, method, path, body, headers, fresh):
        self.stats["requests"] += 1
        if method not in READS:
            self.stats["writes"] += 1
        try:
            return self._transport.request(method, path, body, headers, fresh=fresh)
        except ssl.SSLCertVerificationError as exc:
            raise _errors.ConnectionFailure(
                f"TLS verification of {self.address} failed ({exc.verify_message}); give the BMC CA with ca_path")

    def _backoff(self, attempt):
        delay = min(10.0, 0.5 * (2 ** attempt))
        return delay * (0.5 + self._rng() / 2.0)

    def _wait_or_raise(self, deadline, attempt, response, error):
        delay = _retry_after_seconds(response)
        if delay is None:
            delay = self._backoff(attempt)
        if self.clock() + delay > deadline:
            raise error
        self.sleep(delay)

    @staticmethod
    def _retryable(method, response):
        if response.status in (429, 503):
            return method in READS or bool(response.header("Retry-After"))
        return method in READS and response.status in (502, 504)

    def _checked(self, method, path, response):
        if response.status >= 400:
            raise _messages.error_for(response, method, path, self.secrets)
        return response

    def request(self, method, path, body=None, etag=None, auth=True):
        """One logical request with the retry rules above; returns Response."""
        is_read = method in READS
        deadline = self.clock() + self.retry_budget
        attempt, reauthed = 0, False
        while True:
            headers = self._auth_headers() if auth else {}
            if etag:
                headers["If-Match"] = etag
            try:
                response = self._send(method, path, body, headers, fresh=not is_read)
            except _transport.NotSent as exc:
                self._wait_or_raise(deadline, attempt, None, _errors.ConnectionFailure(
                    f"{self.address} unreachable: {exc}"))
                attempt += 1
                continue
            except _transport.NoAnswer as exc:
                if not is_read:
                    raise _errors.WriteOutcomeUnknown(
                        f"no answer to {method} {path}; it may have been applied ({exc})",
                        method=method, path=path)
                self._wait_or_raise(deadline, attempt, None, _errors.ConnectionFailure(
                    f"{self.address} did not answer: {exc}"))
                attempt += 1
                continue
            if response.status == 401 and auth and self.auth_mode == "session" and not reauthed:
                self._reauthenticate()
                reauthed = True
                continue
            if response.status == 401 and auth:
                self._guard.record_failure()
            if self._retryable(method, response):
                self._wait_or_raise(deadline, attempt, response, _messages.error_for(
                    response, method, path, self.secrets))
                attempt += 1
                continue
            return self._checked(method, path, response)

    # -- conveniences ------------------------------------------------------
    def get(self, path):
        return self.request("GET", path).data

    def get_with_etag(self, path):
        response = self.request("GET", path)
        return response.data, response.header("ETag") or response.data.get("@odata.etag")

    def patch(self, path, body, etag=None):
        """PATCH with If-Match (the ETag given, else the one read now)."""
        if etag is None:
            etag = self.get_with_etag(path)[1]
        return self.request("PATCH", path, body, etag=etag)

    def post(self, path, body=None):
        return self.request("POST", path, body if body is not None else {})

    def delete(self, path):
        return self.request("DELETE", path)

    def follow_task(self, response, timeout=1800):
        """Poll a 202's task monitor to the end; other answers pass through."""
        if response.status != 202:
            return response.data
        return _tasks.TaskMonitor(self, timeout, self.task_poll_interval).follow(response)

    def action(self, target, body=None, timeout=1800):
        return self.follow_task(self.post(target, body), timeout)

    def members(self, collection_path):
        """GET every member of a collection (Members list, not the count)."""
        collection = self.get(collection_path)
        return [self.get(m["@odata.id"]) for m in collection.get("Members", [])
                if isinstance(m, dict) and m.get("@odata.id")]

    def link(self, resource, name):
        """The @odata.id of a navigation property, or None."""
        value = resource.get(name) if isinstance(resource, dict) else None
        return value.get("@odata.id") if isinstance(value, dict) else None
