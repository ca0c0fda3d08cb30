"""The sandbox image, built locally (no registry): debootstrap a minbase, import it, build the final layer.

Tags carry a hash of the recipe, so ``ensure_image`` is a no-op when the recipe is unchanged.

>>> from clawgym.envs.sandbox.image import image_tag
>>> image_tag().startswith("clawgym-sandbox:")
True
"""

from __future__ import annotations

import hashlib
import io
import shutil
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

from clawgym.errors import SandboxError

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent
RECIPE = REPO / "docker"
CLAW = HERE / "claw.py"
SUITE = "bookworm"
MIRROR = "http://deb.debian.org/debian"


def _packages() -> list[str]:
    lines = (RECIPE / "packages.txt").read_text().split()
    return [p for p in lines if p and not p.startswith("#")]


def base_tag() -> str:
    """The tag of the debootstrapped base: a hash of the suite and the package list."""
    digest = hashlib.sha256(f"{SUITE}|{','.join(_packages())}".encode()).hexdigest()[:12]
    return f"clawgym-sandbox-base:{digest}"


def image_tag() -> str:
    """The tag of the final image: a hash of the whole recipe (base, Dockerfile, claw)."""
    h = hashlib.sha256(base_tag().encode())
    for path in (RECIPE / "Dockerfile", CLAW):
        h.update(path.read_bytes())
    return f"clawgym-sandbox:{h.hexdigest()[:12]}"


def _log(msg: str) -> None:
    print(f"[sandbox image] {msg}", file=sys.stderr, flush=True)


def _has(client: object, tag: str) -> bool:
    import docker.errors

    try:
        client.images.get(tag)  # type: ignore[attr-defined]
    except docker.errors.ImageNotFound:
        return False
    return True


def _build_base(client: object, tag: str) -> None:
    if shutil.which("debootstrap") is None:
        raise SandboxError("debootstrap is missing: apt-get install debootstrap (scripts/setup-docker.sh does it)")
    with tempfile.TemporaryDirectory(prefix="clawgym-rootfs-") as tmp:
        root = Path(tmp) / "root"
        _log(f"debootstrap {SUITE} minbase ({len(_packages())} packages) ...")
        cmd = ["debootstrap", "--variant=minbase", f"--include={','.join(_packages())}", SUITE, str(root), MIRROR]
        done = subprocess.run(cmd, capture_output=True, text=True)
        if done.returncode != 0:
            raise SandboxError(f"debootstrap failed ({done.returncode}): {done.stderr[-2000:] or done.stdout[-2000:]}")
        for junk in ("var/cache/apt/archives", "var/lib/apt/lists"):
            shutil.rmtree(root / junk, ignore_errors=True)
        _log(f"importing as {tag} ...")
        tar = subprocess.Popen(["tar", "-C", str(root), "-c", "."], stdout=subprocess.PIPE)
        imp = subprocess.run(["docker", "import", "-", tag], stdin=tar.stdout, capture_output=True, text=True)
        tar.wait()
        if imp.returncode != 0 or tar.returncode != 0:
            raise SandboxError(f"docker import failed: {imp.stderr[-2000:]}")


def _context() -> bytes:
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w") as tar:
        tar.add(RECIPE / "Dockerfile", arcname="Dockerfile")
        tar.add(CLAW, arcname="claw.py")
    return buf.getvalue()


def ensure_image(client: object | None = None, *, force: bool = False) -> str:
    """Build the sandbox image unless its recipe-hash tag exists; returns the tag."""
    import docker

    client = client or docker.from_env()
    tag = image_tag()
    if not force and _has(client, tag):
        return tag
    base = base_tag()
    if force or not _has(client, base):
        _build_base(client, base)
    _log(f"building {tag} ...")
    try:
        client.images.build(  # type: ignore[attr-defined]
            fileobj=io.BytesIO(_context()), custom_context=True, tag=tag, buildargs={"BASE": base},
            network_mode="none", rm=True, forcerm=True,
        )
    except docker.errors.BuildError as exc:
        raise SandboxError(f"sandbox image build failed: {exc}") from None
    client.images.get(tag).tag("clawgym-sandbox", "latest")  # type: ignore[attr-defined]
    _log(f"ready: {tag}")
    return tag
