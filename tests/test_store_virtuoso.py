"""`kgbuild load` / `kgbuild query` against a real Virtuoso 7 (Debian `virtuoso-opensource-7`), if installed.

The fixture writes a virtuoso.ini into a temp folder (the Debian one with paths and ports changed), starts
`virtuoso-t +foreground` on free 127.0.0.1 ports, waits for its HTTP server and stops it. A fresh database
has the user `dba` with password `dba`; writes go to /sparql-graph-crud-auth with digest auth.
"""
from __future__ import annotations

import re
import shutil
import subprocess
import time
from pathlib import Path

import pytest
import rdflib
import requests
from test_store_support import ALL, DOC, PUTIN, SCHOLZ, TRIG

from kgbuild.store import LoadError, load_to_endpoint, make_client, query, remote
from kgbuild.store.server import free_port

VIRTUOSO = shutil.which("virtuoso-t")
INI = Path("/etc/virtuoso-opensource-7/virtuoso.ini")
pytestmark = [
    pytest.mark.virtuoso,
    pytest.mark.skipif(VIRTUOSO is None or not INI.exists(),
                       reason="Virtuoso is not installed (apt-get install virtuoso-opensource-7)"),
]

# Virtuoso's default graph is the union of *all* its graphs, system graphs too: restrict to kgbuild's
SIZES = ('SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } FILTER(STRSTARTS(STR(?g), "https://w3id.org/kgbuild/")) }'
         " GROUP BY ?g ORDER BY ?g")


