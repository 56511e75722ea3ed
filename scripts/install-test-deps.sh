#!/usr/bin/env bash
# Installs, from Debian's packages, every program the tests need besides Node.js and Go:
#   prometheus-alertmanager  the controller's e2e tests send escalations to a real Alertmanager;
#   prometheus (promtool)    the chart's alerting rules are checked and unit-tested with promtool;
#   chromium                 the register page is tested in a real headless browser (playwright-core
#                            drives the system Chromium; no browser is downloaded).
# and what the local worker node (`npm run cluster:up -- --node`, e2e/node/) needs besides the
# programs it builds from Go modules (controlplane/node/):
#   iptables, conntrack      kube-proxy (iptables mode) and the CNI portmap plugin program the
#                            node's rules, inside the node's own network namespace;
#   libseccomp-dev,          runc is built with cgo against libseccomp, so Pods asking for the
#   pkg-config               RuntimeDefault seccomp profile get one.
# Idempotent: installs only what is missing. Needs root (or sudo) the first time.
set -euo pipefail

missing=()
command -v prometheus-alertmanager >/dev/null 2>&1 || missing+=(prometheus-alertmanager)
command -v promtool >/dev/null 2>&1 || missing+=(prometheus)
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
command -v iptables >/dev/null 2>&1 || missing+=(iptables)
command -v conntrack >/dev/null 2>&1 || missing+=(conntrack)
command -v pkg-config >/dev/null 2>&1 || missing+=(pkg-config)
pkg-config --exists libseccomp 2>/dev/null || missing+=(libseccomp-dev)

if ((${#missing[@]} > 0)); then
  sudo=()
  [[ $(id -u) -eq 0 ]] || sudo=(sudo)
  echo "install-test-deps: installing ${missing[*]}"
  "${sudo[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

echo "install-test-deps: $(prometheus-alertmanager --version 2>&1 | head -1)"
echo "install-test-deps: $(promtool --version 2>&1 | head -1)"
echo "install-test-deps: $(chromium --version 2>&1 | head -1)"
echo "install-test-deps: $(iptables --version 2>&1 | head -1), $(conntrack --version 2>&1 | head -1)"
echo "install-test-deps: libseccomp $(pkg-config --modversion libseccomp)"
