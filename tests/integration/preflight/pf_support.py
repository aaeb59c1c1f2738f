# Copyright: odc.buildout developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Corrupt the demo site in the real NetBox, and put it back exactly.

``Corruptor.sections`` applies NetBoxApply sections; before each section it
records, for every object that already exists, the current value of every
field the section sets (so the restore section is derived from NetBox, not
written by hand), and every object the section creates. ``Corruptor.create``
is for what natural keys cannot express (a second object with the same key:
the duplicates NetBox lets through). ``restore`` walks the record backwards:
restore sections (batched into one NetBoxApply run) and deletes.
"""

import os
import time

from ansible_collections.odc.buildout.plugins.module_utils._errors import ConfigError, NotFound
from ansible_collections.odc.buildout.plugins.module_utils._netbox_apply import KEYS, NetBoxApply
from ansible_collections.odc.buildout.plugins.module_utils._netbox_client import NetBoxClient

NETBOX_URL = os.environ.get("ODC_NETBOX_URL", "http://127.0.0.1:8001")
RUN = "pf-%d" % int(time.time())
MESSAGE = f"odc.buildout preflight integration test {RUN}"


class RecordingClient(NetBoxClient):
    """Records what it creates; opens a fresh connection for every write (gunicorn closes idle
    keep-alive connections and the client only retries reads)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.created = []  # (endpoint, id) in creation order

    def request(self, method, path, params=None, body=None):
        if method != "GET":
            self.close()
        return super().request(method, path, params=params, body=body)

    def create(self, endpoint, objects, changelog_message=None):
        created = super().create(endpoint, objects, changelog_message)
        self.created.extend((endpoint, obj["id"]) for obj in created or [])
        return created

    def one(self, endpoint, **filters):
        found = self.list(endpoint, filters)
        if len(found) != 1:
            raise AssertionError(f"{endpoint} {filters}: {len(found)} objects")
        return found[0]


def restorable(value):
    """NetBox's representation of a value -> what NetBoxApply can write back."""
    if isinstance(value, dict):
        if "id" in value:
            return value["id"]
        if set(value) == {"value", "label"}:
            return value["value"]
        return {k: restorable(v) for k, v in value.items()}
    if isinstance(value, list):
        return [restorable(v) for v in value]
    return value


class Corruptor:
    def __init__(self, client):
        self.client = client
        self.record = []     # ("section", section) | ("delete", endpoint, id)
        self.restored = False

    # -- corrupting ----------------------------------------------------------------
    def sections(self, sections):
        engine = NetBoxApply(self.client, changelog_message=MESSAGE)
        for section in sections:
            before = self._before(engine, section)
            first = len(self.client.created)
            engine.apply_section(section)
            if before["objects"]:
                self.record.append(("section", before))
            for endpoint, obj_id in self.client.created[first:]:
                self.record.append(("delete", endpoint, obj_id))

    def create(self, endpoint, obj):
        first = len(self.client.created)
        created = self.client.create(endpoint, [obj], MESSAGE)[0]
        for ep, obj_id in self.client.created[first:]:
            self.record.append(("delete", ep, obj_id))
        return created

    def _before(self, engine, section):
        endpoint = section["endpoint"]
        index = engine.index(endpoint)
        mine = set(self.created())
        restore = []
        for pos, obj in enumerate(section["objects"]):
            try:
                key, body = engine.desired(endpoint, obj, f"record {endpoint}[{pos}]")
            except ConfigError:
                continue  # refers to an object created later: it is deleted on restore
            current = index.get(key)
            if current is None or (endpoint, current["id"]) in mine:
                continue  # created here: deleted on restore
            old = {field: obj[field] for field in KEYS[endpoint] if field in obj}
            for field, want in body.items():
                if field in old:
                    continue
                if field == "custom_fields":
                    have = current.get("custom_fields") or {}
                    old[field] = {name: restorable(have.get(name)) for name in want}
                else:
                    old[field] = restorable(current.get(field))
            restore.append(old)
        return {"endpoint": endpoint, "objects": restore}

    # -- restoring -----------------------------------------------------------------
    def restore_sections(self):
        return [entry[1] for entry in reversed(self.record) if entry[0] == "section"]

    def created(self):
        return [(entry[1], entry[2]) for entry in reversed(self.record) if entry[0] == "delete"]

    def restore(self):
        """Undo everything, newest first; consecutive restore sections go in one NetBoxApply run."""
        if self.restored:
            return
        batch = []
        for entry in reversed(self.record):
            if entry[0] == "section":
                batch.append(entry[1])
                continue
            self._flush(batch)
            batch = []
            try:
                self.client.delete(entry[1], [entry[2]], MESSAGE)
            except NotFound:
                pass
        self._flush(batch)
        self.restored = True

    def _flush(self, batch):
        if batch:
            NetBoxApply(self.client, changelog_message=MESSAGE).apply(batch)

    def leftovers(self):
        """Planned changes between NetBox and the recorded before-values, and created objects still there."""
        engine = NetBoxApply(self.client, check_mode=True)
        engine.apply(self.restore_sections())
        alive = []
        for endpoint, obj_id in self.created():
            try:
                self.client.request("GET", f"{self.client.endpoint_path(endpoint)}{obj_id}/")
                alive.append((endpoint, obj_id))
            except NotFound:
                pass
        return engine.changes, alive
