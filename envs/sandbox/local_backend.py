"""The embedded sandbox: bubblewrap where present (no network, own pid/ipc namespaces, read-only system),
else a plain subprocess in a temporary home, which is NO security boundary (a one-time warning says so).
"""

from __future__ import annotations

import io
import os
import shutil
import signal
import subprocess
import tarfile
import tempfile
import warnings
from pathlib import Path

from clawgym.envs.sandbox.protocol import OUTPUT_CAP, TIMEOUT_S, ExecResult
from clawgym.envs.sandbox.shell import PersistentShell, PipeChannel
from clawgym.errors import SandboxError

CLAW = Path(__file__).resolve().parent / "claw.py"
_warned = False


def _warn_once() -> None:
    global _warned
    if not _warned:
        _warned = True
        warnings.warn("sandbox='local' without bubblewrap runs commands as plain subprocesses of this process: "
                      "no security boundary (install bubblewrap, or use Docker)", RuntimeWarning, stacklevel=3)


class LocalSandbox:
    """A persistent shell in a temporary folder, jailed by bubblewrap when it is installed."""

    kind = "local"

    def __init__(self, socket_dir: str | None = None, *, bubblewrap: bool | None = None) -> None:
        self.bubblewrap = shutil.which("bwrap") is not None if bubblewrap is None else bubblewrap
        self.root = Path(tempfile.mkdtemp(prefix="clawgym-local-"))
        (self.root / "home").mkdir()
        (self.root / "tmp").mkdir()
        (self.root / "bin").mkdir()
        claw = self.root / "bin" / "claw"
        claw.write_bytes(CLAW.read_bytes())
        claw.chmod(0o755)
        self.socket_dir = socket_dir or str(self.root / "run")
        os.makedirs(self.socket_dir, exist_ok=True)
        self.home_root = "/home" if self.bubblewrap else str(self.root / "home")
        self._archive = b""
        self._user = ""
        self._proc: subprocess.Popen[bytes] | None = None
        self._shell: PersistentShell | None = None
        if not self.bubblewrap:
            _warn_once()

    # -- lifecycle ------------------------------------------------------------------------------
    def start(self) -> None:
        self._spawn(self.home_root)

    def _spawn(self, cwd: str) -> None:
        env = {"PATH": f"{'/opt/claw' if self.bubblewrap else self.root / 'bin'}:/usr/local/bin:/usr/bin:/bin",
               "LANG": "C.UTF-8", "HOME": f"{self.home_root}/{self._user}" if self._user else self.home_root,
               "CLAW_SOCKET": f"{'/run/claw' if self.bubblewrap else self.socket_dir}/claw.sock",
               "TMPDIR": "/tmp" if self.bubblewrap else str(self.root / "tmp")}
        argv = ["bash", "--noprofile", "--norc"]
        if self.bubblewrap:
            jail = ["bwrap", "--unshare-net", "--unshare-pid", "--unshare-ipc", "--unshare-uts", "--die-with-parent",
                    "--new-session", "--ro-bind", "/usr", "/usr", "--ro-bind", "/etc", "/etc",
                    "--proc", "/proc", "--dev", "/dev", "--bind", str(self.root / "home"), "/home",
                    "--bind", str(self.root / "tmp"), "/tmp", "--ro-bind", str(self.root / "bin"), "/opt/claw",
                    "--bind", self.socket_dir, "/run/claw", "--chdir", cwd]
            for link in ("bin", "lib", "lib64", "sbin"):
                target = Path("/") / link
                if target.is_symlink():
                    jail += ["--symlink", os.readlink(target), f"/{link}"]
                elif target.exists():
                    jail += ["--ro-bind", str(target), f"/{link}"]
            argv = jail + argv
        self._proc = subprocess.Popen(argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                      env=env, cwd=None if self.bubblewrap else cwd, start_new_session=True)
        assert self._proc.stdin and self._proc.stdout and self._proc.stderr
        channel = PipeChannel(self._proc.stdin.fileno(), self._proc.stdout.fileno(), self._proc.stderr.fileno())
        self._shell = PersistentShell(channel)
        self._shell.cwd = cwd

    def _signal(self) -> None:
        # Everything the shell started shares its session (and, under bubblewrap, dies with the jail).
        if self._proc is not None and self._proc.poll() is None:
            try:
                os.killpg(self._proc.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass

    def _kill(self) -> None:
        self._signal()
        if self._proc is not None:
            self._proc.wait()
        for f in (self._proc.stdin, self._proc.stdout, self._proc.stderr) if self._proc else ():
            if f is not None:
                f.close()
        self._proc, self._shell = None, None

    def exec(self, command: str, timeout: float = TIMEOUT_S, cap: int = OUTPUT_CAP) -> ExecResult:
        if self._shell is None:
            raise SandboxError("the local sandbox is not started")
        shell = self._shell
        result = shell.run(command, timeout, cap, on_timeout=self._signal)
        if shell.dead or not self.alive():
            # The whole session died with the command: a fresh shell resumes in the same folder.
            self._kill()
            self._spawn(result.cwd or shell.cwd or self.home_root)
        return result

    def load_home(self, user: str, archive: bytes) -> None:
        self._user, self._archive = user, archive

    def reset(self, user: str) -> None:
        self._user = user
        self._kill()
        home = self.root / "home"
        shutil.rmtree(home, ignore_errors=True)
        shutil.rmtree(self.root / "tmp", ignore_errors=True)
        home.mkdir()
        (self.root / "tmp").mkdir()
        if self._archive:
            with tarfile.open(fileobj=io.BytesIO(self._archive)) as tar:
                tar.extractall(home, filter="tar")
        (home / user).mkdir(exist_ok=True)
        self._spawn(f"{self.home_root}/{user}")

    def alive(self) -> bool:
        return self._proc is not None and self._proc.poll() is None

    def close(self) -> None:
        self._kill()
        shutil.rmtree(self.root, ignore_errors=True)
