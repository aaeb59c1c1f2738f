# -*- coding: utf-8 -*-
# Copyright: odc.buildout developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Throwaway CA + leaf certificate with IP SANs, made with the openssl CLI.

    paths = make_certs("/tmp/x", ["127.0.2.1", "127.0.2.2"])
    paths["ca"], paths["cert"], paths["key"]
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import os
import subprocess


def _run(*args):
    subprocess.run(("openssl",) + args, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


def make_certs(directory, ips, dns=("localhost",), days=2):
    """Write ca.pem, leaf.pem (chain: leaf only), leaf.key into ``directory``."""
    os.makedirs(directory, exist_ok=True)
    names = ("ca.pem", "ca.key", "leaf.pem", "leaf.key", "leaf.csr", "ext.cnf")
    path = {name: os.path.join(directory, name) for name in names}
    _run("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
         "-keyout", path["ca.key"], "-out", path["ca.pem"], "-days", str(days),
         "-subj", "/CN=odc-buildout test CA",
         "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign")
    _run("req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
         "-keyout", path["leaf.key"], "-out", path["leaf.csr"], "-subj", "/CN=bmc")
    sans = [f"IP:{ip}" for ip in ips] + [f"DNS:{name}" for name in dns]
    with open(path["ext.cnf"], "w") as handle:
        handle.write("subjectAltName={}\nbasicConstraints=CA:FALSE\n"
                     "keyUsage=digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth\n".format(",".join(sans)))
    _run("x509", "-req", "-in", path["leaf.csr"], "-CA", path["ca.pem"], "-CAkey", path["ca.key"],
         "-CAcreateserial", "-out", path["leaf.pem"], "-days", str(days), "-extfile", path["ext.cnf"])
    return {"ca": path["ca.pem"], "cert": path["leaf.pem"], "key": path["leaf.key"]}
