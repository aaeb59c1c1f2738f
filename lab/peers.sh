#!/usr/bin/env bash
# lab/peers.sh up|down|status|wipe [--site SLUG] [--json]
# The lab peers derived from NetBox (lab CA, BMC emulators, switch namespaces +
# FRR): a thin wrapper running lab/peers.py with the controller venv. See docs/lab.md.
source "$(dirname "$0")/common.sh"
PY=$REPO_ROOT/.venv/bin/python
[ -x "$PY" ] || { log "no controller venv at $REPO_ROOT/.venv"; exit 1; }
exec "$PY" "$REPO_ROOT/lab/peers.py" "$@"
