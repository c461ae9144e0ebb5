"""``kgbuild kb fetch``: entities from the Wikidata Query Service (WDQS) -> a KB file (opt-in, online).

In: a SPARQL SELECT (a preset shipped in ``kgbuild/data/wdqs/NAME.rq`` or the user's file), the WDQS URL.
Out: the entities merged into a KB file (created as a copy of the bundled KB if it does not exist, as
``kgbuild kb import`` does), a :class:`FetchReport`, and in the KB's ``meta`` the snapshot date
(``wikidata_snapshot``: when the answers were fetched, UTC) and a log of fetches (``wdqs_fetches``).

Result columns (docs/KB.md): ``item`` (entity IRI, required); ``label_xx``, ``alias_xx``, ``desc_xx``,
``article_xx`` (text in language xx; without ``_xx`` the literal's language tag is used; aliases may be
``|``-joined); ``aliases`` and ``labels`` (``|``-joined ``xx:text``); ``sitelinks``, ``statements`` (numbers,
for the prior); ``type`` (PER/LOC/ORG/MISC, used when the P31 classes do not decide); any ``P<n>`` column
(QIDs or entity IRIs, ``|``-joined): claims, ``P31`` the classes. Several rows of one item are merged.

Paging: a query without its own ``LIMIT`` must end in ``ORDER BY`` (a stable order); ``LIMIT page_size
OFFSET k`` is appended until a page comes back short, so that each request stays under the service's 60 s
limit. Requests go one at a time through :mod:`kgbuild.http` (User-Agent, timeouts, retries with back-off,
``Retry-After``), with a pause between pages. Nothing is written unless every page arrived.
"""
from __future__ import annotations

import datetime as dt
import json
import logging
import re
from dataclasses import dataclass, field
from pathlib import Path

import requests

from kgbuild.errors import KBError, OnlineError
from kgbuild.http import RETRY_STATUS, HttpClient, RetryPolicy
from kgbuild.kb import schema
from kgbuild.kb.importer import ensure_kb, write_records_into
from kgbuild.kb.wikidata_json import entity_record, prior_from_counts
from kgbuild.kb.write import drop_stop_names, finalize, stop_words_of
from kgbuild.types import ENTITY_TYPES

log = logging.getLogger("kgbuild.kb.fetch")

WDQS_URL = "https://query.wikidata.org/sparql"
PRESET_DIR = Path(__file__).resolve().parent.parent / "data" / "wdqs"
PAGE_SIZE = 2000
RESULTS_JSON = "application/sparql-results+json"
_QID = re.compile(r"(?:^|/|\b)(Q[1-9][0-9]*)\b")
_TEXT_COLUMN = re.compile(r"^(label|alias|desc|article)(?:_([a-z]{2,3}(?:-[a-z0-9]+)*))?$")
_PROP_COLUMN = re.compile(r"^P[1-9][0-9]*$")
_LIMIT = re.compile(r"\bLIMIT\s+\d+\s*(OFFSET\s+\d+\s*)?$", re.IGNORECASE)
_ORDER_BY = re.compile(r"\bORDER\s+BY\b", re.IGNORECASE)


@dataclass
class FetchReport:
    query: str  # preset name or file
    endpoint: str
    fetched: str = ""  # snapshot date (UTC, ISO 8601)
    pages: int = 0
    rows: int = 0
    entities: int = 0  # distinct items written to the KB
    kb: str = ""
    skipped: list[str] = field(default_factory=list)  # result columns kgbuild does not use


def presets() -> dict[str, Path]:
    """Preset name -> its ``.rq`` file (shipped in the package)."""
    return {p.stem: p for p in sorted(PRESET_DIR.glob("*.rq"))}


def preset_query(name: str) -> str:
    files = presets()
    if name not in files:
        raise KBError(f"Unknown kb fetch preset {name!r}. Presets: {', '.join(files)}.")
    return files[name].read_text(encoding="utf-8")


def _strip_comments(query: str) -> str:
    return "\n".join(line for line in query.splitlines() if not line.lstrip().startswith("#")).strip()


def pages(query: str, page_size: int = PAGE_SIZE, max_pages: int = 1000):
    """The page queries of ``query``: itself if it has its own LIMIT, else LIMIT/OFFSET appended."""
    body = _strip_comments(query)
    if _LIMIT.search(body):
        yield body
        return
    if not _ORDER_BY.search(body):
        raise KBError("The query must end in ORDER BY (e.g. ORDER BY ?item) so that pages do not overlap, "
                      "or carry its own LIMIT.")
    for number in range(max_pages):
        yield f"{body}\nLIMIT {page_size} OFFSET {number * page_size}"


