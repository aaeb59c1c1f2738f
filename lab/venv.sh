#!/usr/bin/env bash
# Create/refresh the controller venv (.venv, Python 3.12) from the pinned requirements.
source "$(dirname "$0")/common.sh"
cd "$REPO_ROOT"
stamp=.venv/.stamp-$(cat requirements.txt requirements-dev.txt constraints.txt | sha256sum | cut -c1-16)
if [ -x .venv/bin/python ] && [ -e "$stamp" ]; then exit 0; fi
if [ ! -x .venv/bin/python ] || ! .venv/bin/python -c 'import sys; assert sys.version_info[:2] == (3, 12)' 2>/dev/null; then
  py=$(find_python312)
  log "creating .venv with $py"
  rm -rf .venv
  "$py" -m venv .venv
fi
log "installing pinned requirements into .venv"
.venv/bin/pip install -q --disable-pip-version-check -r requirements-dev.txt -c constraints.txt
rm -f .venv/.stamp-*
touch "$stamp"
# the collection must be importable as ansible_collections.odc.buildout
mkdir -p .cache/collections/ansible_collections/odc
ln -sfn "$REPO_ROOT" .cache/collections/ansible_collections/odc/buildout
