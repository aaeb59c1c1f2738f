# -*- coding: utf-8 -*-
# Copyright: odc.buildout developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Private Redfish layer of odc.buildout (see docs/bmc.md).

_client      RedfishClient: transport, sessions, retries, TLS, ETag, tasks
_vendors     the one table of vendor differences
_bmc         Bmc: a logged-in BMC and its services (entry point)
_parallel    run_on_bmcs: one step on many BMCs at once
_system, _power, _boot, _virtual_media, _bios, _accounts, _settings,
_firmware, _info, _identity   one service per job
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type
