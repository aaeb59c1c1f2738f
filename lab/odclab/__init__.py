# Copyright: odc.buildout developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The lab peers derived from NetBox: lab CA, BMC emulators, switch namespaces + FRR.

Entry point: ``lab/peers.py up|down|status|wipe`` (see docs/lab.md).
"""
