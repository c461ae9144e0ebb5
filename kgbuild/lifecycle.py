"""Process lifecycle: child processes that end with their parent, and SIGTERM/SIGHUP handled like Ctrl-C.

In: called by the worker processes of a build (``kgbuild.corpus.parallel``), by the ``oxigraph`` child of
``kgbuild serve`` (``kgbuild.store.server``) and by the CLI entry point. Out: nothing is left running
when kgbuild ends, whatever signal ends it (see docs/RELIABILITY.md):

- :func:`die_with_parent`: on Linux the kernel sends the child a signal when its parent dies
  (``prctl(PR_SET_PDEATHSIG)``, via ctypes), even after ``kill -9`` of the parent;
- :func:`watch_parent`: a daemon thread that ends the process when its parent is gone (its parent pid
  changes) - the portable fallback, also where ``prctl`` is missing;
- :func:`interrupt_on_signals`: SIGTERM and SIGHUP raise :class:`Terminated` (a ``KeyboardInterrupt``) in
  the main thread, so the clean-up that Ctrl-C runs (commit the state, stop workers and servers, remove
  temporary files) runs for ``timeout``, systemd and CI too.
"""
from __future__ import annotations

import contextlib
import logging
import os
import signal
import sys
import threading
import time
from typing import Iterator

log = logging.getLogger(__name__)

_PR_SET_PDEATHSIG = 1


#: file descriptors (locks) that a forked worker must close at once so that it never holds them
_HELD: set[int] = set()


@contextlib.contextmanager
def held_fd(fd: int) -> Iterator[None]:
    """Register ``fd`` (e.g. a lock) for :func:`close_held_fds` while the block runs."""
    _HELD.add(fd)
    try:
        yield
    finally:
        _HELD.discard(fd)


def close_held_fds() -> None:
    """In a forked child: close the parent's registered descriptors (its locks stay the parent's alone)."""
    for fd in list(_HELD):
        with contextlib.suppress(OSError):
            os.close(fd)
    _HELD.clear()


def pid_alive(pid: int) -> bool:
    """Whether a process with this pid exists (a zombie counts as gone)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    try:
        with open(f"/proc/{pid}/stat", "rb") as fh:
            return fh.read().split(b") ", 1)[1][:1] != b"Z"
    except (OSError, IndexError):
        return True


class TimeLimitExceeded(BaseException):
    """Raised inside a :func:`time_limit` block when its time is up (a ``BaseException``, like
    ``KeyboardInterrupt``, so that no ``except Exception`` inside the block swallows it)."""


@contextlib.contextmanager
def time_limit(seconds: float) -> Iterator[None]:
    """Raise :class:`TimeLimitExceeded` in the block after ``seconds`` (wall clock; SIGALRM, main thread).

    The signal interrupts Python code between two bytecodes; a long step inside compiled code ends first.
    Where SIGALRM is not available (Windows, a thread other than the main one) the block runs to its end and
    raises afterwards if it took longer.
    """
    usable = hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()
    if not usable:
        start = time.monotonic()
        yield
        if time.monotonic() - start > seconds:
            raise TimeLimitExceeded(seconds)
        return

    def expire(_signum, _frame):
        raise TimeLimitExceeded(seconds)

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


class Terminated(KeyboardInterrupt):
    """The process got SIGTERM or SIGHUP; ``signum`` says which (exit code ``128 + signum``)."""

    def __init__(self, signum: int) -> None:
        super().__init__(signal.Signals(signum).name)
        self.signum = signum


def die_with_parent(sig: int = signal.SIGKILL, parent: int | None = None) -> bool:
    """Ask the kernel to send ``sig`` to this process when its parent dies (Linux only; returns whether it
    is set). ``parent``: the parent pid expected; if it is already gone, this process exits at once."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        if libc.prctl(_PR_SET_PDEATHSIG, int(sig), 0, 0, 0) != 0:
            return False
    except (OSError, AttributeError):
        return False
    if parent is not None and os.getppid() != parent:  # the parent died before prctl took effect
        os._exit(1)
    return True


def watch_parent(parent: int | None = None, interval: float = 0.5) -> threading.Thread:
    """A daemon thread that ends this process (``os._exit``) as soon as its parent is no longer ``parent``."""
    parent = os.getppid() if parent is None else parent

    def watch() -> None:
        while True:
            if os.getppid() != parent:
                os._exit(1)
            threading.Event().wait(interval)

    thread = threading.Thread(target=watch, name="kgbuild-parent-watch", daemon=True)
    thread.start()
    return thread


def child_of_this_process() -> None:
    """``preexec_fn`` for ``subprocess.Popen``: the child gets SIGTERM when this process dies."""
    die_with_parent(signal.SIGTERM)


def _raise_terminated(signum: int, _frame) -> None:
    raise Terminated(signum)


def interrupt_on_signals() -> None:
    """Make SIGTERM and SIGHUP raise :class:`Terminated` in the main thread (call it from the main thread)."""
    for name in ("SIGTERM", "SIGHUP"):
        sig = getattr(signal, name, None)
        if sig is not None:
            signal.signal(sig, _raise_terminated)
