#!/usr/bin/env bash
# Installs, from Debian's packages, what the local worker node (`npm run cluster:up -- --node`)
# needs besides Node.js and Go (every other node program is built from Go modules, see
# controlplane/node/):
#   iptables        kube-proxy (iptables mode) and the CNI portmap plugin program the node's rules;
#   conntrack       kube-proxy clears stale UDP conntrack entries with it;
#   libseccomp-dev  runc is built with cgo against libseccomp, so Pods asking for the
#                   RuntimeDefault seccomp profile get one;
#   pkg-config      runc's build finds libseccomp through it.
# Idempotent: installs only what is missing. Needs root (or sudo) the first time.
set -euo pipefail

missing=()
command -v iptables >/dev/null 2>&1 || missing+=(iptables)
command -v conntrack >/dev/null 2>&1 || missing+=(conntrack)
command -v pkg-config >/dev/null 2>&1 || missing+=(pkg-config)
pkg-config --exists libseccomp 2>/dev/null || missing+=(libseccomp-dev)

if ((${#missing[@]} > 0)); then
  sudo=()
  [[ $(id -u) -eq 0 ]] || sudo=(sudo)
  echo "install-node-deps: installing ${missing[*]}"
  "${sudo[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

echo "install-node-deps: $(iptables --version 2>&1 | head -1)"
echo "install-node-deps: $(conntrack --version 2>&1 | head -1)"
echo "install-node-deps: libseccomp $(pkg-config --modversion libseccomp)"