@pytest.fixture(scope="module")
def virtuoso(tmp_path_factory):
    folder = tmp_path_factory.mktemp("virtuoso")
    http_port, sql_port = free_port(), free_port()
    ini = INI.read_text(encoding="utf-8").replace("/var/lib/virtuoso-opensource-7/db", str(folder))
    ini = re.sub(r"(?m)^ServerPort(\s*)=\s*1111\b.*$", f"ServerPort = 127.0.0.1:{sql_port}", ini)
    ini = re.sub(r"(?m)^ServerPort(\s*)=\s*8890\b.*$", f"ServerPort = 127.0.0.1:{http_port}", ini)
    ini = re.sub(r"(?m)^DirsAllowed.*$", f"DirsAllowed = ., {folder}", ini)
    (folder / "virtuoso.ini").write_text(ini, encoding="utf-8")
    log = (folder / "out.log").open("wb")
    proc = subprocess.Popen([VIRTUOSO, "+foreground", "+configfile", str(folder / "virtuoso.ini")],
                            cwd=folder, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{http_port}/sparql"
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline and proc.poll() is None:
        try:
            if requests.get(url, params={"query": "ASK {}"}, timeout=2).status_code == 200:
                break
        except requests.RequestException:
            time.sleep(0.3)
    else:
        proc.kill()
        pytest.fail(f"Virtuoso did not start: {(folder / 'out.log').read_text(errors='replace')[-500:]}")
    yield url
    proc.terminate()
    try:
        proc.wait(timeout=30)
    except subprocess.TimeoutExpired:
        proc.kill()
    log.close()


@pytest.fixture(scope="module")
def client(virtuoso):
    c = make_client(virtuoso, user="dba", password="dba", retries=0)
    load_to_endpoint(ALL, c, replace=True)
    return c


def test_virtuoso_layout_and_digest(client):
    assert client.endpoint.store_url.endswith("/sparql-graph-crud-auth")
    assert client.auth_scheme == "digest"


@pytest.mark.parametrize("sparql, bindings", [
    (SIZES, {}),
    ("SELECT ?who ?l WHERE { ?who kg:visits ?p ; rdfs:label ?l } ORDER BY ?who ?l", {}),
    ("SELECT ?who WHERE { ?who kg:meets ?x } ORDER BY ?who", {"x": "wd:Q7747"}),
    ("SELECT ?m ?text WHERE { ?m nif:anchorOf ?text ; itsrdf:taIdentRef ?e } ORDER BY ?m", {"e": "wd:Q7747"}),
    ("ASK { ?a kg:meets wd:Q3052772 }", {}),
])
def test_virtuoso_answers_equal_files(client, sparql, bindings):
    on_server, on_files = query(sparql, endpoint=client, bindings=bindings), query(sparql, ALL, bindings=bindings)
    # sorted: SPARQL leaves the order of literals with different language tags to the store
    assert sorted(on_server.values()) == sorted(on_files.values()) and on_server.boolean == on_files.boolean


def test_virtuoso_construct_is_a_graph(client):
    res = query("CONSTRUCT { ?a kg:meets ?b } WHERE { ?a kg:meets ?b }", endpoint=client)
    assert res.kind == "graph" and len(res.graph()) == 6


def test_virtuoso_batched_replace_and_delete(client, tmp_path):
    before = dict(query(SIZES, endpoint=client).values())
    load_to_endpoint([PUTIN], client, replace=True, batch_size=10)  # temp graph + MOVE
    assert dict(query(SIZES, endpoint=client).values()) == before
    assert not [g for g in remote.graph_names(client) if g.startswith("urn:kgbuild:tmp:")]
    assert remote.delete_graph(client, DOC + "erdogan-berlin") is True
    assert remote.delete_graph(client, DOC + "erdogan-berlin") is False  # Virtuoso: 404 for a missing graph
    assert DOC + "erdogan-berlin" not in dict(query(SIZES, endpoint=client).values())
    load_to_endpoint([TRIG], client, replace=True)
    assert dict(query(SIZES, endpoint=client).values()) == before


def test_virtuoso_wrong_password(virtuoso):
    bad = make_client(virtuoso, user="dba", password="not-the-password-42", retries=0)
    with pytest.raises(LoadError) as info:
        load_to_endpoint([PUTIN], bad, replace=True)
    msg = str(info.value)
    assert "HTTP 401" in msg and "digest" in msg and "not-the-password-42" not in msg
    assert "Loaded 0 graph(s)" in msg


def test_virtuoso_bad_sparql_one_line(client):
    from kgbuild.errors import QueryError

    with pytest.raises(QueryError) as info:
        query("SELEC ?x", endpoint=client)
    assert "SP030" in str(info.value) and "\n" not in str(info.value)


def test_virtuoso_graph_equals_file(client):
    res = query("CONSTRUCT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } }", endpoint=client,
                bindings={"g": f"<{DOC}scholz-paris>"})
    assert len(res.graph()) == len(rdflib.Graph().parse(SCHOLZ))


EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


def test_virtuoso_examples_answer_as_the_files(client):
    graphs = sorted((EXAMPLES / "expected").glob("*.ttl"))
    queries = sorted((EXAMPLES / "queries").glob("*.rq"))
    if not graphs or not queries:
        pytest.skip("no examples/expected/*.ttl or examples/queries/*.rq")
    ours = [g for g in remote.graph_names(client) if g.startswith(DOC)]
    for g in ours:  # only the examples in the store while comparing
        remote.delete_graph(client, g)
    try:
        load_to_endpoint(graphs, client, replace=True)
        for rq in queries:
            text = rq.read_text(encoding="utf-8")
            on_files, on_server = query(text, graphs), query(text, endpoint=client)
            assert on_files.rows, rq.name
            # Virtuoso quirk: xsd:boolean comes back as "1"/"0" (same value, other lexical form)
            files = [tuple({"true": "1", "false": "0"}.get(v, v) for v in row) for row in on_files.values()]
            assert sorted(map(repr, on_server.values())) == sorted(map(repr, files)), rq.name
    finally:
        for g in remote.graph_names(client):
            if g.startswith(DOC):
                remote.delete_graph(client, g)
        load_to_endpoint(ALL, client, replace=True)
