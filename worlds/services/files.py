"""Files: the user's home folder (documents, downloads, photos), as POSIX paths with textual content.

Every row of ``file`` is one file or folder under ``/home/<first name>``; ``tree`` hands the whole tree to
whatever materializes it (a sandbox's filesystem), so content stays text and paths stay POSIX.
"""

from __future__ import annotations

import fnmatch
import posixpath
from typing import TYPE_CHECKING, Annotated, Any

from pydantic import Field as Arg
from sqlalchemy import JSON, Column
from sqlmodel import Field

from clawgym.errors import Forbidden, InvalidArguments, NotFound
from clawgym.worlds.operation import Pick, operation
from clawgym.worlds.record import Record

if TYPE_CHECKING:
    from clawgym.worlds.world import World

APP = "files"
PathArg = Annotated[str, Arg(max_length=500, description="a path under the home folder, absolute (/home/<user>/...), "
                                                         "with ~/, or relative to the home folder")]
Tag = Annotated[str, Arg(min_length=1, max_length=40, pattern=r"^[\w .-]+$")]

_MIME = {".txt": "text/plain", ".md": "text/markdown", ".csv": "text/csv", ".json": "application/json",
         ".pdf": "application/pdf", ".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".png": "image/png",
         ".m3u": "audio/x-mpegurl", ".conf": "text/plain", ".ics": "text/calendar", ".html": "text/html"}


class FileEntry(Record, table=True):
    __tablename__ = "file"
    path: str = Field(unique=True, index=True)
    parent: str = Field(index=True)
    is_dir: bool = False
    size: int = 0
    mime: str = ""
    content: str = ""
    modified: str = Field(index=True)
    tags: list[str] = Field(default_factory=list, sa_column=Column(JSON))


# -- paths ------------------------------------------------------------------------------------
def home_dir(world: World) -> str:
    """The user's home folder, ``/home/<first name in lowercase>``."""
    first = "".join(ch for ch in world.persona.user.first.lower() if ch.isalnum()) or "user"
    return f"/home/{first}"


def resolve(world: World, path: str, field: str = "path") -> str:
    """``path`` as a normalized absolute path inside the home folder; anything else is InvalidArguments."""
    home = home_dir(world)
    text = path.strip()
    if "\\" in text or any(ord(ch) < 32 for ch in text):
        raise InvalidArguments(f"field '{field}': {path!r} is not a POSIX path (use '/' and no control characters)")
    if text in ("", "~", "."):
        return home
    if text.startswith("~/"):
        text = home + text[1:]
    elif not text.startswith("/"):
        text = f"{home}/{text}"
    norm = posixpath.normpath(text)
    if norm != home and not norm.startswith(home + "/"):
        raise InvalidArguments(f"field '{field}': {path!r} is outside the home folder {home}; give a path under "
                               f"{home} (absolute, with ~/, or relative to it), with no '..' climbing above it")
    return norm


def _missing(path: str, what: str = "file or folder", hint: str = "") -> NotFound:
    err = NotFound(what, path)
    err.args = (f"no {what} at {path}{hint}",)  # a path, not an id: say so in the message
    return err


def _mime(path: str) -> str:
    return _MIME.get(posixpath.splitext(path)[1].lower(), "application/octet-stream")


def _get(world: World, path: str) -> dict[str, Any] | None:
    rows = world.store.select(FileEntry, {"path": path}, limit=1)
    return rows[0] if rows else None


def _need(world: World, path: str) -> dict[str, Any]:
    row = _get(world, path)
    if row is None:
        raise _missing(path)
    return row


def _need_folder(world: World, path: str) -> dict[str, Any]:
    row = _get(world, path)
    if row is None:
        raise _missing(path, "folder")
    if not row["is_dir"]:
        raise Forbidden(f"{path} is a file, not a folder")
    return row


def _under(world: World, path: str, extra: str = "") -> list[dict[str, Any]]:
    # Every descendant of a folder, by an index range on path ('0' is the character after '/').
    return world.store.query(FileEntry, f"path > ? AND path < ?{extra} ORDER BY path", (path + "/", path + "0"))


def _info(row: dict[str, Any]) -> dict[str, Any]:
    info = {"id": row["id"], "path": row["path"], "name": posixpath.basename(row["path"]), "is_dir": row["is_dir"],
            "modified": row["modified"], "tags": row["tags"]}
    if not row["is_dir"]:
        info["size"] = row["size"]
        info["mime"] = row["mime"]
    return info


