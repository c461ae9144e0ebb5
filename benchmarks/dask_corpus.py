#!/usr/bin/env python
"""Shards with their own states as Dask tasks (``dask.bag``), then a bulk load into Oxigraph.

The first-class way to build on a Dask cluster is ``kgbuild build ... --cluster ADDRESS``
(``kgbuild.corpus.cluster``, docs/CORPUS.md; measured by ``benchmarks/bench_cluster.py``): shards with their
own states, one merged byte-identical output. This script measures another layout, one ``run_build`` per
JSONL shard with its own state and its own output, and the bulk loader.

In: JSONL shards (one article per line; ``--split N`` cuts one JSONL file into N shards first).
Out: one N-Quads file per shard (one named graph per document) next to its own kgbuild build state, and,
with ``--load DIR``, an Oxigraph store loaded with the bulk loader (``oxigraph load``, or pyoxigraph's
``bulk_load`` when the CLI is absent). Prints one JSON line with the times.

Each Dask task is one ``kgbuild.build.run_build`` over one shard, so a shard is incremental on its own (a
rerun rebuilds only its new and changed articles) and the pipeline is loaded once per worker process.
The same script runs on a cluster: ``--scheduler tcp://HOST:8786`` (dask.distributed) with shards on
shared storage; Dask does the scheduling, retries and placement - kgbuild adds no scheduler of its own.

    python benchmarks/dask_corpus.py corpus.jsonl --split 10 --workers 2 --out shards/ --load store/
"""
from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import time
from pathlib import Path


def split_jsonl(path: Path, parts: int, folder: Path) -> list[Path]:
    """Cut a JSONL file into ``parts`` shards of consecutive lines (``shard-00000.jsonl``, ...)."""
    lines = [line for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    size = -(-len(lines) // parts)
    folder.mkdir(parents=True, exist_ok=True)
    shards = []
    for k in range(parts):
        shard = folder / f"shard-{k:05d}.jsonl"
        shard.write_text("\n".join(lines[k * size:(k + 1) * size]) + "\n", encoding="utf-8")
        shards.append(shard)
    return shards


def build_shard(shard: str, out_dir: str, model: str | None) -> dict:
    """One Dask task: ``kgbuild build SHARD -o OUT/SHARD.nq`` (incremental through the shard's state)."""
    from kgbuild.build import run_build
    from kgbuild.corpus import BuildOptions
    from kgbuild.rdf import RDFFormat

    out = Path(out_dir) / (Path(shard).stem + ".nq")
    summary = run_build(BuildOptions(inputs=[shard], output=str(out), fmt=RDFFormat.nquads, model=model))
    return {"shard": shard, "output": str(out), **{k: v for k, v in summary.as_dict().items() if k != "skipped"},
            "skipped": len(summary.skipped)}


def run(shards: list[Path], out: Path, workers: int, scheduler: str | None, model: str | None) -> list[dict]:
    import dask
    import dask.bag as db

    out.mkdir(parents=True, exist_ok=True)
    bag = db.from_sequence([str(s) for s in shards], npartitions=len(shards))
    tasks = bag.map(build_shard, str(out), model)
    if scheduler:
        from dask.distributed import Client

        with Client(scheduler):
            return tasks.compute()
    with dask.config.set(scheduler="processes", num_workers=workers):
        return tasks.compute()


def bulk_load(files: list[Path], location: Path) -> dict:
    """Load N-Quads files into a fresh Oxigraph store with the bulk loader; seconds and quads."""
    if location.exists():
        shutil.rmtree(location)
    start = time.perf_counter()
    cli = shutil.which("oxigraph")
    if cli:
        subprocess.run([cli, "load", "--location", str(location), *sum([["--file", str(f)] for f in files], [])],
                       check=True, capture_output=True)
    else:
        import pyoxigraph as ox

        store = ox.Store(str(location))
        for f in files:
            store.bulk_load(path=str(f), format=ox.RdfFormat.N_QUADS)
        store.flush()
    seconds = time.perf_counter() - start
    import pyoxigraph as ox

    store = ox.Store.read_only(str(location))
    return {"load_s": round(seconds, 2), "quads": len(store), "loader": "oxigraph load" if cli else "pyoxigraph bulk_load",
            "graphs": sum(1 for _ in store.named_graphs())}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("inputs", nargs="+", type=Path, help="JSONL shards, or one JSONL file with --split")
    ap.add_argument("--split", type=int, default=0, help="cut the (one) input into this many shards first")
    ap.add_argument("--out", type=Path, required=True, help="folder of the N-Quads shards and their states")
    ap.add_argument("--workers", type=int, default=2, help="worker processes (local 'processes' scheduler)")
    ap.add_argument("--scheduler", help="address of a dask.distributed scheduler instead of local processes")
    ap.add_argument("--model", default=None)
    ap.add_argument("--load", type=Path, help="bulk-load the shards into a new Oxigraph store here")
    args = ap.parse_args()
    shards = split_jsonl(args.inputs[0], args.split, args.out / "input") if args.split else args.inputs
    start = time.perf_counter()
    results = run(shards, args.out, args.workers, args.scheduler, args.model)
    report = {"shards": len(shards), "workers": args.workers, "build_s": round(time.perf_counter() - start, 2),
              "articles": sum(r["articles"] for r in results), "unchanged": sum(r["unchanged"] for r in results),
              "quads": sum(r["triples"] for r in results)}
    if args.load:
        report.update(bulk_load([Path(r["output"]) for r in results], args.load))
    print(json.dumps(report))


if __name__ == "__main__":
    main()
