"""``kgbuild kb fetch``: the Wikidata Query Service, replayed by a local HTTP server on 127.0.0.1.

There is no internet here and no recorded WDQS answer was found, so the answers are hand-assembled in the
real format (see tests/fixtures/wdqs/README.md): either a fixed JSON answer, or a real SPARQL engine
(Oxigraph) running the preset's own query text over hand-assembled Wikidata-shaped RDF — which also
checks that the presets' SPARQL does what it says (classes, P576 filter, paging with LIMIT/OFFSET).
"""
from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pyoxigraph as ox
import pytest
from rdflib import Literal, Namespace
from test_http_support import LocalServer, QuietHandler
from typer.testing import CliRunner

from kgbuild.cli import app
from kgbuild.errors import KBError, OnlineError
from kgbuild.http import USER_AGENT
from kgbuild.kb import SQLiteKB
from kgbuild.kb.fetch import WDQSClient, fetch_into_kb, pages, preset_query, presets
from kgbuild.kb.records import build_sqlite, write_records

FIX = Path(__file__).parent / "fixtures" / "wdqs"
KG = Namespace("https://w3id.org/kgbuild/ontology#")
runner = CliRunner()


class MiniWDQS(LocalServer):
    """A SPARQL endpoint on 127.0.0.1: ``script`` entries (status, headers, body) are answered first (None:
    answer for real); then each query runs on an Oxigraph store loaded with ``ttl`` and is answered as
    ``application/sparql-results+json``. Requests are recorded (path, headers, query text)."""

    def __init__(self, ttl: Path | None = None, script=()):
        self.store = ox.Store()
        if ttl is not None:
            self.store.load(ttl.read_bytes(), ox.RdfFormat.TURTLE)
        self.script, self.requests = list(script), []
        owner = self

        class Handler(QuietHandler):
            def do_GET(self):
                query = parse_qs(urlsplit(self.path).query).get("query", [""])[0]
                owner.requests.append((self.path, dict(self.headers), query))
                step = owner.script.pop(0) if owner.script else None
                if step is None:
                    status, headers = 200, {"Content-Type": "application/sparql-results+json;charset=utf-8"}
                    body = owner.store.query(query).serialize(format=ox.QueryResultsFormat.JSON)
                else:
                    status, headers, body = step
                self.send_response(status)
                for k, v in headers.items():
                    self.send_header(k, v)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)
        super().__init__(Handler, "/sparql")


def client(url, **kw):
    sleeps: list[float] = []
    kw.setdefault("retries", 3)
    return WDQSClient(endpoint=url, pause=0.5, sleep=sleeps.append, jitter=0, **kw), sleeps


@pytest.fixture()
def tiny(tmp_path):
    records = tmp_path / "r.tsv.xz"
    write_records(records, {}, [{"qid": "Q64", "type": "LOC", "prior": 0.8, "names": [["Berlin", "label", "de"]]}], [])
    return build_sqlite(records, tmp_path / "kb.sqlite")


def test_presets_are_shipped_and_parse():
    names = set(presets())
    assert {"leaders", "parliamentarians", "index-companies", "football-clubs", "universities",
            "municipalities-dach"} <= names
    store = ox.Store()
    for name in names:
        first = next(pages(preset_query(name), page_size=10))
        assert first.endswith("LIMIT 10 OFFSET 0") and "?item" in first
        list(store.query(first))  # valid SPARQL 1.1 for a real engine


def test_municipalities_paged_over_a_real_sparql_engine(tiny):
    with MiniWDQS(FIX / "dach-municipalities.ttl") as wdqs:
        wdqs_client, sleeps = client(wdqs.url)
        report = fetch_into_kb(tiny, preset_query("municipalities-dach"), "municipalities-dach",
                               client=wdqs_client, page_size=2)
    # 6 municipalities in pages of 2: three full pages, then an empty one ends the paging
    assert report.pages == 4 and report.rows == 6 and report.entities == 6
    offsets = [q.rsplit("OFFSET", 1)[1].strip() for _, _, q in wdqs.requests]
    assert offsets == ["0", "2", "4", "6"] and sleeps == [0.5, 0.5, 0.5]  # a pause between pages
    for _, headers, _ in wdqs.requests:
        assert headers["User-Agent"] == USER_AGENT and "application/sparql-results+json" in headers["Accept"]
    with SQLiteKB(tiny) as kb:
        assert kb.lookup("Aachen", "de")[0].qid == "Q1017"
        assert kb.lookup("Aix-la-Chapelle", "en")[0].qid == "Q1017"
        assert kb.lookup("Wolfsburgs", "de")[0].qid == "Q3014"  # inflected form, as news writes it
        assert kb.lookup("Eulachstadt", "de")[0].qid == "Q9125"
        aachen = kb.entity("Q1017")
        assert aachen.type == "LOC" and "Q42744322" in aachen.classes and tuple(aachen.claims["P17"]) == ("Q183",)
        assert aachen.prior > kb.entity("Q9125").prior  # more sitelinks, higher prior
        assert kb.entity("Q6272") is None and kb.entity("Q1803047") is None  # not a municipality / dissolved
        assert kb.entity("Q64") is not None  # what the KB had stays
        meta = kb.meta
    assert meta["wikidata_snapshot"] == report.fetched
    log = json.loads(meta["wdqs_fetches"])
    assert log[-1]["query"] == "municipalities-dach" and log[-1]["entities"] == 6


