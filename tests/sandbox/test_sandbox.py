"""Sandboxes: the persistent shell, the security limits of the Docker backend, the local backend's function."""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator

import pytest

from clawgym.envs.sandbox.local_backend import LocalSandbox


@pytest.fixture
def local() -> Iterator[LocalSandbox]:
    sandbox = LocalSandbox()
    sandbox.start()
    sandbox.reset("alex")
    yield sandbox
    sandbox.close()


def _functional(sb: object) -> None:
    """The behaviour every backend shares."""
    r = sb.exec("cd ~ && echo out; echo err >&2; X=42; false")  # type: ignore[attr-defined]
    assert (r.stdout, r.stderr, r.exit_code) == ("out\n", "err\n", 1)
    r = sb.exec('echo "$X"; pwd; printf no-newline')  # type: ignore[attr-defined]
    assert r.stdout.splitlines()[0] == "42" and r.stdout.endswith("no-newline") and r.cwd.endswith("/alex")
    r = sb.exec("sleep 30", timeout=1)  # type: ignore[attr-defined]
    assert r.timed_out and r.exit_code == 124 and r.seconds < 5
    assert sb.exec("echo again").stdout == "again\n"  # type: ignore[attr-defined]
    r = sb.exec("head -c 10000000 /dev/zero | tr '\\0' a", cap=1000)  # type: ignore[attr-defined]
    assert len(r.stdout) == 1000 and r.stdout_bytes == 10_000_000 and r.truncated


def test_local_backend_runs_framed_commands_times_out_and_caps_output(local: LocalSandbox) -> None:
    _functional(local)


def test_local_backend_without_bubblewrap_warns_once_and_works() -> None:
    sb = LocalSandbox(bubblewrap=False)
    try:
        sb.start()
        sb.reset("alex")
        _functional(sb)
    finally:
        sb.close()


def test_builtin_infinite_loop_is_killed_and_the_sandbox_answers(local: LocalSandbox) -> None:
    r = local.exec("cd ~; while :; do :; done", timeout=1)
    assert r.timed_out
    after = local.exec("pwd")
    assert after.exit_code == 0 and after.stdout.strip().endswith("/alex")


@pytest.mark.docker
def test_docker_backend_passes_the_functional_tests(box: object) -> None:
    _functional(box)


@pytest.mark.docker
def test_infinite_loop_is_killed_at_the_timeout_and_the_same_shell_answers(box: object) -> None:
    pid = box.exec("echo $$").stdout  # type: ignore[attr-defined]
    r = box.exec("yes > /dev/null", timeout=1)  # type: ignore[attr-defined]
    assert r.timed_out
    assert box.exec("echo $$").stdout == pid  # type: ignore[attr-defined]


@pytest.mark.docker
def test_fork_bomb_is_contained_by_the_pids_limit() -> None:
    from clawgym.envs.sandbox.docker_backend import DockerSandbox

    sb = DockerSandbox(pids=64)
    sb.start()
    try:
        r = sb.exec("bomb() { bomb | bomb & }; bomb; sleep 2", timeout=3)
        assert r.seconds < 10
        assert len(sb.container.top(ps_args="-eo pid")["Processes"]) <= 64
    finally:
        sb.close()  # the env's process is untouched; a wedged sandbox is replaced, never reused


@pytest.mark.docker
def test_memory_hog_is_killed_without_harming_the_env(box: object) -> None:
    r = box.exec("python3 -c 'x = bytearray(1024 ** 3)'; echo rc=$?", timeout=20)  # type: ignore[attr-defined]
    assert "rc=0" not in r.stdout
    assert box.exec("echo fine").stdout == "fine\n"  # type: ignore[attr-defined]


@pytest.mark.docker
def test_filling_the_disk_is_capped(box: object) -> None:
    r = box.exec("head -c 200000000 /dev/zero > ~/big; echo rc=$?; du -m ~/big | cut -f1; rm -f ~/big",  # type: ignore[attr-defined]
                 timeout=30)
    assert "rc=0" not in r.stdout and "No space left" in r.stderr
    assert int(r.stdout.split()[-1]) <= 64


@pytest.mark.docker
def test_host_files_outside_the_home_are_unreadable(box: object, tmp_path: object) -> None:
    r = box.exec("cat /etc/shadow; ls /root; cat /work/main/pyproject.toml; touch /etc/x; echo rc=$?")  # type: ignore[attr-defined]
    assert "root:" not in r.stdout and "clawgym" not in r.stdout and "rc=0" not in r.stdout


@pytest.mark.docker
def test_container_has_only_lo_and_cannot_reach_a_host_loopback_service(box: object) -> None:
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(1)
    port = server.getsockname()[1]
    hits: list[int] = []
    threading.Thread(target=lambda: hits.append(server.accept() and 1), daemon=True).start()
    try:
        r = box.exec("tail -n +3 /proc/net/dev | cut -d: -f1 | tr -d ' '")  # type: ignore[attr-defined]
        assert r.stdout.split() == ["lo"]
        r = box.exec(f"curl -sS -m 2 http://127.0.0.1:{port}/ ; echo rc=$?", timeout=10)  # type: ignore[attr-defined]
        assert "rc=0" not in r.stdout and not hits
    finally:
        server.close()


@pytest.mark.docker
def test_reset_restores_the_home_in_place(box: object) -> None:
    import io
    import tarfile

    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w") as tar:
        info = tarfile.TarInfo("alex/notes.txt")
        info.size, info.uid, info.gid = 3, 1000, 1000
        tar.addfile(info, io.BytesIO(b"hi\n"))
    box.load_home("alex", buf.getvalue())  # type: ignore[attr-defined]
    box.reset("alex")  # type: ignore[attr-defined]
    box.exec("rm ~/notes.txt; echo junk > ~/junk; export LEFT=1")  # type: ignore[attr-defined]
    box.reset("alex")  # type: ignore[attr-defined]
    r = box.exec("ls ~; echo \"[$LEFT]\"")  # type: ignore[attr-defined]
    assert r.stdout == "notes.txt\n[]\n"
