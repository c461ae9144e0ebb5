#!/usr/bin/env python
"""Cold start: one ``kgbuild build ARTICLE -o out.ttl`` process per run, from nothing (issue 15: "well under 1.5 s").

In: article files (default: one English and one German example). Out: per article, the median of ``--runs``
runs of the whole process (wall clock and CPU seconds, user + system, from ``getrusage`` of the children),
every run's figures, the load average before the runs, and where the time goes in one extra run: the
interpreter and imports (``python -X importtime``: kgbuild's CLI, spaCy inside it) and the steps of the build
(``bench_timeline.py``'s events: imports, pipeline, the article with its model load, output, exit).

    python benchmarks/bench_cold_start.py --runs 5
    python benchmarks/bench_cold_start.py --runs 5 examples/yellen-iran.en.txt
"""
from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
DEFAULT = [ROOT / "examples" / "yellen-iran.en.txt", ROOT / "examples" / "astana-aralsee.de.txt"]


def env() -> dict:
    e = dict(os.environ)
    e["PYTHONPATH"] = str(ROOT) + (os.pathsep + e["PYTHONPATH"] if e.get("PYTHONPATH") else "")
    return e


def one_run(article: Path, out: Path, extra: list[str]) -> dict:
    cmd = [sys.executable, "-m", "kgbuild", "build", str(article), "-o", str(out), *extra]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, text=True, env=env())
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if proc.returncode != 0:
        sys.exit(f"{' '.join(cmd)} failed:\n{proc.stderr[-2000:]}")
    return {"wall_s": round(wall, 3), "user_s": round(after.ru_utime - before.ru_utime, 3),
            "sys_s": round(after.ru_stime - before.ru_stime, 3),
            "cpu_s": round(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime, 3)}


def import_times() -> dict:
    """Cumulative import time (ms) of what ``kgbuild build`` imports (``kgbuild.cli`` and its build command) and
    of the biggest packages it pulls in (one run)."""
    proc = subprocess.run([sys.executable, "-X", "importtime", "-c", "import kgbuild.cli.build"], capture_output=True,
                          text=True, env=env())
    cum: dict[str, float] = {}
    for line in proc.stderr.splitlines():
        if not line.startswith("import time:") or "self [us]" in line:
            continue
        _, total, name = line[len("import time:"):].split("|")
        name = name.strip()
        cum[name] = cum.get(name, 0.0) + int(total) / 1000
    keep = ("kgbuild.cli", "kgbuild.cli.build", "spacy", "rdflib", "typer", "pyoxigraph", "simplemma", "kgbuild.pipeline",
            "kgbuild.store", "kgbuild.evaluation", "kgbuild.view", "kgbuild.mentions")
    return {k: round(cum[k], 1) for k in keep if k in cum}


def steps(article: Path, extra: list[str]) -> list[str]:
    """One run under bench_timeline.py's instrumentation: when the main process reached each step."""
    sys.path.insert(0, str(HERE))
    from bench_timeline import run_once

    with tempfile.TemporaryDirectory() as tmp:
        run = run_once(article, Path(tmp) / "out.ttl", extra)
    return [f"{e['t'] - run['t0']:.2f} s wall / {e['cpu']:.2f} CPU s: {e['event']}" for e in run["events"]] + [
        f"{run['wall']:.2f} s wall / {run['cpu']:.2f} CPU s: process ended"]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("articles", nargs="*", type=Path, default=DEFAULT)
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--json", type=Path, help="write the results here")
    ap.add_argument("extra", nargs=argparse.REMAINDER, help="after --: more options of kgbuild build")
    args = ap.parse_args()
    extra = [a for a in args.extra if a != "--"]
    results = {"when": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()), "imports_ms": import_times(),
               "articles": []}
    print("imports (ms, cumulative):", json.dumps(results["imports_ms"]))
    with tempfile.TemporaryDirectory(prefix="kgbuild-cold-") as tmp:
        for article in args.articles:
            load = os.getloadavg()[0]
            runs = [one_run(article, Path(tmp) / "out.ttl", extra) for _ in range(args.runs)]
            med = {k: round(statistics.median(r[k] for r in runs), 2) for k in ("wall_s", "cpu_s", "user_s", "sys_s")}
            words = len(article.read_text(encoding="utf-8").split())
            entry = {"article": article.name, "words": words, "load_before": round(load, 2), "median": med,
                     "runs": runs, "steps": steps(article, extra)}
            results["articles"].append(entry)
            print(f"{article.name} ({words} words), load {load:.1f}: median of {args.runs}: wall {med['wall_s']} s, "
                  f"CPU {med['cpu_s']} s (user {med['user_s']}, sys {med['sys_s']}); CPU per run: "
                  + ", ".join(str(r["cpu_s"]) for r in runs))
            for step in entry["steps"]:
                print("   ", step)
    if args.json:
        args.json.write_text(json.dumps(results, indent=1), encoding="utf-8")


if __name__ == "__main__":
    main()
