#!/usr/bin/env sh
# Make sure Debian's headless-capable chromium is at /usr/bin/chromium, for the dashboard's
# browser test (Playwright drives it with executable_path=/usr/bin/chromium, so Playwright's own
# browser download is never needed). Installs it with apt when we are root; otherwise says how.
# Exit status: 0 when chromium is there (already or now), 1 when it is missing.
set -eu

CHROMIUM="${CHROMIUM:-/usr/bin/chromium}"

if [ -x "$CHROMIUM" ]; then
    echo "chromium: $("$CHROMIUM" --version 2>/dev/null || echo "$CHROMIUM")"
    exit 0
fi

if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
    echo "chromium: not found at $CHROMIUM; installing Debian's chromium with apt-get" >&2
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -q
    apt-get install -y -q --no-install-recommends chromium fonts-noto-cjk
    if [ -x "$CHROMIUM" ]; then
        echo "chromium: $("$CHROMIUM" --version 2>/dev/null || echo installed)"
        exit 0
    fi
    echo "chromium: apt-get finished but $CHROMIUM is still missing" >&2
    exit 1
fi

cat >&2 <<MSG
chromium: not found at $CHROMIUM, and this script can only install it as root on Debian/Ubuntu.
  Install it yourself, e.g.:   sudo apt-get update && sudo apt-get install -y chromium fonts-noto-cjk
  (or set CHROMIUM=/path/to/chromium). The dashboard browser test is skipped without it.
MSG
exit 1