class WDQSClient:
    """SPARQL SELECT over HTTP to the Wikidata Query Service (or any SPARQL 1.1 endpoint) via kgbuild.http."""

    def __init__(self, endpoint: str = WDQS_URL, timeout: float = 90.0, retries: int = 4, backoff: float = 2.0,
                 max_total: float = 600.0, pause: float = 1.0, session: requests.Session | None = None, sleep=None,
                 jitter: float = 0.5):
        policy = RetryPolicy(retries=retries, backoff=backoff, max_delay=120.0, max_total=max_total, jitter=jitter)
        extra = {"sleep": sleep} if sleep is not None else {}
        self.http = HttpClient(session, timeout=timeout, policy=policy, name="WDQS", **extra)
        self.endpoint, self.pause = endpoint, pause

    def select(self, query: str, what: str = "query") -> dict:
        """The SPARQL JSON results of one SELECT; ``OnlineError`` with one clear line when it fails."""
        headers = {"Accept": RESULTS_JSON}
        get = len(query) < 6000  # GET answers can be cached by the service; POST for long queries
        try:
            resp = self.http.request("GET" if get else "POST", self.endpoint, headers=headers,
                                     final_if=_query_timeout, params={"query": query} if get else None,
                                     data=None if get else {"query": query})
        except requests.RequestException as exc:
            raise OnlineError(f"Wikidata Query Service {self.endpoint} unreachable ({what}, "
                              f"{self.http.attempts} attempts: {type(exc).__name__}).") from None
        if _query_timeout(resp):
            raise OnlineError(f"Wikidata Query Service: the {what} ran into the service's time limit; "
                              "use a smaller --page-size or a narrower query.")
        if resp.status_code >= 400:
            hint = " (still busy after retries; try later)" if resp.status_code in RETRY_STATUS else ""
            detail = " ".join(resp.text.split())[:200]
            raise OnlineError(f"Wikidata Query Service answered HTTP {resp.status_code} to the {what}{hint}: {detail}")
        try:
            data = resp.json()
            vars_, bindings = data["head"]["vars"], data["results"]["bindings"]
            if not isinstance(vars_, list) or not isinstance(bindings, list):
                raise TypeError
        except (ValueError, KeyError, TypeError):
            ctype = resp.headers.get("Content-Type", "?").split(";")[0]
            raise OnlineError(f"Wikidata Query Service: the answer to the {what} is not SPARQL JSON results "
                              f"({ctype}, {len(resp.content)} bytes, starts {resp.text[:60]!r}); nothing was written.") from None
        return data

    def fetch_all(self, query: str, page_size: int = PAGE_SIZE, max_pages: int = 1000) -> tuple[list[dict], list[str], int]:
        """Every binding of every page -> (bindings, vars, pages)."""
        rows: list[dict] = []
        vars_: list[str] = []
        count, full = 0, False
        for page in pages(query, page_size, max_pages):
            if count:
                self.http.sleep(self.pause)
            data = self.select(page, f"query (page {count + 1})")
            count += 1
            vars_ = vars_ or data["head"]["vars"]
            got = data["results"]["bindings"]
            rows.extend(got)
            log.info("WDQS page %d: %d rows", count, len(got))
            full = len(got) >= page_size and page.endswith(f"OFFSET {(count - 1) * page_size}")
            if not full:
                break
        if full:
            raise OnlineError(f"Wikidata Query Service: still more rows after {max_pages} pages of {page_size}; "
                              "narrow the query or raise --page-size.")
        return rows, vars_, count


def _query_timeout(resp: requests.Response) -> bool:
    """WDQS answers a query that ran out of time with HTTP 500 and a Java TimeoutException: never retried."""
    return resp.status_code == 500 and "TimeoutException" in resp.text[:5000]


def _qids(value: str) -> list[str]:
    return [m for part in value.split("|") for m in _QID.findall(part.strip())[:1]]


def _lang_texts(value: str) -> list[tuple[str, str]]:
    out = []
    for part in value.split("|"):
        lang, sep, text = part.partition(":")
        if sep and text.strip() and re.fullmatch(r"[a-z]{2,3}(-[a-z0-9]+)*", lang):
            out.append((lang, text.strip()))
    return out


