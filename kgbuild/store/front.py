"""``kgbuild serve``'s read-only SPARQL endpoint with a query time limit.

In: a store folder, a host and port, a limit in seconds. Out: a running :class:`QueryFront` (start, serve,
stop). Each query runs in a child process (:mod:`kgbuild.store.query_worker`) that opens the store
read-only; at the deadline the child is killed, so a runaway query frees its CPU, and the client gets
``503`` with a one-line message. Oxigraph's own server cannot do this: its ``--timeout-s`` did not stop an
``ORDER BY`` over 200^3 rows (docs/RELIABILITY.md).

The endpoint speaks the SPARQL 1.1 protocol for queries, as Oxigraph's server does at ``/query``:
``GET /query?query=...``, ``POST`` form-encoded or ``application/sparql-query``; results by ``Accept``
(SPARQL JSON/XML/CSV/TSV; N-Triples, Turtle, RDF/XML, N-Quads, TriG for graphs). Every write (``/update``,
``/store``, any ``PUT``/``POST``/``DELETE`` elsewhere) is answered ``403 The server is read-only``.
"""
from __future__ import annotations

import json
import logging
import os
import socket
import subprocess
import sys
import threading
from concurrent.futures import Future, ThreadPoolExecutor
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from kgbuild.errors import StoreError
from kgbuild.lifecycle import child_of_this_process
from kgbuild.store.server import require_port_free

log = logging.getLogger("kgbuild.store")

WORKER = Path(__file__).with_name("query_worker.py")
#: largest request body read (a query, form-encoded)
MAX_BODY = 10 * 1024 * 1024


class QueryTimeout(StoreError):
    """A query ran longer than the limit and was stopped."""


class QueryRunner:
    """Runs each query in a child process of its own and kills it at the deadline.

    One spare child is started ahead (Python and pyoxigraph imported, the store open) so that a query does
    not wait for a process to start; each query uses the spare and starts the next one.
    """

    def __init__(self, store: str | Path, timeout: float | None):
        self.store, self.timeout = Path(store), timeout or None
        self._lock = threading.Lock()
        self._spare: Future | None = None
        self._closed = False
        # children are started by one long-lived thread: PR_SET_PDEATHSIG (kgbuild.lifecycle) signals a child
        # when the *thread* that started it ends, and the server's request threads end after each request
        self._starter = ThreadPoolExecutor(1, thread_name_prefix="kgbuild-serve-start")

    def _popen(self) -> subprocess.Popen:
        return subprocess.Popen([sys.executable, str(WORKER), str(self.store)], stdin=subprocess.PIPE,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                preexec_fn=child_of_this_process if os.name == "posix" else None)

    def _take(self) -> subprocess.Popen:
        """The spare process (or a new one); the next spare starts in the background."""
        with self._lock:
            if self._closed:
                raise StoreError("The endpoint is stopping.")
            mine = self._spare or self._starter.submit(self._popen)
            self._spare = self._starter.submit(self._popen)
        return mine.result()

    def run(self, sparql: str, accept: str = "") -> tuple[int, str, bytes]:
        """(HTTP status, media type, body) of one query; 503 if it ran out of time (its process killed)."""
        proc = self._take()
        try:
            out, err = proc.communicate(json.dumps({"query": sparql, "accept": accept}).encode(), timeout=self.timeout)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.communicate()
            log.warning("query stopped after %g s (serve --timeout): %.200s", self.timeout, " ".join(sparql.split()))
            msg = f"Query stopped after {self.timeout:g} s (kgbuild serve --timeout); make it more selective or raise the limit.\n"
            return 503, "text/plain; charset=utf-8", msg.encode()
        except BaseException:
            proc.kill()
            proc.wait()
            raise
        if proc.returncode == 0:
            media, _, body = out.partition(b"\n")
            return 200, media.decode(), body
        message = err.decode("utf-8", "replace").strip().splitlines()
        message = message[-1] if message else f"query process ended with code {proc.returncode}"
        status = {2: 400, 3: 406}.get(proc.returncode, 500)
        return status, "text/plain; charset=utf-8", (message + "\n").encode()

    def close(self) -> None:
        """Kill the spare process; no query runs after this."""
        with self._lock:
            self._closed = True
            spare, self._spare = self._spare, None
        self._starter.shutdown(wait=True)  # no process starts after this
        if spare is not None:
            proc = spare.result()
            proc.kill()
            proc.communicate()


