"""`kgbuild query` and kgbuild.store.query over RDF files: formats, bindings, errors."""
from __future__ import annotations

import json
from pathlib import Path

import pyoxigraph as ox
import pytest
import rdflib
from rdflib.compare import isomorphic
from typer.testing import CliRunner

from kgbuild.cli import app
from kgbuild.errors import GraphError, InputError, InputNotFoundError, QueryError
from kgbuild.store import query

DATA = Path(__file__).parent / "data" / "store"
PUTIN = DATA / "putin-nordkorea.ttl"
SCHOLZ = DATA / "scholz-paris.ttl"
TRIG = DATA / "corpus.trig"
ALL = [PUTIN, SCHOLZ, TRIG]
KGR = "https://w3id.org/kgbuild/resource/"
runner = CliRunner()

GRAPH_SIZES = "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g ORDER BY ?g"


def _rdflib_count(path: Path) -> int:
    ds = rdflib.Dataset()
    ds.parse(path)
    return sum(1 for _ in ds.quads((None, None, None, None)))


def test_query_files_one_graph_per_document():
    res = query(GRAPH_SIZES, ALL)
    sizes = {g: int(n) for g, n in res.values()}
    assert sizes[KGR + "doc/putin-nordkorea"] == _rdflib_count(PUTIN)
    assert sizes[KGR + "doc/scholz-paris"] == _rdflib_count(SCHOLZ)
    assert set(sizes) == {KGR + f"doc/{d}" for d in ("putin-nordkorea", "scholz-paris", "biden-kyiv", "erdogan-berlin")}
    assert sum(sizes.values()) == sum(_rdflib_count(p) for p in ALL)


def test_query_files_default_graph_is_union():
    res = query("SELECT ?who WHERE { ?who kg:visits ?where } ORDER BY ?who", ALL)
    assert [v[0] for v in res.values()] == [
        "http://www.wikidata.org/entity/Q39259", "http://www.wikidata.org/entity/Q6279", "http://www.wikidata.org/entity/Q7747"]


def test_query_files_binding_filters_like_a_constant():
    q = "SELECT ?who ?label WHERE { ?who kg:visits ?place ; rdfs:label ?label } ORDER BY ?label"
    bound = query(q, ALL, bindings={"place": "wd:Q423"})
    constant = query(q.replace("?place", "wd:Q423"), ALL)
    putin = "http://www.wikidata.org/entity/Q7747"
    assert bound.values() == constant.values() == [(putin, "Vladimir Putin"), (putin, "Wladimir Putin")]


def test_query_files_binding_with_rdflib_term():
    res = query("ASK { ?who kg:visits ?place }", [TRIG], bindings={"place": rdflib.URIRef("http://www.wikidata.org/entity/Q64")})
    assert res.boolean is True


def test_query_files_same_answers_from_other_formats(tmp_path):
    """N-Quads, N-Triples and JSON-LD copies of the inputs answer exactly as the originals."""
    nq = tmp_path / "corpus.nq"
    nq.write_bytes(ox.serialize(ox.parse(path=str(TRIG)), format=ox.RdfFormat.N_QUADS))
    nt = tmp_path / "putin.nt"
    nt.write_bytes(ox.serialize(ox.parse(path=str(PUTIN)), format=ox.RdfFormat.N_TRIPLES))
    jl = tmp_path / "scholz.jsonld"
    jl.write_bytes(ox.serialize(ox.parse(path=str(SCHOLZ)), format=ox.RdfFormat.JSON_LD))
    assert query(GRAPH_SIZES, [nq, nt, jl]).values() == query(GRAPH_SIZES, ALL).values()


def test_query_files_without_document_use_file_iri(tmp_path):
    f = tmp_path / "plain.ttl"
    f.write_text("<http://x.org/a> <http://x.org/b> <http://x.org/c> .\n", encoding="utf-8")
    res = query("SELECT ?g WHERE { GRAPH ?g { ?s ?p ?o } }", [f])
    assert res.values() == [(f.resolve().as_uri(),)]


def test_query_files_construct_is_a_graph():
    res = query("CONSTRUCT { ?a kg:meets ?b } WHERE { ?a kg:meets ?b }", ALL)
    assert res.kind == "graph"
    meets = rdflib.URIRef("https://w3id.org/kgbuild/ontology#meets")
    expected = rdflib.Graph()
    for path in ALL:
        ds = rdflib.Dataset(default_union=True)
        ds.parse(path)
        for s, _, o, _ in ds.quads((None, meets, None, None)):
            expected.add((s, meets, o))
    assert len(expected) == 6
    assert isomorphic(res.graph(), expected)
    assert isomorphic(rdflib.Graph().parse(data=res.write("turtle"), format="turtle"), expected)


