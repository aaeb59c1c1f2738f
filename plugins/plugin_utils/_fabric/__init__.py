# -*- coding: utf-8 -*-
# Copyright: odc.buildout developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Fabric stage: NetBox snapshot -> typed model -> per-domain builders ->
schema-validated structured config -> rendered files (FRR, Linux lab script,
SONiC config_db.json, dnsmasq, NMState, Markdown + Mermaid).

Entry points: ``_build.build_fabric(snapshot)`` and ``_render.render_all(result)``.
Lab push and operational verification live in ``_deploy`` and ``_verify``.
"""
