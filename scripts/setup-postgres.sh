#!/usr/bin/env bash
# PostgreSQL binaries for the test that puts a world in a real PostgreSQL database (the test starts its own
# throwaway cluster on a unix socket; nothing listens on TCP). Idempotent; quiet when already installed.
set -euo pipefail
if ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
    exit 0
fi
export DEBIAN_FRONTEND=noninteractive
# The package lists may be empty on a fresh image: update first when apt does not know the package.
if ! apt-cache show postgresql >/dev/null 2>&1; then
    apt-get -o DPkg::Lock::Timeout=600 update -qq >/dev/null
fi
echo "setup-postgres: installing postgresql" >&2
apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends postgresql >/dev/null
