# -*- coding: utf-8 -*-
# Copyright: odc.buildout developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Follow a Redfish task monitor (202 Accepted + Location) to its end."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.odc.buildout.plugins.module_utils import _errors
from ansible_collections.odc.buildout.plugins.module_utils._redfish import _messages

RUNNING = frozenset(["New", "Starting", "Running", "Pending", "Suspended",
                     "Stopping", "Cancelling", "Service", "Interrupted"])
FAILED = frozenset(["Exception", "Killed", "Cancelled"])
BAD_STATUS = frozenset(["Critical"])


def task_uri(response):
    """Where to poll: the Location header, else the Task in the body."""
    location = response.header("Location")
    if location:
        return location
    data = response.data
    return data.get("TaskMonitor") or data.get("@odata.id")


def _retry_after(response, default):
    try:
        return max(0.0, float(response.header("Retry-After")))
    except (TypeError, ValueError):
        return default


class TaskMonitor:
    """Polls until the task ends; returns the last body; raises on failure."""

    def __init__(self, client, timeout=1800, interval=2.0):
        self.client = client
        self.timeout = timeout
        self.interval = interval

    def follow(self, response):
        uri = task_uri(response)
        if not uri:
            return response.data
        deadline = self.client.clock() + self.timeout
        while True:
            answer = self.client.request("GET", uri)
            outcome = self._outcome(uri, answer)
            if outcome is not None:
                return outcome
            if self.client.clock() >= deadline:
                raise _errors.TimeoutExpired(
                    f"task {uri} still running after {self.timeout}s", task=uri)
            self.client.sleep(_retry_after(answer, self.interval))

    def _outcome(self, uri, answer):
        """None while running, else the final body (or raise)."""
        if answer.status == 202:
            return None
        data = answer.data
        state = data.get("TaskState")
        if state is None:
            return data  # the monitor handed back the operation's own result
        if state in RUNNING:
            return None
        texts = [_messages.describe(e) for e in _messages.extended_info(data)]
        if state in FAILED or data.get("TaskStatus") in BAD_STATUS:
            details = "; ".join(texts) or "no messages"
            text = f"task {uri} ended {state}/{data.get('TaskStatus')}: {details}"
            raise _errors.TaskFailed(_messages.scrub(text, self.client.secrets),
                                     task=uri, task_state=state)
        return data