def test_replayed_wdqs_answer_and_retry_after(tiny):
    answer = (FIX / "leaders-page1.json").read_bytes()
    script = [(429, {"Retry-After": "3"}, b"Too Many Requests"),
              (503, {}, b"busy"),
              (200, {"Content-Type": "application/sparql-results+json"}, answer)]
    with MiniWDQS(script=script) as wdqs:
        wdqs_client, sleeps = client(wdqs.url, backoff=2.0)
        report = fetch_into_kb(tiny, preset_query("leaders"), "leaders", client=wdqs_client)
    assert len(wdqs.requests) == 3 and sleeps == [3.0, 4.0]  # Retry-After, then back-off 2 * 2**1
    assert report.pages == 1 and report.entities == 2
    with SQLiteKB(tiny) as kb:
        merz = kb.entity("Q566257")
        assert merz.type == "PER" and tuple(merz.claims["P102"]) == ("Q49762",)
        assert kb.lookup("Pistorius", "de")[0].qid == "Q893758"  # surname from the person-name rules
        assert kb.lookup("Friedrich Merz", "en")[0].qid == "Q566257"


def test_bad_json_is_one_clear_error_and_nothing_is_written(tiny):
    script = [(200, {"Content-Type": "application/sparql-results+json"}, b'{"head": {"vars": ["item"]}, "results": ')]
    with MiniWDQS(script=script) as wdqs:
        wdqs_client, _ = client(wdqs.url)
        with pytest.raises(OnlineError, match="not SPARQL JSON results"):
            fetch_into_kb(tiny, preset_query("leaders"), "leaders", client=wdqs_client)
    with SQLiteKB(tiny) as kb:
        assert "wikidata_snapshot" not in kb.meta and kb.stats()["entities"] == 1


def test_second_page_failing_writes_nothing(tiny):
    with MiniWDQS(FIX / "dach-municipalities.ttl", script=[None, (500, {}, b"java.util.concurrent.TimeoutException")]) as wdqs:
        wdqs_client, sleeps = client(wdqs.url)
        with pytest.raises(OnlineError, match="time limit"):
            fetch_into_kb(tiny, preset_query("municipalities-dach"), "municipalities-dach", client=wdqs_client,
                          page_size=2)
    assert len(wdqs.requests) == 2  # a query that ran out of time is not retried
    with SQLiteKB(tiny) as kb:
        assert kb.entity("Q1017") is None


def test_gives_up_after_retries(tiny):
    with MiniWDQS(script=[(503, {}, b"busy")] * 5) as wdqs:
        wdqs_client, sleeps = client(wdqs.url, retries=2, backoff=1.0)
        with pytest.raises(OnlineError, match="HTTP 503"):
            wdqs_client.select("SELECT ?item WHERE {} ORDER BY ?item")
    assert len(wdqs.requests) == 3 and sleeps == [1.0, 2.0]


def test_own_query_needs_order_by_or_limit():
    with pytest.raises(KBError, match="ORDER BY"):
        list(pages("SELECT ?item WHERE { ?item ?p ?o }"))
    assert list(pages("SELECT ?item WHERE { ?item ?p ?o } LIMIT 5")) == ["SELECT ?item WHERE { ?item ?p ?o } LIMIT 5"]


