"""The ``clawgym`` command: a thin root that registers one sub-app per concern.

>>> from typer.testing import CliRunner
>>> CliRunner().invoke(app, ["world", "ops", "--service", "mail"]).exit_code
0
"""

from __future__ import annotations

from typing import Any

import typer
from rich.console import Console
from rich.text import Text
from typer.core import TyperGroup

from clawgym.commands import sandbox, suite, world
from clawgym.errors import ClawgymError

# A user's mistake exits with the same code click uses for a bad option.
USER_ERROR = 2


class _Root(TyperGroup):
    """The root command group: every ClawgymError a command raises becomes a message and exit code 2."""

    def invoke(self, ctx: Any) -> Any:  # typer's own (vendored) click Context; its class is private
        try:
            return super().invoke(ctx)
        except ClawgymError as exc:
            Console(stderr=True).print(Text.assemble(("error: ", "bold red"), str(exc)), highlight=False)
            raise typer.Exit(USER_ERROR) from None


app = typer.Typer(
    name="clawgym",
    cls=_Root,
    help="A simulator of a person's digital world for training and evaluating LLM agents.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_show_locals=False,  # a world in a traceback's locals would drown the error
)
app.add_typer(world.app, name="world")
app.add_typer(suite.tasks_app, name="tasks")
app.add_typer(sandbox.app, name="sandbox")
app.command()(suite.audit)
app.command()(suite.run)
app.command()(suite.score)


def main() -> None:
    """Run the CLI (``python -m clawgym.cli``)."""
    app()


if __name__ == "__main__":
    main()