def _insert(world: World, path: str, is_dir: bool, content: str = "", tags: list[str] | None = None,
            modified: str | None = None) -> dict[str, Any]:
    values = {"path": path, "parent": posixpath.dirname(path), "is_dir": is_dir,
              "size": 0 if is_dir else len(content.encode()), "mime": "" if is_dir else _mime(path),
              "content": "" if is_dir else content, "modified": modified or world.iso_now(), "tags": tags or []}
    return {"id": world.store.insert(FileEntry, values), **values}


def _make_parents(world: World, path: str) -> None:
    """Create every missing folder above ``path`` (down from the home folder, which is made if absent)."""
    home = home_dir(world)
    missing: list[str] = []
    cur = posixpath.dirname(path)
    while True:
        row = _get(world, cur)
        if row is not None:
            if not row["is_dir"]:
                raise Forbidden(f"{cur} is a file, so nothing can be created inside it")
            break
        missing.append(cur)
        if cur == home:
            break
        cur = posixpath.dirname(cur)
    for folder in reversed(missing):
        _insert(world, folder, True)


def _parent_ready(world: World, path: str) -> None:
    parent = posixpath.dirname(path)
    row = _get(world, parent)
    if row is None:
        raise _missing(parent, "folder", "; create it first with files.mkdir (parents=true makes the whole chain)")
    if not row["is_dir"]:
        raise Forbidden(f"{parent} is a file, so nothing can be created inside it")


def _write(world: World, path: str, content: str, *, create_parents: bool) -> dict[str, Any]:
    row = _get(world, path)
    if row is not None:
        if row["is_dir"]:
            raise Forbidden(f"{path} is a folder; give a file path")
        changes = {"content": content, "size": len(content.encode()), "modified": world.iso_now()}
        world.store.update(FileEntry, row["id"], changes)
        return {**row, **changes}
    if path == home_dir(world):
        raise Forbidden(f"{path} is the home folder")
    if create_parents:
        _make_parents(world, path)
    else:
        _parent_ready(world, path)
    return _insert(world, path, False, content)


def tree(world: World) -> list[dict[str, Any]]:
    """The whole home tree in path order: path, is_dir, content, modified (for materializing it on disk)."""
    return [{"path": r["path"], "is_dir": r["is_dir"], "content": r["content"], "modified": r["modified"]}
            for r in world.store.select(FileEntry, order_by="path")]


def save(world: World, path: str, content: str) -> dict[str, Any]:
    """Save a file under the home folder for another service (an attachment, an export), making folders as needed."""
    return _write(world, resolve(world, path), content, create_parents=True)


# -- operations -------------------------------------------------------------------------------
@operation(APP, "read", example={"path": "Documents"})
def list_dir(world: World, path: PathArg = "", show_hidden: bool = False,
             limit: Annotated[int, Arg(ge=1, le=500)] = 200) -> list[dict[str, Any]]:
    """List a folder's entries, folders first then by name; path defaults to the home folder. Names starting with '.' show only with show_hidden=true."""
    folder = resolve(world, path)
    _need_folder(world, folder)
    rows = world.store.select(FileEntry, {"parent": folder}, order_by="path")
    entries = [_info(r) for r in rows if show_hidden or not posixpath.basename(r["path"]).startswith(".")]
    entries.sort(key=lambda e: (not e["is_dir"], e["name"].lower()))
    return entries[:limit]


@operation(APP, "read", example={"path": "Documents/resume.txt"})
def read_file(world: World, path: PathArg) -> dict[str, Any]:
    """Read a text file: its content with size, type, modification time and tags."""
    full = resolve(world, path)
    row = _need(world, full)
    if row["is_dir"]:
        raise Forbidden(f"{full} is a folder; list it with files.list_dir")
    return {**_info(row), "content": row["content"]}


@operation(APP, "write", example={"path": "Documents/todo.txt", "content": "buy stamps\n"})
def write_file(world: World, path: PathArg, content: Annotated[str, Arg(max_length=200_000)],
               overwrite: bool = True, create_parents: bool = False) -> dict[str, Any]:
    """Create a text file or replace its content (overwrite=false refuses to replace). The folder must exist unless create_parents=true."""
    full = resolve(world, path)
    existing = _get(world, full)
    if existing is not None and not existing["is_dir"] and not overwrite:
        raise Forbidden(f"{full} already exists; pass overwrite=true to replace it or use files.append_file")
    return _info(_write(world, full, content, create_parents=create_parents))


