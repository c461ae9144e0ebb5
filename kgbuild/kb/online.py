"""Opt-in live Wikidata: ``wbsearchentities`` for candidates, ``wbgetentities`` for details, cached locally.

``WikidataClient`` does the HTTP through :mod:`kgbuild.http` (timeouts, bounded retries with back-off and
jitter that honour ``Retry-After``, a descriptive User-Agent per Wikimedia policy); it adds the API's
``maxlag`` errors as a reason to retry, and asks for 50 ids per ``wbgetentities`` call. ``OnlineKB`` wraps a local ``SQLiteKB``: local hits first; on a
miss it asks Wikidata, writes the answers into the local KB file, and on any service failure logs a
warning and answers from the local KB alone (never raises for the network).
"""
from __future__ import annotations

import logging
import sqlite3
import time
from typing import Callable, Iterable

import requests

from kgbuild.errors import OnlineError
from kgbuild.http import RETRY_STATUS, HttpClient, RetryPolicy
from kgbuild.kb.importer import write_records_into
from kgbuild.kb.store import SQLiteKB
from kgbuild.kb.wikidata_json import entity_record, link_target
from kgbuild.kb.write import drop_stop_names, finalize, name_rows
from kgbuild.types import Candidate, Entity

log = logging.getLogger("kgbuild.kb.online")
API_URL = "https://www.wikidata.org/w/api.php"
BATCH = 50


def _maxlag(response: requests.Response) -> str | None:
    """A retry reason for the API's ``maxlag`` error (HTTP 200 with a ``Retry-After``), else None."""
    try:
        data = response.json()
    except ValueError:
        return None
    error = data.get("error") if isinstance(data, dict) else None
    return f"maxlag ({error.get('info', '')})" if isinstance(error, dict) and error.get("code") == "maxlag" else None


class WikidataClient:
    """Minimal Wikidata API client over :class:`kgbuild.http.HttpClient` (which owns timeouts, retries,
    back-off, ``Retry-After`` and the User-Agent). ``session`` and ``sleep`` are injectable (tests)."""

    def __init__(self, session: requests.Session | None = None, api_url: str = API_URL, timeout: float = 10.0,
                 retries: int = 3, backoff: float = 1.0, max_wait: float = 30.0, maxlag: int = 5,
                 sleep: Callable[[float], None] = time.sleep, max_total: float = 120.0, jitter: float = 0.5):
        policy = RetryPolicy(retries=retries, backoff=backoff, max_delay=max_wait, max_total=max_total, jitter=jitter)
        self.http = HttpClient(session, timeout=timeout, policy=policy, sleep=sleep, name="Wikidata API")
        self.session, self.api_url, self.maxlag = self.http.session, api_url, maxlag

    def call(self, **params) -> dict:
        """One API call (GET, format=json, maxlag) with retries; raises ``OnlineError`` when it gives up."""
        params = {"format": "json", "maxlag": self.maxlag, **params}
        try:
            response = self.http.request("GET", self.api_url, params=params, retry_if=_maxlag)
        except (requests.ConnectionError, requests.Timeout) as exc:
            problem = f"{type(exc).__name__}: {str(exc)[-120:]}"
            raise OnlineError(f"Wikidata API unreachable after {self.http.attempts} attempts ({problem}). "
                              "Drop --online to work offline.") from None
        except requests.RequestException as exc:
            raise OnlineError(f"Wikidata API request failed ({type(exc).__name__}). Drop --online to work offline.") from None
        if response.status_code in RETRY_STATUS or _maxlag(response):
            problem = _maxlag(response) or f"HTTP {response.status_code}"
            raise OnlineError(f"Wikidata API unreachable after {self.http.attempts} attempts ({problem}). "
                              "Drop --online to work offline.")
        try:
            response.raise_for_status()
            data = response.json()
        except (requests.HTTPError, ValueError) as exc:
            raise OnlineError(f"Wikidata API answered badly ({exc}). Try again later or drop --online.") from None
        error = data.get("error") if isinstance(data, dict) else None
        if error:
            raise OnlineError(f"Wikidata API error {error.get('code')}: {error.get('info')}")
        return data

    def search(self, text: str, lang: str = "en", limit: int = 10) -> list[str]:
        """QIDs ``wbsearchentities`` finds for ``text`` (labels and aliases in ``lang``)."""
        data = self.call(action="wbsearchentities", search=text, language=lang, uselang=lang, type="item",
                         limit=limit, strictlanguage=0)
        return [hit["id"] for hit in data.get("search", []) if str(hit.get("id", "")).startswith("Q")]

    def get_entities(self, ids: Iterable[str], langs: Iterable[str] = ("de", "en")) -> dict[str, dict]:
        """Entity JSON of ``ids`` (``wbgetentities``, ``BATCH`` ids per call); missing ids are left out."""
        ids = list(dict.fromkeys(ids))
        out: dict[str, dict] = {}
        for start in range(0, len(ids), BATCH):
            data = self.call(action="wbgetentities", ids="|".join(ids[start:start + BATCH]),
                             props="labels|aliases|descriptions|claims|sitelinks", languages="|".join(langs))
            for qid, doc in (data.get("entities") or {}).items():
                if "missing" not in doc:
                    out[qid] = doc
        return out


