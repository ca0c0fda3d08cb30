"""The sandbox protocol: start, exec with a timeout, reset, close; what every backend offers the CLI device.

A sandbox is one machine-like place (a container, a bubblewrap jail, a temporary directory) with one
persistent shell; ``exec`` runs a command line in that shell, so ``cd`` and variables carry over.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

OUTPUT_CAP = 16_384  # bytes kept of each stream per command; the rest is counted, not kept
TIMEOUT_S = 10.0


@dataclass(frozen=True)
class ExecResult:
    """What one command did: its output (capped), exit code, and whether it hit the timeout or the cap."""

    stdout: str
    stderr: str
    exit_code: int
    timed_out: bool = False
    stdout_bytes: int = 0  # bytes the command wrote, kept or not
    stderr_bytes: int = 0
    cwd: str = ""
    seconds: float = 0.0

    @property
    def truncated(self) -> bool:
        return self.stdout_bytes > len(self.stdout.encode()) or self.stderr_bytes > len(self.stderr.encode())


class Sandbox(Protocol):
    """What the CLI device needs of a sandbox backend."""

    kind: str  # "docker" or "local"
    home_root: str  # the folder that holds users' homes inside the sandbox ("/home")

    def start(self) -> None:
        """Make the sandbox ready: its shell answers commands."""

    def exec(self, command: str, timeout: float = TIMEOUT_S, cap: int = OUTPUT_CAP) -> ExecResult:
        """Run ``command`` in the persistent shell; past ``timeout`` its processes are killed."""

    def load_home(self, user: str, archive: bytes) -> None:
        """Install ``archive`` (a tar of ``<user>/...``) as the pristine home that ``reset`` restores."""

    def reset(self, user: str) -> None:
        """Kill stray processes and restore the pristine home of ``user`` in place; a fresh shell starts there."""

    def alive(self) -> bool:
        """Whether the sandbox still answers (a killed container does not)."""

    def close(self) -> None:
        """Release everything the sandbox holds."""
