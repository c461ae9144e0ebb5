"""Run Oxigraph's own HTTP server (the ``oxigraph`` CLI from the ``oxigraph`` PyPI package).

In: a store folder, a host and port, read-only or read-write. Out: a running :class:`OxigraphServer`
(start, wait until it answers, stop) used by ``kgbuild serve --timeout 0``, the tests and the benchmark.
``kgbuild serve`` with a query time limit uses :mod:`kgbuild.store.front` instead.
"""
from __future__ import annotations

import logging
import os
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path

import requests

from kgbuild.errors import StoreError
from kgbuild.lifecycle import child_of_this_process

log = logging.getLogger("kgbuild.store")


def oxigraph_binary() -> str:
    """Path of the ``oxigraph`` server binary, or a clear error."""
    exe = shutil.which("oxigraph")
    if not exe:
        raise StoreError("The `oxigraph` server is not installed: run `pip install oxigraph` (kgbuild[dev] has it).")
    return exe


def free_port(host: str = "127.0.0.1") -> int:
    """A TCP port that is free on ``host`` right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind((host, 0))
        return s.getsockname()[1]


def port_free(host: str, port: int) -> bool:
    """Whether nothing listens on ``host:port``.

    The probe binds with ``SO_REUSEADDR``, as Oxigraph's server and kgbuild's front do, so connections of a
    server that just stopped (left in TIME_WAIT for up to a minute) do not count as "in use".
    """
    with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET, socket.SOCK_STREAM) as s:
        if os.name != "nt":  # on Windows the option lets a second socket take a port that is listened on
            s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            s.bind((host, port))
        except OSError:
            return False
    return True


def require_port_free(host: str, port: int) -> None:
    """Raise StoreError (one line, with the fix) if something already listens on ``host:port``."""
    if not port_free(host, port):
        raise StoreError(f"Port {port} on {host} is in use (another server?); pass another --port.")


def server_command(location: str | Path | None, host: str = "127.0.0.1", port: int = 7878,
                   read_only: bool = True, union: bool = True) -> list[str]:
    """The ``oxigraph serve[-read-only]`` command line (``location=None``: in-memory, read-write only)."""
    cmd = [oxigraph_binary(), "serve-read-only" if read_only else "serve"]
    if location is not None:
        cmd += ["--location", str(location)]
    elif read_only:
        raise StoreError("A read-only server needs a store folder (--store PATH).")
    cmd += ["--bind", f"{host}:{port}"]
    if union:
        cmd.append("--union-default-graph")
    return cmd


class OxigraphServer:
    """A child ``oxigraph`` process: ``with OxigraphServer(path) as srv: srv.url`` ... stopped on exit."""

    def __init__(self, location: str | Path | None, host: str = "127.0.0.1", port: int | None = None,
                 read_only: bool = False, union: bool = True, startup_timeout: float = 30.0):
        self.host, self.port = host, port or free_port(host)
        self.cmd = server_command(location, self.host, self.port, read_only, union)
        self.startup_timeout = startup_timeout
        self.proc: subprocess.Popen | None = None
        self._log = None

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    def start(self) -> "OxigraphServer":
        """Start the process and wait until ``/query`` answers; raise StoreError if it does not."""
        require_port_free(self.host, self.port)
        log.info("starting %s", " ".join(self.cmd))
        self._log = tempfile.TemporaryFile()
        # the server ends with this process, even after kill -9 (kgbuild.lifecycle)
        self.proc = subprocess.Popen(self.cmd, stdout=subprocess.DEVNULL, stderr=self._log,
                                     preexec_fn=child_of_this_process if os.name == "posix" else None)
        deadline = time.monotonic() + self.startup_timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                self._log.seek(0)
                err = self._log.read().decode("utf-8", "replace").strip().splitlines()
                raise StoreError(f"oxigraph exited at start: {err[-1] if err else self.proc.returncode}")
            if self.ready():
                return self
            time.sleep(0.05)
        self.stop()
        raise StoreError(f"oxigraph did not answer on {self.url} within {self.startup_timeout:g} s.")

    def ready(self) -> bool:
        """Whether the server answers a trivial ASK."""
        try:
            r = requests.get(f"{self.url}/query", params={"query": "ASK {}"}, timeout=1)
            return r.status_code == 200
        except requests.RequestException:
            return False

    def kill(self) -> None:
        """Kill the process at once (SIGKILL), as a crash would."""
        if self.proc and self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait(timeout=10)

    def stop(self) -> None:
        """Stop the process (SIGTERM, then SIGKILL after 10 s)."""
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.kill()
        if self._log:
            self._log.close()
            self._log = None

    def wait(self) -> int:
        """Block until the server exits (``kgbuild serve``); returns its exit code."""
        return self.proc.wait() if self.proc else 0

    def __enter__(self) -> "OxigraphServer":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()
