"""Report of ``bench_corpus.py``: ``benchmarks/out/corpus.json`` -> ``benchmarks/CORPUS.md`` + ``benchmarks/corpus.png``.

In: the results dict (parts throughput, incremental, dask, serialise, memory). Out: Markdown tables of the
numbers as measured and one figure (articles/s by jobs, peak memory by corpus size, serialiser time).
    python benchmarks/bench_corpus_report.py
"""
from __future__ import annotations

import json
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MD = ROOT / "benchmarks" / "CORPUS.md"
PNG = ROOT / "benchmarks" / "corpus.png"


def _throughput(r: dict) -> list[str]:
    out = [f"## Throughput by `--jobs` ({r['rows'][0]['articles']:,} articles, model: {r['model']}, {r['cores']} cores,"
           f" best of {r.get('repeat', 1)} interleaved runs)", "",
           "| jobs | articles/s (best) | all runs | speed-up | build s | wall s | CPU s | peak RSS parent / all / all USS (MB) | load avg |",
           "|---:|---:|---|---:|---:|---:|---:|---|---:|"]
    for x in r["rows"]:
        runs = ", ".join(str(v) for v in x.get("all_articles_per_s", [x["articles_per_s"]]))
        out.append(f"| {x['jobs']} | {x['articles_per_s']} | {runs} | {x['speedup']}x | {x['build_s']} | {x['wall_s']} | {x['cpu_s']} "
                   f"| {x['peak_parent_mb']} / {x['peak_tree_mb']} / {x['peak_tree_uss_mb']} | {x['load_before']} |")
    return out + [""]


def _memory(r: dict) -> list[str]:
    out = [f"## Peak memory by corpus size (`--jobs {r['jobs']}`, model: {r['model']}, output: {r['format']})", "",
           "| articles | peak RSS parent (MB) | peak RSS all processes (MB) | peak USS all (MB) | wall s | output MB |",
           "|---:|---:|---:|---:|---:|---:|"]
    for x in r["rows"]:
        out.append(f"| {x['articles']:,} | {x['peak_parent_mb']} | {x['peak_tree_mb']} | {x['peak_tree_uss_mb']} "
                   f"| {x['wall_s']} | {x['output_mb']} |")
    return out + [""]


def _incremental(r: dict) -> list[str]:
    out = [f"## Incremental reruns ({r['articles']:,} articles, `--jobs 2`, N-Quads output)", "",
           "| run | wall s | CPU s | summary |", "|---|---:|---:|---|"]
    for key in ("full", "nothing_changed", "one_percent_changed"):
        x = r[key]
        out.append(f"| {key.replace('_', ' ')} | {x['wall_s']} | {x['cpu_s']} | `{x['summary'][:120]}` |")
    return out + [""]


def _dask(r: dict) -> list[str]:
    f, a = r["first"], r["nothing_changed"]
    return [f"## Dask ({r['articles']:,} articles in {r['shards']} shards, {r['workers']} local worker processes)", "",
            "| run | wall s | build s | CPU s | articles built | quads | bulk load s |", "|---|---:|---:|---:|---:|---:|---:|",
            f"| first | {f['wall_s']} | {f['build_s']} | {f['cpu_s']} | {f['articles']} | {f['quads']:,} | {f.get('load_s', '-')} ({f.get('loader', '')}) |",
            f"| nothing changed | {a['wall_s']} | {a['build_s']} | {a['cpu_s']} | {a['articles']} | {a['quads']:,} | - |", ""]


def _serialise(r: dict) -> list[str]:
    out = ["## Serialising the corpus graph: rdflib vs kgbuild's streamed pyoxigraph writer", "",
           "| documents | writer | format | triples | seconds | extra peak MB | output MB |", "|---:|---|---|---:|---:|---:|---:|"]
    for x in r["rows"]:
        out.append(f"| {x['docs']:,} | {x['writer']} | {x['format']} | {x['triples']:,} | {x['seconds']} | {x['extra_peak_mb']} | {x['output_mb']} |")
    return out + [""]


def write_figure(results: dict) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(1, 3, figsize=(15, 4.2))
    if "throughput" in results:
        rows = results["throughput"]["rows"]
        axes[0].bar([str(x["jobs"]) for x in rows], [x["articles_per_s"] for x in rows], color="#4c72b0")
        axes[0].set(title="articles/s by --jobs", xlabel="jobs", ylabel="articles/s")
    if "memory" in results:
        rows = results["memory"]["rows"]
        n = [x["articles"] for x in rows]
        for key, label in (("peak_parent_mb", "parent RSS"), ("peak_tree_mb", "all processes RSS"), ("peak_tree_uss_mb", "all USS")):
            axes[1].plot(n, [x[key] for x in rows], marker="o", label=label)
        axes[1].axhline(1024, color="red", linestyle=":", label="1 GB target")
        top = max(1100, *(x["peak_tree_mb"] * 1.1 for x in rows))
        axes[1].set(title="peak memory by corpus size", xlabel="articles", ylabel="MB", xscale="log", ylim=(0, top))
        axes[1].legend()
    if "serialise" in results:
        for writer in ("rdflib", "pyoxigraph"):
            rows = [x for x in results["serialise"]["rows"] if x["writer"] == writer and x["format"] == "turtle"]
            axes[2].plot([x["triples"] for x in rows], [x["seconds"] for x in rows], marker="o", label=f"{writer} Turtle")
        axes[2].set(title="writing Turtle", xlabel="triples", ylabel="seconds")
        axes[2].legend()
    fig.tight_layout()
    fig.savefig(PNG, dpi=90)


def write_report(results: dict) -> None:
    lines = ["# Corpus builds: measured", "",
             "Written by `python benchmarks/bench_corpus.py --report` (numbers as measured; see docs/CORPUS.md for what",
             "they mean). The machine has 2 cores shared with other jobs: the load average before each run is given.", "",
             f"![corpus benchmarks]({PNG.name})", ""]
    for key, fn in (("throughput", _throughput), ("throughput_earlier", _throughput), ("incremental", _incremental),
                    ("dask", _dask), ("serialise", _serialise), ("memory", _memory), ("memory_earlier", _memory)):
        if key in results:
            part = fn(results[key])
            if results[key].get("note"):
                part[0] += f" — {results[key]['note']}"
            lines += part
            lines.append(f"_measured {results[key].get('when', '')}_")
            lines.append("")
    MD.write_text("\n".join(lines), encoding="utf-8")
    write_figure(results)


if __name__ == "__main__":
    write_report(json.loads((ROOT / "benchmarks" / "out" / "corpus.json").read_text(encoding="utf-8")))
