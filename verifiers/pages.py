"""Which rows may differ between two SQLite worlds, found from their database pages, not their rows.

Reading every row of a world through Python costs a few microseconds a row: ~0.25 s of CPU for a three-month
world (47 tables, 47k rows, 12 MB), too slow for a reward computed after every episode. Two worlds restored from
the same snapshot share their page layout, and an episode rewrites only the few pages holding the rows it
touched. So:

1. serialize both databases (a memory copy) and find the pages whose bytes differ;
2. walk every b-tree from its root page to learn which table or index owns each page, in both databases;
3. read the row ids stored in the differing leaf pages of each table, in both databases.

A row that differs between the worlds sits in a differing (or differently owned) leaf page in at least one of
them: a leaf page that is byte-identical and owned by the same table in both holds identical rows. The caller
then compares only the rows with those ids. Whenever this reasoning does not apply (not SQLite, different page
sizes or schemas, a changed overflow page, most pages changed), ``changed_rowids`` returns None and the caller
compares whole tables.
"""

from __future__ import annotations

import sqlite3
import struct
from typing import Any

_TABLE_INTERIOR, _TABLE_LEAF, _INDEX_INTERIOR, _INDEX_LEAF = 0x05, 0x0D, 0x02, 0x0A
_U32 = struct.Struct(">I").unpack_from
_FREE = "\x00free"  # owner of freelist pages (no table can have this name)
# Above this share of changed pages, reading whole tables is as fast and simpler.
_MAX_CHANGED_SHARE = 0.25


