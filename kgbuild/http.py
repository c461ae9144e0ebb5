"""kgbuild's one HTTP client: sessions with a descriptive User-Agent, timeouts, and the one retry loop.

In: a method, a URL and ``requests`` keyword arguments. Out: the final ``requests.Response`` (the caller
judges its status), or the final ``requests`` exception when no answer came (timeout, refused connection).

Retries (:class:`RetryPolicy`): on a dropped connection, a timeout, HTTP 408/429/500/502/503/504, or
whatever the caller's ``retry_if`` says about an answer (e.g. the Wikidata API's ``maxlag`` error). The wait
before retry *n* (0-based) is ``backoff * 2**n`` with jitter (a random share, ``jitter``, is taken off so
that clients that failed together do not retry together), at most ``max_delay``; a ``Retry-After`` header
(seconds or an HTTP-date) replaces it and is never shortened. ``max_total`` caps the sum of all waits of one request: a wait
that would pass it ends the retries at once. Request bodies that can ``seek`` are rewound before each try.

Used by the live Wikidata client (:mod:`kgbuild.kb.online`), ``kgbuild kb fetch`` (:mod:`kgbuild.kb.fetch`)
and the triple-store client (:mod:`kgbuild.store.endpoint`); nothing else in kgbuild retries HTTP.
"""
from __future__ import annotations

import logging
import random
import time
from dataclasses import dataclass
from datetime import datetime, timezone
from email.utils import parsedate_to_datetime
from typing import Callable

import requests

from kgbuild import __version__

log = logging.getLogger("kgbuild.http")

CONTACT_URL = "https://w3id.org/kgbuild"
#: Wikimedia's User-Agent policy: tool name/version, a way to contact the operator, the library used
USER_AGENT = (f"kgbuild/{__version__} ({CONTACT_URL}; news knowledge-graph builder) "
              f"python-requests/{requests.__version__}")
RETRY_STATUS = frozenset({408, 429, 500, 502, 503, 504})


@dataclass(frozen=True)
class RetryPolicy:
    """How often and how long to retry (see the module docstring)."""

    retries: int = 3  # retries after the first try
    backoff: float = 1.0  # seconds before the first retry
    max_delay: float = 60.0  # longest back-off wait (a Retry-After is not shortened)
    max_total: float = 300.0  # longest sum of waits for one request
    jitter: float = 0.5  # share of each computed back-off that is random (0: none)

    def delay(self, attempt: int, response: requests.Response | None = None,
              rand: Callable[[], float] = random.random) -> float:
        """Seconds to wait before retry ``attempt`` (0-based): ``Retry-After`` if given, else back-off."""
        after = retry_after(response.headers.get("Retry-After")) if response is not None else None
        if after is not None:  # the server's word: never retry earlier (``max_total`` may give up instead)
            return after
        base = min(self.backoff * 2**attempt, self.max_delay)
        return base * (1.0 - self.jitter * rand())


def retry_after(value: str | None, now: datetime | None = None) -> float | None:
    """Seconds a ``Retry-After`` header asks for: delta-seconds or an HTTP-date; None if absent or unreadable."""
    if not value or not value.strip():
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=timezone.utc)
    return max(0.0, (when - (now or datetime.now(timezone.utc))).total_seconds())


def new_session(trust_env: bool = True, user_agent: str = USER_AGENT) -> requests.Session:
    """A ``requests.Session`` that names kgbuild in its User-Agent (``trust_env=False``: no proxies from
    the environment)."""
    session = requests.Session()
    session.trust_env = trust_env
    session.headers["User-Agent"] = user_agent
    return session


class HttpClient:
    """A session, a timeout for every request, and the retry loop. ``sleep`` and ``rand`` are injectable."""

    def __init__(self, session: requests.Session | None = None, timeout: float | tuple[float, float] = 30.0,
                 policy: RetryPolicy | None = None, sleep: Callable[[float], None] = time.sleep,
                 rand: Callable[[], float] = random.random, name: str = "HTTP"):
        self.session = session if session is not None else new_session()
        self.session.headers["User-Agent"] = USER_AGENT
        self.timeout, self.policy = timeout, policy or RetryPolicy()
        self.sleep, self.rand, self.name = sleep, rand, name
        self.attempts = 0  # tries made by the last request (for error messages)

    def close(self) -> None:
        self.session.close()

    def request(self, method: str, url: str, retry_if: Callable[[requests.Response], str | None] | None = None,
                final_if: Callable[[requests.Response], bool] | None = None, **kwargs) -> requests.Response:
        """Send with retries; return the last answer whatever its status; raise the last ``requests``
        exception if no answer came. ``retry_if(response)`` names a reason to retry an answer the status
        alone does not condemn (or returns None); ``final_if(response)`` True marks an answer that retrying
        cannot change (e.g. a query that ran out of time), returned at once. Errors other than timeouts and connection failures (a bad
        URL, a broken chunked answer) are raised at once."""
        policy, waited = self.policy, 0.0
        kwargs.setdefault("timeout", self.timeout)
        body = kwargs.get("data")
        self.attempts = 0
        for attempt in range(policy.retries + 1):
            if hasattr(body, "seek"):
                body.seek(0)
            response, error = None, None
            self.attempts = attempt + 1
            try:
                response = self.session.request(method, url, **kwargs)
            except (requests.ConnectionError, requests.Timeout) as exc:
                error, problem = exc, f"{type(exc).__name__}"
            else:
                if final_if is not None and final_if(response):
                    return response
                problem = f"HTTP {response.status_code}" if response.status_code in RETRY_STATUS else None
                if problem is None and retry_if is not None:
                    problem = retry_if(response)
                if problem is None:
                    return response
            if attempt == policy.retries:
                break
            wait = policy.delay(attempt, response, self.rand)
            if waited + wait > policy.max_total:
                log.info("%s %s: %s; not retrying (%.1f s more would pass the %.0f s limit on waiting)",
                         self.name, method, problem, wait, policy.max_total)
                break
            log.info("%s %s: %s; retry %d/%d in %.1f s", self.name, method, problem, attempt + 1,
                     policy.retries, wait)
            if response is not None:
                response.close()
            self.sleep(wait)
            waited += wait
        if error is not None:
            raise error
        return response
