"""Sandbox fixtures. Tests marked ``docker`` need the engine and the image: without them they skip locally
and FAIL when ``CI=true`` (a missing engine in CI is a broken setup, never a silent pass)."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest

from clawgym.envs.sandbox.docker_backend import available


def _docker_problem() -> str:
    if not available():
        return "no Docker engine answers (run scripts/setup-docker.sh)"
    import docker

    from clawgym.envs.sandbox.image import image_tag

    try:
        docker.from_env().images.get(image_tag())
    except docker.errors.ImageNotFound:
        return f"sandbox image {image_tag()} is missing (run `clawgym sandbox build-image`)"
    return ""


@pytest.fixture(autouse=True)
def _need_docker(request: pytest.FixtureRequest) -> None:
    if request.node.get_closest_marker("docker") is None:
        return
    problem = _docker_problem()
    if problem:
        if os.environ.get("CI") == "true":
            pytest.fail(f"docker test in CI: {problem}")
        pytest.skip(problem)


@pytest.fixture(scope="module")
def box() -> Iterator[object]:
    """One started Docker sandbox shared by a module's security tests (each test leaves it answering)."""
    from clawgym.envs.sandbox.docker_backend import DockerSandbox

    if _docker_problem():
        pytest.skip("docker unavailable") if os.environ.get("CI") != "true" else pytest.fail(_docker_problem())
    sandbox = DockerSandbox()
    sandbox.start()
    sandbox.reset("alex")
    yield sandbox
    sandbox.close()