def changed_rowids(before: Any, after: Any, before_image: bytes | None = None,
                   after_image: bytes | None = None) -> dict[str, set[int]] | None:
    """Table name -> rowids that may differ between two databases; a table not named is identical.

    An ``*_image`` is the database's bytes when the caller has them (the snapshot an unchanged world was restored
    from); otherwise the connection is serialized. Returns None when pages cannot tell (the caller then
    compares every row).
    """
    if not (isinstance(before, sqlite3.Connection) and isinstance(after, sqlite3.Connection)):
        return None
    try:
        a = before_image if before_image is not None else before.serialize()
        b = after_image if after_image is not None else after.serialize()
    except sqlite3.Error:
        return None
    if a == b:
        return {}
    size = _page_size(a)
    # Same page size, reserved bytes, schema cookie and text encoding, or the layouts are not comparable.
    if size != _page_size(b) or a[20] != b[20] or a[40:44] != b[40:44] or a[56:60] != b[56:60]:
        return None
    dirty = _changed_pages(a, b, size)
    if len(dirty) > _MAX_CHANGED_SHARE * max(len(a), len(b)) // size:
        return None
    roots_a, roots_b = _roots(before), _roots(after)
    if roots_a is None or roots_b is None:
        return None
    owners_a, owners_b = _owners(a, size, roots_a), _owners(b, size, roots_b)
    if owners_a is None or owners_b is None:
        return None
    # A page with equal bytes but another owner is as good as changed.
    n = max(len(owners_a), len(owners_b))
    owners_a += [None] * (n - len(owners_a))
    owners_b += [None] * (n - len(owners_b))
    if owners_a != owners_b:
        dirty |= {p for p in range(1, n) if owners_a[p] != owners_b[p]}
    found: dict[str, set[int]] = {}
    for data, owners, pages in ((a, owners_a, len(a) // size), (b, owners_b, len(b) // size)):
        for page in dirty:
            if page > pages:
                continue  # the page is past the end of this database
            owner = owners[page]
            if owner is None or owner == "sqlite_schema":
                return None  # an overflow page (or the schema): its row cannot be told from the page
            if owner == _FREE or owner[1] != "table":
                continue  # free pages hold no rows; index pages only mirror table rows
            off = (page - 1) * size + (100 if page == 1 else 0)
            if data[off] == _TABLE_LEAF:
                found.setdefault(owner[0], set()).update(_leaf_rowids(data, page, size))
            elif owner[0] not in found:
                found[owner[0]] = set()  # an interior page moved: the table is touched, its rows are found in leaves
    return found


def _page_size(data: bytes) -> int:
    size = int.from_bytes(data[16:18], "big")
    return 65536 if size == 1 else size


def _changed_pages(a: bytes, b: bytes, size: int) -> set[int]:
    """1-based numbers of the pages whose bytes differ (a page missing on one side differs)."""
    # The header on page 1 changes with every write (change counter): compare page 1 without it.
    dirty = {1} if a[100:size] != b[100:size] else set()
    common = min(len(a), len(b))
    block = 64 * size
    view = memoryview(b)  # startswith on a view compares in place, without copying slices
    for start in range(size, common, block):
        end = min(start + block, common)
        if not a.startswith(view[start:end], start):
            for off in range(start, end, size):
                if not a.startswith(view[off : off + size], off):
                    dirty.add(off // size + 1)
    dirty.update(range(common // size + 1, max(len(a), len(b)) // size + 1))
    return dirty


def _roots(conn: sqlite3.Connection) -> list[tuple[str, str, int]] | None:
    try:
        rows = conn.execute("SELECT name, type, rootpage FROM main.sqlite_schema WHERE rootpage > 0").fetchall()
    except sqlite3.Error:
        return None
    return [("sqlite_schema", "table", 1), *((str(n), str(t), int(r)) for n, t, r in rows)]


def _owners(data: bytes, size: int, roots: list[tuple[str, str, int]]) -> list[Any] | None:
    """Page number -> (name, "table" | "index"), _FREE, or None (overflow pages, which no b-tree walk reaches)."""
    pages = len(data) // size
    owners: list[Any] = [None] * (pages + 1)
    for name, kind, root in roots:
        owner = (name, "table" if kind == "table" else "index")
        if not 1 <= root <= pages:
            return None
        owners[root] = owner
        stack = [root]
        while stack:
            page = stack.pop()
            off = (page - 1) * size
            hdr = off + (100 if page == 1 else 0)
            if data[hdr] not in (_TABLE_INTERIOR, _INDEX_INTERIOR):
                if data[hdr] not in (_TABLE_LEAF, _INDEX_LEAF):
                    return None  # not a b-tree page where one should be: give up on pages
                continue
            cells = int.from_bytes(data[hdr + 3 : hdr + 5], "big")
            children = [_U32(data, off + p)[0] for p in struct.unpack_from(f">{cells}H", data, hdr + 12)]
            children.append(_U32(data, hdr + 8)[0])
            for child in children:
                if not 1 <= child <= pages or owners[child] is not None:
                    return None  # a corrupt or cyclic tree
                owners[child] = owner
            # B-trees are balanced: when one child is a leaf, all are, and none needs visiting.
            first = children[0]
            if data[(first - 1) * size] in (_TABLE_INTERIOR, _INDEX_INTERIOR):
                stack.extend(children)
    trunk = int.from_bytes(data[32:36], "big")
    while trunk:
        if not 1 <= trunk <= pages:
            return None
        off = (trunk - 1) * size
        owners[trunk] = _FREE
        count = int.from_bytes(data[off + 4 : off + 8], "big")
        for leaf in struct.unpack_from(f">{count}I", data, off + 8):
            if 1 <= leaf <= pages:
                owners[leaf] = _FREE
        trunk = int.from_bytes(data[off : off + 4], "big")
    return owners


def _leaf_rowids(data: bytes, page: int, size: int) -> list[int]:
    """The rowids of the cells of a table leaf page."""
    off = (page - 1) * size
    hdr = off + (100 if page == 1 else 0)
    cells = int.from_bytes(data[hdr + 3 : hdr + 5], "big")
    ids = []
    for pointer in struct.unpack_from(f">{cells}H", data, hdr + 8):
        pos = off + pointer
        _, pos = _varint(data, pos)  # payload length
        rowid, _ = _varint(data, pos)
        ids.append(rowid - (1 << 64) if rowid >= 1 << 63 else rowid)
    return ids


def _varint(data: bytes, pos: int) -> tuple[int, int]:
    """SQLite's big-endian varint at ``pos``: (value, position after it)."""
    value = 0
    for i in range(8):
        byte = data[pos + i]
        value = (value << 7) | (byte & 0x7F)
        if byte < 0x80:
            return value, pos + i + 1
    return (value << 8) | data[pos + 8], pos + 9
