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
#: the cyclic garbage collector's first threshold in the ``kgbuild`` process and the workers it forks (Python's
#: default is 700; see ``_tune_collector``)
GC_THRESHOLD = 20_000
#: glibc malloc: requests from this size up get their own mmap (glibc's default starts at 128 KiB and adapts up
#: to 32 MiB), and free memory at the top of the heap is given back to the system from this size up (default:
#: 128 KiB, adapting); see ``_tune_allocator``
MMAP_THRESHOLD = 32 << 20
TRIM_THRESHOLD = 64 << 20


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

    _tune_collector()
    _tune_allocator()
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


def _tune_collector() -> None:
    """Run the cyclic garbage collector less often in this process (and so in the workers forked from it).

    Importing spaCy and loading a model create a few hundred thousand long-lived objects, and a build's stages
    allocate many short-lived ones; with Python's default threshold (a young collection every 700 allocations)
    the collector scanned them again and again: ~0.15 CPU s of the start-up (two full collections) and ~0.08 s
    per 120 benchmark articles. The threshold only says how often the collector looks; what is garbage is freed
    all the same (most of it by reference counting, at once), and the output does not depend on it.
    """
    import gc

    first, second, third = gc.get_threshold()
    if 0 < first < GC_THRESHOLD:  # 0: the collector is switched off: leave it so
        gc.set_threshold(GC_THRESHOLD, second, third)


def _tune_allocator() -> None:
    """Let glibc's malloc keep freed memory for the next request instead of handing it back to the system.

    spaCy's layers allocate and free arrays of a few hundred KiB to a few MiB for every batch; by default glibc
    maps each anew (or trims the heap after it) and the kernel hands out zeroed pages again: about 150,000 page
    faults for the 240 benchmark articles in one process (0.2-0.3 CPU s, most of its system time). With these
    two settings the heap is reused: ~60,000 faults (loading the models), the same peak memory. Only on glibc,
    and not where the user set glibc's own ``MALLOC_*_`` variables; the process's results are the same.
    """
    import os

    if not sys.platform.startswith("linux") or any(k.startswith("MALLOC_") for k in os.environ):
        return
    try:
        import ctypes

        libc = ctypes.CDLL(None)
        if not hasattr(libc, "gnu_get_libc_version"):  # not glibc (musl, ...): other options, other numbers
            return
        libc.mallopt(-3, MMAP_THRESHOLD)  # M_MMAP_THRESHOLD (also ends glibc's adapting of both thresholds)
        libc.mallopt(-1, TRIM_THRESHOLD)  # M_TRIM_THRESHOLD
    except (OSError, AttributeError):  # no C library to ask: nothing changes
        return


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
