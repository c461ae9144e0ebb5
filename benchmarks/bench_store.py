"""Load speed (triples/s) of kgbuild's store layer: embedded pyoxigraph store and a real Oxigraph server.

    python benchmarks/bench_store.py [--triples 1000000] [--json results.json]

Makes a synthetic corpus in the docs/RDF-MODEL.md vocabulary (copies of tests/data/store/putin-nordkorea.ttl
under new document ids, one named graph per document, as N-Quads) and measures:

- ``embedded``: ``kgbuild load --store`` path (staging + one atomic replace per graph);
- ``embedded-bulk``: ``kgbuild load --store --bulk`` (pyoxigraph bulk loader, not atomic);
- ``server``: ``kgbuild load --endpoint`` into ``oxigraph serve`` (one HTTP PUT per document graph);
- ``server-one-graph``: the same triples as one graph (one request; with ``--batch-size`` below the size,
  batches into a temporary graph, then MOVE).

Reports wall seconds and CPU seconds of the client (this process) and of the server process: the machine
is shared, so CPU seconds say more than wall time when it is busy.

Prints one JSON object; numbers go to docs/STORES.md. Nothing is downloaded.
"""
from __future__ import annotations

import argparse
import json
import platform
import sys
import tempfile
import time
from pathlib import Path

import psutil
import pyoxigraph as ox

from kgbuild.store import EmbeddedStore, OxigraphServer, load_to_endpoint, load_to_store, make_client, query

TEMPLATE = Path(__file__).resolve().parent.parent / "tests" / "data" / "store" / "putin-nordkorea.ttl"
DOC = "https://w3id.org/kgbuild/resource/doc/putin-nordkorea"


def make_corpus(folder: Path, triples: int) -> tuple[Path, Path, int, int]:
    """N-Quads (one graph per document) and N-Triples (all in one file) with about ``triples`` triples."""
    base = [q.triple for q in ox.parse(path=str(TEMPLATE))]
    lines = ox.serialize(base, format=ox.RdfFormat.N_TRIPLES).decode("utf-8").splitlines()
    docs = max(1, triples // len(lines))
    nq, nt = folder / "corpus.nq", folder / "corpus.nt"
    with nq.open("w", encoding="utf-8") as fq, nt.open("w", encoding="utf-8") as ft:
        for i in range(docs):
            iri = f"https://w3id.org/kgbuild/resource/doc/bench-{i:06d}"
            for line in lines:
                line = line.replace(DOC, iri)
                ft.write(line + "\n")
                fq.write(f"{line[:-2]} <{iri}> .\n")
    return nq, nt, docs, docs * len(lines)


def timed(fn, server=None) -> tuple[dict, object]:
    """Wall seconds, and CPU seconds of this process and of the server process (if any)."""
    proc = psutil.Process(server.proc.pid) if server else None
    cpu0, srv0, start = time.process_time(), _cpu(proc), time.perf_counter()
    out = fn()
    wall = time.perf_counter() - start
    stats = {"seconds": round(wall, 2), "client_cpu_s": round(time.process_time() - cpu0, 2)}
    if proc:
        stats["server_cpu_s"] = round(_cpu(proc) - srv0, 2)
    return stats, out


def _cpu(proc) -> float:
    if proc is None:
        return 0.0
    t = proc.cpu_times()
    return t.user + t.system


def count(target) -> int:
    res = query("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }", **target)
    return int(res.values()[0][0])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--triples", type=int, default=1_000_000)
    ap.add_argument("--batch-size", type=int, default=1_000_000, help="for the one-graph server load")
    ap.add_argument("--json", type=Path, help="also write the results here")
    args = ap.parse_args()
    results: dict = {"python": platform.python_version(), "pyoxigraph": ox.__version__ if hasattr(ox, "__version__") else "?"}
    with tempfile.TemporaryDirectory(prefix="kgbuild-bench-") as tmp:
        tmp = Path(tmp)
        nq, nt, docs, n = make_corpus(tmp, args.triples)
        results.update(triples=n, graphs=docs, nquads_mb=round(nq.stat().st_size / 2**20, 1),
                   load_average_before=[round(x, 1) for x in psutil.getloadavg()])
        print(f"corpus: {n} triples in {docs} graphs ({results['nquads_mb']} MB N-Quads)", file=sys.stderr)

        with EmbeddedStore(tmp / "emb") as st:
            stats, _ = timed(lambda: load_to_store([nq], st, replace=True))
            assert len(st) == n, (len(st), n)
        results["embedded"] = {**stats, "triples_per_s": round(n / stats["seconds"])}
        print("embedded", results["embedded"], file=sys.stderr)

        with EmbeddedStore(tmp / "bulk") as st:
            stats, _ = timed(lambda: load_to_store([nq], st, replace=True, bulk=True))
            assert len(st) == n
        results["embedded-bulk"] = {**stats, "triples_per_s": round(n / stats["seconds"])}
        print("embedded-bulk", results["embedded-bulk"], file=sys.stderr)

        with OxigraphServer(tmp / "srv") as srv:
            client = make_client(srv.url, timeout=600)
            stats, _ = timed(lambda: load_to_endpoint([nq], client, replace=True), srv)
            assert count({"endpoint": client}) == n
            results["server"] = {**stats, "triples_per_s": round(n / stats["seconds"])}
            print("server", results["server"], file=sys.stderr)
            stats, _ = timed(lambda: load_to_endpoint([nt], client, graph="https://example.org/one", replace=True,
                                                      batch_size=args.batch_size), srv)
            q = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH <https://example.org/one> { ?s ?p ?o } }"
            with nt.open(encoding="utf-8") as fh:
                distinct = len(set(fh))  # entity triples repeat across documents
            assert int(query(q, endpoint=client).values()[0][0]) == distinct
            results["server-one-graph"] = {**stats, "triples_per_s": round(n / stats["seconds"]), "batch_size": args.batch_size}
            print("server-one-graph", results["server-one-graph"], file=sys.stderr)
    text = json.dumps(results, indent=1)
    print(text)
    if args.json:
        args.json.write_text(text + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
