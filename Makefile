# odc.buildout — the two commands a newcomer needs:
#   make demo   bring up the embedded lab, load the demo site, run playbooks/site.yml
#   make test   every check: ruff, ansible-lint, ansible-test sanity, pytest unit +
#               integration against the real lab peers, Molecule
# Both install what they need (Debian packages, venvs, NetBox) and can run twice.

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

export ODC_LAB_HOME ?= /var/lib/odc-lab
export NETBOX_API ?= http://127.0.0.1:8001
export ANSIBLE_CONFIG := $(CURDIR)/ansible.cfg
export ANSIBLE_COLLECTIONS_PATH := $(CURDIR)/.cache/collections
export ANSIBLE_FORCE_COLOR ?= 0
export PATH := $(CURDIR)/.venv/bin:$(PATH)
TOKEN_FILE := $(ODC_LAB_HOME)/netbox-token
# the token is read from its root-only file inside the recipe; make never echoes its value
WITH_TOKEN = NETBOX_TOKEN="$$(cat $(TOKEN_FILE))"
SANITY_DIR := /tmp/odc-sanity-$(shell id -u)/ansible_collections/odc/buildout
PYTEST := .venv/bin/pytest
PLAYBOOK := $(WITH_TOKEN) .venv/bin/ansible-playbook

.PHONY: help deps venv lab-up lab-down lab-status lab-wipe seed demo test lint ruff ansible-lint sanity \
        unit integration molecule bench bench-inventory bench-bmc bench-fabric changelog lock

help:
	@echo "make demo        bring up the lab, load the demo site, run playbooks/site.yml"
	@echo "make test        all checks (lint, sanity, unit, integration, molecule)"
	@echo "make lab-up | lab-down | lab-status | lab-wipe"
	@echo "make bench-inventory | bench-bmc | bench-fabric"

deps:
	@bash lab/deps.sh

venv: deps
	@bash lab/venv.sh

# --- the embedded lab -------------------------------------------------------
lab-up: venv
	@bash lab/netbox.sh up
	@$(MAKE) --no-print-directory seed
	@$(WITH_TOKEN) .venv/bin/python lab/peers.py up

seed:
	@$(PLAYBOOK) playbooks/netbox_model.yml
	@$(PLAYBOOK) playbooks/netbox_seed.yml

lab-down:
	@if [ -x .venv/bin/python ] && [ -f lab/peers.py ]; then .venv/bin/python lab/peers.py down; fi
	@bash lab/netbox.sh down

lab-status:
	@bash lab/netbox.sh status
	@if [ -s $(TOKEN_FILE) ]; then $(WITH_TOKEN) .venv/bin/python lab/peers.py status; fi

# explicit: destroys the lab's NetBox database, BMC state, namespaces and CA
lab-wipe:
	@if [ -x .venv/bin/python ] && [ -f lab/peers.py ]; then .venv/bin/python lab/peers.py wipe; fi
	@bash lab/netbox.sh wipe

# the lab's BMC factory credentials (and the per-server ones the bootstrap rotates to)
# come from the lab's root-only vars file, never from the command line
demo: lab-up
	@$(PLAYBOOK) -e @$(ODC_LAB_HOME)/bmc/credentials.yml playbooks/site.yml

# --- checks -------------------------------------------------------------------
test: venv
	@$(MAKE) --no-print-directory lint
	@$(MAKE) --no-print-directory sanity
	@$(MAKE) --no-print-directory unit
	@$(MAKE) --no-print-directory lab-up
	@$(MAKE) --no-print-directory integration
	@$(MAKE) --no-print-directory molecule

lint: ruff ansible-lint

ruff:
	.venv/bin/ruff check .

ansible-lint:
	.venv/bin/ansible-lint --profile production --offline playbooks/ roles/

sanity:
	@mkdir -p ~/.ansible/test/cache
	@cp tests/sanity/get_pip_offline.py ~/.ansible/test/cache/get_pip_25_2.py
	@rm -rf $(SANITY_DIR) && mkdir -p $(SANITY_DIR)
	@# the collection's content only: lab/ (the embedded lab's tooling) is not part of the built collection (galaxy.yml build_ignore)
	@git ls-files -co --exclude-standard | grep -v '^lab/' | tar -cf - -T - | tar -xf - -C $(SANITY_DIR)
	cd $(SANITY_DIR) && ansible-test sanity --python 3.12 --requirements --color no

unit:
	$(PYTEST) -q -m "not integration" tests/unit

integration:
	$(WITH_TOKEN) $(PYTEST) -q -m integration tests/integration

molecule:
	@for s in $$(ls molecule); do \
	  echo "== molecule scenario $$s"; \
	  $(WITH_TOKEN) .venv/bin/molecule test -s $$s; \
	done

# --- benchmarks (numbers, not timed tests) -----------------------------------
bench: bench-inventory bench-bmc bench-fabric

bench-inventory: lab-up
	$(WITH_TOKEN) .venv/bin/python tests/bench/bench_inventory.py

bench-bmc: venv
	$(WITH_TOKEN) .venv/bin/python tests/bench/bench_bmc.py

bench-fabric: lab-up
	$(WITH_TOKEN) .venv/bin/python tests/bench/bench_fabric.py

changelog: venv
	.venv/bin/antsibull-changelog lint

lock: venv
	.venv/bin/pip freeze | grep -v '^-e' | sed '1i # Full lock of the controller venv (pip install -c constraints.txt). Regenerate with `make lock`.' > constraints.txt