@pytest.mark.parametrize("fmt, parser", [("json", ox.QueryResultsFormat.JSON), ("tsv", ox.QueryResultsFormat.TSV)])
def test_query_results_formats_parse_back(fmt, parser):
    """JSON and TSV output are valid SPARQL 1.1 results: an independent parser reads the same rows."""
    q = "SELECT ?e ?label ?c WHERE { ?e rdfs:label ?label OPTIONAL { ?ev kg:subject ?e ; kg:confidence ?c } }"
    res = query(q, ALL)
    back = ox.parse_query_results(res.write(fmt).encode("utf-8"), parser)
    rows = sorted(tuple(str(sol[v]) if sol[v] is not None else "" for v in res.variables) for sol in back)
    assert rows == sorted(tuple("" if t is None else str(t) for t in row) for row in res.rows)
    assert len(rows) > 10


def test_query_results_csv_plain_values():
    res = query("SELECT ?label WHERE { wd:Q7747 rdfs:label ?label } ORDER BY ?label", ALL)
    assert res.write("csv") == "label\r\nVladimir Putin\r\nWladimir Putin\r\n"


def test_query_cli_table(tmp_path):
    r = runner.invoke(app, ["query", str(PUTIN), str(TRIG), "SELECT ?who ?l WHERE { ?who kg:visits ?p . ?p rdfs:label ?l } ORDER BY ?l"])
    assert r.exit_code == 0, r.stderr
    lines = r.stdout.splitlines()
    assert lines[0].split() == ["who", "|", "l"]
    assert "wd:Q6279" in r.stdout and "Kyiv@en" in r.stdout and lines[-1] == "(3 rows)"


def test_query_cli_bind_file_and_output(tmp_path):
    rq = tmp_path / "q.rq"
    rq.write_text("SELECT ?who WHERE { ?who kg:meets ?other }", encoding="utf-8")
    out = tmp_path / "res" / "out.json"
    r = runner.invoke(app, ["query", *map(str, ALL), "--file", str(rq), "--bind", "other=wd:Q7747", "--json", "-o", str(out)])
    assert r.exit_code == 0, r.stderr
    doc = json.loads(out.read_text(encoding="utf-8"))
    assert [b["who"]["value"] for b in doc["results"]["bindings"]] == ["http://www.wikidata.org/entity/Q56226"]
    assert not [p for p in out.parent.iterdir() if p.name != "out.json"]  # no temp file left


@pytest.mark.parametrize(
    "args, message",
    [
        (["SELEC ?x"], "Bad SPARQL"),
        (["SELECT ?x WHERE { ?x ?p ?o } --bind"], "Bad SPARQL"),
        ([], "No query given"),
        (["--bind", "oops", "ASK {}"], "name=value"),
    ],
)
def test_query_cli_errors_are_one_line(args, message):
    r = runner.invoke(app, ["query", str(PUTIN), *args] if args else ["query"])
    assert r.exit_code == 1
    assert r.stderr.startswith("kgbuild: error:") and message in r.stderr
    assert len(r.stderr.strip().splitlines()) == 1


def test_query_bad_inputs(tmp_path):
    with pytest.raises(InputNotFoundError):
        query("ASK {}", [tmp_path / "missing.ttl"])
    empty = tmp_path / "empty.ttl"
    empty.write_text("", encoding="utf-8")
    with pytest.raises(InputError, match="empty"):
        query("ASK {}", [empty])
    broken = tmp_path / "broken.ttl"
    broken.write_text("<http://a> <http://b> .\n", encoding="utf-8")
    with pytest.raises(GraphError, match="broken.ttl"):
        query("ASK {}", [broken])
    odd = tmp_path / "data.docx"
    odd.write_text("x", encoding="utf-8")
    with pytest.raises(InputError, match="Unknown RDF file type"):
        query("ASK {}", [odd])


def test_query_needs_exactly_one_target(tmp_path):
    with pytest.raises(QueryError, match="exactly one"):
        query("ASK {}")
    with pytest.raises(QueryError, match="exactly one"):
        query("ASK {}", [PUTIN], store=tmp_path / "st")


def test_query_cli_long_query_is_no_file_name():
    """A query longer than the OS allows for a file name, ending like a query file's name, is still a query; given
    where the files go, it is one clear error, not a traceback ('File name too long')."""
    long_query = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o } # " + "x" * 300 + ".rq"
    res = runner.invoke(app, ["query", str(PUTIN), long_query])
    assert res.exit_code == 0 and str(_rdflib_count(PUTIN)) in res.output
    with pytest.raises(InputError, match="no RDF file"):
        query("SELECT * WHERE { ?s ?p ?o }", [long_query])
