"""Offline stand-in for ansible-test's get-pip bootstrap script.

ansible-test downloads get-pip.py from a host this machine cannot reach; this
script does the same job from what is reachable (ensurepip + PyPI): it installs
pip, then runs `pip install --upgrade <args>` with the arguments ansible-test
passes (e.g. pip==25.2 --no-setuptools --no-wheel). `make sanity` copies it to
~/.ansible/test/cache/get_pip_<version>.py.
"""
import ensurepip
import os
import subprocess
import sys

ensurepip.bootstrap(upgrade=True)
args = [a for a in sys.argv[1:] if a not in ("--no-setuptools", "--no-wheel")]
# ansible-test sets PIP_CONFIG_FILE=/dev/null; the bundled pip does not use the
# system trust store, so point it at the system CA bundle (newer pip does).
for bundle in ("/etc/ssl/certs/ca-certificates.crt", "/etc/pki/tls/certs/ca-bundle.crt"):
    if os.path.exists(bundle):
        args = ["--cert", bundle] + args
        break
sys.exit(subprocess.call([sys.executable, "-m", "pip", "install", "--upgrade", "--disable-pip-version-check"] + args))
