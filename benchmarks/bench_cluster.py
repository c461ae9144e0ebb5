#!/usr/bin/env python
"""``kgbuild build --cluster`` on a local Dask cluster: full build, reruns, a killed client resumed, bulk loads.

In: a synthetic JSONL corpus (``bench_corpus.write_corpus``: the example articles, each with its own id,
dateline and closing line). A ``dask scheduler`` and ``--workers`` ``dask worker --nthreads 1`` processes on
127.0.0.1, started here (they die with this script: ``PR_SET_PDEATHSIG``). Out: one line per step on
stdout and ``benchmarks/out/cluster.json``.

Steps: a build without ``--cluster`` (``--jobs`` = workers) as the reference; the cluster build; a rerun with
nothing changed; a rerun with 1 % of the articles changed; a cluster build whose client is killed
(``SIGKILL``) when half of the articles are recorded, and its resume; the N-Quads of every cluster build
compared byte for byte with the reference; the output loaded with ``oxigraph load`` and with
``kgbuild load --store --bulk``. The machine is shared: the load average is recorded with each number.

    python benchmarks/bench_cluster.py --articles 1000 --workers 2 --model builtin
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_corpus import build_cmd, load_average, measure, write_corpus  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "benchmarks" / "out" / "cluster.json"


def _die_with_me() -> None:
    from kgbuild.lifecycle import die_with_parent

    die_with_parent(signal.SIGKILL)


def start_cluster(work: Path, workers: int) -> tuple[str, list[subprocess.Popen]]:
    info = work / "scheduler.json"
    procs = [subprocess.Popen([sys.executable, "-m", "distributed.cli.dask_scheduler", "--host", "127.0.0.1",
                               "--port", "0", "--no-dashboard", "--scheduler-file", str(info)],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, preexec_fn=_die_with_me)]
    deadline = time.monotonic() + 60
    while not info.exists() or not info.read_text().strip():
        if time.monotonic() > deadline:
            raise SystemExit("the Dask scheduler did not start")
        time.sleep(0.1)
    address = json.loads(info.read_text())["address"]
    for _ in range(workers):
        procs.append(subprocess.Popen([sys.executable, "-m", "distributed.cli.dask_worker", address, "--nthreads", "1",
                                       "--no-dashboard", "--host", "127.0.0.1"],
                                      stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, preexec_fn=_die_with_me))
    return address, procs


def committed(state: Path) -> int:
    try:
        with sqlite3.connect(f"file:{state}?mode=ro", uri=True) as db:
            return db.execute("SELECT COUNT(*) FROM docs").fetchone()[0]
    except sqlite3.Error:
        return 0


def change_one_percent(corpus: Path, n: int) -> None:
    lines = corpus.read_text(encoding="utf-8").splitlines()
    step = max(1, len(lines) // max(1, n // 100))
    for k in range(0, len(lines), step):
        obj = json.loads(lines[k])
        obj["text"] += "Aktualisiert.\n"
        lines[k] = json.dumps(obj, ensure_ascii=False)
    corpus.write_text("\n".join(lines) + "\n", encoding="utf-8")


def killed_and_resumed(cmd: list[str], state: Path, half: int) -> dict:
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    while committed(state) < half and proc.poll() is None:
        time.sleep(0.1)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    killed = {"killed_after_s": round(time.perf_counter() - start, 2), "recorded_when_killed": committed(state)}
    return {**killed, "resume": measure(cmd)}


def bulk_loads(nq: Path, work: Path) -> dict:
    rows = {}
    cli = shutil.which("oxigraph")
    if cli:
        loc = work / "ox-store"
        start = time.perf_counter()
        subprocess.run([cli, "load", "--location", str(loc), "--file", str(nq)], check=True, capture_output=True)
        rows["oxigraph_load_s"] = round(time.perf_counter() - start, 2)
    store = work / "kg-store"
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "kgbuild", "load", str(nq), "--store", str(store), "--bulk"], check=True,
                   capture_output=True)
    rows["kgbuild_load_bulk_s"] = round(time.perf_counter() - start, 2)
    import pyoxigraph as ox

    if cli:
        s = ox.Store.read_only(str(work / "ox-store"))
        rows["oxigraph_quads"] = len(s)
        rows["oxigraph_graphs"] = sum(1 for _ in s.named_graphs())
        del s
    return rows


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--articles", type=int, default=1000)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--shards", type=int, default=64)
    ap.add_argument("--model", default="builtin", help="builtin (fast) or a spaCy model; default: builtin")
    ap.add_argument("--work", type=Path, default=None)
    args = ap.parse_args()
    work = args.work or Path(tempfile.mkdtemp(prefix="kgbuild-bench-cluster-"))
    work.mkdir(parents=True, exist_ok=True)
    model = ["--model", args.model] if args.model else []
    corpus = write_corpus(work / "corpus.jsonl", args.articles)
    address, procs = start_cluster(work, args.workers)
    report: dict = {"articles": args.articles, "workers": args.workers, "shards": args.shards,
                    "model": args.model, "cores": os.cpu_count()}
    try:
        def cluster_cmd(out: Path, state: Path) -> list[str]:
            return build_cmd(corpus, out, "--format", "nquads", "--cluster", address, "--state", str(state),
                             "--shards", str(args.shards), *model)

        def step(name: str, row: dict) -> None:
            row.pop("stdout", None)
            report[name] = row
            print(f"{name}: {json.dumps(row)}", flush=True)

        local = work / "local.nq"
        step("local_jobs", measure(build_cmd(corpus, local, "--format", "nquads", "--jobs", str(args.workers), *model)))
        out, state = work / "cluster.nq", work / "cluster.sqlite"
        step("cluster_full", measure(cluster_cmd(out, state)))
        report["identical_full"] = out.read_bytes() == local.read_bytes()
        step("cluster_nothing_changed", measure(cluster_cmd(out, state)))
        change_one_percent(corpus, args.articles)
        step("cluster_one_percent_changed", measure(cluster_cmd(out, state)))
        step("local_one_percent_changed", measure(build_cmd(corpus, local, "--format", "nquads",
                                                            "--jobs", str(args.workers), *model)))
        report["identical_changed"] = out.read_bytes() == local.read_bytes()
        out2, state2 = work / "killed.nq", work / "killed.sqlite"
        step("cluster_killed_client", killed_and_resumed(cluster_cmd(out2, state2), state2, args.articles // 2))
        report["identical_resumed"] = out2.read_bytes() == local.read_bytes()
        report["output_mb"] = round(out.stat().st_size / 2**20, 1)
        step("bulk_load", bulk_loads(out, work))
        report["load_average_end"] = load_average()
    finally:
        for proc in reversed(procs):
            proc.kill()
            proc.wait()
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps(report, indent=1) + "\n", encoding="utf-8")
    print(json.dumps({k: report[k] for k in report if k.startswith("identical")}))


if __name__ == "__main__":
    main()
