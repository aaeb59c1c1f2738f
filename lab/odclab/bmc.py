# Copyright: odc.buildout developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""BMC emulators: one sushy-emulator (Redfish, fake driver) or ipmi_sim (IPMI) per NetBox server.

Each BMC owns $ODC_LAB_HOME/bmc/<name>/ (config, state, log) and
$ODC_LAB_HOME/run/bmc-<name>.pid. A running emulator is kept when its
rendered configuration (and certificate) did not change; otherwise it is
restarted. The Redfish fake system is seeded once per state directory
(sushy keeps it in SQLite): when the seed (UUID, name, NIC MACs) changes, the
state directory is reset.
"""

import hashlib
import json
import shutil
import subprocess
import sys
from pathlib import Path

from .common import (
    REPO,
    read_text,
    rmcp_ping,
    running_pid,
    spawn,
    tcp_open,
    write_file,
    write_pid,
)

# IANA enterprise numbers for `mc info` (Manufacturer ID)
IANA = {"supermicro": 10876, "dell": 674, "hpe": 47196, "hewlett packard enterprise": 47196, "lenovo": 19046}


def _sha(text):
    return hashlib.sha256(text.encode() if isinstance(text, str) else text).hexdigest()


LAUNCHER = Path(__file__).resolve().parent / "sushy_launch.py"


def sushy_python():
    """An interpreter that has sushy-tools (this one, else the repo's .venv)."""
    import importlib.util
    if importlib.util.find_spec("sushy_tools") is not None:
        # one spelling per environment (python, python3, python3.12 are the same venv): the
        # command is part of each emulator's fingerprint, so a different spelling would restart it
        canonical = Path(sys.prefix) / "bin" / "python"
        return str(canonical) if canonical.exists() else sys.executable
    venv = REPO / ".venv" / "bin" / "python"
    probe = [str(venv), "-c", "import sushy_tools"]
    if venv.exists() and subprocess.run(probe, capture_output=True, check=False).returncode == 0:
        return str(venv)
    return None


def htpasswd_line(username, password, old_line=None):
    """bcrypt (cost 4: cost 12 makes every sushy request ~350 ms) htpasswd line; reuse old_line if it matches."""
    try:
        import bcrypt
    except ImportError:  # pragma: no cover - bcrypt ships with sushy-tools
        bcrypt = None
    if old_line and old_line.startswith(username + ":"):
        hashed = old_line.split(":", 1)[1].strip()
        if bcrypt is not None:
            try:
                if bcrypt.checkpw(password.encode(), hashed.encode()):
                    return old_line
            except ValueError:
                pass
    if bcrypt is not None:
        return f"{username}:{bcrypt.hashpw(password.encode(), bcrypt.gensalt(rounds=4)).decode()}"
    from .common import apt_ensure, run
    apt_ensure(["apache2-utils"], ["htpasswd"])
    return run(["htpasswd", "-niB", "-C", "4", username], input_text=password + "\n").stdout.strip()


class BmcPeer:
    """Common part of the two emulators."""

    protocol = None

    def __init__(self, paths, bmc, cred):
        self.paths = paths
        self.bmc = bmc
        self.cred = cred
        self.name = bmc.name
        self.dir = paths.bmc / bmc.name
        self.state_dir = self.dir / "state"
        self.pid_name = "bmc-" + bmc.name
        self.proc = None

    # subclasses: files() -> {name: (text, mode)}, command(), log_path, ready(), extra_fingerprint()
    def fingerprint(self):
        parts = [self.protocol] + [f"{n}={_sha(t)}" for n, (t, _) in sorted(self.files().items())]
        parts.append(" ".join(str(a) for a in self.command()))
        parts.append(self.extra_fingerprint())
        return _sha("\n".join(parts))

    def extra_fingerprint(self):
        return ""

    def running_pid(self):
        return running_pid(self.paths, self.pid_name)

    def up_to_date(self):
        return read_text(self.dir / ".running", "").strip() == self.fingerprint()

    def prepare(self):
        """Write the configuration; called with the emulator stopped."""
        self.dir.mkdir(parents=True, exist_ok=True)
        self.dir.chmod(0o700)
        self.state_dir.mkdir(exist_ok=True)
        for name, (text, mode) in self.files().items():
            if read_text(self.dir / name) != text:
                write_file(self.dir / name, text, mode)

    def start(self):
        self.proc = spawn(self.command(), self.log_path, cwd=self.dir)
        write_pid(self.paths, self.pid_name, self.proc.pid)
        write_file(self.dir / ".running", self.fingerprint() + "\n")
        return self.proc.pid

    def describe(self, credentials_file):
        b = self.bmc
        return {
            "name": b.name, "protocol": self.protocol, "address": b.address, "port": b.port,
            "netbox_id": b.netbox_id, "serial": b.serial, "manufacturer": b.manufacturer, "model": b.model,
            "system_uuid": b.uuid, "bmc_interface": b.interface, "bmc_mac": b.mac,
            "nics": b.nics, "macs": [n["mac"] for n in b.nics],
            "credentials_file": str(credentials_file),
            "credentials_var": f"odc_bmc_factory_devices.{b.name}",
            "dir": str(self.dir), "state_dir": str(self.state_dir), "log": str(self.log_path),
            "pid_file": str(self.paths.pid_file(self.pid_name)),
        }


class RedfishPeer(BmcPeer):
    protocol = "redfish"

    def __init__(self, paths, bmc, cred, cert, key, ca):
        super().__init__(paths, bmc, cred)
        self.cert, self.key, self.ca = Path(cert), Path(key), Path(ca)
        self.conf = self.dir / "emulator.conf"
        self.htpasswd = self.dir / "htpasswd"
        self.log_path = self.dir / "sushy.log"

    def seed(self):
        return {"uuid": self.bmc.uuid, "name": self.bmc.name, "power_state": "Off",
                "nics": [{"mac": n["mac"]} for n in self.bmc.nics]}

    def identity(self):
        return {"SerialNumber": self.bmc.serial, "Manufacturer": self.bmc.manufacturer, "Model": self.bmc.model}

    def files(self):
        b = self.bmc
        conf = "\n".join([
            f"# sushy-emulator for {b.name} (NetBox device {b.netbox_id}), written by lab/peers.py",
            f"SUSHY_EMULATOR_LISTEN_IP = {b.address!r}",
            f"SUSHY_EMULATOR_LISTEN_PORT = {b.port}",
            f"SUSHY_EMULATOR_SSL_CERT = {str(self.cert)!r}",
            f"SUSHY_EMULATOR_SSL_KEY = {str(self.key)!r}",
            f"SUSHY_EMULATOR_AUTH_FILE = {str(self.htpasswd)!r}",
            f"SUSHY_EMULATOR_STATE_DIR = {str(self.state_dir)!r}",
            "SUSHY_EMULATOR_FAKE_DRIVER = True",
            f"SUSHY_EMULATOR_FAKE_SYSTEMS = {[self.seed()]!r}",
            "# NetBox identity added to Systems/<id> and Chassis/<id> by lab/odclab/sushy_launch.py",
            f"ODC_LAB_IDENTITY = {self.identity()!r}",
            "",
        ])
        return {"emulator.conf": (conf, 0o600)}

    def extra_fingerprint(self):
        # a renewed certificate or a changed launcher needs a restart; htpasswd is read on every request
        tls = self.cert.read_bytes() + self.key.read_bytes() if self.cert.exists() else b""
        return _sha(tls + LAUNCHER.read_bytes())

    def prepare(self):
        seed = json.dumps(self.seed(), sort_keys=True)
        if read_text(self.dir / "seed.json", "").strip() != seed and self.state_dir.exists():
            shutil.rmtree(self.state_dir)  # sushy seeds FAKE_SYSTEMS only into an empty state
        super().prepare()
        write_file(self.dir / "seed.json", seed + "\n")
        self.write_htpasswd()

    def write_htpasswd(self):
        old = (read_text(self.htpasswd, "") or "").strip()
        line = htpasswd_line(self.cred["username"], self.cred["password"], old)
        if line != old:
            write_file(self.htpasswd, line + "\n", 0o600)

    def command(self):
        return [sushy_python(), LAUNCHER, "--config", self.conf]

    def ready(self):
        return tcp_open(self.bmc.address, self.bmc.port)


    def describe(self, credentials_file):
        out = super().describe(credentials_file)
        b = self.bmc
        out.update({
            "url": f"https://{b.address}:{b.port}" if b.port != 443 else f"https://{b.address}",
            "ca": str(self.ca), "cert": str(self.cert), "key": str(self.key), "tls": True,
            "system_id": b.uuid, "system_path": f"/redfish/v1/Systems/{b.uuid}",
            "emulator": "sushy-emulator (fake driver)", "config": str(self.conf),
        })
        return out


CHASSIS_SCRIPT = r"""#!/bin/sh
# chassis_control for ipmi_sim (lab/peers.py): power/boot state in files in this directory.
#   chassis.sh <mc> get power boot ... | chassis.sh <mc> set power 1 boot pxe ...
dir=$(dirname "$0")/chassis
mkdir -p "$dir"
shift
op=$1; shift
case $op in
  get) while [ -n "$1" ]; do
         case $1 in
           power) v=$(cat "$dir/power" 2>/dev/null || echo 0);;
           boot) v=$(cat "$dir/boot" 2>/dev/null || echo default);;
           *) echo "Invalid parameter: $1"; exit 1;;
         esac
         echo "$1:$v"; shift
       done;;
  set) while [ -n "$1" ]; do
         p=$1; v=$2; shift 2
         case $p in
           power) echo "$v" > "$dir/power";;
           reset) echo "$v" >> "$dir/resets"; echo 1 > "$dir/power";;
           boot) echo "$v" > "$dir/boot";;
           identify) shift;;
           *) echo "Invalid parameter: $p"; exit 1;;
         esac
       done;;
  *) exit 1;;
esac
"""

LAN_SCRIPT = r"""#!/bin/sh
# lan_config_program for ipmi_sim (lab/peers.py): the LAN parameters `lan print`
# shows. Defaults from NetBox; `lan set` values persist in ./lan/<parameter>.
#   lan.sh <device> get ip_addr mac_addr ... | lan.sh <device> set ip_addr 1.2.3.4 ...
dir=$(dirname "$0")/lan
mkdir -p "$dir"
shift
op=$1; shift
default() {
  case $1 in
    ip_addr_src) echo static;;
    ip_addr) echo @ADDRESS@;;
    mac_addr) echo @MAC@;;
    subnet_mask) echo @MASK@;;
    default_gw_ip_addr|backup_gw_ip_addr) echo 0.0.0.0;;
    default_gw_mac_addr|backup_gw_mac_addr) echo 00:00:00:00:00:00;;
    *) echo "";;
  esac
}
case $op in
  get) for p in "$@"; do
         if [ -f "$dir/$p" ]; then v=$(cat "$dir/$p"); else v=$(default "$p"); fi
         echo "$p:$v"
       done;;
  set) while [ -n "$1" ]; do echo "$2" > "$dir/$1"; shift 2; done;;
  *) exit 1;;
esac
"""


class IpmiPeer(BmcPeer):
    protocol = "ipmi"

    def __init__(self, paths, bmc, cred):
        super().__init__(paths, bmc, cred)
        self.lan_conf = self.dir / "lan.conf"
        self.log_path = self.dir / "ipmi_sim.log"

    def guid_wire(self):
        """The GUID as ipmi_sim sends it: IPMI spec byte order (the UUID's 16 bytes reversed), so that
        ``ipmitool mc guid`` decodes it (encoding "IPMI") to the canonical UUID string."""
        import uuid
        return uuid.UUID(self.bmc.uuid).bytes[::-1].hex()

    def files(self):
        import ipaddress
        b = self.bmc
        mask = str(ipaddress.ip_network(f"0.0.0.0/{b.prefix_length}").netmask)
        mac = (b.mac or "00:00:00:00:00:00").lower()
        user, password = self.cred["username"], self.cred["password"]
        lan = "\n".join([
            f"# ipmi_sim LAN config for {b.name} (NetBox device {b.netbox_id}), written by lab/peers.py",
            f'name "{b.name}"',
            "set_working_mc 0x20",
            "  startlan 1",
            f"    addr {b.address} {b.port}",
            "    priv_limit admin",
            "    allowed_auths_callback none md2 md5 straight",
            "    allowed_auths_user none md2 md5 straight",
            "    allowed_auths_operator none md2 md5 straight",
            "    allowed_auths_admin none md2 md5 straight",
            f'    lan_config_program "{self.dir / "lan.sh"} bmc0"',
            f"    guid {self.guid_wire()}",
            "  endlan",
            f'  chassis_control "{self.dir / "chassis.sh"} 0x20"',
            f'  user 2 true "{user}" "{password}" admin 10 none md2 md5 straight',
            "",
        ])
        mfg = IANA.get(b.manufacturer.lower(), 0)
        emu = "\n".join([
            "mc_setbmc 0x20",
            f"mc_add 0x20 0 no-device-sdrs 0x23 1 1 0x9f 0x{mfg:x} 0x{0x1029 if mfg == 10876 else 0:x} persist_sdr",
            "sel_enable 0x20 1000 0x0a",
            "mc_enable 0x20",
            "",
        ])
        lan_sh = LAN_SCRIPT.replace("@ADDRESS@", b.address).replace("@MAC@", mac).replace("@MASK@", mask)
        return {"lan.conf": (lan, 0o600), "bmc.emu": (emu, 0o644), "chassis.sh": (CHASSIS_SCRIPT, 0o755),
                "lan.sh": (lan_sh, 0o755)}

    def command(self):
        return ["ipmi_sim", "-c", self.lan_conf, "-f", self.dir / "bmc.emu", "-s", self.state_dir, "-n"]

    def ready(self):
        return rmcp_ping(self.bmc.address, self.bmc.port, timeout=0.3)


    def describe(self, credentials_file):
        out = super().describe(credentials_file)
        out.update({"guid": self.bmc.uuid, "tls": False, "chassis_dir": str(self.dir / "chassis"),
                    "emulator": "ipmi_sim (OpenIPMI)", "config": str(self.lan_conf),
                    "ipmitool": f"ipmitool -I lanplus -C 3 -H {self.bmc.address} -p {self.bmc.port} -U <user> -E"})
        return out


def peer_for(paths, bmc, cred, ca=None):
    if bmc.protocol == "redfish":
        cert, key = ca.leaf_paths(bmc.name)
        return RedfishPeer(paths, bmc, cred, cert, key, ca.cert)
    return IpmiPeer(paths, bmc, cred)


