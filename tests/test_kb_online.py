"""Opt-in live Wikidata, replayed: a fake ``requests`` transport serves recorded answers; no network."""
from __future__ import annotations

import json
import logging
import os
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import pytest
import requests
from requests.adapters import BaseAdapter

from kgbuild.errors import OnlineError
from kgbuild.http import USER_AGENT
from kgbuild.kb import SQLiteKB, online_kb
from kgbuild.kb.online import BATCH, WikidataClient
from kgbuild.kb.records import build_sqlite, write_records

REC = Path(__file__).parent / "fixtures" / "wikidata"


class Replay(BaseAdapter):
    """Answers each request with the next scripted (status, body, headers) and records the requests."""

    def __init__(self, script):
        super().__init__()
        self.script, self.requests = list(script), []

    def send(self, request, timeout=None, **kwargs):
        self.requests.append((request, timeout))
        if not self.script:
            raise requests.ConnectionError("no more scripted answers")
        status, body, headers = self.script.pop(0)
        if isinstance(body, Exception):
            raise body
        resp = requests.Response()
        resp.status_code, resp.request, resp.url = status, request, request.url
        resp._content = body if isinstance(body, bytes) else json.dumps(body).encode()
        resp.headers.update(headers or {})
        return resp

    def close(self):
        pass

    def params(self, i):
        return {k: v[0] for k, v in parse_qs(urlparse(self.requests[i][0].url).query).items()}


def load(name):
    return json.loads((REC / name).read_text(encoding="utf-8"))


def client_for(script, **kw):
    adapter, sleeps = Replay(script), []
    session = requests.Session()
    session.mount("https://", adapter)
    return WikidataClient(session=session, sleep=sleeps.append, **kw), adapter, sleeps


@pytest.fixture()
def tiny(tmp_path):
    records = tmp_path / "r.tsv.xz"
    write_records(records, {}, [{"qid": "Q64", "type": "LOC", "prior": 0.8, "names": [["Berlin", "label", "de"]]}], [])
    return build_sqlite(records, tmp_path / "kb.sqlite")


def test_kb_online_lookup_caches_into_local_kb(tiny):
    client, adapter, _ = client_for([(200, load("wbsearchentities-oliver-kahn.de.json"), None),
                                     (200, load("wbgetentities-Q131261.json"), None)])
    kb = online_kb(SQLiteKB(tiny), client=client)
    found = kb.lookup("Oliver Kahn", lang="de")
    assert found[0].qid == "Q131261" and found[0].type == "PER"
    assert adapter.params(0)["action"] == "wbsearchentities" and adapter.params(0)["language"] == "de"
    assert adapter.params(1)["action"] == "wbgetentities" and adapter.params(1)["ids"] == "Q131261"
    for request, timeout in adapter.requests:
        assert request.headers["User-Agent"] == USER_AGENT and "kgbuild" in USER_AGENT
        assert timeout and parse_qs(urlparse(request.url).query)["maxlag"] == ["5"]
    assert kb.lookup("Oliver Kahn", lang="de")[0].qid == "Q131261"
    assert len(adapter.requests) == 2  # the second lookup is answered locally
    assert kb.lookup("Berlin", lang="de")[0].qid == "Q64"  # local hits never go online
    kb.close()
    with SQLiteKB(tiny) as again:  # cached in the file, visible after reopening
        assert again.lookup("Oliver Kahn", "de")[0].qid == "Q131261"
        assert again.entity("Q131261").labels["de"] == "Oliver Kahn"


def test_kb_online_entity(tiny):
    client, adapter, _ = client_for([(200, load("wbgetentities-Q131261.json"), None)])
    kb = online_kb(SQLiteKB(tiny), client=client)
    assert kb.entity("Q131261").type == "PER"
    assert kb.entity("Q64") is not None and len(adapter.requests) == 1


def test_kb_online_retry_after_and_maxlag(tiny):
    client, adapter, sleeps = client_for([
        (503, b"busy", {"Retry-After": "7"}),
        (200, load("error-maxlag.json"), {"Retry-After": "5"}),
        (200, requests.Timeout("slow"), None),
        (200, load("wbgetentities-Q131261.json"), None),
    ], retries=3, backoff=0.5, jitter=0)
    docs = client.get_entities(["Q131261"])
    assert list(docs) == ["Q131261"]
    assert sleeps == [7.0, 5.0, 2.0]  # Retry-After honoured, else exponential back-off (0.5 * 2**2)


