"""A local HTTP server for tests that script a remote service (an API, a SPARQL endpoint, a triple store):
``LocalServer(Handler, path)`` serves a ``QuietHandler`` subclass on 127.0.0.1 (a free port) in a daemon thread;
use it as a context manager, ``url`` is where it answers."""
from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class QuietHandler(BaseHTTPRequestHandler):
    """A request handler that logs nothing (the tests check the requests themselves)."""

    def log_message(self, *args):
        pass


class LocalServer:
    def __init__(self, handler: type[BaseHTTPRequestHandler], path: str = ""):
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}{path}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()
