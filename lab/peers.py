#!/usr/bin/env python3
# Copyright: odc.buildout developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The lab peers derived from NetBox: .venv/bin/python lab/peers.py up|down|status|wipe.

See docs/lab.md. Reads NetBox (URL $NETBOX_URL, token $NETBOX_TOKEN or
$ODC_LAB_HOME/netbox-token) and runs a lab CA, one BMC emulator per server
(sushy-emulator / ipmi_sim on the NetBox BMC address) and one network
namespace per switch with veth links per cable and FRR (zebra + bgpd).
"""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from odclab.cli import main

if __name__ == "__main__":
    sys.exit(main())
