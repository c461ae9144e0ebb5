"""`kgbuild load` / `kgbuild query` against a real Oxigraph server started for the test.

The fixture runs `oxigraph serve --location TMP --bind 127.0.0.1:<free port>` (the `oxigraph` PyPI package),
waits until it answers and stops it. Failures (killed server, 403, 404) come from the real server.
"""
from __future__ import annotations

import json
import logging
import re
import shutil
from pathlib import Path

import pytest
import rdflib
from rdflib.compare import isomorphic
from test_store_support import ALL, DOC, PUTIN, SCHOLZ, SIZES, TRIG
from typer.testing import CliRunner

from kgbuild.cli import app
from kgbuild.errors import QueryError
from kgbuild.store import LoadError, OxigraphServer, load_to_endpoint, make_client, query, remote

pytestmark = pytest.mark.skipif(shutil.which("oxigraph") is None, reason="the oxigraph server is not installed (pip install oxigraph)")

runner = CliRunner()

QUERIES = [
    (SIZES, {}),
    ("SELECT ?who ?l WHERE { ?who kg:visits ?p ; rdfs:label ?l } ORDER BY ?who ?l", {}),
    ("SELECT ?who WHERE { ?who kg:meets ?x } ORDER BY ?who", {"x": "wd:Q7747"}),
    ("SELECT ?ev ?c WHERE { ?ev a ?cls ; kg:confidence ?c } ORDER BY ?ev", {"cls": "kg:Visit"}),
    ("SELECT ?m ?text WHERE { ?m nif:anchorOf ?text ; itsrdf:taIdentRef ?e } ORDER BY ?m", {"e": "wd:Q7747"}),
    ("SELECT ?s WHERE { ?s schema:inLanguage ?lang } ORDER BY ?s", {"lang": '"de"'}),
    ("ASK { ?a kg:signsTreatyWith ?b }", {}),
    ("CONSTRUCT { ?a kg:meets ?b } WHERE { ?a kg:meets ?b }", {}),
]


@pytest.fixture
def oxigraph(tmp_path):
    with OxigraphServer(tmp_path / "oxigraph") as srv:
        yield srv


@pytest.fixture
def client(oxigraph):
    c = make_client(oxigraph.url, retries=1, backoff=0.01, timeout=30)
    yield c
    c.close()


def _sizes(client) -> dict[str, int]:
    return {g: int(n) for g, n in query(SIZES, endpoint=client).values()}


def _graph(client, iri: str) -> rdflib.Graph:
    return query("CONSTRUCT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } }", endpoint=client, bindings={"g": f"<{iri}>"}).graph()


INTEGER_TYPES = {rdflib.XSD[t] for t in ("nonNegativeInteger", "positiveInteger", "negativeInteger", "nonPositiveInteger",
                                          "long", "int", "short", "byte", "unsignedLong", "unsignedInt",
                                          "unsignedShort", "unsignedByte")}


def _file_graph(path: Path) -> rdflib.Graph:
    """A file's graph as Oxigraph stores it: it keeps xsd:integer for every derived integer type."""
    g = rdflib.Graph()
    for s, p, o in rdflib.Graph().parse(path):
        if isinstance(o, rdflib.Literal) and o.datatype in INTEGER_TYPES:
            o = rdflib.Literal(str(o), datatype=rdflib.XSD.integer)
        g.add((s, p, o))
    return g


def _corpus(path: Path, docs: int, per_doc: int) -> list[str]:
    """An N-Quads file of ``docs`` graphs with ``per_doc`` triples each; returns the graph IRIs."""
    iris = [f"{DOC}gen-{i:04d}" for i in range(docs)]
    with path.open("w", encoding="utf-8") as fh:
        for iri in iris:
            for j in range(per_doc):
                fh.write(f"<{iri}#char={j},{j + 1}> <http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#anchorOf> \"w{j}\" <{iri}> .\n")
    return iris


@pytest.mark.parametrize("sparql, bindings", QUERIES, ids=[f"q{i}" for i in range(len(QUERIES))])
def test_store_server_answers_equal_files(client, sparql, bindings):
    report = load_to_endpoint(ALL, client, replace=True)
    assert report.graphs == 4 and report.failed == []
    on_server = query(sparql, endpoint=client, bindings=bindings)
    on_files = query(sparql, ALL, bindings=bindings)
    if on_files.kind == "graph":
        assert isomorphic(on_server.graph(), on_files.graph()) and len(on_files.triples) > 0
    else:
        assert on_server.values() == on_files.values()
        assert on_server.boolean == on_files.boolean