@operation(APP, "write", example={"path": "Documents/resume.txt", "text": "\nReferences on request.\n"})
def append_file(world: World, path: PathArg,
                text: Annotated[str, Arg(min_length=1, max_length=100_000)]) -> dict[str, Any]:
    """Append text to the end of an existing file (no newline is added: include one where you want it)."""
    full = resolve(world, path)
    row = _need(world, full)
    if row["is_dir"]:
        raise Forbidden(f"{full} is a folder; give a file path")
    content = row["content"] + text
    changes = {"content": content, "size": len(content.encode()), "modified": world.iso_now()}
    world.store.update(FileEntry, row["id"], changes)
    return _info({**row, **changes})


@operation(APP, "write", example={"path": "Documents/Projects"})
def mkdir(world: World, path: PathArg, parents: bool = False) -> dict[str, Any]:
    """Create a folder. Its parent must exist unless parents=true, which creates every missing folder on the way."""
    full = resolve(world, path)
    row = _get(world, full)
    if row is not None:
        raise Forbidden(f"{full} already exists (as a {'folder' if row['is_dir'] else 'file'})")
    if parents:
        _make_parents(world, full)
    elif full != home_dir(world):
        _parent_ready(world, full)
    return _info(_insert(world, full, True))


def _destination(world: World, src: dict[str, Any], destination: str, overwrite: bool) -> str:
    dest = resolve(world, destination, "destination")
    target = _get(world, dest)
    if target is not None and target["is_dir"]:
        dest = f"{dest}/{posixpath.basename(src['path'])}"
        target = _get(world, dest)
    if dest == src["path"]:
        raise Forbidden(f"source and destination are the same: {dest}")
    if src["is_dir"] and dest.startswith(src["path"] + "/"):
        raise Forbidden(f"cannot put the folder {src['path']} inside itself ({dest})")
    if target is not None:
        if target["is_dir"] or src["is_dir"] or not overwrite:
            raise Forbidden(f"{dest} already exists; choose another name" +
                            ("" if target["is_dir"] or src["is_dir"] else " or pass overwrite=true"))
        world.store.delete(FileEntry, target["id"])
    _parent_ready(world, dest)
    return dest


def _source(world: World, source: str) -> dict[str, Any]:
    full = resolve(world, source, "source")
    if full == home_dir(world):
        raise Forbidden("the home folder itself cannot be moved or copied")
    return _need(world, full)


@operation(APP, "write", example={"source": "Documents/resume.txt", "destination": "Documents/resume_2026.txt"})
def move(world: World, source: PathArg, destination: PathArg, overwrite: bool = False) -> dict[str, Any]:
    """Move or rename a file or folder (with everything inside). A destination that is a folder receives the source inside it."""
    src = _source(world, source)
    dest = _destination(world, src, destination, overwrite)
    old = src["path"]
    children = _under(world, old) if src["is_dir"] else []
    world.store.update(FileEntry, src["id"], {"path": dest, "parent": posixpath.dirname(dest)})
    for child in children:
        new = dest + child["path"][len(old):]
        world.store.update(FileEntry, child["id"], {"path": new, "parent": posixpath.dirname(new)})
    return {**_info({**src, "path": dest}), "moved_from": old, "items_inside": len(children)}


@operation(APP, "write", example={"source": "Documents/resume.txt", "destination": "Documents/resume_copy.txt"})
def copy(world: World, source: PathArg, destination: PathArg, overwrite: bool = False) -> dict[str, Any]:
    """Copy a file, or a folder with everything inside. A destination that is a folder receives the copy inside it."""
    src = _source(world, source)
    dest = _destination(world, src, destination, overwrite)
    made = _insert(world, dest, src["is_dir"], src["content"], list(src["tags"]))
    children = _under(world, src["path"]) if src["is_dir"] else []
    for child in children:
        _insert(world, dest + child["path"][len(src["path"]):], child["is_dir"], child["content"], list(child["tags"]))
    return {**_info(made), "copied_from": src["path"], "items_inside": len(children)}


