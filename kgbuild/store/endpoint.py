"""A remote SPARQL server: where its query, update and Graph Store endpoints are, and how to talk to it.

In: the URL a user passes as ``--endpoint`` and optional credentials. Out: :class:`Endpoint` (the three
URLs and the server type) and :class:`Client` (basic or digest auth and errors that never contain a password,
over :mod:`kgbuild.http`, which owns timeouts, retries, back-off and ``Retry-After``).

URL layouts (docs/STORES.md): Oxigraph ``http://host:7878`` -> ``/query``, ``/update``, ``/store``;
Virtuoso ``http://host:8890/sparql`` -> ``/sparql``, ``/sparql-auth`` and ``/sparql-graph-crud-auth`` (digest
auth for writes); anything else (e.g. a Fuseki dataset ``http://host:3030/ds``) is used for all three.
"""
from __future__ import annotations

import logging
import os
import re
from dataclasses import dataclass
from urllib.parse import urlsplit, urlunsplit

import requests
from requests.auth import HTTPBasicAuth, HTTPDigestAuth
from requests.utils import get_netrc_auth

from kgbuild.errors import StoreError
from kgbuild.http import HttpClient, RetryPolicy, new_session

log = logging.getLogger("kgbuild.store")


class StoreHTTPError(StoreError):
    """A request to a remote store failed; ``status`` is the HTTP status (None: no answer)."""

    def __init__(self, message: str, status: int | None = None):
        super().__init__(message)
        self.status = status


@dataclass(frozen=True)
class Endpoint:
    """The URLs of one SPARQL server."""

    query_url: str
    update_url: str
    store_url: str  # SPARQL 1.1 Graph Store HTTP Protocol
    server: str  # "oxigraph" | "virtuoso" | "generic"

    @classmethod
    def from_url(cls, url: str, server: str = "auto") -> "Endpoint":
        """Derive the three URLs from what the user gave (see the module docstring)."""
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise StoreError(f"Bad endpoint URL {redact_url(url)!r}: use http(s)://host:port[/path].")
        path = parts.path.rstrip("/")
        if server == "auto":
            server = _guess_server(path)
        base = lambda p: urlunsplit((parts.scheme, parts.netloc, p, "", ""))  # noqa: E731
        if server == "oxigraph":
            root = re.sub(r"/(query|update|store)$", "", path)
            return cls(base(root + "/query"), base(root + "/update"), base(root + "/store"), server)
        if server == "virtuoso":
            root = re.sub(r"/sparql(-auth|-graph-crud|-graph-crud-auth)?$", "", path)
            return cls(base(root + "/sparql"), base(root + "/sparql-auth"), base(root + "/sparql-graph-crud-auth"), server)
        return cls(base(path), base(path), base(path), "generic")


def _guess_server(path: str) -> str:
    if path in ("", "/") or re.search(r"/(query|update|store)$", path):
        return "oxigraph"
    if re.search(r"/sparql(-auth|-graph-crud|-graph-crud-auth)?$", path):
        return "virtuoso"
    return "generic"


def redact_url(url: str) -> str:
    """The URL without any ``user:password@`` part."""
    parts = urlsplit(url)
    if "@" not in parts.netloc:
        return url
    return urlunsplit((parts.scheme, parts.netloc.rsplit("@", 1)[1], parts.path, parts.query, parts.fragment))


def credentials(url: str, user: str | None = None, password: str | None = None) -> tuple[str, str] | None:
    """Explicit user/password, else env ``KGBUILD_STORE_USER``/``KGBUILD_STORE_PASSWORD``, else ``~/.netrc``."""
    user = user or os.environ.get("KGBUILD_STORE_USER")
    password = password if password is not None else os.environ.get("KGBUILD_STORE_PASSWORD")
    if user:
        return user, password or ""
    netrc = get_netrc_auth(url)
    return tuple(netrc) if netrc else None


class Client:
    """HTTP to one :class:`Endpoint`: auth, timeouts, retries with back-off, errors without secrets."""

    def __init__(self, endpoint: Endpoint, user: str | None = None, password: str | None = None,
                 auth: str = "auto", timeout: float = 60.0, retries: int = 3, backoff: float = 0.5):
        self.endpoint = endpoint
        self.timeout = timeout
        self.retries = max(0, retries)
        # no proxies from the environment (trust_env=False); netrc is read by credentials()
        self.http = HttpClient(new_session(trust_env=False), timeout=timeout,
                               policy=RetryPolicy(retries=self.retries, backoff=backoff), name="store")
        self.session = self.http.session
        creds = credentials(endpoint.store_url, user, password)
        self._secret = creds[1] if creds and creds[1] else None
        if creds:
            digest = auth == "digest" or (auth == "auto" and endpoint.server == "virtuoso")
            self.session.auth = HTTPDigestAuth(*creds) if digest else HTTPBasicAuth(*creds)
        self.auth_scheme = None if not creds else ("digest" if isinstance(self.session.auth, HTTPDigestAuth) else "basic")

    def close(self) -> None:
        self.http.close()

    def request(self, method: str, url: str, what: str, **kwargs) -> requests.Response:
        """Send through :class:`kgbuild.http.HttpClient` (retries on connection errors, timeouts and
        408/429/5xx, honouring ``Retry-After``); raise :class:`StoreHTTPError` for what is left."""
        try:
            resp = self.http.request(method, url, **kwargs)
        except requests.Timeout:
            raise StoreHTTPError(f"{what}: no answer from {redact_url(url)} within {self.timeout:g} s (timeout; raise --timeout?)") from None
        except requests.ConnectionError as exc:
            raise StoreHTTPError(f"{what}: connection to {redact_url(url)} failed ({self._reason(exc)})") from None
        except requests.RequestException as exc:  # bad URL, broken chunked answer, ...
            raise StoreHTTPError(f"{what}: request to {redact_url(url)} failed ({self._reason(exc)})") from None
        if resp.status_code >= 400:
            raise self._http_error(resp, url, what)
        return resp

    def _http_error(self, resp: requests.Response, url: str, what: str) -> StoreHTTPError:
        status = resp.status_code
        detail = self.redact(" ".join(resp.text.split())[:200]) if resp.text else resp.reason
        where = redact_url(url)
        if status == 401:
            challenge = resp.headers.get("WWW-Authenticate", "").split(" ")[0] or "?"
            hint = "no credentials were given: pass --user/--password, KGBUILD_STORE_USER/KGBUILD_STORE_PASSWORD or ~/.netrc"
            if self.auth_scheme:
                hint = f"the user name or password was refused ({self.auth_scheme} auth; the server asks for {challenge})"
            return StoreHTTPError(f"{what}: authentication failed at {where} (HTTP 401): {hint}", status)
        if status == 403:
            return StoreHTTPError(f"{what}: forbidden at {where} (HTTP 403: {detail}): the store is read-only "
                                  "or the user may not write there", status)
        if status == 404:
            return StoreHTTPError(f"{what}: {where} not found (HTTP 404): check --endpoint / --server-type", status)
        return StoreHTTPError(f"{what}: {where} answered HTTP {status}: {detail}", status)

    def _reason(self, exc: Exception) -> str:
        text = str(exc)
        for key in ("Connection refused", "Connection reset", "Connection aborted", "RemoteDisconnected",
                    "BrokenPipe", "Broken pipe", "Name or service not known", "timed out"):
            if key in text:
                return key
        return self.redact(type(exc).__name__)

    def redact(self, text: str) -> str:
        """``text`` with the password (if any) masked."""
        return text.replace(self._secret, "***") if self._secret else text
