# Shared settings for the lab scripts (sourced). Everything the lab starts
# keeps its state under $ODC_LAB_HOME; PIDs under $ODC_LAB_HOME/run.
set -euo pipefail
ODC_LAB_HOME=${ODC_LAB_HOME:-/var/lib/odc-lab}
LAB_RUN=$ODC_LAB_HOME/run
LAB_LOG=$ODC_LAB_HOME/log
REPO_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
NETBOX_PORT=${NETBOX_PORT:-8001}
NETBOX_URL=${NETBOX_URL:-http://127.0.0.1:${NETBOX_PORT}}
NETBOX_TOKEN_FILE=$ODC_LAB_HOME/netbox-token
NETBOX_VERSION=4.7.3
mkdir -p "$LAB_RUN" "$LAB_LOG"
chmod 0700 "$ODC_LAB_HOME"

log() { printf '[lab] %s\n' "$*" >&2; }

find_python312() {
  local p
  for p in "${PYTHON312:-}" "$(pyenv root 2>/dev/null)"/versions/3.12*/bin/python3.12 \
           /root/.pyenv/versions/3.12*/bin/python3.12 /usr/bin/python3.12 /usr/local/bin/python3.12; do
    [ -n "$p" ] && [ -x "$p" ] && "$p" -c 'import venv' 2>/dev/null && { echo "$p"; return 0; }
  done
  echo "no Python 3.12 found (set PYTHON312=/path/to/python3.12)" >&2
  return 1
}

# pid_alive NAME -> 0 when $LAB_RUN/NAME.pid holds a live process
pid_alive() {
  local f=$LAB_RUN/$1.pid
  [ -s "$f" ] && kill -0 "$(cat "$f")" 2>/dev/null
}

# stop_pid NAME: TERM then KILL the process recorded in $LAB_RUN/NAME.pid
stop_pid() {
  local f=$LAB_RUN/$1.pid pid i
  [ -s "$f" ] || return 0
  pid=$(cat "$f")
  if kill -0 "$pid" 2>/dev/null; then
    kill "$pid" 2>/dev/null || true
    for i in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$pid" 2>/dev/null || true
  fi
  rm -f "$f"
}

apt_ensure() {
  local missing=() p
  for p in "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  log "installing Debian packages: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}
