"""The ``kgbuild`` command line: one module per command group, all thin wrappers over the library.

Data goes to stdout, messages to stderr; a ``KgbuildError`` is one line on stderr and exit code 1.
"""
from __future__ import annotations

import importlib

from kgbuild.cli._app import app

#: command modules; each registers its commands on ``app`` when imported
COMMAND_MODULES = ("build", "kb", "store", "evaluate", "view", "train")

for _name in COMMAND_MODULES:
    try:
        importlib.import_module(f"kgbuild.cli.{_name}")
    except ModuleNotFoundError as _exc:  # a command group that is not in this checkout
        if _exc.name != f"kgbuild.cli.{_name}":
            raise


def main() -> None:
    from kgbuild.lifecycle import interrupt_on_signals

    interrupt_on_signals()  # SIGTERM / SIGHUP clean up like Ctrl-C
    app()


__all__ = ["app", "main"]
