#!/usr/bin/env bash
# Docker engine + sandbox image for the CLI device's tests. Idempotent; a no-op when all is in place.
# Network rule: dockerd runs with --bridge=none --iptables=false, so no container can reach any address.
set -euo pipefail
cd "$(dirname "$0")/.."
say() { echo "[setup-docker] $*" >&2; }

missing=()
command -v dockerd >/dev/null || missing+=(docker.io)
command -v bwrap >/dev/null || missing+=(bubblewrap)
command -v debootstrap >/dev/null || missing+=(debootstrap)
if [ ${#missing[@]} -gt 0 ]; then
    if [ "$(id -u)" != 0 ]; then say "need root to install ${missing[*]}"; exit 1; fi
    if ! apt-get install -y -q --no-install-recommends "${missing[@]}" >/dev/null 2>&1; then
        say "apt-get update"; apt-get update -q >/dev/null
        say "installing ${missing[*]}"
        DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}" >/dev/null
    fi
fi

if ! docker info >/dev/null 2>&1; then
    say "starting dockerd --bridge=none --iptables=false"
    nohup dockerd --bridge=none --iptables=false >/var/log/clawgym-dockerd.log 2>&1 &
    for _ in $(seq 1 60); do docker info >/dev/null 2>&1 && break; sleep 0.5; done
    docker info >/dev/null 2>&1 || { say "dockerd did not answer within 30 s (see /var/log/clawgym-dockerd.log)"; exit 1; }
fi

tag=$(python3 -c "from clawgym.envs.sandbox.image import image_tag; print(image_tag())")
if ! docker image inspect "$tag" >/dev/null 2>&1; then
    say "building sandbox image $tag"
    python3 -c "from clawgym.envs.sandbox.image import ensure_image; ensure_image()"
fi
