#!/usr/bin/env bash
# Make sure podman, buildah (podman build), runc, mmdebstrap and catatonit (the pause process of
# `podman kube play` pods) are installed, for `make image` and the container tests in tests/ops.
# Installs Debian's packages with apt when we are root; otherwise says how. Exit status: 0 when everything is there (already or now), 1 when not.
set -euo pipefail

needed=(podman buildah runc mmdebstrap catatonit)
missing=()
for tool in "${needed[@]}"; do
  command -v "$tool" >/dev/null 2>&1 || missing+=("$tool")
done
if [ "${#missing[@]}" -eq 0 ]; then
  exit 0
fi
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "ensure-containers: installing ${missing[*]} with apt-get" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >/dev/null
  apt-get install -y -qq --no-install-recommends \
    podman buildah runc mmdebstrap catatonit uidmap fuse-overlayfs >/dev/null
  for tool in "${needed[@]}"; do
    command -v "$tool" >/dev/null 2>&1 || { echo "ensure-containers: $tool still missing" >&2; exit 1; }
  done
  exit 0
fi
echo "ensure-containers: ${missing[*]} missing, and only root on Debian/Ubuntu can install them here:" >&2
echo "  sudo apt-get install -y podman buildah runc mmdebstrap" >&2
exit 1
