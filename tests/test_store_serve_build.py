"""`kgbuild serve` (Oxigraph's read-only server as a child process) and loading real `kgbuild build` output."""
from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest
import rdflib
import requests
from typer.testing import CliRunner

from kgbuild.cli import app
from kgbuild.store import EmbeddedStore, OxigraphServer, load_to_endpoint, make_client, query
from kgbuild.store.server import free_port

pytestmark = pytest.mark.skipif(shutil.which("oxigraph") is None, reason="the oxigraph server is not installed (pip install oxigraph)")

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(__file__).parent / "data" / "store"
PUTIN, TRIG = DATA / "putin-nordkorea.ttl", DATA / "corpus.trig"
SEED = Path(os.environ.get("KGBUILD_SHARED", ROOT.parent / "shared")) / "seed" / "putin-nordkorea.de.txt"
DOC = "https://w3id.org/kgbuild/resource/doc/"
runner = CliRunner()


def _serve(args: list[str], port: int) -> subprocess.Popen:
    proc = subprocess.Popen([sys.executable, "-c", "from kgbuild.cli import main; main()", "serve", *args, "--port", str(port)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    return proc


def _wait(proc: subprocess.Popen) -> str:
    """Read kgbuild serve's stderr until it says where it listens (it says so once the server answers)."""
    lines = []
    for raw in iter(proc.stderr.readline, b""):
        lines.append(raw.decode())
        if "SPARQL endpoint at" in lines[-1]:
            return lines[-1]
    pytest.fail(f"kgbuild serve exited: {''.join(lines)}")


def _stop(proc: subprocess.Popen) -> str:
    proc.send_signal(signal.SIGINT)
    try:
        proc.wait(timeout=20)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
    return proc.stderr.read().decode()


@pytest.mark.parametrize("mode", ["store", "files"])
def test_serve_read_only_endpoint(tmp_path, mode):
    if mode == "store":
        with EmbeddedStore(tmp_path / "st") as st:
            st.add_file(PUTIN)
            st.add_file(TRIG)
        args = ["--store", str(tmp_path / "st")]
    else:
        args = [str(PUTIN), str(TRIG)]
    port = free_port()
    proc = _serve(args, port)
    try:
        url = f"http://127.0.0.1:{port}"
        said = _wait(proc)
        assert f"SPARQL endpoint at {url}/query (read-only)" in said
        assert requests.get(f"{url}/query", params={"query": "ASK {}"}, timeout=5).ok
        c = make_client(url, retries=0)
        res = query("SELECT ?who WHERE { ?who kg:visits ?p } ORDER BY ?who", endpoint=c)
        assert res.values() == query("SELECT ?who WHERE { ?who kg:visits ?p } ORDER BY ?who", [PUTIN, TRIG]).values()
        put = requests.put(f"{url}/store", params={"graph": "http://x.org/g"}, data=b"<http://a> <http://b> <http://c> .",
                           headers={"Content-Type": "application/n-triples"}, timeout=5)
        assert put.status_code == 403  # read-only
    finally:
        _stop(proc)
    assert proc.returncode is not None


def test_serve_cli_errors(tmp_path):
    r = runner.invoke(app, ["serve"])
    assert r.exit_code == 1 and "either --store PATH or RDF files" in r.stderr
    r = runner.invoke(app, ["serve", "--store", str(tmp_path / "missing")])
    assert r.exit_code == 1 and "not found" in r.stderr


def test_server_start_failure_is_store_error(tmp_path):
    from kgbuild.errors import StoreError

    port = free_port()
    with OxigraphServer(tmp_path / "a", port=port):
        with pytest.raises(StoreError, match=f"Port {port} on 127.0.0.1 is in use"):
            OxigraphServer(tmp_path / "b", port=port).start()  # port taken


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    if not SEED.exists():
        pytest.skip(f"seed article {SEED} not found")
    out = tmp_path_factory.mktemp("build") / "seed.ttl"
    r = runner.invoke(app, ["build", str(SEED), "-o", str(out)])
    if r.exit_code != 0:
        pytest.skip(f"`kgbuild build` failed here: {r.stderr.strip()[-300:]}")
    return out


def test_load_real_build_output(built, tmp_path):
    """`kgbuild build` output loads as one graph named by its document, on the server and embedded."""
    g = rdflib.Graph().parse(built)
    docs = set(g.subjects(rdflib.RDF.type, rdflib.URIRef("http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#Context")))
    assert len(docs) == 1
    doc = str(docs.pop())
    assert doc.startswith(DOC)
    sizes = "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"
    facts = "SELECT ?s ?p ?o WHERE { ?s ?p ?o FILTER(STRSTARTS(STR(?p), STR(kg:))) } ORDER BY ?s ?p ?o"
    with OxigraphServer(tmp_path / "oxi") as srv:
        c = make_client(srv.url)
        report = load_to_endpoint([built], c, replace=True)
        assert report.loaded == [(doc, str(built), len(g))]
        assert query(sizes, endpoint=c).values() == [(doc, str(len(g)))]
        assert query(facts, endpoint=c).values() == query(facts, [built]).values()
    with EmbeddedStore(tmp_path / "st") as st:
        st.add_file(built)
        assert st.graphs() == [doc] and len(st) == len(g)