def test_kb_online_gives_up_after_bounded_retries():
    client, adapter, sleeps = client_for([(503, b"", None)] * 10, retries=2, backoff=1.0, jitter=0)
    with pytest.raises(OnlineError, match="after 3 attempts"):
        client.search("Putin")
    assert len(adapter.requests) == 3 and sleeps == [1.0, 2.0]


def test_kb_online_batches_50_ids():
    ids = [f"Q{i}" for i in range(1, 121)]
    client, adapter, _ = client_for([(200, {"entities": {}, "success": 1}, None)] * 3)
    client.get_entities(ids)
    batches = [adapter.params(i)["ids"].split("|") for i in range(3)]
    assert [len(b) for b in batches] == [BATCH, BATCH, 20] and sum(batches, []) == ids


class _Collect(logging.Handler):
    def __init__(self):
        super().__init__(logging.WARNING)
        self.messages = []

    def emit(self, record):
        self.messages.append(record.getMessage())


def test_kb_online_failure_falls_back_to_local(tiny):
    client, adapter, _ = client_for([(200, requests.ConnectionError("down"), None)] * 10, retries=1)
    kb = online_kb(SQLiteKB(tiny), client=client)
    handler = _Collect()
    logger = logging.getLogger("kgbuild.kb.online")
    logger.addHandler(handler)
    try:
        assert kb.lookup("Oliver Kahn", lang="de") == []
        assert kb.lookup("Berlin", lang="de")[0].qid == "Q64"
        assert kb.entity("Q131261") is None
    finally:
        logger.removeHandler(handler)
    assert any("local KB" in m for m in handler.messages) and kb.warnings
    assert len(adapter.requests) == 2  # after the failure it stays offline for a while instead of hammering


def test_kb_online_api_error_is_not_retried():
    client, adapter, _ = client_for([(200, {"error": {"code": "badvalue", "info": "bad ids"}}, None)])
    with pytest.raises(OnlineError, match="badvalue"):
        client.get_entities(["Qx"])
    assert len(adapter.requests) == 1


@pytest.mark.online
@pytest.mark.skipif(os.environ.get("KGBUILD_ONLINE_TESTS") != "1", reason="live API: set KGBUILD_ONLINE_TESTS=1")
def test_kb_online_live_wikidata(tiny):  # opt-in: KGBUILD_ONLINE_TESTS=1 pytest -m online
    kb = online_kb(SQLiteKB(tiny))
    assert kb.lookup("Oliver Kahn", lang="de")[0].qid == "Q131261"


def _item(qid, label, aliases=(), claims=None, sitelinks=None):
    """A ``wbgetentities`` entity in the API's JSON shape (labels, aliases, claims, sitelinks)."""
    return {"type": "item", "id": qid, "labels": {"en": {"language": "en", "value": label}},
            "aliases": {"en": [{"language": "en", "value": a} for a in aliases]},
            "claims": claims or {}, "sitelinks": sitelinks or {}}


def _claim(prop, qid):
    return {prop: [{"mainsnak": {"snaktype": "value", "property": prop, "datatype": "wikibase-item",
                                 "datavalue": {"type": "wikibase-entityid",
                                               "value": {"entity-type": "item", "id": qid}}},
                    "type": "statement", "rank": "normal"}]}


def test_kb_online_does_not_cache_classes_as_link_targets(tiny):
    """A search for "folk" that Wikidata answers with a class (P279, like Q5 "human" for "people") and an
    ensemble: only the ensemble becomes a candidate; the class is neither cached nor fetched again."""
    search = {"searchinfo": {"search": "folk"}, "search": [{"id": "Q900001"}, {"id": "Q900002"}], "success": 1}
    entities = {"entities": {
        "Q900001": _item("Q900001", "human being", aliases=["folk"], claims=_claim("P279", "Q215627"),
                         sitelinks={"enwiki": {"site": "enwiki", "title": "Human being"}}),
        "Q900002": _item("Q900002", "Folk", claims=_claim("P31", "Q215380"),
                         sitelinks={"enwiki": {"site": "enwiki", "title": "Folk (band)"}})}}
    client, adapter, _ = client_for([(200, search, None), (200, entities, None)])
    kb = online_kb(SQLiteKB(tiny), client=client)
    assert [c.qid for c in kb.lookup("folk", lang="en")] == ["Q900002"]
    assert kb.entity("Q900001") is None and len(adapter.requests) == 2  # not asked for again
    kb.close()
    with SQLiteKB(tiny) as again:
        assert again.entity("Q900001") is None and again.entity("Q900002") is not None
