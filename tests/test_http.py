"""kgbuild.http, the one HTTP client, against a real HTTP server on 127.0.0.1 (http.server in a thread).

The server plays scripted answers (status, headers, body, delay); ``sleep`` is recorded instead of slept, so
waits are checked exactly without making the suite slow (timeouts are real, with short limits).
"""
from __future__ import annotations

import io
import time
from datetime import datetime, timedelta, timezone
from email.utils import format_datetime

import pytest
import requests
from test_http_support import LocalServer, QuietHandler

from kgbuild.http import USER_AGENT, HttpClient, RetryPolicy, retry_after


class Scripted(LocalServer):
    """Answers request i with script[i] = (status, headers, body, delay); the last entry repeats."""

    def __init__(self, script):
        self.script, self.requests = list(script), []
        owner = self

        class Handler(QuietHandler):
            def _handle(self):
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                owner.requests.append((self.command, self.path, dict(self.headers), body))
                status, headers, text, delay = owner.script.pop(0) if len(owner.script) > 1 else owner.script[0]
                time.sleep(delay)
                try:
                    self.send_response(status)
                    for k, v in headers.items():
                        self.send_header(k, v)
                    self.send_header("Content-Length", str(len(text)))
                    self.end_headers()
                    self.wfile.write(text)
                except (BrokenPipeError, ConnectionResetError):
                    pass

            do_GET = do_POST = do_PUT = _handle
        super().__init__(Handler, "/x")


def client(**policy):
    sleeps: list[float] = []
    timeout = policy.pop("timeout", 5.0)
    policy.setdefault("jitter", 0.0)
    return HttpClient(timeout=timeout, policy=RetryPolicy(**policy), sleep=sleeps.append), sleeps


def test_429_with_retry_after_seconds_then_ok():
    with Scripted([(429, {"Retry-After": "7"}, b"slow down", 0), (200, {}, b"ok", 0)]) as srv:
        http, sleeps = client(retries=3, backoff=0.5)
        resp = http.request("GET", srv.url)
    assert resp.status_code == 200 and resp.text == "ok"
    assert sleeps == [7.0] and http.attempts == 2
    assert all(h["User-Agent"] == USER_AGENT for _, _, h, _ in srv.requests)
    assert USER_AGENT.startswith("kgbuild/") and "https://" in USER_AGENT  # name/version + contact


def test_503_with_retry_after_http_date():
    when = format_datetime(datetime.now(timezone.utc) + timedelta(seconds=20), usegmt=True)
    with Scripted([(503, {"Retry-After": when}, b"", 0), (200, {}, b"ok", 0)]) as srv:
        http, sleeps = client(retries=2)
        assert http.request("GET", srv.url).status_code == 200
    assert len(sleeps) == 1 and 17 <= sleeps[0] <= 20


def test_retry_after_parsing():
    now = datetime(2026, 1, 1, 12, 0, 0, tzinfo=timezone.utc)
    assert retry_after("120") == 120.0
    assert retry_after("Thu, 01 Jan 2026 12:00:30 GMT", now=now) == 30.0
    assert retry_after("Thu, 01 Jan 2026 11:00:00 GMT", now=now) == 0.0  # in the past: no wait
    assert retry_after("soon") is None and retry_after("") is None and retry_after(None) is None


def test_exponential_backoff_with_jitter_and_cap():
    policy = RetryPolicy(backoff=1.0, max_delay=5.0, jitter=0.5)
    assert [policy.delay(n, rand=lambda: 0.0) for n in range(5)] == [1.0, 2.0, 4.0, 5.0, 5.0]
    assert [policy.delay(n, rand=lambda: 1.0) for n in range(3)] == [0.5, 1.0, 2.0]
    waits = {policy.delay(2) for _ in range(50)}
    assert len(waits) > 1 and all(2.0 <= w <= 4.0 for w in waits)  # random, inside the band


def test_503_gives_up_after_retries_and_returns_last_answer():
    with Scripted([(503, {}, b"busy", 0)]) as srv:
        http, sleeps = client(retries=2, backoff=1.0)
        resp = http.request("GET", srv.url)
    assert resp.status_code == 503 and len(srv.requests) == 3 and sleeps == [1.0, 2.0]


def test_total_wait_cap_stops_early():
    with Scripted([(429, {"Retry-After": "50"}, b"", 0)]) as srv:
        http, sleeps = client(retries=5, max_delay=60, max_total=120)
        resp = http.request("GET", srv.url)
    assert resp.status_code == 429 and sleeps == [50.0, 50.0] and len(srv.requests) == 3


def test_retry_after_is_never_shortened_but_the_total_cap_gives_up():
    with Scripted([(503, {"Retry-After": "100"}, b"", 0), (200, {}, b"ok", 0)]) as srv:
        http, sleeps = client(retries=2, max_delay=10, max_total=300)
        assert http.request("GET", srv.url).status_code == 200
    assert sleeps == [100.0]
    with Scripted([(503, {"Retry-After": "3600"}, b"", 0)]) as srv:
        http, sleeps = client(retries=2, max_delay=10, max_total=300)
        assert http.request("GET", srv.url).status_code == 503
    assert sleeps == [] and len(srv.requests) == 1  # an hour is past the cap: give up at once


def test_client_errors_are_not_retried():
    with Scripted([(404, {}, b"no", 0)]) as srv:
        http, sleeps = client(retries=3)
        assert http.request("GET", srv.url).status_code == 404
    assert len(srv.requests) == 1 and sleeps == []


def test_timeout_is_retried_then_raised():
    with Scripted([(200, {}, b"late", 1.0)]) as srv:
        http, sleeps = client(retries=1, backoff=0.1, timeout=0.2)
        with pytest.raises(requests.Timeout):
            http.request("GET", srv.url)
    assert len(srv.requests) == 2 and sleeps == [0.1]


def test_timeout_then_answer():
    with Scripted([(200, {}, b"late", 1.0), (200, {}, b"ok", 0)]) as srv:
        http, _ = client(retries=1, backoff=0.1, timeout=0.5)
        assert http.request("GET", srv.url).text == "ok"


def test_refused_connection_raises_connection_error():
    with Scripted([(200, {}, b"", 0)]) as srv:
        url = srv.url
    http, sleeps = client(retries=1, backoff=0.1)
    with pytest.raises(requests.ConnectionError):
        http.request("GET", url)
    assert sleeps == [0.1]


def test_retry_if_and_body_rewound():
    with Scripted([(200, {}, b"maxlag", 0), (200, {}, b"fine", 0)]) as srv:
        http, sleeps = client(retries=2, backoff=0.25)
        resp = http.request("POST", srv.url, data=io.BytesIO(b"payload"),
                            retry_if=lambda r: "lagged" if r.text == "maxlag" else None)
    assert resp.text == "fine" and sleeps == [0.25]
    assert [body for *_, body in srv.requests] == [b"payload", b"payload"]
