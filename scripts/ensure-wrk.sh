#!/usr/bin/env sh
# Make sure the `wrk` HTTP load generator (C, Debian package `wrk`) is on PATH, for `make bench`:
# the benchmarks drive HTTP load from outside Python so the driver does not eat the cores the
# services run on. Installs it with apt-get when we are root (apt-get update first when the
# package lists do not know it); otherwise says how.
# Exit status: 0 when wrk is there (already or now), 1 when it is missing.
set -eu

if command -v wrk >/dev/null 2>&1; then
    exit 0
fi

if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
    echo "wrk: not found; installing Debian's wrk with apt-get" >&2
    export DEBIAN_FRONTEND=noninteractive
    if ! apt-cache policy wrk 2>/dev/null | grep -q 'Candidate: [0-9]'; then
        apt-get update -q
    fi
    if apt-get install -y -q --no-install-recommends wrk && command -v wrk >/dev/null 2>&1; then
        exit 0
    fi
    echo "wrk: apt-get could not install wrk" >&2
    exit 1
fi

cat >&2 <<MSG
wrk: not found, and this script can only install it as root on Debian/Ubuntu.
  Install it yourself, e.g.:   sudo apt-get update && sudo apt-get install -y wrk
MSG
exit 1
