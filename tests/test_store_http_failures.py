"""HTTP failures a real Oxigraph server cannot be made to produce on demand: 5xx, slow answers, 401.

A tiny `http.server` stub on 127.0.0.1 plays the store (it checks Basic credentials for real); the
killed-server, 403 and 404 cases run against the real Oxigraph server in test_store_server.py, and a real
digest-auth server (Virtuoso) in test_store_virtuoso.py where it is installed.
"""
from __future__ import annotations

import base64
import logging
import time
from pathlib import Path

import pytest
from test_http_support import LocalServer, QuietHandler
from typer.testing import CliRunner

from kgbuild.cli import app
from kgbuild.store import LoadError, load_to_endpoint, make_client
from kgbuild.store.endpoint import redact_url

DATA = Path(__file__).parent / "data" / "store"
PUTIN, TRIG = DATA / "putin-nordkorea.ttl", DATA / "corpus.trig"
SECRET = "s3cr3t-Pa55word"
runner = CliRunner()


class Stub(LocalServer):
    """A scripted store: each request takes the next (status, delay) from ``script`` (the last repeats)."""

    def __init__(self, script, user=None, password=None, challenge="Basic realm=\"stub\""):
        self.script, self.requests = list(script), []
        self.expected = None if user is None else "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()
        stub = self

        class Handler(QuietHandler):
            def _handle(self):
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                stub.requests.append((self.command, self.path, dict(self.headers), body))
                status, delay = stub.script.pop(0) if len(stub.script) > 1 else stub.script[0]
                if stub.expected and self.headers.get("Authorization") != stub.expected:
                    status = 401
                time.sleep(delay)
                try:
                    self.send_response(status)
                    if status == 401:
                        self.send_header("WWW-Authenticate", challenge)
                    self.send_header("Content-Length", "12")
                    self.end_headers()
                    self.wfile.write(b"stub answer\n")
                except (BrokenPipeError, ConnectionResetError):
                    pass

            do_PUT = do_POST = do_GET = do_DELETE = _handle
        super().__init__(Handler)


def test_http_503_is_retried_and_the_graph_sent_whole():
    with Stub([(503, 0), (201, 0)]) as stub:
        report = load_to_endpoint([PUTIN], make_client(stub.url, retries=2, backoff=0.01))
    assert report.graphs == 1
    puts = [r for r in stub.requests if r[0] == "POST"]
    assert len(puts) == 2 and puts[0][3] == puts[1][3] and puts[0][3].count(b"\n") == report.triples


def test_http_500_after_retries_is_clear_and_lists_graphs():
    with Stub([(500, 0)]) as stub:
        with pytest.raises(LoadError) as info:
            load_to_endpoint([TRIG], make_client(stub.url, retries=2, backoff=0.01), replace=True)
    assert len(stub.requests) == 3  # one try + two retries, then stop
    msg = str(info.value)
    assert "HTTP 500: stub answer" in msg and "Loaded 0 graph(s): none" in msg
    assert "<https://w3id.org/kgbuild/resource/doc/erdogan-berlin>" in msg and "biden-kyiv" in msg


def test_http_4xx_is_not_retried():
    with Stub([(400, 0)]) as stub:
        with pytest.raises(LoadError, match="HTTP 400"):
            load_to_endpoint([PUTIN], make_client(stub.url, retries=3, backoff=0.01))
    assert len(stub.requests) == 1


def test_http_timeout_is_clear():
    with Stub([(201, 1.5)]) as stub:
        with pytest.raises(LoadError, match="within 0.3 s \\(timeout"):
            load_to_endpoint([PUTIN], make_client(stub.url, retries=0, timeout=0.3))


def test_http_second_graph_fails_first_stays_reported():
    with Stub([(201, 0), (503, 0)]) as stub:
        with pytest.raises(LoadError) as info:
            load_to_endpoint([TRIG], make_client(stub.url, retries=1, backoff=0.01), replace=True)
    rep = info.value.report
    assert len(rep.loaded) == 1 and len(rep.failed) == 1
    assert rep.loaded[0][0] != rep.failed[0][0]
    assert "Loaded 1 graph(s)" in str(info.value)


