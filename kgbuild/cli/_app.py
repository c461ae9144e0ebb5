"""The root typer app and the one place where a KgbuildError becomes one line on stderr and exit code 1."""
from __future__ import annotations

import logging
import sys
from pathlib import Path

import typer
from typer.core import TyperGroup

from kgbuild.errors import KgbuildError

log = logging.getLogger("kgbuild")


class _Group(TyperGroup):
    """Turns every ``KgbuildError`` raised by a command into ``kgbuild: error: ...`` and exit code 1."""

    def invoke(self, ctx):  # noqa: D401 - click API
        try:
            return super().invoke(ctx)
        except KgbuildError as exc:
            typer.echo(f"kgbuild: error: {one_line(str(exc))}", err=True)
            raise typer.Exit(1) from None
        except KeyboardInterrupt as exc:
            signum = getattr(exc, "signum", 2)  # kgbuild.lifecycle.Terminated for SIGTERM / SIGHUP
            typer.echo("kgbuild: interrupted" if signum == 2 else f"kgbuild: stopped by {exc}", err=True)
            raise typer.Exit(128 + signum) from None
        except BrokenPipeError:
            sys.stderr.close()
            raise typer.Exit(0) from None


def one_line(message: str, limit: int = 600) -> str:
    """An error message as one line: line breaks (e.g. of data quoted in it) folded, very long text cut."""
    text = " ".join(message.split())
    return text if len(text) <= limit else text[: limit // 2] + " … " + text[-limit // 2:]


app = typer.Typer(
    cls=_Group,
    name="kgbuild",
    help="Turn news articles into a Wikidata-linked RDF knowledge graph.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)


class _StderrHandler(logging.StreamHandler):
    """Writes to whatever ``sys.stderr`` is at the time (test runners swap it), not the one at set-up."""

    @property
    def stream(self):  # type: ignore[override]
        return sys.stderr

    @stream.setter
    def stream(self, _value) -> None:
        pass


_QUIET = False


def names_a_file(text: str) -> bool:
    """Is a command-line argument the path of an existing file? A long sentence or query is not, even where
    the OS refuses it as a name ("File name too long")."""
    try:
        return Path(text).is_file()
    except OSError:
        return False


def is_quiet() -> bool:
    """Whether ``kgbuild -q`` was given (only errors on stderr: no progress bars either)."""
    return _QUIET


def setup_logging(verbose: int = 0, quiet: bool = False) -> None:
    global _QUIET
    _QUIET = quiet
    level = logging.WARNING
    if quiet:
        level = logging.ERROR
    elif verbose >= 2:
        level = logging.DEBUG
    elif verbose == 1:
        level = logging.INFO
    handler = _StderrHandler()
    handler.setFormatter(logging.Formatter("kgbuild: %(levelname)s: %(message)s"))
    root = logging.getLogger("kgbuild")
    root.handlers[:] = [handler]
    root.setLevel(level)
    root.propagate = False


@app.callback()
def _root(
    verbose: int = typer.Option(0, "--verbose", "-v", count=True, help="More log output (-vv for debug)."),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="Only errors on stderr."),
) -> None:
    """kgbuild: news -> entities linked to Wikidata, relations and events -> RDF (Turtle, TriG, ...)."""
    setup_logging(verbose, quiet)
