#!/usr/bin/env bash
# Debian packages the lab and the tests need. Idempotent (installs only what is missing).
source "$(dirname "$0")/common.sh"
apt_ensure postgresql redis-server openipmi ipmitool frr frr-pythontools apache2-utils \
  openssl iproute2 iputils-ping curl procps ca-certificates git dnsmasq-base
