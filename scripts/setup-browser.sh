#!/usr/bin/env bash
# Chromium for the GUI surface: Playwright drives Debian's build (it cannot download its own browsers here).
# Idempotent: quiet and instant when /usr/bin/chromium is present; otherwise installs the Debian package.
set -euo pipefail

if [ -x /usr/bin/chromium ]; then
    exit 0
fi
if ! command -v apt-get >/dev/null 2>&1; then
    echo "setup-browser: /usr/bin/chromium is missing and apt-get is not available; install Chromium by hand" >&2
    exit 0  # the gui tests say what is missing (and fail under CI=true)
fi
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null 2>&1; then SUDO="sudo -n"; else
        echo "setup-browser: not root and no sudo: cannot install chromium" >&2; exit 0
    fi
fi
export DEBIAN_FRONTEND=noninteractive
# The package lists may be empty on a fresh image: update first when chromium is unknown to apt.
if ! apt-cache show chromium >/dev/null 2>&1; then
    $SUDO apt-get -o DPkg::Lock::Timeout=600 update -qq >/dev/null
fi
echo "setup-browser: installing Debian chromium" >&2
$SUDO apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends chromium >/dev/null
test -x /usr/bin/chromium