def test_cli_fetch_german_towns_into_a_copy_of_the_bundled_kb(tmp_path):
    """The documented way to Aachen, Wolfsburg, Darmstadt: fetch the preset into a copy of the bundled KB,
    then `kb lookup` ranks them first; the snapshot date goes into the graph's provenance."""
    out = tmp_path / "dach.sqlite"
    with MiniWDQS(FIX / "dach-municipalities.ttl") as wdqs:
        r = runner.invoke(app, ["kb", "fetch", "--preset", "municipalities-dach", "-o", str(out),
                                "--endpoint", wdqs.url, "--page-size", "4", "--json"])
    assert r.exit_code == 0, r.output
    report = json.loads(r.stdout)
    assert report["entities"] == 6 and report["pages"] == 2
    for name, qid in (("Aachen", "Q1017"), ("Wolfsburg", "Q3014"), ("Darmstadt", "Q2973"), ("Graz", "Q13298")):
        r = runner.invoke(app, ["kb", "lookup", name, "--lang", "de", "--kb", str(out), "--json"])
        assert r.exit_code == 0 and json.loads(r.stdout)[0]["qid"] == qid, (name, r.output)
    with SQLiteKB(out) as kb:
        assert kb.entity("Q183") is not None  # the bundled KB's entities are there too
    # the snapshot date reaches the graph: build with --kb OUT
    text = tmp_path / "a.txt"
    text.write_text("Der Bürgermeister von Wolfsburg traf sich am Montag in Aachen mit Vertretern aus Darmstadt.\n",
                    encoding="utf-8")
    graph_file = tmp_path / "a.ttl"
    r = runner.invoke(app, ["build", str(text), "-o", str(graph_file), "--kb", str(out), "--lang", "de"])
    assert r.exit_code == 0, r.output
    from rdflib import Graph

    g = Graph().parse(graph_file)
    snapshots = list(g.objects(None, KG.kbSnapshot))
    assert snapshots == [Literal(report["fetched"], datatype=snapshots[0].datatype)]
    assert str(snapshots[0].datatype).endswith("#dateTime")
    linked = {str(o) for o in g.objects() if str(o).startswith("http://www.wikidata.org/entity/Q")}
    assert {"http://www.wikidata.org/entity/Q3014", "http://www.wikidata.org/entity/Q1017"} <= linked


def test_cli_fetch_needs_one_query_and_a_target(tmp_path):
    r = runner.invoke(app, ["kb", "fetch", "-o", str(tmp_path / "x.sqlite")])
    assert r.exit_code == 1 and "--preset NAME or --sparql FILE" in r.output
    r = runner.invoke(app, ["kb", "fetch", "--preset", "nope", "-o", str(tmp_path / "x.sqlite")])
    assert r.exit_code == 1 and "Unknown kb fetch preset" in r.output
    assert not (tmp_path / "x.sqlite").exists()


def test_cli_own_sparql_rows_merged_across_pages(tiny, tmp_path):
    """A user's query without GROUP BY: one row per label, language from the literal's tag; the rows of one
    item are merged even when a page boundary splits them; unknown columns are reported, not guessed."""
    query = tmp_path / "austria.rq"
    query.write_text("""# Austrian places, one row per label
PREFIX wd: <http://www.wikidata.org/entity/>
PREFIX wdt: <http://www.wikidata.org/prop/direct/>
PREFIX wikibase: <http://wikiba.se/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT ?item ?label ?type ?P17 ?sitelinks ?note WHERE {
  ?item wdt:P17 wd:Q40 ; rdfs:label ?label ; wikibase:sitelinks ?sitelinks .
  BIND(wd:Q40 AS ?P17) BIND("LOC" AS ?type) BIND("x" AS ?note)
}
ORDER BY ?item ?label
""", encoding="utf-8")
    with MiniWDQS(FIX / "dach-municipalities.ttl") as wdqs:
        r = runner.invoke(app, ["kb", "fetch", "--sparql", str(query), "--kb", str(tiny), "--endpoint", wdqs.url,
                                "--page-size", "3"])
    assert r.exit_code == 0, r.output
    assert "4 rows in 2 page(s), 2 entities" in r.stdout and "columns not used: note" in r.stderr
    with SQLiteKB(tiny) as kb:
        innsbruck = kb.entity("Q1735")  # its two labels came on two different pages
        assert innsbruck.labels == {"de": "Innsbruck", "en": "Innsbruck"} and innsbruck.type == "LOC"
        assert kb.lookup("Graz", "de")[0].qid == "Q13298"
        assert kb.stats()["by_source"].get("wdqs-austria") == 2
        assert json.loads(kb.meta["wdqs_fetches"])[-1]["query"] == "austria"