def test_store_server_union_param_without_server_flag(tmp_path):
    with OxigraphServer(tmp_path / "o", union=False) as srv:
        c = make_client(srv.url)
        load_to_endpoint([TRIG], c)
        assert query("SELECT ?who WHERE { ?who kg:visits wd:Q64 }", endpoint=c).values() == [("http://www.wikidata.org/entity/Q39259",)]


def test_store_server_replace_graph_and_nothing_duplicated(client, tmp_path):
    load_to_endpoint(ALL, client, replace=True)
    before = _sizes(client)
    load_to_endpoint(ALL, client, replace=True)  # PUT again: same content, no duplicates
    load_to_endpoint(ALL, client, replace=False)  # POST: RDF set semantics, still no duplicates
    assert _sizes(client) == before
    edited = tmp_path / "putin-nordkorea.ttl"
    text = PUTIN.read_text(encoding="utf-8").replace('kg:trigger "reist"', 'kg:trigger "fliegt"')
    edited.write_text(text + "\nwd:Q7747 kg:signsTreatyWith wd:Q423 .\n", encoding="utf-8")
    load_to_endpoint([edited], client, replace=True)
    assert isomorphic(_graph(client, DOC + "putin-nordkorea"), _file_graph(edited))
    assert _sizes(client)[DOC + "scholz-paris"] == before[DOC + "scholz-paris"]
    assert query("ASK { ?e kg:trigger \"reist\" }", endpoint=client).boolean is False


def test_store_server_delete_graph(client):
    load_to_endpoint(ALL, client, replace=True)
    assert remote.delete_graph(client, DOC + "biden-kyiv") is True
    assert remote.delete_graph(client, DOC + "biden-kyiv") is False
    assert remote.graph_names(client) == [DOC + "erdogan-berlin", DOC + "putin-nordkorea", DOC + "scholz-paris"]
    assert query("ASK { wd:Q6279 kg:visits ?x }", endpoint=client).boolean is False


def test_store_server_batched_graph_equals_single_request(client):
    load_to_endpoint([PUTIN], client, replace=True, batch_size=7)
    assert isomorphic(_graph(client, DOC + "putin-nordkorea"), _file_graph(PUTIN))
    load_to_endpoint([PUTIN], client, replace=False, batch_size=7)  # ADD + DROP of the temp graph
    assert remote.graph_names(client) == [DOC + "putin-nordkorea"]
    assert _sizes(client) == {DOC + "putin-nordkorea": len(rdflib.Graph().parse(PUTIN))}


def test_store_server_graph_option_puts_all_in_one(client):
    load_to_endpoint(ALL, client, graph="https://example.org/all", replace=True)
    distinct = rdflib.Graph()
    for path in ALL:
        ds = rdflib.Dataset()
        ds.parse(path)
        for s, p, o, _ in ds.quads((None, None, None, None)):
            distinct.add((s, p, o))
    assert _sizes(client) == {"https://example.org/all": len(distinct)}


def test_store_server_killed_mid_load_reports_exactly(oxigraph, tmp_path):
    corpus = tmp_path / "corpus.nq"
    iris = _corpus(corpus, docs=40, per_doc=25)
    c = make_client(oxigraph.url, retries=1, backoff=0.01, timeout=10)
    calls = []

    def progress(n):
        calls.append(n)
        if len(calls) == 15:
            oxigraph.kill()

    with pytest.raises(LoadError) as info:
        load_to_endpoint([corpus], c, replace=True, progress=progress)
    rep = info.value.report
    loaded = [g for g, _, _ in rep.loaded]
    assert len(loaded) == 15 and len(rep.failed) == 25
    assert sorted(loaded + [g for g, _, _ in rep.failed]) == iris
    assert "connection" in str(info.value) and "Loaded 15 graph(s)" in str(info.value)
    with OxigraphServer(tmp_path / "oxigraph") as again:  # restart on the same data
        sizes = _sizes(make_client(again.url))
    assert sizes == {g: 25 for g in loaded}  # the loaded graphs complete, the others absent


