"""`kgbuild serve --timeout`: a runaway query is stopped (its process killed, its CPU freed), the client gets
503, and the endpoint keeps answering; the endpoint answers as Oxigraph's own server does."""
from __future__ import annotations

import shutil
import time

import psutil
import pytest
import rdflib
import rdflib.compare
import requests
from test_store_serve_build import PUTIN, TRIG, _serve, _stop, _wait

from kgbuild.store import EmbeddedStore, OxigraphServer, make_client, query
from kgbuild.store.front import QueryFront
from kgbuild.store.server import free_port

#: a 4-way cross product of every triple, sorted: 100^4 rows, far beyond any limit used here
RUNAWAY = "SELECT * WHERE { ?a ?p ?b . ?c ?q ?d . ?e ?r ?f . ?g ?s ?h } ORDER BY ?a ?b ?c ?d ?e ?f ?g ?h"


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    path = tmp_path_factory.mktemp("serve") / "st"
    with EmbeddedStore(path) as st:
        st.add_file(PUTIN)
        st.add_file(TRIG)
    return path


def _workers(pid: int) -> list[psutil.Process]:
    return psutil.Process(pid).children(recursive=True)


@pytest.mark.skipif(shutil.which("oxigraph") is None, reason="kgbuild's CLI test helpers need the oxigraph package")
def test_runaway_query_is_stopped_and_its_process_killed(store):
    port, limit = free_port(), 2
    proc = _serve(["--store", str(store), "--timeout", str(limit)], port)
    try:
        said = _wait(proc)
        assert f"queries stopped after {limit} s" in said
        url = f"http://127.0.0.1:{port}/query"
        spare = _workers(proc.pid)  # the query process started ahead: it runs the next query
        assert len(spare) == 1
        start = time.monotonic()
        r = requests.post(url, data={"query": RUNAWAY}, headers={"Accept": "application/sparql-results+json"}, timeout=60)
        took = time.monotonic() - start
        assert r.status_code == 503
        assert r.text.strip() == f"Query stopped after {limit} s (kgbuild serve --timeout); make it more selective or raise the limit."
        assert limit <= took < limit + 10
        _, alive = psutil.wait_procs(spare, timeout=5)
        assert not alive, "the stopped query's process is still running"
        # nothing keeps burning CPU: what is left is the next spare, idle
        left = _workers(proc.pid)
        assert len(left) == 1 and left[0].pid != spare[0].pid
        before = sum(left[0].cpu_times()[:2])
        time.sleep(1.0)
        assert sum(left[0].cpu_times()[:2]) - before < 0.5
        # the endpoint still answers, with the same results as the files
        sel = "SELECT ?who WHERE { ?who kg:visits ?p } ORDER BY ?who"
        assert query(sel, endpoint=make_client(f"http://127.0.0.1:{port}", retries=0)).values() == query(sel, [PUTIN, TRIG]).values()
        left = _workers(proc.pid)
    finally:
        _stop(proc)
    assert not psutil.wait_procs(left, timeout=10)[1], "a query process outlived kgbuild serve"


def test_no_limit_and_library_front(store):
    """--timeout 0 (library: timeout=None) runs queries to the end; a query under the limit is answered."""
    with QueryFront(store, port=free_port(), timeout=None) as front:
        r = requests.get(f"{front.url}/query", params={"query": "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"},
                         headers={"Accept": "text/csv"}, timeout=30)
        assert r.status_code == 200 and r.headers["Content-Type"] == "text/csv"
        count = query("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", [PUTIN, TRIG]).values()[0][0]
        assert r.text.splitlines()[1] == str(count)


@pytest.mark.skipif(shutil.which("oxigraph") is None, reason="the oxigraph server is not installed")
def test_front_answers_as_oxigraph_does(store):
    """Same request, same answer: the kgbuild front and `oxigraph serve-read-only` over the same store."""
    sel = "SELECT ?s ?p ?o WHERE { ?s ?p ?o } ORDER BY ?s ?p ?o"
    ask = "ASK { ?s ?p ?o }"
    con = "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }"
    cases = [(sel, a) for a in ("application/sparql-results+json", "application/sparql-results+xml", "text/csv",
                                "text/tab-separated-values", "*/*", "")]
    cases += [(ask, "application/sparql-results+json"), (ask, "text/csv")]
    with QueryFront(store, port=free_port(), timeout=30) as front, \
            OxigraphServer(store, read_only=True) as oxi:
        for q, accept in cases:
            for how in ("get", "form", "direct"):
                answers = []
                for base in (front.url, oxi.url):
                    headers = {"Accept": accept} if accept else {}
                    if how == "get":
                        r = requests.get(f"{base}/query", params={"query": q}, headers=headers, timeout=30)
                    elif how == "form":
                        r = requests.post(f"{base}/query", data={"query": q}, headers=headers, timeout=30)
                    else:
                        r = requests.post(f"{base}/query", data=q.encode(), timeout=30,
                                          headers={**headers, "Content-Type": "application/sparql-query"})
                    answers.append((r.status_code, r.headers["Content-Type"].split(";")[0], r.content))
                assert answers[0] == answers[1], (q, accept, how)
        for accept, fmt in (("text/turtle", "turtle"), ("application/n-triples", "nt"), ("application/rdf+xml", "xml")):
            graphs = []
            for base in (front.url, oxi.url):
                r = requests.get(f"{base}/query", params={"query": con}, headers={"Accept": accept}, timeout=30)
                assert r.status_code == 200 and r.headers["Content-Type"].split(";")[0] == accept
                graphs.append(rdflib.Graph().parse(data=r.text, format=fmt))
            assert len(graphs[0]) > 0 and rdflib.compare.isomorphic(*graphs)
        # errors: bad query 400, no acceptable format 406, writes 403 (read-only), as Oxigraph
        for base in (front.url, oxi.url):
            assert requests.get(f"{base}/query", params={"query": sel}, headers={"Accept": "image/png"}, timeout=30).status_code == 406
            assert requests.get(f"{base}/query", params={"query": "SELEC nonsense"}, timeout=30).status_code == 400
            assert requests.post(f"{base}/update", data={"update": "CLEAR ALL"}, timeout=30).status_code == 403
            put = requests.put(f"{base}/store", params={"graph": "http://x.org/g"}, data=b"<http://a> <http://b> <http://c> .",
                               headers={"Content-Type": "application/n-triples"}, timeout=30)
            assert put.status_code == 403
        assert requests.get(f"{front.url}/query", timeout=30).status_code == 400  # no query


def test_front_refuses_a_missing_store(tmp_path):
    from kgbuild.errors import StoreError

    with pytest.raises(StoreError, match="Cannot query store"):
        QueryFront(tmp_path / "nothing", port=free_port()).start()
