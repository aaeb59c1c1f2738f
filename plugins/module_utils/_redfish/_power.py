# -*- coding: utf-8 -*-
# Copyright: odc.buildout developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Declarative power: on | off | restarted, graceful first, force only if allowed.

``restarted`` is a shutdown followed by power-on (both observed), because a
GracefulRestart cannot be observed on most BMCs (PowerState stays On).
Every change is polled until the BMC reports the settled state.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.odc.buildout.plugins.module_utils import _errors

ON_STATES = ("On",)
OFF_STATES = ("Off",)
IDEMPOTENT = ("On", "ForceOn", "ForceOff", "GracefulShutdown")


class PowerControl:
    def __init__(self, system, force=False, graceful_timeout=300, wait_timeout=300,
                 poll_interval=2.0, ambiguous_wait=15.0):
        self.system = system
        self.client = system.client
        self.force = force
        self.graceful_timeout = graceful_timeout
        self.wait_timeout = wait_timeout
        self.poll_interval = poll_interval
        self.ambiguous_wait = ambiguous_wait
        self.actions = []
        self.warnings = []

    def state(self):
        return self.system.power_state()

    def wait_for(self, states, timeout):
        """Poll until PowerState is one of ``states``; True if it got there."""
        deadline = self.client.clock() + timeout
        while True:
            if self.state() in states:
                return True
            if self.client.clock() >= deadline:
                return False
            self.client.sleep(self.poll_interval)

    def _send(self, reset_type, settled_states):
        """Send one reset; after a lost answer, re-read and decide."""
        self.actions.append(reset_type)
        try:
            self.system.reset(reset_type)
            return
        except _errors.WriteOutcomeUnknown as exc:
            self.warnings.append(f"{exc}; re-reading the power state")
        if self.wait_for(settled_states, min(self.ambiguous_wait, self.wait_timeout)):
            return
        if reset_type not in IDEMPOTENT:
            raise _errors.WriteOutcomeUnknown(
                f"{self.client.address}: no answer and the power state did not change; not resending a {reset_type}")
        self.warnings.append(f"{reset_type} did not take effect; sending it once more")
        self.actions.append(reset_type)
        self.system.reset(reset_type)

    def _power_on(self):
        kind = "On" if self.system.allows("On") else "ForceOn"
        self._send(kind, ON_STATES)
        if not self.wait_for(ON_STATES, self.wait_timeout):
            raise _errors.TimeoutExpired(f"{self.client.address}: not On {self.wait_timeout}s after {kind}")

    def _power_off(self):
        message = "offers no GracefulShutdown"
        if self.system.allows("GracefulShutdown"):
            try:
                self._send("GracefulShutdown", OFF_STATES)
                if self.wait_for(OFF_STATES, self.graceful_timeout):
                    return
                message = f"did not shut down gracefully within {self.graceful_timeout}s"
            except _errors.ApiError as exc:
                message = f"refused GracefulShutdown ({exc})"
        if not self.force:
            raise _errors.SafetyRefusal(f"{self.client.address}: {message}; set force: true to allow ForceOff")
        self.warnings.append(f"{self.client.address} {message}; forcing off")
        self._send("ForceOff", OFF_STATES)
        if not self.wait_for(OFF_STATES, self.wait_timeout):
            raise _errors.TimeoutExpired(f"{self.client.address}: still not Off {self.wait_timeout}s after ForceOff")

    def ensure(self, desired, check_mode=False):
        """Returns {changed, before, after, actions, warnings}."""
        before = self.state()
        if desired == "on" and before == "PoweringOn":
            self.wait_for(ON_STATES, self.wait_timeout)
            before = self.state()
        if desired == "off" and before == "PoweringOff":
            self.wait_for(OFF_STATES, self.wait_timeout)
            before = self.state()
        plan = self.plan(desired, before)
        if not plan:
            after = before
        elif check_mode:
            after = "Off" if desired == "off" else "On"
        else:
            for step in plan:
                if step == "on":
                    self._power_on()
                else:
                    self._power_off()
            after = self.state()
        return {"changed": bool(plan), "before": before, "after": after, "plan": plan,
                "actions": list(self.actions), "warnings": list(self.warnings)}

    @staticmethod
    def plan(desired, current):
        """The steps ('off', 'on') that take ``current`` to ``desired``."""
        is_on = current in ON_STATES
        if desired == "on":
            return [] if is_on else ["on"]
        if desired == "off":
            return ["off"] if current not in OFF_STATES else []
        if desired == "restarted":
            return ["off", "on"] if is_on else ["on"]
        raise _errors.ConfigError(f"unknown power state {desired!r}")
