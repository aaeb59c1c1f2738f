# -*- coding: utf-8 -*-
# Copyright: odc.buildout developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""A standalone Redfish service for tests (stdlib only).

Run:    python tests/doubles/redfish_double.py --address 127.0.1.5 --port 8443 \
            --cert leaf.pem --key leaf.key --vendor dell --serial X --uuid Y
Import: ``with RedfishDouble(vendor="hpe", cert=..., key=...) as bmc: bmc.url``

Follows the DMTF schemas with vendor-like shapes (see _redfish_shapes.py),
deterministic power transitions (``power_delay``, default immediate), fault
injection (see _redfish_faults.py) and a request log.  Control endpoints,
no authentication, never part of Redfish:

  GET/DELETE   /_control/requests   the request log / clear it
  GET/POST/DELETE /_control/faults  read / merge / clear faults
  GET/POST     /_control/state      summary / set serial, uuid, power, ...
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import argparse
import base64
import json
import socket
import ssl
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

try:
    from ._redfish_actions import Actions
    from ._redfish_faults import Faults, RequestLog
    from ._redfish_state import BmcState, Problem, R
    from ._redfish_views import Views
except ImportError:
    from _redfish_actions import Actions
    from _redfish_faults import Faults, RequestLog
    from _redfish_state import BmcState, Problem, R
    from _redfish_views import Views

PUBLIC = ("", "odata", "$metadata")
SETTABLE = ("serial", "uuid", "power", "power_delay", "session_timeout", "firmware_images",
            "macs", "task_polls", "sessions_enabled", "basic_auth")


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, address, double):
        self.double = double
        ThreadingHTTPServer.__init__(self, address, _Handler)

    def verify_request(self, request, client_address):
        """While 'rebooting', refuse before any byte of TLS: the client sees
        a failed connect, exactly like a BMC that is down."""
        if self.double.faults.unreachable():
            self.double.refused += 1
            return False
        return True

    def finish_request(self, request, client_address):
        if self.double.ssl_context is not None:
            try:
                request = self.double.ssl_context.wrap_socket(request, server_side=True)
            except (ssl.SSLError, OSError):
                return
        try:
            self.RequestHandlerClass(request, client_address, self)
        finally:
            if request is not None:
                try:
                    request.close()
                except OSError:
                    pass


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    timeout = 30

    def log_message(self, fmt, *args):  # keep test output quiet
        return

    def setup(self):
        BaseHTTPRequestHandler.setup(self)
        # headers and body are written separately: without this, Nagle + delayed
        # ACK add ~40 ms to every answer.
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    @property
    def double(self):
        return self.server.double

    def do_GET(self):
        self._handle("GET")

    def do_POST(self):
        self._handle("POST")

    def do_PATCH(self):
        self._handle("PATCH")

    def do_DELETE(self):
        self._handle("DELETE")

    # -- plumbing ----------------------------------------------------------------
    def _body(self):
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b""
        if not raw:
            return {}
        try:
            return json.loads(raw.decode("utf-8"))
        except ValueError:
            raise Problem(400, "MalformedJSON", "The request body submitted was malformed JSON.")

    def _send(self, status, body=None, headers=None):
        payload = b"" if body is None or status == 204 else json.dumps(body).encode("utf-8")
        self.send_response(status)
        self.send_header("OData-Version", "4.0")
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        if payload:
            self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        if payload:
            self.wfile.write(payload)

    def _handle(self, method):
        """Answer one request; the log entry is written BEFORE the answer is
        sent, so a client that got its answer always finds it in the log."""
        double = self.double
        latency = float(double.faults.get("latency") or 0)
        if latency:
            time.sleep(latency)
        path = self.path.split("?", 1)[0]
        entry = {"method": method, "path": path, "status": None, "applied": False, "user": None}
        stall = None
        try:
            body = self._body()
            if path.startswith("/_control"):
                status, answer, headers = double.control(method, path, body) + ({},)
            else:
                status, answer, headers, stall = self._redfish(method, path, body, entry)
        except Problem as exc:
            status, answer, headers = exc.status, exc.body, exc.headers
        entry["status"] = entry["status"] or status
        double.log.add(**entry)
        if entry["status"] == "dropped":
            self.close_connection = True
            self.connection.shutdown(2)
            return
        if stall:
            time.sleep(float(stall.get("delay", 5)))
        try:
            self._send(status, answer, headers)
        except (BrokenPipeError, ConnectionResetError, ssl.SSLError):
            pass
        if double.faults.unreachable():  # a rebooting BMC drops its connections
            self.close_connection = True

    def _redfish(self, method, path, body, entry):
        """Returns (status, body, headers, stall) and fills the log entry."""
        double = self.double
        if not (path == R or path.startswith(R + "/")):
            raise Problem(404, "ResourceMissingAtURI", "Not a Redfish URI.")
        rel = path[len(R):].strip("/")
        if double.faults.take("drop_before_apply", method, path):
            entry["status"] = "dropped"
            return None, None, None, None
        unavailable = double.faults.take("unavailable", method, path)
        if unavailable:
            raise Problem(503, "ServiceTemporarilyUnavailable", "The service is temporarily unavailable.",
                          {"Retry-After": str(unavailable.get("retry_after", 1))})
        stall = double.faults.take("timeout_after_apply", method, path)
        with double.state.lock:
            entry["user"] = self._authenticate(method, rel, body)
            status, answer, headers, applied = double.dispatch(method, rel, body, self.headers)
        entry.update(status=status, applied=applied)
        return status, answer, headers, stall

    def _authenticate(self, method, rel, body):
        state = self.double.state
        if rel in PUBLIC:
            return None
        if method == "POST" and rel == "SessionService/Sessions":
            return body.get("UserName")
        if self.double.faults.pop("expire_sessions"):
            state.expire_all()
        token = self.headers.get("X-Auth-Token")
        if token:
            user = state.user_for_token(token)
            if user:
                return user
            raise Problem(401, "NoValidSession", "There is no valid session established with the implementation.")
        basic = self.headers.get("Authorization", "")
        if basic.startswith("Basic ") and state.basic_auth:
            name, password = base64.b64decode(basic[6:]).decode("utf-8").partition(":")[::2]
            return state.check_password(name, password)
        headers = {"WWW-Authenticate": 'Basic realm="Redfish"'} if state.basic_auth else {}
        raise Problem(401, "AccessDenied", "The authentication credentials included with this request "
                      "are missing or invalid.", headers)


