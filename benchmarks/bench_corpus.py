#!/usr/bin/env python
"""Corpus builds, measured: throughput by --jobs, peak memory by corpus size, incremental reruns, serialisers.

In: synthetic JSONL corpora made from ``examples/*.txt`` (article ``i`` is example ``i % 6`` with its own id,
a dateline and a closing line, so every hash differs). Out: ``benchmarks/out/corpus.json`` (merged per part)
and, with ``--report``, ``benchmarks/CORPUS.md`` and ``benchmarks/corpus.png``.

Every build is a ``kgbuild build`` subprocess; a sampler thread reads the RSS of it and its workers every
0.1 s (psutil), and CPU seconds come from ``getrusage(RUSAGE_CHILDREN)``. The machine is shared, so wall
times depend on its load: the load average is recorded with each number.

    python benchmarks/bench_corpus.py --parts throughput,incremental,serialise,memory --report
"""
from __future__ import annotations

import argparse
import json
import os
import random
import re
import resource
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "benchmarks" / "out" / "corpus.json"
PLACES = ["Berlin", "Moskau", "Kiew", "Paris", "Tokio", "Washington", "Peking", "Vilnius", "Brüssel", "London"]


def write_corpus(path: Path, n: int, seed: int = 6) -> Path:
    """``n`` articles as JSONL (``{"id", "text"}``), deterministic for a seed."""
    rnd = random.Random(seed)
    sources = sorted((ROOT / "examples").glob("*.txt"))
    texts = [(s.name.split(".")[0], s.read_text(encoding="utf-8")) for s in sources]
    with path.open("w", encoding="utf-8") as fh:
        for i in range(n):
            stem, text = texts[i % len(texts)]
            head = f"{rnd.choice(PLACES)}, {rnd.randint(1, 28)}.{rnd.randint(1, 12)}. (kgb{i}) - "
            body = head + text.strip() + f"\n\nMeldung {i}, Stand {rnd.randint(6, 22)}:{rnd.randint(10, 59)} Uhr.\n"
            fh.write(json.dumps({"id": f"{stem}-{i:06d}", "text": body}, ensure_ascii=False) + "\n")
    return path


def load_average() -> float:
    return round(os.getloadavg()[0], 2)


