# Copyright: odc.buildout developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The lab CA and one TLS leaf certificate per BMC, made with the openssl CLI.

Layout under $ODC_LAB_HOME/ca/: ca.pem (public), ca.key (0600),
leaves/<name>.pem + leaves/<name>.key (0600). Idempotent: a CA or leaf that
exists, verifies, is valid for 30 more days, matches its key (and, for a
leaf, carries the wanted IP SAN) is kept as it is.
"""

import hashlib
import json
import os
import secrets
import ssl
import tempfile
import time
from pathlib import Path

from .common import log, read_text, run, write_file

CA_DAYS = 3650
LEAF_DAYS = 825
MIN_VALID_SECONDS = 30 * 86400
CA_SUBJECT = "/O=odc.buildout lab/CN=odc-buildout lab CA"
EC_ARGS = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"]


def _pubkey_of_cert(cert):
    return run(["openssl", "x509", "-in", cert, "-noout", "-pubkey"]).stdout.strip()


def _pubkey_of_key(key):
    done = run(["openssl", "pkey", "-in", key, "-pubout"], check=False)
    return done.stdout.strip() if done.returncode == 0 else None


def _digest(*parts):
    sha = hashlib.sha256()
    for part in parts:
        data = part.read_bytes() if isinstance(part, Path) else str(part).encode()
        sha.update(hashlib.sha256(data).digest())
    return sha.hexdigest()


def _stamp_ok(stamp, digest):
    """A previous full check of exactly these inputs passed and the certificate is still valid long enough."""
    try:
        data = json.loads(read_text(stamp, "") or "{}")
    except ValueError:
        return False
    return data.get("digest") == digest and data.get("not_after", 0) - time.time() > MIN_VALID_SECONDS


def _write_stamp(stamp, digest, enddate_line):
    not_after = ssl.cert_time_to_seconds(enddate_line.split("=", 1)[1].strip())
    write_file(stamp, json.dumps({"digest": digest, "not_after": not_after}) + "\n")


def _enddate(text):
    return next(line for line in text.splitlines() if line.startswith("notAfter="))


class LabCA:
    def __init__(self, directory):
        self.dir = Path(directory)
        self.cert = self.dir / "ca.pem"
        self.key = self.dir / "ca.key"
        self.leaves = self.dir / "leaves"

    # -- CA --------------------------------------------------------------------
    def valid(self):
        if not (self.cert.is_file() and self.key.is_file()):
            return False
        stamp = self.dir / ".ca.checked"
        digest = _digest(self.cert, self.key)
        if _stamp_ok(stamp, digest):
            return True
        done = run(["openssl", "x509", "-in", self.cert, "-noout", "-enddate", "-checkend", str(MIN_VALID_SECONDS)],
                   check=False)
        if done.returncode != 0 or _pubkey_of_key(self.key) != _pubkey_of_cert(self.cert):
            return False
        _write_stamp(stamp, digest, _enddate(done.stdout))
        return True

    def ensure(self):
        """Create the CA unless a valid one exists. Returns True when (re)created."""
        self.dir.mkdir(parents=True, exist_ok=True)
        self.leaves.mkdir(exist_ok=True)
        os.chmod(self.dir, 0o755)
        if self.valid():
            return False
        log(f"creating lab CA in {self.dir}")
        old = os.umask(0o077)
        try:
            run(["openssl", "req", "-x509"] + EC_ARGS + [
                "-keyout", self.key, "-out", self.cert, "-days", str(CA_DAYS), "-subj", CA_SUBJECT,
                "-addext", "basicConstraints=critical,CA:TRUE,pathlen:0",
                "-addext", "keyUsage=critical,keyCertSign,cRLSign",
                "-addext", "subjectKeyIdentifier=hash"])
        finally:
            os.umask(old)
        os.chmod(self.key, 0o600)
        os.chmod(self.cert, 0o644)
        return True

    # -- leaves ------------------------------------------------------------------
    def leaf_paths(self, name):
        return self.leaves / (name + ".pem"), self.leaves / (name + ".key")

    def leaf_valid(self, name, ips):
        cert, key = self.leaf_paths(name)
        if not (cert.is_file() and key.is_file() and self.cert.is_file()):
            return False
        stamp = self.leaves / (name + ".checked")
        digest = _digest(cert, key, self.cert, ",".join(sorted(ips)))
        if _stamp_ok(stamp, digest):
            return True
        done = run(["openssl", "x509", "-in", cert, "-noout", "-pubkey", "-ext", "subjectAltName", "-enddate",
                    "-checkend", str(MIN_VALID_SECONDS)], check=False)
        if done.returncode != 0:
            return False
        pub, _, rest = done.stdout.partition("-----END PUBLIC KEY-----")
        sans = {part.strip() for part in rest.replace("\n", ",").split(",") if part.strip()}
        if not all(f"IP Address:{ip}" in sans for ip in ips):
            return False
        if _pubkey_of_key(key) != (pub + "-----END PUBLIC KEY-----").strip():
            return False
        if run(["openssl", "verify", "-CAfile", self.cert, cert], check=False).returncode != 0:
            return False
        _write_stamp(stamp, digest, _enddate(done.stdout))
        return True

    def ensure_leaf(self, name, ips, dns=()):
        """Issue leaves/<name>.pem (IP SANs = ips) unless a valid one exists. Returns (cert, key, created)."""
        cert, key = self.leaf_paths(name)
        if self.leaf_valid(name, ips):
            return cert, key, False
        sans = [f"IP:{ip}" for ip in ips] + [f"DNS:{d}" for d in dns if d]
        with tempfile.TemporaryDirectory(dir=self.leaves) as tmp:
            csr = os.path.join(tmp, "leaf.csr")
            ext = os.path.join(tmp, "ext.cnf")
            tmp_key = os.path.join(tmp, "leaf.key")
            tmp_cert = os.path.join(tmp, "leaf.pem")
            with open(ext, "w") as handle:
                handle.write(f"subjectAltName={','.join(sans)}\nbasicConstraints=critical,CA:FALSE\n"
                             "keyUsage=critical,digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth\n"
                             "subjectKeyIdentifier=hash\nauthorityKeyIdentifier=keyid:always\n")
            old = os.umask(0o077)
            try:
                run(["openssl", "req", "-new"] + EC_ARGS + ["-keyout", tmp_key, "-out", csr,
                                                           "-subj", f"/O=odc.buildout lab/CN={name}"])
                run(["openssl", "x509", "-req", "-in", csr, "-CA", self.cert, "-CAkey", self.key,
                     "-set_serial", "0x" + secrets.token_hex(16), "-days", str(LEAF_DAYS), "-sha256",
                     "-extfile", ext, "-out", tmp_cert])
            finally:
                os.umask(old)
            os.chmod(tmp_key, 0o600)
            os.chmod(tmp_cert, 0o644)
            os.replace(tmp_key, key)
            os.replace(tmp_cert, cert)
        return cert, key, True


