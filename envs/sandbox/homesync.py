"""The files service <-> the sandbox home: one source of truth (the world), mirrored both ways each step.

Before a shell command, world changes (the API, ``claw``, events) are pushed into the sandbox; after it, the
sandbox home is compared with its last manifest (type, inode, size, mtime per entry) and every difference
goes into the world through files operations (move when an inode reappears elsewhere, then delete, mkdir,
write_file), so verifiers and the API see it and records carry the step's provenance.
"""

from __future__ import annotations

import base64
import io
import shlex
import tarfile
from datetime import datetime, timezone
from typing import TYPE_CHECKING, Any

from clawgym.envs.sandbox.protocol import Sandbox
from clawgym.errors import OperationError, SandboxError
from clawgym.worlds.services.files import home_dir

if TYPE_CHECKING:
    from clawgym.worlds.world import World

MAX_TEXT = 200_000  # files.write_file's limit
Entry = tuple[str, int, int, str]  # type (d/f), inode, size, mtime


def world_files(world: World) -> dict[str, tuple[bool, str]]:
    """Every file row: path -> (is_dir, content)."""
    rows = world.store.conn.execute("SELECT path, is_dir, content FROM file").fetchall()
    return {p: (bool(d), c or "") for p, d, c in rows}


def archive(world: World) -> tuple[str, bytes]:
    """(user, tar of ``<user>/...``) of the world's home tree, owned by uid 1000, mtimes from the world."""
    home = home_dir(world)
    user = home.rsplit("/", 1)[1]
    buf = io.BytesIO()
    rows = world.store.conn.execute("SELECT path, is_dir, content, modified FROM file ORDER BY path").fetchall()
    with tarfile.open(fileobj=buf, mode="w", format=tarfile.GNU_FORMAT) as tar:
        root = tarfile.TarInfo(user)
        root.type, root.mode, root.uid, root.gid = tarfile.DIRTYPE, 0o755, 1000, 1000
        tar.addfile(root)
        for path, is_dir, content, modified in rows:
            if path == home or not path.startswith(home + "/"):
                continue
            info = tarfile.TarInfo(user + path[len(home):])
            info.uid = info.gid = 1000
            info.mtime = int(datetime.fromisoformat(modified).replace(tzinfo=timezone.utc).timestamp())
            if is_dir:
                info.type, info.mode = tarfile.DIRTYPE, 0o755
                tar.addfile(info)
            else:
                data = (content or "").encode()
                info.size, info.mode = len(data), 0o644
                tar.addfile(info, io.BytesIO(data))
    return user, buf.getvalue()


