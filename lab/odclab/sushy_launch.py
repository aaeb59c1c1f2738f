# Copyright: odc.buildout developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""sushy-emulator (unmodified) plus the NetBox identity of its one system.

The fake driver knows only uuid/name/power_state/nics: its ComputerSystem has
no SerialNumber, says Manufacturer "Sushy Emulator", and its Chassis carries a
fixed serial. Real BMCs report the serial there, and the collection's identity
guard (expected_serial) compares it with NetBox. This launcher runs
sushy-emulator's own main() with one Flask after_request hook that sets
SerialNumber/Manufacturer/Model (ODC_LAB_IDENTITY in the emulator config) in
the JSON of GET /redfish/v1/Systems/<id> and /redfish/v1/Chassis/<id>.
The ServiceRoot (vendor detection) is left as sushy renders it.

    python sushy_launch.py --config emulator.conf
"""

import json
import re
import sys

import flask
from sushy_tools.emulator import main as emulator

RESOURCE = re.compile(r"^/redfish/v1/(Systems|Chassis)/[^/]+/?$")


@emulator.app.after_request
def _netbox_identity(response):
    identity = emulator.app.config.get("ODC_LAB_IDENTITY") or {}
    if (identity and flask.request.method == "GET" and response.status_code == 200
            and RESOURCE.match(flask.request.path) and response.is_json):
        data = response.get_json()
        data.update({k: v for k, v in identity.items() if k in ("SerialNumber", "Manufacturer", "Model") and v})
        response.set_data(json.dumps(data, indent=4))
    return response


if __name__ == "__main__":
    sys.exit(emulator.main())
