"""The embedded pyoxigraph store: graphs per document, atomic replace, remove, reopen, `kgbuild load --store`."""
from __future__ import annotations

import json

import pyoxigraph as ox
import pytest
import rdflib
from test_store_support import ALL, DOC, PUTIN, SCHOLZ, SIZES, TRIG
from typer.testing import CliRunner

from kgbuild.cli import app
from kgbuild.errors import StoreError
from kgbuild.store import EmbeddedStore, LoadError, load_to_store, query

runner = CliRunner()


def test_embedded_add_file_names_graphs_by_document(tmp_path):
    with EmbeddedStore(tmp_path / "st") as st:
        assert st.add_file(PUTIN) == {DOC + "putin-nordkorea": len(rdflib.Graph().parse(PUTIN))}
        st.add_file(TRIG)
        assert st.graphs() == [DOC + "biden-kyiv", DOC + "erdogan-berlin", DOC + "putin-nordkorea"]
        assert len(st) == len(rdflib.Graph().parse(PUTIN)) + 49


def test_embedded_replace_graph_swaps_content_and_keeps_others(tmp_path):
    g = rdflib.Graph()
    s, p = rdflib.URIRef("http://x.org/s"), rdflib.URIRef("http://x.org/p")
    g.add((s, p, rdflib.Literal("new")))
    with EmbeddedStore(tmp_path / "st") as st:
        st.add_file(PUTIN)
        st.add_file(SCHOLZ)
        before = st.graph_size(DOC + "scholz-paris")
        assert st.replace_graph(DOC + "putin-nordkorea", g) == 1
        assert st.graph_size(DOC + "putin-nordkorea") == 1
        assert st.graph_size(DOC + "scholz-paris") == before
        assert not [x for x in st.graphs() if x.startswith("urn:kgbuild:tmp:")]
        res = st.query("SELECT ?o WHERE { GRAPH ?g { ?s ?p ?o } }", {"g": DOC + "putin-nordkorea"})
        assert res.values() == [("new",)]


def test_embedded_replace_graph_accepts_triples(tmp_path):
    t = ox.Triple(ox.NamedNode("http://x.org/a"), ox.NamedNode("http://x.org/b"), ox.Literal("c"))
    with EmbeddedStore(None) as st:
        st.replace_graph("http://x.org/g", [t, t])
        st.replace_graph("http://x.org/g", [(rdflib.URIRef("http://x.org/a"), rdflib.URIRef("http://x.org/b"), rdflib.Literal("d"))])
        assert st.query("SELECT ?o WHERE { ?s ?p ?o }").values() == [("d",)]


def test_embedded_remove_graph(tmp_path):
    with EmbeddedStore(tmp_path / "st") as st:
        st.add_file(TRIG)
        assert st.remove_graph(DOC + "biden-kyiv") is True
        assert st.remove_graph(DOC + "biden-kyiv") is False
        assert st.graphs() == [DOC + "erdogan-berlin"]
        assert len(st) == 19


def test_embedded_reopen_keeps_data_and_queries_match_files(tmp_path):
    path = tmp_path / "st"
    with EmbeddedStore(path) as st:
        for f in ALL:
            st.add_file(f)
    with EmbeddedStore(path) as st:
        assert st.query(SIZES).values() == query(SIZES, ALL).values()
    q = "SELECT ?who ?what WHERE { ?who ?rel ?what } ORDER BY ?who ?what"
    assert query(q, store=path, bindings={"rel": "kg:meets"}).values() == query(q, ALL, bindings={"rel": "kg:meets"}).values()


def test_embedded_add_file_with_graph_and_add_mode(tmp_path):
    with EmbeddedStore(None) as st:
        st.add_file(PUTIN, graph="http://x.org/all")
        st.add_file(TRIG, graph="http://x.org/all", replace=False)
        assert st.graphs() == ["http://x.org/all"]
        assert st.graph_size("http://x.org/all") == len(rdflib.Graph().parse(PUTIN)) + 49


def test_embedded_bad_graph_iri_and_closed_store(tmp_path):
    st = EmbeddedStore(tmp_path / "st")
    with pytest.raises(StoreError, match="Bad graph IRI"):
        st.replace_graph("not an iri", [])
    st.close()
    with pytest.raises(StoreError, match="closed"):
        len(st)


def test_embedded_store_locked_by_another_writer(tmp_path):
    with EmbeddedStore(tmp_path / "st"):
        with pytest.raises(StoreError, match="Cannot open store"):
            EmbeddedStore(tmp_path / "st")


def test_load_to_store_replace_twice_no_duplicates(tmp_path):
    with EmbeddedStore(tmp_path / "st") as st:
        r1 = load_to_store(ALL, st, replace=True)
        n = len(st)
        r2 = load_to_store(ALL, st, replace=True)
        assert len(st) == n == r1.triples == r2.triples
        assert r2.graphs == 4