class HomeSync:
    """Keeps one world's home and one sandbox's home equal, step by step."""

    def __init__(self, world: World, sandbox: Sandbox) -> None:
        self.sandbox = sandbox
        self.home = home_dir(world)
        self.user = self.home.rsplit("/", 1)[1]
        self.box_home = f"{sandbox.home_root}/{self.user}"
        self.world_view = world_files(world)
        self.box_view = self.manifest()
        self.notes: list[str] = []

    # -- sandbox side -------------------------------------------------------------------------
    def manifest(self) -> dict[str, Entry]:
        """Relative path -> (type, inode, size, mtime) of every folder and regular file in the sandbox home."""
        r = self.sandbox.exec(f"find {shlex.quote(self.box_home)} -mindepth 1 \\( -type d -o -type f \\) "
                              "-printf '%y %i %s %T@ %P\\0'", timeout=20, cap=8 << 20)
        if r.exit_code != 0 and not r.stdout:
            raise SandboxError(f"cannot list the sandbox home: {r.stderr.strip()}")
        out: dict[str, Entry] = {}
        for item in r.stdout.split("\0"):
            if item:
                kind, ino, size, mtime, rel = item.split(" ", 4)
                out[rel] = (kind, int(ino), int(size), mtime)
        return out

    def _read(self, rels: list[str]) -> dict[str, bytes]:
        if not rels:
            return {}
        files = " ".join(shlex.quote(r) for r in rels)
        r = self.sandbox.exec(f"cd {shlex.quote(self.box_home)} && for f in {files}; do base64 -w0 -- \"$f\"; echo; done",
                              timeout=20, cap=64 << 20)
        lines = r.stdout.split("\n")
        return {rel: base64.b64decode(line) for rel, line in zip(rels, lines)}

    # -- sandbox -> world ---------------------------------------------------------------------
    def pull(self, world: World) -> list[str]:
        """Apply the sandbox's changes since the last manifest to the world; returns notes for the agent."""
        notes: list[str] = []
        new, old = self.manifest(), self.box_view
        removed = [p for p in old if p not in new]
        added = sorted((p for p in new if p not in old), key=lambda p: (p.count("/"), p))
        by_ino = {old[p][1]: p for p in removed}
        moved: list[tuple[str, str]] = []
        for dst in added:
            src = by_ino.get(new[dst][1])
            if src is None or old[src][0] != new[dst][0]:
                continue
            if any(src.startswith(s + "/") and dst == d + src[len(s):] for s, d in moved):
                continue  # inside a folder already moved
            self._ensure_folder(world, self._w(dst).rsplit("/", 1)[0], notes)
            if self._call(world, "files.move", {"source": self._w(src), "destination": self._w(dst)}, notes):
                moved.append((src, dst))
                self._rename_view(self._w(src), self._w(dst))

        def consumed(p: str, side: int) -> bool:
            return any(p == m[side] or p.startswith(m[side] + "/") for m in moved)

        gone = [p for p in removed if not consumed(p, 0)]
        for p in sorted(gone, key=lambda p: (p.count("/"), p)):
            if any(p.startswith(g + "/") for g in gone if g != p):
                continue
            if self._w(p) in self.world_view:
                self._call(world, "files.delete", {"path": self._w(p), "recursive": True}, notes)
                self._drop_view(self._w(p))
        for p in added:
            if new[p][0] == "d" and not consumed(p, 1) and self._w(p) not in self.world_view:
                self._call(world, "files.mkdir", {"path": self._w(p), "parents": True}, notes)
                self.world_view[self._w(p)] = (True, "")
        changed = [p for p in new if new[p][0] == "f" and (
            (p in old and old[p][2:] != new[p][2:]) or (p not in old and not consumed(p, 1))
            or (consumed(p, 1) and self._moved_changed(p, old, new, moved)))]
        for rel, data in self._read(changed).items():
            try:
                text = data.decode("utf-8")
            except UnicodeDecodeError:
                notes.append(f"not synced to the files app: ~/{rel} is binary (only text files are kept)")
                continue
            if len(text) > MAX_TEXT:
                notes.append(f"not synced to the files app: ~/{rel} is over {MAX_TEXT} characters")
                continue
            if self.world_view.get(self._w(rel)) == (False, text):
                continue
            if self._call(world, "files.write_file", {"path": self._w(rel), "content": text, "create_parents": True},
                          notes):
                self.world_view[self._w(rel)] = (False, text)
        self.box_view = new
        return notes

    def _moved_changed(self, p: str, old: dict[str, Entry], new: dict[str, Entry],
                       moved: list[tuple[str, str]]) -> bool:
        for s, d in moved:
            if p == d or p.startswith(d + "/"):
                src = s + p[len(d):]
                return src not in old or old[src][2:] != new[p][2:]
        return True

    def _call(self, world: World, op: str, args: dict[str, Any], notes: list[str]) -> bool:
        try:
            world.call(op, args)
        except OperationError as exc:
            notes.append(f"files app refused {op} {args.get('path') or args.get('source')}: {exc}")
            return False
        return True

    def _ensure_folder(self, world: World, path: str, notes: list[str]) -> None:
        if path in self.world_view or not path.startswith(self.home + "/"):
            return
        self._call(world, "files.mkdir", {"path": path, "parents": True}, notes)
        while path.startswith(self.home + "/") and path not in self.world_view:
            self.world_view[path] = (True, "")
            path = path.rsplit("/", 1)[0]

    def _w(self, rel: str) -> str:
        return f"{self.home}/{rel}"

    def _rename_view(self, src: str, dst: str) -> None:
        for path in [p for p in self.world_view if p == src or p.startswith(src + "/")]:
            self.world_view[dst + path[len(src):]] = self.world_view.pop(path)

    def _drop_view(self, path: str) -> None:
        for p in [p for p in self.world_view if p == path or p.startswith(path + "/")]:
            del self.world_view[p]

    # -- world -> sandbox ---------------------------------------------------------------------
    def push(self, world: World) -> None:
        """Bring the sandbox home up to the world's files (changes made by the API, claw or events)."""
        now = world_files(world)
        if now == self.world_view:
            return
        script: list[str] = []
        for path in sorted(set(self.world_view) - set(now), key=lambda p: -p.count("/")):
            script.append(f"rm -rf -- {shlex.quote(self._b(path))}")
        for path in sorted(now, key=lambda p: (p.count("/"), p)):
            is_dir, content = now[path]
            if self.world_view.get(path) == now[path] or not path.startswith(self.home):
                continue
            target = shlex.quote(self._b(path))
            if is_dir:
                script.append(f"rm -f -- {target} 2>/dev/null; mkdir -p -- {target}")
            else:
                data = base64.b64encode(content.encode()).decode()
                script.append(f"rm -rf -- {target}; mkdir -p -- \"$(dirname -- {target})\"; "
                              f"printf %s {data} | base64 -d > {target}")
        if script:
            r = self.sandbox.exec("\n".join(script), timeout=30, cap=4096)
            if r.exit_code != 0:
                raise SandboxError(f"could not bring the sandbox home up to date: {r.stderr.strip()[:500]}")
        self.world_view = now
        self.box_view = self.manifest()

    def _b(self, path: str) -> str:
        return self.box_home + path[len(self.home):]
