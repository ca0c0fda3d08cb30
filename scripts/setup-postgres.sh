#!/usr/bin/env bash
# PostgreSQL binaries for the test that puts a world in a real PostgreSQL database (the test starts its own
# throwaway cluster on a unix socket; nothing listens on TCP). Idempotent; quiet when already installed.
set -euo pipefail
if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
    echo "setup-postgres: installing postgresql" >&2
    [ -n "$(ls -A /var/lib/apt/lists 2>/dev/null | grep -v lock)" ] || apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
fi
