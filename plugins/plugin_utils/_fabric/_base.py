# -*- coding: utf-8 -*-
# Copyright: odc.buildout developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Base class of the per-domain builders: one method per output key."""

from __future__ import annotations


class Builder:
    """A domain builder.

    ``KEYS`` lists the output keys this domain owns, in order; each key has a
    method of the same name taking the subject (a Switch, Server or the Fabric)
    and returning the value, or ``None`` to leave the key out.  ``ROLES``
    restricts a device builder to some switch roles.
    """

    KEYS = ()
    ROLES = ()
    SCOPE = "switch"     # switch | server | site

    def __init__(self, fabric):
        self.fabric = fabric
        self.settings = fabric.settings

    def applies(self, subject):
        return not self.ROLES or getattr(subject, "role", None) in self.ROLES

    def build(self, subject, out):
        if not self.applies(subject):
            return out
        for key in self.KEYS:
            if key in out:
                raise AssertionError("output key %r built twice (%s)" % (key, type(self).__name__))
            produced = getattr(self, key)(subject)
            if produced is not None:
                out[key] = produced
        return out


def peer_fields(peer):
    if peer is None:
        return {"peer_device": None, "peer_interface": None, "peer_status": None}
    return {"peer_device": peer.device, "peer_interface": peer.interface, "peer_status": peer.status}
