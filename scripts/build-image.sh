#!/usr/bin/env bash
# Build the Suxin image with podman (buildah) on this machine: `make image`.
#   scripts/build-image.sh [TAG]          default TAG: localhost/suxin:dev
# BASE_IMAGE unset: the base comes from scripts/build-base-image.sh (Debian packages, built
# once and reused); set BASE_IMAGE=python:3.11-slim-bookworm where a registry is reachable.
# Layers and the uv download cache are reused, so a rebuild after a source change re-links the
# cached wheels (under a minute here), and an unchanged tree rebuilds nothing (seconds).
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
# The build stage is tagged too ("<tag>-build"), so its layers stay reusable; the images these
# tags pointed at before are removed once replaced (with their unused intermediate layers), so
# repeated builds do not fill the disk.
id_of() { scripts/podman.sh image inspect -f '{{.Id}}' "$1" 2>/dev/null || true; }
# What the build reads (the context as .dockerignore allows it, the Dockerfile, the base): when
# the image already carries this hash, there is nothing to build.
source_hash() {
  {
    echo "$base"
    find Dockerfile pyproject.toml uv.lock deploy/docker/entrypoint.sh libs services -type f \
      -not -path '*/tests/*' -not -path '*/test-artifacts/*' -not -path '*/__pycache__/*' -not -name '*.pyc' \
      -not -path '*/.pytest_cache/*' -not -path '*/.ruff_cache/*' -not -path '*/node_modules/*' \
      -print0 | sort -z | xargs -0 sha256sum
  } | sha256sum | cut -c1-16
}
hash="$(source_hash)"
if [ "$(scripts/podman.sh image inspect -f '{{index .Labels "org.suxin.source"}}' "$tag" 2>/dev/null)" = "$hash" ]; then
  echo "build-image: $tag is up to date (source $hash)" >&2
  echo "$tag"
  exit 0
fi
args+=(--label "org.suxin.source=$hash")
old=("$(id_of "$tag-build")" "$(id_of "$tag")")
scripts/podman.sh "${args[@]}" --target build -t "$tag-build" . >&2
scripts/podman.sh "${args[@]}" . >&2
new=("$(id_of "$tag-build")" "$(id_of "$tag")")
for i in 0 1; do
  if [ -n "${old[$i]}" ] && [ "${old[$i]}" != "${new[$i]}" ]; then
    scripts/podman.sh rmi "${old[$i]}" >/dev/null 2>&1 || true   # in use: left for later
  fi
done
echo "$tag"
