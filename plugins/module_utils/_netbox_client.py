# -*- coding: utf-8 -*-
# Copyright: odc.buildout developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The one HTTP client for the NetBox API (REST + GraphQL).

Used by the inventory plugin, the preflight, the lab tooling and every module
that writes to NetBox. Stdlib only (http.client + ssl): keep-alive connection,
TLS verified by default (optional CA file), v2 (``nbt_``) and v1 tokens, typed
errors, paged bulk reads, bulk writes and ``changelog_message``.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json
import socket
import ssl
import time

try:  # Python 3
    import http.client as httplib
    from urllib.parse import urlencode, urlsplit
except ImportError:  # pragma: no cover - Python 2 is not supported
    httplib = None

from ansible_collections.odc.buildout.plugins.module_utils._errors import (
    ApiError,
    AuthenticationError,
    ConfigError,
    ConnectionFailure,
    NotFound,
    PermissionDenied,
)

MIN_NETBOX_VERSION = (4, 2)
PAGE_SIZE = 1000
# gunicorn closes idle keep-alive connections after 2 s: reconnect before that,
# so a write never goes out on a connection the server already closed.
IDLE_RECONNECT_S = 1.5


def auth_header(token):
    """Authorization header for a v2 (``nbt_<key>.<secret>``) or v1 token."""
    if not token:
        raise ConfigError("No NetBox token given (set NETBOX_TOKEN or the token option).")
    token = token.strip()
    if token.startswith("nbt_"):
        return "Bearer " + token
    return "Token " + token


# DRF AuthenticationFailed details of NetBox's TokenAuthentication (sent as 403: no WWW-Authenticate)
_AUTH_FAILURES = ("Invalid v1 token", "Invalid v2 token", "Invalid authorization header", "Token disabled",
                  "Token expired", "User inactive", "Authentication credentials were not provided",
                  "Client IP address could not be determined")


def _is_auth_failure(detail):
    text = str(detail)
    return text.startswith(_AUTH_FAILURES) or (text.startswith("Source IP ") and "not permitted" in text)


def _version_tuple(text):
    parts = []
    for piece in str(text).split("-", maxsplit=1)[0].split(".")[:2]:
        digits = "".join(ch for ch in piece if ch.isdigit())
        parts.append(int(digits or 0))
    return tuple(parts)


