#!/usr/bin/env bash
# Installs, from Debian's packages, what the tests need besides Node.js, Go and the programs built
# from Go modules into the caches (etcd, kube-apiserver, kube-controller-manager, kubectl, helm,
# promtool, Alertmanager: `npm run controlplane:build`; the worker node's programs:
# `npm run controlplane:build -- --node`; BuildKit and runc for the image: `npm run image`):
#   chromium                 the register page is tested in a real headless browser (playwright-core
#                            drives the system Chromium; no browser is downloaded);
#   iptables, conntrack      kube-proxy (iptables mode) and the CNI portmap plugin program the
#                            local worker node's rules, inside the node's own network namespace;
#   ipset                    kube-router's firewall (the node's NetworkPolicy enforcement) keeps
#                            the Pods a policy selects in ipsets, in the node's namespace too;
#   libseccomp-dev,          runc is built with cgo against libseccomp, so Pods asking for the
#   pkg-config, gcc          RuntimeDefault profile, and the image's RUN steps, get one;
#   debootstrap              `npm run image` makes its base image's Debian minbase root filesystem.
# `npm test` runs it (scripts/pretest.ts) when Chromium is missing and it may: as root, or with sudo
# that asks no password. Idempotent: installs only what is missing.
set -euo pipefail

missing=()
command -v chromium >/dev/null 2>&1 || command -v chromium-browser >/dev/null 2>&1 || missing+=(chromium)
command -v iptables >/dev/null 2>&1 || missing+=(iptables)
command -v conntrack >/dev/null 2>&1 || missing+=(conntrack)
command -v ipset >/dev/null 2>&1 || missing+=(ipset)
command -v gcc >/dev/null 2>&1 || missing+=(gcc libc6-dev)
command -v pkg-config >/dev/null 2>&1 || missing+=(pkg-config)
pkg-config --exists libseccomp 2>/dev/null || missing+=(libseccomp-dev)
command -v debootstrap >/dev/null 2>&1 || [[ -x /usr/sbin/debootstrap ]] || missing+=(debootstrap)

if ((${#missing[@]} > 0)); then
  sudo=()
  [[ $(id -u) -eq 0 ]] || sudo=(sudo)
  echo "install-test-deps: installing ${missing[*]}"
  "${sudo[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

echo "install-test-deps: $( (command -v chromium >/dev/null 2>&1 && chromium --version || chromium-browser --version) 2>&1 | head -1)"
echo "install-test-deps: $(iptables --version 2>&1 | head -1), $(conntrack --version 2>&1 | head -1), $(ipset --version 2>&1 | head -1)"
echo "install-test-deps: libseccomp $(pkg-config --modversion libseccomp), debootstrap $(dpkg-query -W -f='${Version}' debootstrap 2>/dev/null || echo '?')"
