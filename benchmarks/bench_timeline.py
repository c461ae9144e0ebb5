#!/usr/bin/env python
"""Where the wall clock of one ``kgbuild build`` goes: a timeline per process (main process and workers).

In: a folder of articles (default: 240 English articles made like ``bench_throughput.py`` does) and the
options of ``kgbuild build`` after ``--``. Out: on stdout, for each run, when the main process reached each
step (interpreter up, imports, fingerprint, models preloaded, first/last result, output written, exit) and
when each worker process started, began and ended each chunk, with its words and the CPU seconds of every
process; with ``--json FILE`` the raw events.

The build runs as ``python bench_timeline.py --child ...`` (a whole process, like ``kgbuild build``): the
child wraps a few functions of kgbuild (``run_build``, ``_fingerprint``, the parallel path's preload, pool,
chunk and result functions) to append ``(time, pid, event, CPU s)`` lines to a file; nothing of kgbuild is
changed on disk, and the output is the same as ``kgbuild build``'s.

    python benchmarks/bench_timeline.py --repeat 3                    # defaults (--jobs = usable cores)
    python benchmarks/bench_timeline.py --repeat 3 -- --jobs 1
    python benchmarks/bench_timeline.py --folder DIR -- --format nt
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
EVENTS_ENV = "KGBUILD_TIMELINE_EVENTS"


# ---------------------------------------------------------------- the child: kgbuild build, instrumented

def _emit(event: str, **extra) -> None:
    line = json.dumps({"t": time.time(), "pid": os.getpid(), "cpu": time.process_time(), "event": event, **extra})
    with open(os.environ[EVENTS_ENV], "a", encoding="utf-8") as fh:  # O_APPEND: whole lines from every process
        fh.write(line + "\n")


def _child(argv: list[str]) -> None:
    _emit("interpreter")
    import kgbuild.cli.build  # noqa: F401 - what `kgbuild build` imports, timed
    _emit("cli imported")
    import kgbuild.build as build
    import kgbuild.corpus.parallel as parallel
    import kgbuild.corpus.worker as worker

    def wrap(module, name, before=None, after=None):
        func = getattr(module, name)

        def wrapper(*args, **kwargs):
            if before:
                _emit(before, **_info(name, args))
            try:
                return func(*args, **kwargs)
            finally:
                if after:
                    _emit(after, **_info(name, args))

        wrapper.__module__, wrapper.__qualname__ = func.__module__, func.__qualname__  # picklable by name
        setattr(module, name, wrapper)
        return func

    def _info(name, args):
        if name in ("build_chunk", "analyse_chunk"):
            return {"articles": len(args[0]), "words": sum(len(a.text.split()) for a in args[0])}
        return {}

    wrap(build, "run_build", "run_build start", "run_build end")
    wrap(build, "_fingerprint", "fingerprint start", "fingerprint end")
    wrap(build, "_write_corpus", "write output start", "write output end")
    wrap(parallel, "_preload_models", "preload start", "preload end")
    wrap(parallel, "_worker_init", "worker init")
    wrap(worker, "pipeline_for", None, "pipeline ready")
    wrap(worker, "build_chunk", "chunk start", "chunk end")
    if hasattr(parallel, "build_chunk"):  # the name the pool submits: the same (picklable) wrapper
        parallel.build_chunk = worker.build_chunk
    if hasattr(worker, "analyse_chunk"):  # spaCy's part of a chunk in a worker, the rest in the main process
        wrap(worker, "analyse_chunk", "chunk start", "chunk end")
        parallel.analyse_chunk = worker.analyse_chunk
        finish = worker.finish_chunk

        def finish_chunk(articles, analysed, options):
            _emit("finish start", articles=len(articles))
            yield from finish(articles, analysed, options)
            _emit("finish end", articles=len(articles))

        parallel.finish_chunk = finish_chunk
        wrap(parallel, "warm_up_finishing", "warm-up start", "warm-up end")
    if hasattr(worker, "_chunk_started"):  # hooks that a newer parallel path may offer
        wrap(worker, "_chunk_started", "chunk start")
    process = build.process

    def results(*args, **kwargs):
        _emit("results start")
        n = 0
        for res in process(*args, **kwargs):
            n += 1
            if n == 1:
                _emit("first result")
            yield res
        _emit("last result", results=n)

    build.process = results
    sys.argv = ["kgbuild", *argv]
    try:
        kgbuild_main = __import__("kgbuild.cli", fromlist=["main"]).main
        kgbuild_main()
    finally:
        _emit("exit")


# ---------------------------------------------------------------- the parent: run, collect, print

def run_once(folder: Path, out: Path, extra: list[str]) -> dict:
    with tempfile.NamedTemporaryFile(prefix="kgbuild-timeline-", suffix=".jsonl", delete=False) as fh:
        events_path = Path(fh.name)
    env = dict(os.environ)
    env[EVENTS_ENV] = str(events_path)
    env["PYTHONPATH"] = str(ROOT) + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
    for leftover in out.parent.glob(f".{out.name}*"):
        leftover.unlink()
    out.unlink(missing_ok=True)
    cmd = [sys.executable, str(Path(__file__).resolve()), "--child", "build", str(folder), "-o", str(out),
           "--no-progress", *extra]
    load = os.getloadavg()[0]
    t0 = time.time()
    before = os.times()
    proc = subprocess.run(cmd, capture_output=True, text=True, env=env)
    end = time.time()
    after = os.times()
    if proc.returncode != 0:
        sys.exit(f"{' '.join(cmd)} failed:\n{proc.stderr[-3000:]}")
    events = [json.loads(line) for line in events_path.read_text(encoding="utf-8").splitlines()]
    events_path.unlink()
    cpu = (after.children_user - before.children_user) + (after.children_system - before.children_system)
    return {"t0": t0, "wall": end - t0, "cpu": cpu, "load": load, "events": events,
            "summary": proc.stderr.strip().splitlines()[-1:], "output_bytes": out.stat().st_size}


def describe(run: dict) -> list[str]:
    t0, events = run["t0"], run["events"]
    main_pid = next(e["pid"] for e in events if e["event"] == "interpreter")
    lines = [f"wall {run['wall']:.2f} s, CPU {run['cpu']:.2f} s (all processes), load {run['load']:.2f}; "
             f"{' '.join(run['summary'])}"]

    def at(e):
        return e["t"] - t0

    lines.append(f"  main (pid {main_pid}):")
    shown = set()
    for e in events:
        if e["pid"] == main_pid and e["event"] == "pipeline ready":  # once: it recurs with every finished chunk
            if e["event"] in shown:
                continue
            shown.add(e["event"])
        if e["pid"] == main_pid and e["event"] not in ("chunk start", "chunk end", "finish start", "finish end"):
            extra = f" ({e['results']} results)" if "results" in e else ""
            lines.append(f"    {at(e):6.2f} s  {e['event']}{extra}  [CPU {e['cpu']:.2f} s]")
    workers = sorted({e["pid"] for e in events} - {main_pid})
    for pid in workers:
        mine = [e for e in events if e["pid"] == pid]
        starts = [e for e in mine if e["event"] == "chunk start"]
        ends = [e for e in mine if e["event"] == "chunk end"]
        busy = sum(b["t"] - a["t"] for a, b in zip(starts, ends, strict=False))
        words = sum(e.get("words", 0) for e in starts)
        first = mine[0]
        lines.append(f"  worker {pid}: up at {at(first):.2f} s ({first['event']}), chunks {len(starts)}, "
                     f"{words} words, first chunk {at(starts[0]) if starts else float('nan'):.2f} s, "
                     f"last end {at(ends[-1]) if ends else float('nan'):.2f} s, busy {busy:.2f} s, "
                     f"CPU {mine[-1]['cpu'] - first['cpu']:.2f} s after start")
    main_starts = [e for e in events if e["pid"] == main_pid and e["event"] == "chunk start"]
    if main_starts:
        lines.append(f"  chunks in the main process: {len(main_starts)}")
    fin = [e for e in events if e["pid"] == main_pid and e["event"] in ("finish start", "finish end")]
    if fin:
        busy = sum(b["t"] - a["t"] for a, b in zip(fin[::2], fin[1::2], strict=False))
        lines.append(f"  main process finished {len(fin) // 2} chunk(s) the workers analysed (spaCy): "
                     f"{at(fin[0]):.2f} to {at(fin[-1]):.2f} s, busy {busy:.2f} s, "
                     f"CPU {fin[-1]['cpu'] - fin[0]['cpu']:.2f} s; "
                     f"{sum(1 for e in events if e['event'] == 'chunk start' and e['pid'] != main_pid) - len(fin) // 2} "
                     "chunk(s) built whole in the workers")
    return lines


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        _child(sys.argv[2:])
        return
    argv = sys.argv[1:]
    extra: list[str] = []
    if "--" in argv:
        i = argv.index("--")
        argv, extra = argv[:i], argv[i + 1:]
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--folder", type=Path, help="articles to build (default: --articles English news articles)")
    ap.add_argument("--articles", type=int, default=240)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--out", type=Path, help="output file (default: a temporary .nq file)")
    ap.add_argument("--json", type=Path, help="write the raw events of every run here")
    args = ap.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="kgbuild-timeline-") as tmp:
        folder = args.folder
        if folder is None:
            sys.path.insert(0, str(HERE))
            from bench_throughput import english_articles

            folder = Path(tmp) / "news"
            folder.mkdir()
            for i, text in enumerate(english_articles(args.articles)):
                (folder / f"news{i:04d}.en.txt").write_text(text, encoding="utf-8")
        out = args.out or Path(tmp) / "out.nq"
        runs = []
        for _ in range(args.repeat):
            run = run_once(folder, out, extra)
            runs.append(run)
            print("\n".join(describe(run)), flush=True)
        walls = [r["wall"] for r in runs]
        cpus = [r["cpu"] for r in runs]
        print(f"median of {len(runs)}: wall {statistics.median(walls):.2f} s, CPU {statistics.median(cpus):.2f} s; "
              f"load " + ", ".join(f"{r['load']:.1f}" for r in runs))
        if args.json:
            args.json.write_text(json.dumps(runs, indent=1), encoding="utf-8")


if __name__ == "__main__":
    main()
