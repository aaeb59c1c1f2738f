# Copyright: odc.buildout developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""A recorded NetBox for unit tests: serves a snapshot dump over the REST API, read-only.

It pages like NetBox (``limit``/``offset``/``next``), checks the token and
records every request, so tests can run the real client, the action plugin
and the playbook without the lab NetBox (the integration tests use the real one).
"""

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

from ansible_collections.odc.buildout.plugins.plugin_utils._netbox._snapshot import EXTRA_KINDS, KINDS

TOKEN = "0123456789abcdef0123456789abcdef01234567"  # a v1-style test token, not a secret


class FakeNetBox:
    def __init__(self, data, host="127.0.0.1"):
        self.data = data
        self.requests = []
        self.paths = {"/api/%s/" % ep.replace(".", "/"): kind for kind, ep, _f in KINDS + EXTRA_KINDS}
        owner = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *_args):
                pass

            def do_GET(self):  # noqa: N802 - http.server API
                owner.requests.append(("GET", self.path, self.headers.get("Authorization")))
                status, body = owner.answer(self.path, self.headers.get("Authorization"))
                payload = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            def _refuse(self):
                owner.requests.append((self.command, self.path, self.headers.get("Authorization")))
                self.send_response(405)
                self.send_header("Content-Length", "0")
                self.end_headers()

            do_POST = do_PATCH = do_PUT = do_DELETE = _refuse  # noqa: N815

        self.server = ThreadingHTTPServer((host, 0), Handler)
        self.url = "http://%s:%d" % self.server.server_address
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def answer(self, target, auth):
        if auth != "Token " + TOKEN:
            return 401, {"detail": "Invalid token"}
        parts = urlsplit(target)
        if parts.path == "/api/status/":
            return 200, {"netbox-version": "4.7.3"}
        kind = self.paths.get(parts.path)
        if kind is None:
            return 404, {"detail": "Not found."}
        query = parse_qs(parts.query)
        limit = int(query.get("limit", ["50"])[0])
        offset = int(query.get("offset", ["0"])[0])
        objects = self.data.get(kind, [])
        page = objects[offset:offset + limit]
        more = offset + limit < len(objects)
        nxt = f"{self.url}{parts.path}?limit={limit}&offset={offset + limit}" if more else None
        return 200, {"count": len(objects), "next": nxt, "previous": None, "results": page}

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *_exc):
        self.server.shutdown()
        self.server.server_close()
