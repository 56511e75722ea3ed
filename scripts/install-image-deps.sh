#!/usr/bin/env bash
# Installs, from Debian's packages, what `npm run image` needs besides Node.js and Go:
#   debootstrap      makes the base image's Debian minbase root filesystem from Debian's packages;
#   libseccomp-dev   runc (built from its Go module by `npm run image`) links libseccomp so the RUN
#                    steps of the Dockerfile run under BuildKit's default seccomp profile;
#   gcc, pkg-config  runc's nsenter is C, built through cgo.
# Idempotent: installs only what is missing. Needs root (or sudo) the first time.
set -euo pipefail

missing=()
command -v debootstrap >/dev/null 2>&1 || [[ -x /usr/sbin/debootstrap ]] || missing+=(debootstrap)
command -v gcc >/dev/null 2>&1 || missing+=(gcc libc6-dev)
command -v pkg-config >/dev/null 2>&1 || missing+=(pkg-config)
pkg-config --exists libseccomp 2>/dev/null || missing+=(libseccomp-dev)

if ((${#missing[@]} > 0)); then
  sudo=()
  [[ $(id -u) -eq 0 ]] || sudo=(sudo)
  echo "install-image-deps: installing ${missing[*]}"
  "${sudo[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

echo "install-image-deps: debootstrap $(dpkg-query -W -f='${Version}' debootstrap 2>/dev/null || echo '?')"
echo "install-image-deps: libseccomp $(pkg-config --modversion libseccomp)"