@pytest.fixture
def all_logs(caplog):
    """Every log record at DEBUG, kgbuild's (which may not propagate after a CLI test) and urllib3's."""
    loggers = [logging.getLogger(n) for n in ("kgbuild", "urllib3", "requests")]
    old = [(lg, lg.level) for lg in loggers]
    for lg in loggers:
        lg.addHandler(caplog.handler)
        lg.setLevel(logging.DEBUG)
    caplog.handler.setLevel(logging.DEBUG)
    yield caplog
    for lg, level in old:
        lg.removeHandler(caplog.handler)
        lg.setLevel(level)


def test_http_wrong_password_never_shows_the_password(all_logs):
    with Stub([(201, 0)], user="kg", password="right-one") as stub:
        with pytest.raises(LoadError) as info:
            load_to_endpoint([PUTIN], make_client(stub.url, user="kg", password=SECRET, retries=1, backoff=0.01))
        report = load_to_endpoint([PUTIN], make_client(stub.url, user="kg", password="right-one"))
    assert report.graphs == 1
    msg = str(info.value)
    assert "authentication failed" in msg and "password was refused" in msg
    assert any("kgbuild" in r.name for r in all_logs.records)  # the logs were captured ...
    assert any("urllib3" in r.name for r in all_logs.records)
    assert SECRET not in msg and SECRET not in all_logs.text  # ... and hold no password
    assert not any(SECRET in r.getMessage() for r in all_logs.records)


def test_http_cli_env_credentials_not_in_output(monkeypatch):
    monkeypatch.setenv("KGBUILD_STORE_USER", "kg")
    monkeypatch.setenv("KGBUILD_STORE_PASSWORD", SECRET)
    with Stub([(201, 0)], user="kg", password="other") as stub:
        r = runner.invoke(app, ["-vv", "load", str(PUTIN), "--endpoint", stub.url, "--retries", "0"])
    assert r.exit_code == 1
    assert "authentication failed" in r.stderr and SECRET not in r.stderr + r.stdout
    assert stub.requests[0][2]["Authorization"] == "Basic " + base64.b64encode(f"kg:{SECRET}".encode()).decode()


def test_http_netrc_credentials_are_used(tmp_path, monkeypatch):
    netrc = tmp_path / "netrc"
    netrc.write_text("machine 127.0.0.1 login kg password from-netrc\n", encoding="utf-8")
    netrc.chmod(0o600)
    monkeypatch.setenv("NETRC", str(netrc))
    monkeypatch.delenv("KGBUILD_STORE_USER", raising=False)
    with Stub([(201, 0)], user="kg", password="from-netrc") as stub:
        assert load_to_endpoint([PUTIN], make_client(stub.url)).graphs == 1


def test_http_no_credentials_hint_and_digest_hint():
    with Stub([(401, 0)]) as stub:
        with pytest.raises(LoadError, match="no credentials were given"):
            load_to_endpoint([PUTIN], make_client(stub.url, retries=0))
    with Stub([(201, 0)], user="kg", password="x", challenge='Digest realm="v", nonce="abc"') as stub:
        with pytest.raises(LoadError, match="asks for Digest"):
            load_to_endpoint([PUTIN], make_client(stub.url, user="kg", password="y", auth="basic", retries=0))


def test_http_userinfo_in_url_is_redacted():
    assert redact_url(f"http://kg:{SECRET}@127.0.0.1:7878/store") == "http://127.0.0.1:7878/store"
    with Stub([(500, 0)]) as stub:
        url = stub.url.replace("http://", f"http://kg:{SECRET}@")
        with pytest.raises(LoadError) as info:
            load_to_endpoint([PUTIN], make_client(url, retries=0))
    assert SECRET not in str(info.value)