def test_store_server_killed_mid_batches_leaves_old_graph(oxigraph, tmp_path):
    c = make_client(oxigraph.url, retries=0, timeout=10)
    load_to_endpoint([PUTIN], c, replace=True)
    big = tmp_path / "big.nq"
    _corpus(big, docs=1, per_doc=500)
    big.write_text(big.read_text(encoding="utf-8").replace(f"{DOC}gen-0000>", f"{DOC}putin-nordkorea>"), encoding="utf-8")
    batches = []

    def progress(n):
        batches.append(n)
        if len(batches) == 3:
            oxigraph.kill()

    with pytest.raises(LoadError, match="putin-nordkorea") as info:
        load_to_endpoint([big], c, replace=True, batch_size=50, progress=progress)
    left = re.search(r"temporary graph <(urn:kgbuild:tmp:[0-9a-f]+)> may be left", str(info.value)).group(1)
    with OxigraphServer(tmp_path / "oxigraph") as again:
        c2 = make_client(again.url)
        assert isomorphic(_graph(c2, DOC + "putin-nordkorea"), _file_graph(PUTIN))  # old graph intact
        assert remote.graph_names(c2) == [DOC + "putin-nordkorea", left]  # the named leftover, nothing else
        remote.update(c2, f"DROP SILENT GRAPH <{left}>")
        assert remote.graph_names(c2) == [DOC + "putin-nordkorea"]


def test_store_server_read_only_gives_403_and_nothing_loaded(tmp_path):
    from kgbuild.store import EmbeddedStore

    with EmbeddedStore(tmp_path / "ro") as st:
        st.add_file(TRIG)
    with OxigraphServer(tmp_path / "ro", read_only=True) as srv:
        c = make_client(srv.url, retries=2, backoff=0.01)
        with pytest.raises(LoadError) as info:
            load_to_endpoint([PUTIN, SCHOLZ], c, replace=True)
        assert "HTTP 403" in str(info.value) and "read-only" in str(info.value)
        assert info.value.report.loaded == []
        assert remote.graph_names(c) == [DOC + "biden-kyiv", DOC + "erdogan-berlin"]


def test_store_server_wrong_path_gives_404(oxigraph):
    c = make_client(oxigraph.url + "/no/such/path", server="generic", retries=0)
    with pytest.raises(LoadError, match="not found \\(HTTP 404\\)"):
        load_to_endpoint([PUTIN], c)


def test_store_server_bad_sparql_is_query_error(client):
    with pytest.raises(QueryError, match="Bad SPARQL"):
        query("SELECT ?x WHERE { ?x ", endpoint=client)


def test_store_server_cli_load_and_query(oxigraph):
    r = runner.invoke(app, ["load", *map(str, ALL), "--endpoint", oxigraph.url, "--replace", "--json"])
    assert r.exit_code == 0, r.stderr
    assert json.loads(r.stdout)["triples"] == sum(len(rdflib.Graph().parse(p)) for p in (PUTIN, SCHOLZ)) + 49
    r = runner.invoke(app, ["query", "--endpoint", oxigraph.url, "--format", "tsv", "--bind", "p=wd:Q1899",
                            "SELECT ?who WHERE { ?who kg:visits ?p }"])
    assert r.exit_code == 0, r.stderr
    assert r.stdout == "?who\n<http://www.wikidata.org/entity/Q6279>\n"
    r = runner.invoke(app, ["query", "--endpoint", oxigraph.url, "SELECT ?x WHERE {"])
    assert r.exit_code == 1 and r.stderr.startswith("kgbuild: error: Bad SPARQL") and len(r.stderr.splitlines()) == 1


def test_store_server_connection_refused_is_clear():
    from kgbuild.store.server import free_port

    c = make_client(f"http://127.0.0.1:{free_port()}", retries=1, backoff=0.01)
    with pytest.raises(LoadError, match="Connection refused.*Loaded 0 graph"):
        load_to_endpoint([PUTIN], c)


def test_store_server_blank_nodes_never_split(client, tmp_path):
    f = tmp_path / "bnodes.ttl"
    f.write_text("".join(f"<http://x.org/s{i}> <http://x.org/p> [ <http://x.org/q> {i} ] .\n" for i in range(30)), encoding="utf-8")
    load_to_endpoint([f], client, batch_size=5)
    res = query("SELECT (COUNT(DISTINCT ?b) AS ?n) WHERE { ?s <http://x.org/p> ?b . ?b <http://x.org/q> ?v }", endpoint=client)
    assert res.values() == [("30",)]
    assert isomorphic(_graph(client, f.resolve().as_uri()), _file_graph(f))