class NetBoxClient:
    """Keep-alive client for one NetBox instance."""

    def __init__(self, url, token, validate_certs=True, ca_path=None, timeout=60):
        if not url:
            raise ConfigError("No NetBox URL given (set NETBOX_API or the url option).")
        parts = urlsplit(url.rstrip("/"))
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ConfigError("NetBox URL %r is not an http(s) URL." % url)
        self.url = url.rstrip("/")
        self._scheme = parts.scheme
        self._host = parts.hostname
        self._port = parts.port
        self._base = parts.path.rstrip("/")
        self._auth = auth_header(token)
        self._timeout = timeout
        self._ssl = None
        if parts.scheme == "https":
            ctx = ssl.create_default_context(cafile=ca_path) if ca_path else ssl.create_default_context()
            ctx.minimum_version = ssl.TLSVersion.TLSv1_2
            if not validate_certs:
                ctx.check_hostname = False
                ctx.verify_mode = ssl.CERT_NONE
            self._ssl = ctx
        self._conn = None
        self._last_used = 0.0
        self.requests = 0

    # -- transport -------------------------------------------------------
    def _connection(self):
        if self._conn is not None and time.monotonic() - self._last_used > IDLE_RECONNECT_S:
            self.close()
        if self._conn is None:
            if self._ssl is not None:
                self._conn = httplib.HTTPSConnection(self._host, self._port, timeout=self._timeout, context=self._ssl)
            else:
                self._conn = httplib.HTTPConnection(self._host, self._port, timeout=self._timeout)
        return self._conn

    def close(self):
        if self._conn is not None:
            self._conn.close()
            self._conn = None

    def request(self, method, path, params=None, body=None, retry_safe=None):
        """Send one request; return the decoded JSON (or None for 204).

        ``retry_safe``: resend once on a keep-alive connection the server closed
        (default: only for GET; GraphQL reads pass True)."""
        if retry_safe is None:
            retry_safe = method == "GET"
        target = path if path.startswith("/") else "/" + path
        target = self._base + target
        if params:
            target += ("&" if "?" in target else "?") + urlencode(params, doseq=True)
        headers = {"Authorization": self._auth, "Accept": "application/json"}
        payload = None
        if body is not None:
            payload = json.dumps(body).encode("utf-8")
            headers["Content-Type"] = "application/json"
        for attempt in (1, 2):
            conn = self._connection()
            try:
                conn.request(method, target, body=payload, headers=headers)
                resp = conn.getresponse()
                data = resp.read()
                self._last_used = time.monotonic()
                break
            except (httplib.RemoteDisconnected, BrokenPipeError, ConnectionResetError) as exc:
                # A keep-alive connection closed by the server: reconnect once,
                # only for reads (a write may have been applied).
                self.close()
                if attempt == 2 or not retry_safe:
                    raise ConnectionFailure("NetBox at %s closed the connection: %s" % (self.url, exc)) from exc
            except (socket.timeout, OSError, ssl.SSLError) as exc:
                self.close()
                raise ConnectionFailure("NetBox at %s is unreachable: %s" % (self.url, exc)) from exc
        self.requests += 1
        return self._decode(method, target, resp.status, data)

    def _decode(self, method, target, status, data):
        text = data.decode("utf-8", "replace") if data else ""
        try:
            decoded = json.loads(text) if text else None
        except ValueError:
            decoded = None
        if 200 <= status < 300:
            return decoded
        detail = decoded.get("detail") if isinstance(decoded, dict) and "detail" in decoded else (decoded or text[:300])
        where = "%s %s" % (method, target.split("?")[0])
        if status == 401 or (status == 403 and _is_auth_failure(detail)):
            # NetBox answers a bad/expired/disabled token with 403 + an authentication message
            raise AuthenticationError("NetBox refused the token (%s) on %s: %s" % (status, where, detail))
        if status == 403:
            raise PermissionDenied("NetBox token lacks permission (403) on %s: %s" % (where, detail))
        if status == 404:
            raise NotFound("NetBox has no %s (404)" % where)
        raise ApiError("NetBox answered %s on %s: %s" % (status, where, json.dumps(detail, sort_keys=True)),
                       status=status, errors=decoded)

    # -- REST helpers ----------------------------------------------------
    @staticmethod
    def endpoint_path(endpoint):
        """``dcim.devices`` or ``dcim/devices`` -> ``/api/dcim/devices/``."""
        return "/api/%s/" % endpoint.replace(".", "/").strip("/")

    def status(self):
        return self.request("GET", "/api/status/")

    def check_version(self, minimum=MIN_NETBOX_VERSION):
        status = self.status() or {}
        version = status.get("netbox-version", "0")
        if _version_tuple(version) < tuple(minimum):
            raise ConfigError("NetBox %s at %s is older than the supported %s." % (
                version, self.url, ".".join(str(v) for v in minimum)))
        return version

    def list(self, endpoint, params=None, brief=False):
        """All objects of an endpoint, paged (PAGE_SIZE per request)."""
        query = dict(params or {})
        query.setdefault("limit", PAGE_SIZE)
        if brief:
            query["brief"] = 1
        path = self.endpoint_path(endpoint)
        out = []
        offset = 0
        while True:
            query["offset"] = offset
            page = self.request("GET", path, params=query)
            results = page.get("results", [])
            out.extend(results)
            offset += len(results)
            if not page.get("next") or not results:
                return out

    def create(self, endpoint, objects, changelog_message=None):
        """Bulk create (a list of dicts). Returns the created objects."""
        if not objects:
            return []
        body = [self._with_message(o, changelog_message) for o in objects]
        return self.request("POST", self.endpoint_path(endpoint), body=body)

    def update(self, endpoint, objects, changelog_message=None):
        """Bulk partial update: each dict carries its ``id``."""
        if not objects:
            return []
        body = [self._with_message(o, changelog_message) for o in objects]
        return self.request("PATCH", self.endpoint_path(endpoint), body=body)

    def delete(self, endpoint, ids, changelog_message=None):
        if not ids:
            return None
        body = [self._with_message({"id": i}, changelog_message) for i in ids]
        return self.request("DELETE", self.endpoint_path(endpoint), body=body)

    @staticmethod
    def _with_message(obj, message):
        if message:
            obj = dict(obj)
            obj["changelog_message"] = message
        return obj

    def graphql(self, query, variables=None):
        body = {"query": query}
        if variables:
            body["variables"] = variables
        data = self.request("POST", "/graphql/", body=body, retry_safe=True) or {}
        if data.get("errors"):
            raise ApiError("NetBox GraphQL error: %s" % "; ".join(e.get("message", str(e)) for e in data["errors"]),
                           errors=data["errors"])
        return data.get("data") or {}
