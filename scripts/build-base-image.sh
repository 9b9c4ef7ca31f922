#!/usr/bin/env bash
# Build the image's base from Debian packages, for hosts that reach the Debian archive but no
# image registry (the Dockerfile's default base, python:3.11-slim-bookworm, comes from Docker
# Hub). mmdebstrap makes a minimal bookworm root filesystem with Python 3.11 (the version of
# python:3.11-slim-bookworm), `podman import` turns it into an image.
#
#   scripts/build-base-image.sh            prints the image name (built only when missing)
#   scripts/build-base-image.sh --force    rebuilds it
#
# The tag carries a hash of this script, so editing the package list builds a new base and
# every later `make image` reuses it (about 30 s once, then nothing).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
podman=("$here/scripts/podman.sh")

suite=bookworm
packages=python3,python-is-python3,python3-venv,ca-certificates,tzdata,passwd
tag="$(sha256sum "$0" | cut -c1-12)"
image="localhost/suxin-base:${suite}-${tag}"

if [ "${1:-}" != "--force" ] && "${podman[@]}" image exists "$image"; then
  echo "$image"
  exit 0
fi

work="$(mktemp -d "${TMPDIR:-/tmp}/suxin-base.XXXXXX")"
trap 'rm -rf "$work"' EXIT
echo "build-base-image: mmdebstrap $suite ($packages)" >&2
# No documentation, manuals or translations; no apt lists in the result.
mmdebstrap --quiet --variant=minbase --include="$packages" \
  --dpkgopt='path-exclude=/usr/share/doc/*' \
  --dpkgopt='path-include=/usr/share/doc/*/copyright' \
  --dpkgopt='path-exclude=/usr/share/man/*' \
  --dpkgopt='path-exclude=/usr/share/locale/*' \
  --dpkgopt='path-exclude=/usr/share/info/*' \
  --customize-hook='rm -rf "$1"/var/lib/apt/lists/* "$1"/var/cache/apt/*' \
  "$suite" "$work/rootfs.tar" >&2
"${podman[@]}" import \
  --change 'ENV LANG=C.UTF-8' \
  --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
  --change 'CMD ["python3"]' \
  --message "Debian $suite minbase + $packages (scripts/build-base-image.sh)" \
  "$work/rootfs.tar" "$image" >/dev/null
echo "$image"