def test_load_to_store_reports_unreadable_file(tmp_path):
    broken = tmp_path / "broken.ttl"
    broken.write_text("<http://a> <http://b> .", encoding="utf-8")
    with EmbeddedStore(tmp_path / "st") as st:
        with pytest.raises(LoadError) as info:
            load_to_store([PUTIN, broken, SCHOLZ], st, replace=True)
        assert st.graphs() == [DOC + "putin-nordkorea"]
    rep = info.value.report
    assert [g for g, _, _ in rep.loaded] == [DOC + "putin-nordkorea"]
    assert rep.not_started == [str(broken), str(SCHOLZ)]
    assert "broken.ttl" in str(info.value) and "Loaded 1 graph(s)" in str(info.value)


def test_load_cli_store_json_summary_and_query(tmp_path):
    st = tmp_path / "st"
    r = runner.invoke(app, ["load", *map(str, ALL), "--store", str(st), "--replace", "--json"])
    assert r.exit_code == 0, r.stderr
    summary = json.loads(r.stdout)
    assert summary["graphs"] == 4 and summary["failed"] == []
    assert "loaded" in r.stderr and "4 graphs" in r.stderr
    r = runner.invoke(app, ["query", "--store", str(st), "--format", "csv",
                            "SELECT (COUNT(DISTINCT ?g) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"])
    assert r.stdout_bytes == b"n\r\n4\r\n"


def test_load_cli_needs_a_target():
    r = runner.invoke(app, ["load", str(PUTIN)])
    assert r.exit_code == 1 and "--endpoint URL or --store PATH" in r.stderr


def test_query_cli_missing_store(tmp_path):
    r = runner.invoke(app, ["query", "--store", str(tmp_path / "nope"), "ASK {}"])
    assert r.exit_code == 1 and "not found" in r.stderr


def test_load_to_store_bulk_equals_atomic(tmp_path):
    with EmbeddedStore(tmp_path / "a") as a, EmbeddedStore(tmp_path / "b") as b:
        load_to_store(ALL, a, replace=True)
        load_to_store(ALL, b, replace=True, bulk=True)
        load_to_store([PUTIN], b, replace=True, bulk=True)  # replace drops the old graph first
        assert a.query(SIZES).values() == b.query(SIZES).values()
        assert len(a) == len(b)


def test_load_to_store_bulk_names_and_formats(tmp_path):
    """Bulk loading names graphs like the atomic path, for triple files, quad files and --graph."""
    nq = tmp_path / "mixed.nq"
    nq.write_text("<http://x.org/a> <http://x.org/b> <http://x.org/c> .\n"
                  "<http://x.org/a> <http://x.org/b> <http://x.org/d> <http://x.org/g> .\n", encoding="utf-8")
    with EmbeddedStore(tmp_path / "a") as a, EmbeddedStore(tmp_path / "b") as b:
        for kwargs in ({}, {"graph": "http://x.org/all"}):
            for files in ([PUTIN, TRIG], [nq]):
                load_to_store(files, a, replace=True, **kwargs)
                load_to_store(files, b, replace=True, bulk=True, **kwargs)
        assert a.graphs() == b.graphs()
        assert nq.resolve().as_uri() in b.graphs() and "http://x.org/g" in b.graphs()
        assert a.query(SIZES).values() == b.query(SIZES).values()


def test_load_to_store_bulk_bad_file_is_reported(tmp_path):
    broken = tmp_path / "broken.nq"
    broken.write_text("<http://a> <http://b> <http://c> <http://g> .\n<http://a> <http://b> .\n", encoding="utf-8")
    with EmbeddedStore(tmp_path / "st") as st:
        with pytest.raises(LoadError, match="broken.nq") as info:
            load_to_store([PUTIN, broken], st, bulk=True)
        assert st.graphs() == [DOC + "putin-nordkorea"]  # checked before anything of the file was written
    assert info.value.report.not_started == [str(broken)]


def test_load_interrupted_reports_what_was_loaded(tmp_path):
    calls = []

    def progress(n):
        calls.append(n)
        if len(calls) == 2:
            raise KeyboardInterrupt

    with EmbeddedStore(tmp_path / "st") as st:
        with pytest.raises(LoadError, match="Interrupted") as info:
            load_to_store([PUTIN, TRIG, SCHOLZ], st, replace=True, progress=progress)
        rep = info.value.report
        loaded = [g for g, _, _ in rep.loaded]
        assert len(loaded) == 2 and loaded[0] == DOC + "putin-nordkorea"
        assert rep.not_started == [str(SCHOLZ)] and len(rep.failed) == 1
        assert st.graphs() == sorted(loaded)  # the report says exactly what is in the store


def test_load_cli_bulk_needs_store():
    r = runner.invoke(app, ["load", str(PUTIN), "--endpoint", "http://127.0.0.1:9", "--bulk"])
    assert r.exit_code == 1 and "--bulk is for --store" in r.stderr
