#!/usr/bin/env bash
# Installs, from Debian's packages, the one program the tests need that is not built from a Go
# module into the control plane cache (etcd, kube-apiserver, kube-controller-manager, kubectl,
# helm, promtool and Alertmanager are: `npm run controlplane:build`):
#   chromium   the register page is tested in a real headless browser (playwright-core drives the
#              system Chromium; no browser is downloaded).
# `npm test` runs it (scripts/pretest.ts) when Chromium is missing and it may: as root, or with sudo
# that asks no password. Idempotent: installs only what is missing.
set -euo pipefail

missing=()
command -v chromium >/dev/null 2>&1 || command -v chromium-browser >/dev/null 2>&1 || missing+=(chromium)

if ((${#missing[@]} > 0)); then
  sudo=()
  [[ $(id -u) -eq 0 ]] || sudo=(sudo)
  echo "install-test-deps: installing ${missing[*]}"
  "${sudo[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

echo "install-test-deps: $( (command -v chromium >/dev/null 2>&1 && chromium --version || chromium-browser --version) 2>&1 | head -1)"
