"""`kgbuild serve`: cost of the query time limit (a child process per query) and time to stop a runaway query.

Usage: PYTHONPATH=. python benchmarks/bench_serve.py [--n 30]
Measures, over tests/data/store (putin-nordkorea.ttl + corpus.trig) in an embedded store:
- median and p90 wall ms of a small SELECT, through the kgbuild front (--timeout 30; back to back and
  0.5 s apart, so that the spare query process is ready) and through `oxigraph serve-read-only` (--timeout 0);
- for a runaway query (4-way cross product, ORDER BY) under --timeout 2: seconds until the 503, and the
  processes left afterwards (the idle spare) and their CPU seconds over the next 2 s.
"""
from __future__ import annotations

import argparse
import json
import statistics
import tempfile
import time
from pathlib import Path

import psutil
import requests

from kgbuild.store import EmbeddedStore, OxigraphServer
from kgbuild.store.front import QueryFront
from kgbuild.store.server import free_port

DATA = Path(__file__).resolve().parent.parent / "tests" / "data" / "store"
SMALL = "SELECT ?s ?o WHERE { ?s <https://w3id.org/kgbuild/ontology/visits> ?o } ORDER BY ?s"
RUNAWAY = "SELECT * WHERE { ?a ?p ?b . ?c ?q ?d . ?e ?r ?f . ?g ?s ?h } ORDER BY ?a ?b ?c ?d ?e ?f ?g ?h"


def latencies(url: str, n: int, gap: float = 0.0) -> list[float]:
    out = []
    for _ in range(n):
        time.sleep(gap)
        t = time.perf_counter()
        r = requests.get(f"{url}/query", params={"query": SMALL}, headers={"Accept": "application/sparql-results+json"}, timeout=60)
        r.raise_for_status()
        out.append((time.perf_counter() - t) * 1000)
    return out


def summary(ms: list[float]) -> dict:
    ms = sorted(ms)
    return {"median_ms": round(statistics.median(ms), 1), "p90_ms": round(ms[int(0.9 * (len(ms) - 1))], 1)}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=30)
    n = ap.parse_args().n
    with tempfile.TemporaryDirectory() as tmp:
        with EmbeddedStore(Path(tmp) / "st") as st:
            st.add_file(DATA / "putin-nordkorea.ttl")
            st.add_file(DATA / "corpus.trig")
            triples = len(st)
        store = Path(tmp) / "st"
        result = {"triples": triples, "queries": n}
        with QueryFront(store, port=free_port(), timeout=30) as front:
            result["front_back_to_back"] = summary(latencies(front.url, n))
            result["front_0.5s_apart"] = summary(latencies(front.url, n, 0.5))
        with OxigraphServer(store, read_only=True) as oxi:
            result["oxigraph_back_to_back"] = summary(latencies(oxi.url, n))
        with QueryFront(store, port=free_port(), timeout=2) as front:
            t = time.perf_counter()
            r = requests.get(f"{front.url}/query", params={"query": RUNAWAY}, timeout=120)
            took = time.perf_counter() - t
            left = psutil.Process().children(recursive=True)  # the spare for the next query
            cpu = sum(sum(p.cpu_times()[:2]) for p in left)
            time.sleep(2)
            cpu = sum(sum(p.cpu_times()[:2]) for p in left) - cpu
            result["runaway"] = {"timeout_s": 2, "status": r.status_code, "answered_after_s": round(took, 2),
                                 "processes_after": len(left), "their_cpu_s_in_next_2s": round(cpu, 2)}
    print(json.dumps(result, indent=1))


if __name__ == "__main__":
    main()