def measure(cmd: list[str], env: dict | None = None) -> dict:
    """Run ``cmd``; wall seconds, CPU seconds of it and its children, peak RSS (MB) of it and of the tree."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    load = load_average()
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
    peak = {"parent": 0, "tree": 0, "uss": 0}
    stop = threading.Event()

    def sample() -> None:
        p = psutil.Process(proc.pid)
        tick = 0
        while not stop.is_set():
            try:
                own = p.memory_info().rss
                kids = p.children(recursive=True)
                tree = own + sum(c.memory_info().rss for c in kids)
                if tick % 10 == 0:  # USS (pages of a process alone) reads /proc/*/smaps: once a second
                    peak["uss"] = max(peak["uss"], sum(q.memory_full_info().uss for q in [p, *kids]))
            except psutil.Error:  # a worker ended between listing and reading it
                time.sleep(0.05)
                continue
            peak["parent"], peak["tree"] = max(peak["parent"], own), max(peak["tree"], tree)
            tick += 1
            time.sleep(0.1)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    stdout, err = proc.communicate()
    wall = time.perf_counter() - start
    stop.set()
    sampler.join()
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    summary = err.decode("utf-8", "replace").strip().splitlines()
    line = next((s for s in reversed(summary) if s.startswith("kgbuild:") and "article(s)" in s), "")
    if proc.returncode != 0:
        raise SystemExit(f"{' '.join(cmd)} failed:\n" + "\n".join(summary[-10:]))
    built = re.search(r"in ([\d.]+)s", line)
    return {"wall_s": round(wall, 2), "cpu_s": round(cpu, 2), "build_s": float(built.group(1)) if built else None,
            "peak_parent_mb": round(peak["parent"] / 2**20), "peak_tree_mb": round(peak["tree"] / 2**20),
            "peak_tree_uss_mb": round(peak["uss"] / 2**20), "stdout": stdout.decode("utf-8", "replace")[-2000:],
            "load_before": load, "load_after": load_average(), "summary": line}


def build_cmd(corpus: Path, out: Path, *extra: str) -> list[str]:
    return [sys.executable, "-m", "kgbuild", "build", str(corpus), "-o", str(out), "--no-progress", *extra]


# ---------------------------------------------------------------- parts

def part_throughput(work: Path, n: int, jobs: list[int], model: str | None, repeat: int = 1) -> dict:
    """Each jobs value ``repeat`` times, interleaved (1, 2, 4, 1, 2, 4, ...); the best run of each is kept."""
    corpus = write_corpus(work / f"t{n}.jsonl", n)
    runs: dict[int, list[dict]] = {j: [] for j in jobs}
    for _ in range(repeat):
        for j in jobs:
            extra = ["--jobs", str(j), "--force", "--state", str(work / f"t{n}-j{j}.sqlite")]
            row = {"articles": n, "jobs": j, **measure(build_cmd(corpus, work / f"t{n}-j{j}.nq", *extra, *_model(model)))}
            row["articles_per_s"] = round(n / row["build_s"], 2)
            runs[j].append(row)
            print(f"throughput: {n} articles, {j} job(s): {row['articles_per_s']} articles/s, {row['wall_s']} s wall,"
                  f" {row['cpu_s']} s CPU, load {row['load_before']}", flush=True)
    rows = [{**max(runs[j], key=lambda r: r["articles_per_s"]), "all_articles_per_s": [r["articles_per_s"] for r in runs[j]]}
            for j in jobs]
    base = rows[0]["articles_per_s"]
    for row in rows:
        row["speedup"] = round(row["articles_per_s"] / base, 2)
    return {"model": model or "default", "repeat": repeat, "rows": rows}


def part_memory(work: Path, sizes: list[int], jobs: int, model: str | None, fmt: str) -> dict:
    rows = []
    for n in sizes:
        corpus = write_corpus(work / f"m{n}.jsonl", n)
        out = work / f"m{n}.{fmt}"
        row = {"articles": n, **measure(build_cmd(corpus, out, "--jobs", str(jobs), "--force", *_model(model)))}
        row["output_mb"] = round(out.stat().st_size / 2**20, 1)
        rows.append(row)
        print(f"memory: {n} articles: peak parent {row['peak_parent_mb']} MB, tree {row['peak_tree_mb']} MB,"
              f" {row['wall_s']} s, output {row['output_mb']} MB", flush=True)
        out.unlink()
    return {"model": model or "default", "jobs": jobs, "format": fmt, "rows": rows}


def part_incremental(work: Path, n: int, model: str | None) -> dict:
    corpus = write_corpus(work / f"i{n}.jsonl", n)
    out = work / f"i{n}.nq"
    full = measure(build_cmd(corpus, out, "--jobs", "2", *_model(model)))
    same = measure(build_cmd(corpus, out, "--jobs", "2", *_model(model)))
    lines = corpus.read_text(encoding="utf-8").splitlines()
    step = max(1, len(lines) // max(1, n // 100))
    for k in range(0, len(lines), step):  # 1 % of the articles get a new last line
        obj = json.loads(lines[k])
        obj["text"] += "Aktualisiert.\n"
        lines[k] = json.dumps(obj, ensure_ascii=False)
    corpus.write_text("\n".join(lines) + "\n", encoding="utf-8")
    changed = measure(build_cmd(corpus, out, "--jobs", "2", *_model(model)))
    rows = {"full": full, "nothing_changed": same, "one_percent_changed": changed}
    for k, v in rows.items():
        print(f"incremental {n}: {k}: {v['wall_s']} s wall ({v['summary'][:90]})", flush=True)
    return {"articles": n, "model": model or "default", **rows}


def part_dask(work: Path, n: int, shards: int, model: str | None) -> dict:
    """The same corpus as Dask tasks (one kgbuild build per shard), then ``oxigraph load`` of the shards."""
    corpus = write_corpus(work / f"t{n}.jsonl", n)
    script = ROOT / "benchmarks" / "dask_corpus.py"
    out = work / f"dask{n}"
    cmd = [sys.executable, str(script), str(corpus), "--split", str(shards), "--workers", "2", "--out", str(out),
           *_model(model)]
    first = measure([*cmd, "--load", str(work / f"dask{n}-store")])
    again = measure(cmd)  # nothing changed: every shard is up to date
    rows = {}
    for key, row in (("first", first), ("nothing_changed", again)):
        report = json.loads(row.pop("stdout").strip().splitlines()[-1])
        rows[key] = {**row, **report}
    print(f"dask {n} articles, {shards} shards: {rows}", flush=True)
    return {"articles": n, "shards": shards, "workers": 2, "model": model or "default", **rows}


def part_serialise(work: Path, sizes: list[int], rdflib_max: int) -> dict:
    """rdflib vs kgbuild's streamed pyoxigraph writer, Turtle and TriG, from a build state of max(sizes) docs."""
    n = max(sizes)
    corpus = write_corpus(work / f"s{n}.jsonl", n)
    state = work / f"s{n}.sqlite"
    measure(build_cmd(corpus, work / f"s{n}.nq", "--jobs", "2", "--state", str(state), "--model", "builtin"))
    rows = []
    for size in sizes:
        for writer in ("pyoxigraph", "rdflib"):
            if writer == "rdflib" and size > rdflib_max:
                continue
            for fmt in ("turtle", "trig"):
                cmd = [sys.executable, __file__, "--serialise-child", writer, fmt, str(state), str(size),
                       str(work / f"s.{fmt}")]
                res = subprocess.run(cmd, capture_output=True, text=True, check=True)
                row = {"docs": size, "writer": writer, "format": fmt, **json.loads(res.stdout)}
                rows.append(row)
                print(f"serialise {writer} {fmt} {size} docs: {row}", flush=True)
    return {"rows": rows}


