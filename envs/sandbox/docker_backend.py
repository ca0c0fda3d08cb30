"""The real sandbox: a Docker container with no network, no capabilities, a read-only root and hard limits.

Homes and /tmp are size-capped tmpfs mounts (filling the disk stops there); the pristine home lives as a tar
in a root-owned tmpfs the sandbox user can read but not change, so ``reset`` restores it in place through
the persistent shell (~10 ms) instead of recreating the container (~300 ms).
"""

from __future__ import annotations

import os
import signal
import tempfile
import time
from typing import Any

from clawgym.envs.sandbox.protocol import OUTPUT_CAP, TIMEOUT_S, ExecResult
from clawgym.envs.sandbox.shell import DockerChannel, PersistentShell
from clawgym.errors import SandboxError

USER = "1000:1000"
LABEL = "clawgym.sandbox"
PRISTINE = "/var/lib/claw/home.tar"


def client() -> Any:
    """A Docker client, or SandboxError saying why there is none."""
    try:
        import docker

        c = docker.from_env(timeout=30)
        c.ping()
        return c
    except Exception as exc:  # docker-py raises DockerException, requests errors, FileNotFoundError...
        raise SandboxError(f"no Docker engine answers ({type(exc).__name__}: {exc}); run scripts/setup-docker.sh "
                           "or use sandbox='local'") from None


def available() -> bool:
    """Whether a Docker engine answers."""
    try:
        client()
    except SandboxError:
        return False
    return True