class OnlineKB:
    """A ``SQLiteKB`` that looks up misses on live Wikidata and caches the answers into its file."""

    def __init__(self, kb: SQLiteKB, client: WikidataClient | None = None, langs: Iterable[str] = ("de", "en"),
                 cooldown: float = 60.0):
        self.kb, self.client, self.langs = kb, client or WikidataClient(), tuple(langs)
        self.cooldown, self._down_until = cooldown, 0.0
        self._searched: set[tuple[str, str | None]] = set()
        #: items Wikidata returned that are no link targets (``link_target``: classes such as Q5 "human",
        #: Wikimedia pages, names, label-only answers): not cached, not asked for again in this run
        self._not_targets: set[str] = set()
        self._writer: sqlite3.Connection | None = None
        self.warnings: list[str] = []

    def __getattr__(self, name):  # version, max_name_tokens, has_name, is_given_name, related, stats, ...
        return getattr(self.kb, name)

    def _online(self) -> bool:
        return time.monotonic() >= self._down_until

    def _failed(self, exc: OnlineError) -> None:
        msg = f"Wikidata lookup failed, using the local KB only: {exc}"
        log.warning(msg)
        self.warnings.append(msg)
        self._down_until = time.monotonic() + self.cooldown

    def _cache(self, docs: dict[str, dict]) -> None:
        """Write the answers that are link targets into the KB file; the others are remembered as such only
        (the same filter as ``kgbuild kb import``: a search for "people" must not make Q5 a candidate)."""
        records = []
        for doc in docs.values():
            rec = entity_record(doc, langs=None, source="wikidata-online")
            if rec is None:
                continue
            if not link_target(doc, rec):
                self._not_targets.add(rec["qid"])
                continue
            records.append(drop_stop_names(rec, self.kb._stop))
        if not records:
            return
        if self._writer is None:
            self._writer = self.kb.writer()
        write_records_into(self._writer, records)
        for rec in records:  # make the new names visible without reloading the whole index
            for key, stem, *_ in name_rows(rec["qid"], rec["names"]):
                self.kb._index.update((key, stem))
        self.kb.clear_cache()

    def lookup(self, surface: str, lang: str | None = None, limit: int = 10) -> list[Candidate]:
        """Local candidates; on a local miss, Wikidata's (cached locally). Network failure -> local answer."""
        found = self.kb.lookup(surface, lang, limit)
        key = (surface.strip().casefold(), lang)
        if found or not surface.strip() or key in self._searched or not self._online():
            return found
        self._searched.add(key)
        try:
            ids = self.client.search(surface, lang or "en", limit)
            missing = [q for q in ids if q not in self._not_targets and self.kb.entity(q) is None]
            if missing:
                self._cache(self.client.get_entities(missing, self.langs))
        except OnlineError as exc:
            self._failed(exc)
            return found
        return self.kb.lookup(surface, lang, limit)

    def entity(self, qid: str) -> Entity | None:
        ent = self.kb.entity(qid)
        if ent is not None or qid in self._not_targets or not self._online():
            return ent
        try:
            self._cache(self.client.get_entities([qid], self.langs))
        except OnlineError as exc:
            self._failed(exc)
            return None
        return self.kb.entity(qid)

    def close(self) -> None:
        """Write the name index of the cached answers and close the files."""
        if self._writer is not None:
            finalize(self._writer, updated=True)
            self._writer.close()
            self._writer = None
        self.kb.close()