def serialise_child(writer: str, fmt: str, state: str, size: int, out: str) -> None:
    """Child process of ``part_serialise``: write ``size`` documents of the state; print time and memory."""
    import itertools

    from kgbuild.corpus import BuildState
    from kgbuild.corpus.assemble import write_output
    from kgbuild.rdf.output import RDFFormat, as_dataset, serialize
    from kgbuild.rdf.writer import new_graph

    st = BuildState(Path(state), fingerprint=_fingerprint_of(state))
    base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    docs = itertools.islice(st.documents(), size)
    start = time.perf_counter()
    if writer == "pyoxigraph":
        count = write_output(out, docs, RDFFormat(fmt))
    else:
        graphs = []
        for _, graph, nt in docs:
            g = new_graph()
            g.parse(data=nt.decode("utf-8"), format="nt")
            graphs.append((graph, g))
        from rdflib import URIRef

        if fmt == "trig":
            obj = as_dataset([(URIRef(name), g) for name, g in graphs])
        else:
            obj = new_graph()
            for _, g in graphs:
                for t in g:
                    obj.add(t)
        Path(out).write_bytes(serialize(obj, RDFFormat(fmt)))
        count = len(obj) if fmt != "trig" else sum(len(g) for _, g in graphs)
    seconds = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(json.dumps({"seconds": round(seconds, 2), "triples": count, "extra_peak_mb": round((peak - base) / 1024),
                      "output_mb": round(Path(out).stat().st_size / 2**20, 1)}))


def _fingerprint_of(state: str) -> str:
    import sqlite3

    with sqlite3.connect(state) as db:
        return db.execute("SELECT value FROM meta WHERE key = 'fingerprint'").fetchone()[0]


def _model(model: str | None) -> list[str]:
    return ["--model", model] if model else []


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "--serialise-child":
        serialise_child(sys.argv[2], sys.argv[3], sys.argv[4], int(sys.argv[5]), sys.argv[6])
        return
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--parts", default="throughput,incremental,dask,serialise,memory")
    ap.add_argument("--articles", type=int, default=1000, help="corpus size for throughput and incremental")
    ap.add_argument("--jobs", default="1,2,4")
    ap.add_argument("--repeat", type=int, default=1, help="runs per jobs value (interleaved; the best is kept)")
    ap.add_argument("--sizes", default="100,1000,3000,10000", help="corpus sizes of the memory part")
    ap.add_argument("--memory-model", default="builtin", help="model of the memory part (builtin: fast enough for 10,000)")
    ap.add_argument("--model", default=None, help="model of throughput/incremental (default: what kgbuild picks)")
    ap.add_argument("--serialise-sizes", default="100,300,1000")
    ap.add_argument("--rdflib-max", type=int, default=300)
    ap.add_argument("--work", type=Path, default=None)
    ap.add_argument("--report", action="store_true", help="write benchmarks/CORPUS.md and corpus.png")
    args = ap.parse_args()
    results = json.loads(OUT.read_text()) if OUT.exists() else {}
    work = args.work or Path(tempfile.mkdtemp(prefix="kgbuild-bench-corpus-"))
    work.mkdir(parents=True, exist_ok=True)
    ints = lambda s: [int(x) for x in s.split(",") if x]  # noqa: E731
    parts = {
        "throughput": lambda: part_throughput(work, args.articles, ints(args.jobs), args.model, args.repeat),
        "incremental": lambda: part_incremental(work, args.articles, args.model),
        "serialise": lambda: part_serialise(work, ints(args.serialise_sizes), args.rdflib_max),
        "dask": lambda: part_dask(work, args.articles, 10, args.model),
        "memory": lambda: part_memory(work, ints(args.sizes), 2, args.memory_model, "ttl"),
    }
    for name in args.parts.split(","):
        if name in parts:
            results[name] = {**parts[name](), "cores": os.cpu_count(), "when": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())}
            OUT.parent.mkdir(parents=True, exist_ok=True)
            OUT.write_text(json.dumps(results, indent=2, ensure_ascii=False), encoding="utf-8")
    if args.report:
        from bench_corpus_report import write_report

        write_report(results)


if __name__ == "__main__":
    main()