class DockerSandbox:
    """One container, one persistent shell in it, one host folder bound in for ``claw``'s socket."""

    kind = "docker"
    home_root = "/home"

    def __init__(self, image: str | None = None, *, docker_client: Any = None, memory: str = "256m",
                 pids: int = 128, cpus: float = 1.0, home_size: str = "64m", tmp_size: str = "32m") -> None:
        self.client = docker_client or client()
        if image is None:
            from clawgym.envs.sandbox.image import image_tag

            image = image_tag()
        self.image = image
        self.limits = {"memory": memory, "pids": pids, "cpus": cpus, "home": home_size, "tmp": tmp_size}
        self.socket_dir = tempfile.mkdtemp(prefix="clawgym-claw-")
        os.chmod(self.socket_dir, 0o755)
        self.container: Any = None
        self._shell: PersistentShell | None = None
        self._shell_pid = 0
        self._loaded = ""  # digest of the pristine home in the container
        self._user = ""

    # -- lifecycle ------------------------------------------------------------------------------
    def start(self) -> None:
        import docker.errors

        lim = self.limits
        try:
            self.container = self.client.containers.run(
                self.image, ["sleep", "infinity"], detach=True, network_mode="none", cap_drop=["ALL"],
                security_opt=["no-new-privileges"], read_only=True, user=USER, init=False,
                tmpfs={"/home": f"rw,exec,size={lim['home']},uid=1000,gid=1000,mode=0755",
                       "/tmp": f"rw,exec,size={lim['tmp']},uid=1000,gid=1000,mode=1777",
                       "/var/lib/claw": "rw,size=32m,mode=0755"},
                mem_limit=lim["memory"], memswap_limit=lim["memory"], pids_limit=lim["pids"],
                nano_cpus=int(lim["cpus"] * 1e9), volumes={self.socket_dir: {"bind": "/run/claw", "mode": "ro"}},
                labels={LABEL: "1"}, environment={"LANG": "C.UTF-8"},
            )
        except docker.errors.ImageNotFound:
            raise SandboxError(f"sandbox image {self.image} is missing: run `clawgym sandbox build-image`") from None
        except docker.errors.APIError as exc:
            raise SandboxError(f"the sandbox container did not start: {exc}") from None
        self._open_shell("/tmp", {})

    def _open_shell(self, cwd: str, env: dict[str, str]) -> None:
        api = self.client.api
        environment = {"LANG": "C.UTF-8", "CLAW_SOCKET": "/run/claw/claw.sock",
                       "PATH": "/usr/local/bin:/usr/bin:/bin", **env}
        try:
            exec_id = api.exec_create(self.container.id, ["bash", "--noprofile", "--norc"], stdin=True, stdout=True,
                                      stderr=True, tty=False, user=USER, environment=environment, workdir=cwd)
            sock = api.exec_start(exec_id, socket=True)
        except Exception as exc:  # APIError, connection errors: the container is gone or full
            raise SandboxError(f"cannot open a shell in the sandbox: {exc}") from None
        self._shell = PersistentShell(DockerChannel(sock))
        self._shell.cwd = cwd
        first = self._shell.run("echo $$", 10.0, 256)
        self._shell_pid = int(first.stdout.strip() or 0)

    def _kill_strays(self) -> None:
        """Kill every process but the container's init and the shell, from the host (works under a fork bomb)."""
        try:
            top = self.container.top(ps_args="-eo pid")
        except Exception:  # the container is gone: the shell read fails next and says so
            return
        for (pid,) in (row[:1] for row in top.get("Processes") or []):
            ns = _ns_pid(int(pid))
            if ns is not None and ns not in (1, self._shell_pid):
                try:
                    os.kill(int(pid), signal.SIGKILL)
                except (ProcessLookupError, PermissionError):
                    pass

    def _frozen_kill(self) -> None:
        """Freeze the container's cgroup (nothing can fork), kill all but init and the shell, thaw."""
        try:
            self.container.pause()
        except Exception as exc:
            raise SandboxError(f"the sandbox container cannot be paused: {exc}") from None
        try:
            self._kill_strays()
        finally:
            self.container.unpause()

    def _kill_all(self) -> None:
        try:
            top = self.container.top(ps_args="-eo pid")
        except Exception:
            return
        for (pid,) in (row[:1] for row in top.get("Processes") or []):
            if _ns_pid(int(pid)) not in (1, None):
                try:
                    os.kill(int(pid), signal.SIGKILL)
                except (ProcessLookupError, PermissionError):
                    pass

    def exec(self, command: str, timeout: float = TIMEOUT_S, cap: int = OUTPUT_CAP) -> ExecResult:
        if self._shell is None:
            raise SandboxError("the sandbox is not started")
        shell = self._shell
        result = shell.run(command, timeout, cap, on_timeout=self._kill_strays)
        if shell.dead:
            # A builtin loop keeps the shell itself busy: it goes too, and a new one resumes in the same folder.
            self._kill_all()
            shell.close()
            self._open_shell(result.cwd or "/tmp", {"HOME": f"/home/{self._user}"} if self._user else {})
        return result

    def load_home(self, user: str, archive: bytes) -> None:
        import hashlib

        digest = hashlib.sha256(archive).hexdigest()
        if digest == self._loaded:
            return
        api = self.client.api
        exec_id = api.exec_create(self.container.id, ["sh", "-c", f"cat > {PRISTINE}.new && mv {PRISTINE}.new "
                                                                  f"{PRISTINE}"], stdin=True, user="0:0")
        sock = api.exec_start(exec_id, socket=True)
        raw = getattr(sock, "_sock", sock)
        raw.sendall(archive)
        raw.shutdown(1)  # SHUT_WR: end of the archive
        deadline = time.monotonic() + 30
        while api.exec_inspect(exec_id)["Running"]:
            if time.monotonic() > deadline:
                raise SandboxError("uploading the home into the sandbox took over 30 s")
            time.sleep(0.005)
        raw.close()
        if api.exec_inspect(exec_id)["ExitCode"] != 0:
            raise SandboxError("the sandbox refused the home archive (is its tmpfs full?)")
        self._loaded = digest

    def reset(self, user: str) -> None:
        if self._shell is None:
            raise SandboxError("the sandbox is not started")
        self._user = user
        try:
            self._restore(user)
        except SandboxError:
            # Something (a fork bomb) outruns the shell's own kill: clear it from the host, then try once more.
            self._frozen_kill()
            self._restore(user)

    def _restore(self, user: str) -> None:
        assert self._shell is not None
        home = f"/home/{user}"
        # kill -9 -1 from the shell spares only itself and init; exec starts a clean shell with a clean environment.
        script = (f"kill -9 -1 2>/dev/null; kill -9 -1 2>/dev/null; cd /; "
                  f"rm -rf /home/* /home/.[!.]* /tmp/* /tmp/.[!.]* 2>/dev/null; "
                  f"tar -xf {PRISTINE} -C /home 2>/dev/null; mkdir -p {home}; cd {home}; "
                  f"exec env -i HOME={home} USER={user} LANG=C.UTF-8 PATH=/usr/local/bin:/usr/bin:/bin "
                  f"CLAW_SOCKET=/run/claw/claw.sock bash --noprofile --norc")
        if self._shell.dead:
            self._open_shell("/tmp", {})
        shell = self._shell
        shell.channel.write(script.encode() + b"\n")  # raw, not through __cg_run: that one's stdin is /dev/null
        self._shell = PersistentShell(shell.channel)  # the new bash reads the same pipe: define the framing again
        self._shell.cwd = home
        check = self._shell.run("echo $$", 10.0, 256)
        if check.exit_code != 0 or not check.stdout.strip().isdigit():
            self._shell.dead = True
            raise SandboxError(f"the sandbox did not come back after reset: {check.stderr[:300]}")
        self._shell_pid = int(check.stdout.strip() or 0)

    def alive(self) -> bool:
        if self.container is None or self._shell is None:
            return False
        try:
            return self._shell.run("true", 5.0, 64).exit_code == 0
        except SandboxError:
            return False

    def close(self) -> None:
        if self._shell is not None:
            self._shell.close()
            self._shell = None
        if self.container is not None:
            try:
                self.container.remove(force=True)
            except Exception:  # already gone
                pass
            self.container = None
        try:
            for name in os.listdir(self.socket_dir):
                os.unlink(os.path.join(self.socket_dir, name))
            os.rmdir(self.socket_dir)
        except OSError:
            pass


def _ns_pid(host_pid: int) -> int | None:
    """The pid a host process has inside its own pid namespace (None when it is gone)."""
    try:
        with open(f"/proc/{host_pid}/status") as f:
            for line in f:
                if line.startswith("NSpid:"):
                    return int(line.split()[-1])
    except OSError:
        return None
    return None