class RedfishDouble:
    """The emulated BMC: server + state + faults + request log."""

    def __init__(self, address="127.0.0.1", port=0, cert=None, key=None, vendor="generic",
                 faults=None, **state_options):
        self.address = address
        self.requested_port = port
        self.faults = Faults(faults)
        self.log = RequestLog()
        self.state = BmcState(vendor=vendor, faults=self.faults, **state_options)
        self.views = Views(self.state)
        self.actions = Actions(self.state, self.views)
        self.ssl_context = None
        if cert and key:
            self.ssl_context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            self.ssl_context.minimum_version = ssl.TLSVersion.TLSv1_2
            self.ssl_context.load_cert_chain(cert, key)
        self._server = None
        self._thread = None
        self.refused = 0

    # -- lifecycle -----------------------------------------------------------------
    def start(self):
        self._server = _Server((self.address, self.requested_port), self)
        self._thread = threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.1})
        self._thread.daemon = True
        self._thread.start()
        return self

    def stop(self):
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()

    @property
    def port(self):
        return self._server.server_address[1]

    @property
    def url(self):
        scheme = "https" if self.ssl_context else "http"
        return f"{scheme}://{self.address}:{self.port}"

    # -- requests ----------------------------------------------------------------------
    def dispatch(self, method, rel, body, headers):
        """Returns (status, body, headers, applied)."""
        state = self.state
        if method == "GET":
            answer, etag = self.views.render(rel)
            return 200, answer, {"ETag": etag}, False
        if method == "POST" and rel == "SessionService/Sessions":
            sid, token = state.create_session(body)
            location = state.oid("SessionService/Sessions/" + sid)
            return 201, self.views.session(sid), {"X-Auth-Token": token, "Location": location}, True
        if method == "DELETE" and rel.startswith("SessionService/Sessions/"):
            if state.sessions.pop(rel.rsplit("/", 1)[1], None) is None:
                raise Problem(404, "ResourceMissingAtURI", "No such session.")
            return 204, None, {}, True
        result = self.actions.handle(method, rel, body, dict(headers.items()))
        return result.status, result.body, result.headers, result.applied

    # -- control -----------------------------------------------------------------------
    def summary(self):
        s = self.state
        with s.lock:
            s.settle()
            return {
                "vendor": s.vendor, "serial": s.serial, "uuid": s.uuid, "power": s.power,
                "boots": s.boots, "boot": dict(s.boot), "bios": dict(s.bios),
                "bios_pending": dict(s.bios_pending), "secure_boot": s.secure_boot,
                "media": {k: {"Image": v["Image"], "Inserted": v["Inserted"]} for k, v in s.media.items()},
                "protocols": json.loads(json.dumps(s.protocols)), "syslog": dict(s.syslog),
                "subscriptions": dict(s.subscriptions), "policy": dict(s.account_policy),
                "accounts": {k: {"UserName": v["UserName"], "RoleId": v["RoleId"], "Enabled": v["Enabled"]}
                             for k, v in s.accounts.items() if v["UserName"]},
                "sessions": len(s.sessions), "max_sessions_seen": s.max_sessions_seen, "firmware": [dict(f) for f in s.firmware],
            }

    def set_state(self, values):
        with self.state.lock:
            for name, value in values.items():
                if name not in SETTABLE:
                    raise Problem(400, "PropertyUnknown", f"Cannot set {name}.")
                setattr(self.state, name, value)

    def password_of(self, username):
        """Tests only: the stored password of an account."""
        with self.state.lock:
            return self.state._account_by_name(username)[1]["Password"]

    def control(self, method, path, body):
        what = path[len("/_control/"):].strip("/")
        if what == "requests":
            if method == "DELETE":
                self.log.clear()
            return 200, {"requests": self.log.entries()}
        if what == "faults":
            if method == "POST":
                self.faults.set(body)
            elif method == "DELETE":
                self.faults.clear()
            return 200, self.faults.snapshot()
        if what == "state":
            if method == "POST":
                self.set_state(body)
            return 200, self.summary()
        raise Problem(404, "ResourceMissingAtURI", "Unknown control endpoint.")


