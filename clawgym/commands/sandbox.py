"""``clawgym sandbox``: the sandbox image (built locally, tagged by a hash of its recipe)."""

from __future__ import annotations

import typer

app = typer.Typer(help="Sandboxes of the CLI device: build the Docker image.", no_args_is_help=True)


@app.command("build-image")
def build_image(force: bool = typer.Option(False, help="rebuild even when the recipe-hash tag exists")) -> None:
    """Build the sandbox image (debootstrap minbase + Dockerfile) unless it exists; prints its tag."""
    from clawgym.envs.sandbox.docker_backend import client
    from clawgym.envs.sandbox.image import ensure_image

    typer.echo(ensure_image(client(), force=force))


@app.command("tag")
def tag() -> None:
    """Print the tag the current recipe builds (no Docker needed)."""
    from clawgym.envs.sandbox.image import image_tag

    typer.echo(image_tag())