class _Handler(BaseHTTPRequestHandler):
    server: "_Server"
    protocol_version = "HTTP/1.1"

    def log_message(self, fmt, *args) -> None:  # to logging, not stderr
        log.debug("serve: " + fmt, *args)

    def _reply(self, status: int, media: str, body: bytes) -> None:
        self.send_response(status)
        self.send_header("Content-Type", media)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def _text(self, status: int, message: str) -> None:
        self._reply(status, "text/plain; charset=utf-8", (message + "\n").encode())

    def _query(self, sparql: str | None) -> None:
        if not sparql:
            self._text(400, "No query given: pass query=... (GET or form POST) or an application/sparql-query body.")
            return
        try:
            self._reply(*self.server.runner.run(sparql, self.headers.get("Accept", "")))
        except StoreError as exc:  # stopping
            self._text(503, str(exc))

    def do_GET(self) -> None:
        url = urlsplit(self.path)
        if url.path != "/query":
            self._text(404, f"Not found: {url.path}; queries go to /query (read-only endpoint).")
            return
        self._query(parse_qs(url.query).get("query", [None])[0])

    do_HEAD = do_GET

    def _length(self) -> int | None:
        try:
            length = int(self.headers.get("Content-Length") or 0)
        except ValueError:
            length = -1
        if length < 0:
            self._text(400, "Bad Content-Length.")
            self.close_connection = True
            return None
        return length

    def do_POST(self) -> None:
        url = urlsplit(self.path)
        length = self._length()
        if length is None:
            return
        if length > MAX_BODY:
            self._text(413, f"Request body over {MAX_BODY} bytes.")
            self.close_connection = True
            return
        body = self.rfile.read(length)
        if url.path != "/query":
            self._text(403, "The server is read-only")
            return
        kind = (self.headers.get("Content-Type") or "").split(";")[0].strip().lower()
        if kind == "application/sparql-query":
            self._query(body.decode("utf-8", "replace"))
        elif kind == "application/x-www-form-urlencoded":
            self._query(parse_qs(body.decode("utf-8", "replace")).get("query", [None])[0])
        else:
            self._text(415, "POST /query takes application/sparql-query or application/x-www-form-urlencoded.")

    def _read_only(self) -> None:
        length = self._length()
        if length is None:
            return
        if length > MAX_BODY:
            self.close_connection = True
        else:
            self.rfile.read(length)
        self._text(403, "The server is read-only")

    do_PUT = do_DELETE = do_PATCH = _read_only


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    runner: QueryRunner

    def handle_error(self, request, client_address) -> None:  # logged, not printed
        log.warning("serve: request from %s failed", client_address[0], exc_info=True)


class QueryFront:
    """``with QueryFront(store, timeout=30) as front: front.url`` ... a read-only endpoint, stopped on exit."""

    def __init__(self, store: str | Path, host: str = "127.0.0.1", port: int = 7878, timeout: float | None = 30.0):
        self.store, self.host, self.port = Path(store), host, port
        self.timeout = timeout or None
        self._server: _Server | None = None
        self._runner: QueryRunner | None = None
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    def start(self) -> "QueryFront":
        """Check the store answers a query, then listen; raise StoreError if either fails."""
        require_port_free(self.host, self.port)
        family = socket.AF_INET6 if ":" in self.host else socket.AF_INET
        try:
            self._server = type("_Server", (_Server,), {"address_family": family})((self.host, self.port), _Handler)
        except OSError as exc:
            raise StoreError(f"Cannot listen on {self.host}:{self.port}: {exc.strerror or exc}") from None
        self._server.runner = self._runner = QueryRunner(self.store, self.timeout)
        status, _, body = self._runner.run("ASK {}")
        if status != 200:
            self.stop()
            raise StoreError(f"Cannot query store {str(self.store)!r}: {body.decode('utf-8', 'replace').strip()}")
        return self

    def serve_forever(self) -> None:
        """Answer requests until :meth:`stop` (or KeyboardInterrupt in this thread)."""
        self._server.serve_forever(poll_interval=0.2)

    def start_background(self) -> "QueryFront":
        """Start, and answer requests in a daemon thread (tests)."""
        self.start()
        self._thread = threading.Thread(target=self.serve_forever, daemon=True, name="kgbuild-serve")
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop listening and kill the spare query process (idempotent)."""
        if self._server is None:
            return
        if self._thread is not None:
            self._server.shutdown()
            self._thread.join(timeout=10)
            self._thread = None
        self._server.server_close()
        self._server = None
        if self._runner is not None:
            self._runner.close()
            self._runner = None

    def __enter__(self) -> "QueryFront":
        return self.start_background()

    def __exit__(self, *exc) -> None:
        self.stop()