def parse_args(argv):
    parser = argparse.ArgumentParser(description="Redfish test double")
    parser.add_argument("--address", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8443)
    parser.add_argument("--cert")
    parser.add_argument("--key")
    parser.add_argument("--vendor", default="generic",
                        choices=["dell", "hpe", "lenovo", "supermicro", "generic"])
    parser.add_argument("--serial", default="SN-TEST-0001")
    parser.add_argument("--uuid")
    parser.add_argument("--macs", help="comma separated host NIC MACs")
    parser.add_argument("--bmc-mac", default="02:00:00:00:00:01")
    parser.add_argument("--username", default="admin")
    parser.add_argument("--password", default="password")
    parser.add_argument("--power", default="Off", choices=["On", "Off"])
    parser.add_argument("--power-delay", type=float, default=0.0)
    parser.add_argument("--session-timeout", type=float, default=1800)
    parser.add_argument("--latency", type=float, default=0.0, help="seconds added to every request")
    parser.add_argument("--faults", default="{}", help="JSON object of faults")
    parser.add_argument("--firmware-images", default="{}",
                        help='JSON {"image-uri": {"inventory-id": "new-version"}}')
    return parser.parse_args(argv)


def main(argv=None):
    args = parse_args(argv)
    faults = json.loads(args.faults)
    if args.latency:
        faults["latency"] = args.latency
    double = RedfishDouble(
        address=args.address, port=args.port, cert=args.cert, key=args.key, vendor=args.vendor,
        faults=faults, serial=args.serial, uuid=args.uuid,
        macs=args.macs.split(",") if args.macs else None, bmc_mac=args.bmc_mac,
        username=args.username, password=args.password, power=args.power,
        power_delay=args.power_delay, session_timeout=args.session_timeout,
        firmware_images=json.loads(args.firmware_images))
    double.start()
    print(f"READY {double.url}", flush=True)
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        double.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