def test_store_server_any_literal_round_trips(oxigraph, tmp_path_factory):
    """Whatever text a literal holds (quotes, newlines, braces, any Unicode), it comes back unchanged."""
    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st

    c = make_client(oxigraph.url, retries=0)
    folder = tmp_path_factory.mktemp("lit")

    @settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
    @given(st.text(st.characters(blacklist_categories=("Cs",)), max_size=60))
    def check(text):
        g = rdflib.Graph()
        g.add((rdflib.URIRef("http://x.org/s"), rdflib.URIRef("http://x.org/p"), rdflib.Literal(text, lang="de")))
        f = folder / "lit.ttl"
        f.write_text(g.serialize(format="turtle"), encoding="utf-8")
        load_to_endpoint([f], c, graph="http://x.org/lit", replace=True)
        res = query("SELECT ?o WHERE { GRAPH <http://x.org/lit> { ?s ?p ?o } }", endpoint=c)
        assert [(r[0].value, r[0].language) for r in res.rows] == [(text, "de")]

    check()


def test_store_files_with_two_documents_use_the_file_iri(tmp_path, caplog):
    both = tmp_path / "both.ttl"
    both.write_text(PUTIN.read_text(encoding="utf-8") + "\n" + SCHOLZ.read_text(encoding="utf-8").split("\n", 1)[1],
                    encoding="utf-8")
    logger = logging.getLogger("kgbuild")  # the CLI's setup_logging stops propagation to the root logger
    logger.addHandler(caplog.handler)
    try:
        res = query("SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }", [both])
    finally:
        logger.removeHandler(caplog.handler)
    assert res.values() == [(both.resolve().as_uri(),)]
    assert "2 documents in one graph" in caplog.text


EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
EXAMPLE_GRAPHS = sorted((EXAMPLES / "expected").glob("*.ttl"))
EXAMPLE_QUERIES = sorted((EXAMPLES / "queries").glob("*.rq"))


@pytest.mark.skipif(not EXAMPLE_GRAPHS or not EXAMPLE_QUERIES, reason="no examples/expected/*.ttl or examples/queries/*.rq")
def test_store_server_examples_answer_as_the_files(client, tmp_path):
    """The issue's check: examples/expected loaded into Oxigraph and into the embedded store answer every
    examples/queries/*.rq (plus a bound variant) exactly as querying the files does."""
    from kgbuild.store import EmbeddedStore

    report = load_to_endpoint(EXAMPLE_GRAPHS, client, replace=True)
    assert report.graphs == len(EXAMPLE_GRAPHS) and report.failed == []
    with EmbeddedStore(tmp_path / "st") as st:
        for f in EXAMPLE_GRAPHS:
            st.add_file(f)
        answered = 0
        for rq in EXAMPLE_QUERIES:
            text = rq.read_text(encoding="utf-8")
            for bindings in ({}, {"entity": "wd:Q423"} if "?entity" in text else None):
                if bindings is None:
                    continue
                on_files = query(text, EXAMPLE_GRAPHS, bindings=bindings)
                for other in (query(text, endpoint=client, bindings=bindings), st.query(text, bindings)):
                    assert sorted(map(repr, other.values())) == sorted(map(repr, on_files.values())), rq.name
                    assert other.boolean == on_files.boolean
                answered += bool(on_files.rows or on_files.boolean)
    assert answered >= len(EXAMPLE_QUERIES) // 2  # the queries do find things in the examples


def test_store_server_killed_during_one_big_request(oxigraph, tmp_path, monkeypatch):
    """Kill the server 0.2 s after one large PUT started: afterwards the graph is the old one or the whole
    new one — never a part — and kgbuild's report says which (no timing is asserted)."""
    import threading

    c = make_client(oxigraph.url, retries=0, timeout=60)
    load_to_endpoint([PUTIN], c, replace=True)
    big = tmp_path / "big.nq"
    _corpus(big, docs=1, per_doc=150_000)
    big.write_text(big.read_text(encoding="utf-8").replace(f"{DOC}gen-0000>", f"{DOC}putin-nordkorea>"), encoding="utf-8")
    killer = threading.Timer(0.2, oxigraph.kill)
    send = remote.send_graph

    def send_then_kill(*args, **kwargs):
        killer.start()
        return send(*args, **kwargs)

    monkeypatch.setattr(remote, "send_graph", send_then_kill)
    try:
        load_to_endpoint([big], c, replace=True)
        loaded = True
    except LoadError as exc:
        loaded = False
        assert exc.report.loaded == [] and "putin-nordkorea" in str(exc)
    finally:
        killer.join()
    with OxigraphServer(tmp_path / "oxigraph") as again:
        sizes = _sizes(make_client(again.url))
    old = len(rdflib.Graph().parse(PUTIN))
    assert sizes == {DOC + "putin-nordkorea": 150_000 if loaded else old}
