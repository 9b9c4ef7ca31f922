#!/usr/bin/env bash
# podman with the project's settings (deploy/podman/containers.conf: runc, cgroupfs, no default
# ulimits), so the image builds and runs on hosts where the defaults do not (hybrid cgroups, no
# systemd). Every container script and test calls podman through this wrapper.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export CONTAINERS_CONF="${CONTAINERS_CONF:-$here/deploy/podman/containers.conf}"
exec podman "$@"
