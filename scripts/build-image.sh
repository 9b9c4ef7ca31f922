#!/usr/bin/env bash
# Build the Suxin image with podman (buildah) on this machine: `make image`.
#   scripts/build-image.sh [TAG]          default TAG: localhost/suxin:dev
# BASE_IMAGE unset: the base comes from scripts/build-base-image.sh (Debian packages, built
# once and reused); set BASE_IMAGE=python:3.11-slim-bookworm where a registry is reachable.
# Layers and the uv download cache are reused, so a rebuild after a source change only
# re-installs the workspace (seconds), and an unchanged tree rebuilds nothing.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$here"
bash scripts/ensure-containers.sh
tag="${1:-localhost/suxin:dev}"
base="${BASE_IMAGE:-$(bash scripts/build-base-image.sh)}"
args=(build --format docker --layers --network host --build-arg "BASE_IMAGE=$base" -t "$tag" -f Dockerfile)
# A TLS-inspecting egress proxy's CA (this host's bundle) for pip and uv inside the build.
for bundle in "${SSL_CERT_FILE:-}" /etc/ssl/certs/ca-certificates.crt; do
  if [ -n "$bundle" ] && [ -s "$bundle" ]; then
    args+=(--secret "id=cacert,src=$bundle")
    break
  fi
done
scripts/podman.sh "${args[@]}" . >&2
echo "$tag"
