# -*- coding: utf-8 -*-
# Copyright: odc.buildout developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Recorded vendor payloads and a scripted transport for the unit tests."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json
import os

from ansible_collections.odc.buildout.plugins.module_utils._redfish import _transport

HERE = os.path.dirname(os.path.abspath(__file__))


def fixture(name):
    with open(os.path.join(HERE, "fixtures", name)) as handle:
        return json.load(handle)


class FakeTransport(object):
    """Answers from a script: {(method, path): [answer, ...]}; the last answer
    repeats.  An answer is (status, body[, headers]) or an exception instance."""

    def __init__(self, script):
        self.script = {k: list(v) for k, v in script.items()}
        self.calls = []

    def request(self, method, path, body=None, headers=None, fresh=False):
        self.calls.append({"method": method, "path": path, "body": body, "headers": dict(headers or {})})
        answers = self.script.get((method, path))
        if not answers:
            return _transport.Response(404, [], json.dumps({"error": {"message": "no route"}}).encode())
        answer = answers.pop(0) if len(answers) > 1 else answers[0]
        if isinstance(answer, Exception):
            raise answer
        status, body = answer[0], answer[1]
        headers_out = list((answer[2] if len(answer) > 2 else {}).items())
        raw = b"" if body is None else json.dumps(body).encode()
        return _transport.Response(status, headers_out, raw)

    def close(self):
        pass

    def sent(self, method, path=None):
        return [c for c in self.calls if c["method"] == method and (path is None or c["path"] == path)]


class FakeClock(object):
    def __init__(self):
        self.now = 1000.0
        self.sleeps = []

    def clock(self):
        return self.now

    def sleep(self, seconds):
        self.sleeps.append(seconds)
        self.now += seconds


SESSION_OK = (201, {"Id": "s1"}, {"X-Auth-Token": "tok-1", "Location": "/redfish/v1/SessionService/Sessions/s1"})


def session_script(root, extra=None, root_path="/redfish/v1/"):
    script = {("GET", root_path): [(200, root)],
              ("POST", "/redfish/v1/SessionService/Sessions"): [SESSION_OK],
              ("DELETE", "/redfish/v1/SessionService/Sessions/s1"): [(204, None)]}
    script.update(extra or {})
    return script
