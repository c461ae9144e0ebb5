"""The ``kgbuild`` command line: one module per command group, all thin wrappers over the library.

Data goes to stdout, messages to stderr; a ``KgbuildError`` is one line on stderr and exit code 1.
"""
from __future__ import annotations

import importlib
import sys

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
