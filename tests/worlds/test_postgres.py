"""A world in a real PostgreSQL database behaves, and hashes, exactly like one in SQLite."""

from __future__ import annotations

import glob
import os
import shutil
import subprocess
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from clawgym.errors import OperationError
from clawgym.worlds import World, WorldSpec

INITDB = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))


@pytest.fixture(scope="module")
def small_snapshot() -> bytes:
    """A lean world (three services) keeps the copies into PostgreSQL quick."""
    return World.build(WorldSpec(seed=7, months=1, services=("contacts", "mail", "bank"))).snapshot()


@pytest.fixture(scope="module")
def pg_url() -> Iterator[str]:
    if not INITDB or os.geteuid() != 0:
        if os.environ.get("CI") == "true":
            pytest.fail("PostgreSQL binaries (or root, to run them as the postgres user) are missing in CI")
        pytest.skip("PostgreSQL binaries are not installed (scripts/setup-postgres.sh installs them)")
    pytest.importorskip("psycopg2")
    bindir = Path(INITDB[-1]).parent
    # pytest's temporary folders are private to root; the server runs as postgres, so it gets its own.
    root = Path(tempfile.mkdtemp(prefix="clawgym-pg-"))
    shutil.chown(root, "postgres")
    data, sock = root / "data", root

    def as_postgres(*cmd: str) -> None:
        subprocess.run(["su", "postgres", "-s", "/bin/sh", "-c", " ".join(cmd)], check=True, capture_output=True)

    as_postgres(str(bindir / "initdb"), "-D", str(data), "-A", "trust", "-U", "postgres")
    # No TCP at all: the server listens on a unix socket in the temporary folder only.
    as_postgres(str(bindir / "pg_ctl"), "-D", str(data), "-o", f"\"-c listen_addresses='' -k {sock}\"",
                "-l", str(root / "log"), "-w", "start")
    try:
        yield f"postgresql+psycopg2://postgres@/postgres?host={sock}"
    finally:
        as_postgres(str(bindir / "pg_ctl"), "-D", str(data), "-m", "immediate", "stop")
        shutil.rmtree(root, ignore_errors=True)


def test_a_world_copied_into_postgres_keeps_its_digest_and_round_trips(pg_url: str, small_snapshot: bytes) -> None:
    memory = World.restore(small_snapshot)
    started = time.perf_counter()
    pg = World.restore(small_snapshot, url=pg_url)
    assert time.perf_counter() - started < 60
    assert pg.digest() == memory.digest()
    assert World.restore(pg.snapshot()).digest() == memory.digest()


def test_operations_in_postgres_match_sqlite_and_failures_roll_back(pg_url: str, small_snapshot: bytes) -> None:
    memory, pg = World.restore(small_snapshot), World.restore(small_snapshot, url=pg_url)
    for world in (memory, pg):
        world.call("contacts.add", {"name": "Zed Quinn", "email": "zed@quinn.io"})
        world.call("mail.send", {"to": ["zed@quinn.io"], "subject": "Hi", "body": "Hello"})
    assert pg.call("contacts.search", {"query": "quinn"}) == memory.call("contacts.search", {"query": "quinn"})
    assert pg.digest() == memory.digest()
    before = pg.digest()
    with pytest.raises(OperationError, match="insufficient funds"):
        pg.call("bank.transfer", {"from_account_id": 1, "to_account_id": 2, "amount": 900_000})
    assert pg.digest() == before