@operation(APP, "write", example={"path": Pick("file", field="path", is_dir=False)})
def delete(world: World, path: PathArg, recursive: bool = False) -> dict[str, Any]:
    """Delete a file or an empty folder for good; a folder with contents needs recursive=true."""
    full = resolve(world, path)
    if full == home_dir(world):
        raise Forbidden("the home folder itself cannot be deleted")
    row = _need(world, full)
    children = _under(world, full) if row["is_dir"] else []
    if children and not recursive:
        raise Forbidden(f"folder {full} is not empty ({len(children)} items inside); pass recursive=true to delete "
                        "it with everything inside")
    for child in children:
        world.store.delete(FileEntry, child["id"])
    world.store.delete(FileEntry, row["id"])
    return {"deleted": full, "id": row["id"], "items_inside": len(children)}


@operation(APP, "read", example={"name": "*.txt", "under": "Documents"})
def search(world: World,
           name: Annotated[str, Arg(max_length=200, description="a file-name glob like '*.pdf' or '*lease*'; "
                                                                "plain text matches part of the name")] = "",
           text: Annotated[str, Arg(max_length=200, description="text the file content contains")] = "",
           under: PathArg = "", limit: Annotated[int, Arg(ge=1, le=200)] = 50) -> list[dict[str, Any]]:
    """Find files and folders under a folder (home by default) by name glob and/or content text, case-insensitive."""
    if not name and not text:
        raise InvalidArguments("files.search: give name (a glob like '*.txt') and/or text (content to look for)")
    root = resolve(world, under, "under")
    _need_folder(world, root)
    extra, params = "", []
    if text:
        extra = " AND is_dir = 0 AND LOWER(content) LIKE ? ESCAPE '\\'"
        params.append("%" + text.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%")
    rows = world.store.query(FileEntry, f"path > ? AND path < ?{extra} ORDER BY path",
                             (root + "/", root + "0", *params))
    pattern = name.lower() if any(ch in name for ch in "*?[") else f"*{name.lower()}*"
    found = []
    for row in rows:
        if name and not fnmatch.fnmatchcase(posixpath.basename(row["path"]).lower(), pattern):
            continue
        hit = _info(row)
        if text:
            at = row["content"].lower().find(text.lower())
            hit["match"] = row["content"][max(0, at - 40): at + len(text) + 40].replace("\n", " ")
        found.append(hit)
        if len(found) >= limit:
            break
    return found


@operation(APP, "read", example={"path": "Documents"})
def stat(world: World, path: PathArg) -> dict[str, Any]:
    """Details of a file or folder without its content: type, size, modification time, tags; folders also count their items."""
    full = resolve(world, path)
    row = _need(world, full)
    info = _info(row)
    if row["is_dir"]:
        info["items"] = world.store.count(FileEntry, {"parent": full})
    return info


@operation(APP, "write", example={"path": "Documents/resume.txt", "tag": "important"})
def tag_file(world: World, path: PathArg, tag: Tag, remove: bool = False) -> dict[str, Any]:
    """Add a tag to a file or folder (or remove it with remove=true)."""
    full = resolve(world, path)
    row = _need(world, full)
    tags = [t for t in row["tags"] if t != tag] + ([] if remove else [tag])
    world.store.update(FileEntry, row["id"], {"tags": tags})
    return _info({**row, "tags": tags})


@operation(APP, "read", example={"limit": 10})
def list_recent(world: World, under: PathArg = "",
                limit: Annotated[int, Arg(ge=1, le=100)] = 20) -> list[dict[str, Any]]:
    """The most recently modified files (not folders), newest first, optionally only under one folder."""
    root = resolve(world, under, "under")
    _need_folder(world, root)
    rows = world.store.query(FileEntry, "is_dir = 0 AND path > ? AND path < ? ORDER BY modified DESC, id DESC LIMIT ?",
                             (root + "/", root + "0", limit))
    return [_info(r) for r in rows]


@operation(APP, "write", system=True, example={"path": "Downloads/statement.txt", "content": "Statement\n"})
def sync(world: World, path: PathArg, content: Annotated[str, Arg(max_length=200_000)]) -> dict[str, Any]:
    """A file arrives from outside (a browser download, a camera upload); folders are made, a taken name gets ' (1)'."""
    full = resolve(world, path)
    stem, ext = posixpath.splitext(full)
    n = 0
    while _get(world, full) is not None:
        n += 1
        full = f"{stem} ({n}){ext}"
    _make_parents(world, full)
    return _info(_insert(world, full, False, content))