def merge_rows(bindings: list[dict], skipped: set[str] | None = None) -> dict[str, dict]:
    """SPARQL JSON bindings -> one accumulator per QID (labels, aliases, descriptions, articles, claims, counts)."""
    items: dict[str, dict] = {}
    for row in bindings:
        qids = _qids(row.get("item", {}).get("value", ""))
        if not qids:
            continue
        acc = items.setdefault(qids[0], {"labels": {}, "aliases": {}, "descriptions": {}, "articles": {},
                                         "claims": {}, "sitelinks": 0, "statements": 0, "type": None})
        for var, term in row.items():
            value = str(term.get("value", ""))
            text = _TEXT_COLUMN.match(var)
            if var == "item" or not value:
                continue
            if text:
                kind, lang = text.group(1), text.group(2) or term.get("xml:lang")
                if not lang:
                    continue
                if kind == "alias":
                    acc["aliases"].setdefault(lang, set()).update(v.strip() for v in value.split("|") if v.strip())
                else:
                    key = {"label": "labels", "desc": "descriptions", "article": "articles"}[kind]
                    acc[key].setdefault(lang, value)
            elif var in ("aliases", "labels"):
                for lang, name in _lang_texts(value):
                    if var == "aliases":
                        acc["aliases"].setdefault(lang, set()).add(name)
                    else:
                        acc["labels"].setdefault(lang, name)
            elif var in ("sitelinks", "statements"):
                try:
                    acc[var] = max(acc[var], int(float(value)))
                except ValueError:
                    pass
            elif var == "type" and value in ENTITY_TYPES:
                acc["type"] = value
            elif _PROP_COLUMN.match(var):
                acc["claims"].setdefault(var, set()).update(_qids(value))
            elif skipped is not None:
                skipped.add(var)
    return items


def _snak(qid: str) -> dict:
    return {"mainsnak": {"snaktype": "value", "datavalue": {"value": {"entity-type": "item", "id": qid}}},
            "rank": "normal"}


def record_of(qid: str, acc: dict, source: str) -> dict | None:
    """The KB record of one merged item, made by the same code as a Wikidata JSON import (names, type from
    the P31 classes, person name forms); the prior from the sitelink and statement counts of the answer."""
    doc = {
        "id": qid, "type": "item",
        "labels": {lang: {"language": lang, "value": v} for lang, v in acc["labels"].items()},
        "aliases": {lang: [{"language": lang, "value": v} for v in sorted(vs)] for lang, vs in acc["aliases"].items()},
        "descriptions": {lang: {"language": lang, "value": v} for lang, v in acc["descriptions"].items()},
        "sitelinks": {f"{lang.replace('-', '_')}wiki": {"title": t} for lang, t in acc["articles"].items()},
        "claims": {p: [_snak(q) for q in sorted(qs)] for p, qs in acc["claims"].items()},
    }
    rec = entity_record(doc, langs=None, source=source)
    if rec is None:
        return None
    rec["prior"] = prior_from_counts(acc["sitelinks"], acc["statements"])
    if rec["type"] == "MISC" and acc["type"]:
        rec["type"] = acc["type"]
    return rec


def fetch_into_kb(kb_path: str | Path, query: str, name: str, client: WDQSClient | None = None,
                  page_size: int = PAGE_SIZE, max_pages: int = 1000) -> FetchReport:
    """Run ``query`` (paged) on WDQS and merge the entities into the KB at ``kb_path`` (see module docstring)."""
    client = client or WDQSClient()
    report = FetchReport(query=name, endpoint=client.endpoint, kb=str(kb_path))
    report.fetched = dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")
    bindings, vars_, report.pages = client.fetch_all(query, page_size, max_pages)
    if "item" not in vars_:
        raise KBError(f"The {name} query returns no ?item column (it returns {', '.join(vars_) or 'nothing'}); "
                      "kb fetch needs the entity IRI in ?item.")
    report.rows = len(bindings)
    skipped: set[str] = set()
    items = merge_rows(bindings, skipped)
    report.skipped = sorted(skipped)
    source = f"wdqs-{re.sub(r'[^A-Za-z0-9_.-]+', '-', name)}"
    records = [r for r in (record_of(q, acc, source) for q, acc in items.items()) if r]
    path = ensure_kb(Path(kb_path))
    conn = schema.connect(path, readonly=False)
    meta = None
    try:
        stop = stop_words_of(conn)
        report.entities = write_records_into(conn, (drop_stop_names(r, stop) for r in records))
        row = conn.execute("SELECT value FROM meta WHERE key = 'wdqs_fetches'").fetchone()
        fetches = json.loads(row[0]) if row else []
        fetches.append({"query": name, "endpoint": client.endpoint, "fetched": report.fetched,
                        "entities": report.entities, "pages": report.pages})
        meta = {"wikidata_snapshot": report.fetched, "wdqs_fetches": json.dumps(fetches, ensure_ascii=False)}
    finally:  # as an import does: what was written stays usable; the snapshot date only when complete
        finalize(conn, meta, updated=True)
        conn.close()
    log.info("kb fetch %s: %d rows, %d entities into %s", name, report.rows, report.entities, path)
    return report
