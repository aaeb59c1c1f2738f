# -*- coding: utf-8 -*-
# Copyright: odc.buildout developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""One HTTP(S) exchange, stdlib only (http.client + ssl).

The transport tells the client WHERE a failure happened, because that decides
whether a request may be repeated:

* ``NotSent``  - the request never reached the BMC (connect/TLS failed).
* ``NoAnswer`` - the request was (possibly) sent, no response came back.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json
import ssl

try:
    import http.client as http_client
except ImportError:  # pragma: no cover - Python 2 is not supported
    http_client = None

USER_AGENT = "odc.buildout-bmc/1"


class NotSent(Exception):
    """Nothing reached the peer: always safe to try again."""


class NoAnswer(Exception):
    """The request may have been applied: the answer never came."""


def build_ssl_context(ca_path=None, validate_certs=True):
    """TLS >= 1.2; verify against ``ca_path`` (or the system store)."""
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    context.minimum_version = ssl.TLSVersion.TLSv1_2
    if validate_certs:
        context.check_hostname = True
        context.verify_mode = ssl.CERT_REQUIRED
        if ca_path:
            context.load_verify_locations(cafile=ca_path)
        else:
            context.load_default_certs()
    else:
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE
    return context


class Response:
    """Status, headers (lower-case keys) and the decoded JSON body."""

    def __init__(self, status, headers, body):
        self.status = status
        self.headers = {k.lower(): v for k, v in headers}
        self.body = body or b""
        self._data = None

    def header(self, name, default=None):
        return self.headers.get(name.lower(), default)

    @property
    def data(self):
        if self._data is None:
            self._data = self._decode()
        return self._data

    def _decode(self):
        if not self.body.strip():
            return {}
        try:
            value = json.loads(self.body.decode("utf-8"))
        except ValueError:
            return {"_raw": self.body.decode("utf-8", "replace")[:500]}
        return value if isinstance(value, dict) else {"_value": value}


class Transport:
    """Keeps one keep-alive connection for reads; writes use a fresh one so a
    stale keep-alive socket can never make a write ambiguous."""

    def __init__(self, host, port, timeout=30, ssl_context=None, scheme="https"):
        self.host = host
        self.port = port
        self.timeout = timeout
        self.scheme = scheme
        self.ssl_context = ssl_context
        self._conn = None

    def _new_connection(self):
        if self.scheme == "http":
            return http_client.HTTPConnection(self.host, self.port, timeout=self.timeout)
        return http_client.HTTPSConnection(self.host, self.port, timeout=self.timeout,
                                           context=self.ssl_context)

    def _connection(self, fresh):
        if fresh:
            self.close()
        if self._conn is None or self._conn.sock is None:
            self.close()
            conn = self._new_connection()
            try:
                conn.connect()
            except ssl.SSLCertVerificationError:
                conn.close()
                raise
            except (TimeoutError, OSError) as exc:
                conn.close()
                raise NotSent(f"connect to {self.host}:{self.port} failed: {exc}")
            self._conn = conn
        return self._conn

    def request(self, method, path, body=None, headers=None, fresh=False):
        """Send one request and read the whole answer."""
        conn = self._connection(fresh)
        payload = None if body is None else json.dumps(body).encode("utf-8")
        all_headers = {"Accept": "application/json", "OData-Version": "4.0",
                       "User-Agent": USER_AGENT}
        if payload is not None:
            all_headers["Content-Type"] = "application/json"
        all_headers.update(headers or {})
        try:
            conn.request(method, path, body=payload, headers=all_headers)
            raw = conn.getresponse()
            data = raw.read()
        except (TimeoutError, OSError, http_client.HTTPException) as exc:
            self.close()
            raise NoAnswer(f"{method} {path}: {exc or type(exc).__name__}")
        if raw.will_close:
            self.close()
        return Response(raw.status, raw.getheaders(), data)

    def close(self):
        if self._conn is not None:
            self._conn.close()
            self._conn = None
