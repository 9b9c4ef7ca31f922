#!/usr/bin/env bash
# Make sure Prometheus's rule checker `promtool` is installed (Debian package `prometheus`), for
# tests/ops/test_alert_rules.py (promtool check rules + promtool test rules). Installs it with
# apt when we are root. Exit status: 0 when promtool is there, 1 when not.
set -euo pipefail
if command -v promtool >/dev/null 2>&1; then
  exit 0
fi
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "ensure-promtool: installing Debian's prometheus package (for promtool)" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >/dev/null
  # --no-install-recommends: promtool and the server binary, no node exporter.
  apt-get install -y -qq --no-install-recommends prometheus >/dev/null
  command -v promtool >/dev/null 2>&1 && exit 0
fi
echo "ensure-promtool: promtool missing; install it: sudo apt-get install -y prometheus" >&2
exit 1
