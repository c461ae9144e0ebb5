"""The ``kgbuild`` command line: one module per command group, all thin wrappers over the library.

Data goes to stdout, messages to stderr; a ``KgbuildError`` is one line on stderr and exit code 1.

``kgbuild.cli.app`` is the whole app (every command module imported on first access). ``main()`` (the
``kgbuild`` command) imports only the module of the command it is asked for (``COMMANDS``), so that e.g.
``kgbuild view`` does not import spaCy and ``kgbuild build`` not the store, view and evaluation code (cold
start, issue 15); an unknown or missing command (``--help``, a typo) imports them all, as before.
"""
from __future__ import annotations

import importlib
import sys

#: command modules; each registers its commands on ``kgbuild.cli._app.app`` when imported
COMMAND_MODULES = ("build", "kb", "store", "evaluate", "view", "train")
#: the module of each top-level command (a test checks it against the commands the modules register)
COMMANDS = {"build": "build", "link": "build", "validate": "build", "info": "build", "kb": "kb",
            "query": "store", "load": "store", "serve": "store", "eval": "evaluate", "view": "view",
            "train": "train"}
#: command modules whose commands run spaCy: spaCy is imported first, its command line left out (_lazy_spacy_cli)
SPACY_COMMAND_MODULES = ("build",)


def _import_commands(modules=COMMAND_MODULES):
    from kgbuild.cli._app import app

    for name in modules:
        try:
            importlib.import_module(f"kgbuild.cli.{name}")
        except ModuleNotFoundError as exc:  # a command group that is not in this checkout
            if exc.name != f"kgbuild.cli.{name}":
                raise
    return app


def __getattr__(name: str):
    if name == "app":
        app = _import_commands()
        globals()["app"] = app
        return app
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def command_of(argv: list[str]) -> str | None:
    """The command named in ``argv`` (after the root options ``-v``, ``-q``), if any."""
    for arg in argv:
        if not arg.startswith("-"):
            return arg
        if arg == "--":
            return None
    return None


def main() -> None:
    from kgbuild.lifecycle import interrupt_on_signals

    interrupt_on_signals()  # SIGTERM / SIGHUP clean up like Ctrl-C
    module = COMMANDS.get(command_of(sys.argv[1:]) or "")
    if module in SPACY_COMMAND_MODULES:
        from kgbuild.cli._lazy_spacy_cli import import_spacy

        import_spacy()  # without spaCy's own command line until something asks for it (cold start, issue 15)
    app = _import_commands((module,) if module else COMMAND_MODULES)
    try:
        app()
    except SystemExit as exc:
        exit_now(exc.code)
        raise
    exit_now(0)


def exit_now(code) -> None:
    """End the process with ``code`` (as ``sys.exit`` would) without tearing the interpreter down.

    Freeing the spaCy models, the KB and the lemma dictionaries object by object at exit costs ~0.15-0.2 CPU s
    per run and is of no use: the ``atexit`` handlers run, stdout and stderr are flushed, then ``os._exit``.
    Not when other (non-daemon) threads still run, or under a tracer / profiler (it reports after the run):
    then this returns and Python exits as usual.
    """
    import atexit
    import os
    import threading

    if sys.gettrace() is not None or sys.getprofile() is not None:
        return
    if any(t.is_alive() and not t.daemon for t in threading.enumerate() if t is not threading.main_thread()):
        return
    if code is None:
        status = 0
    elif isinstance(code, int):
        status = code
    else:  # sys.exit("message"): the message to stderr, status 1
        print(code, file=sys.stderr)
        status = 1
    atexit._run_exitfuncs()
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):  # a closed pipe (kgbuild ... | head): nothing more to say
            pass
    os._exit(status)


__all__ = ["app", "exit_now", "main"]
