"""Render benchmark results (the dict ``run.py`` collects) as Markdown and a matplotlib PNG.

In: results dict, target paths. Out: ``REPORT.md`` and the PNG, each written atomically (temp file + replace).
"""
from __future__ import annotations

from pathlib import Path

from kgbuild.files import atomic_open, write_atomic

STAGES = ("read", "nlp", "mentions", "linking", "relations", "rdf", "serialisation")


def _rate(count: float, seconds: float) -> float:
    return count / seconds if seconds > 0 else float("nan")


def _sizes(results: dict) -> list[tuple[int, dict]]:
    return sorted(((int(k), v) for k, v in results["sizes"].items()), key=lambda kv: kv[0])


def _throughput_table(results: dict) -> list[str]:
    lines = ["| articles | words | seconds | articles/s | words/s | peak RSS (MB) | load (s) |", "|---:|---:|---:|---:|---:|---:|---:|"]
    for n, r in _sizes(results):
        lines.append(f"| {n} | {r['words']} | {r['seconds']:.2f} | {_rate(n, r['seconds']):.2f} | "
                     f"{_rate(r['words'], r['seconds']):.0f} | {r['peak_rss_mb']:.0f} | {r['load_seconds']:.1f} |")
    return lines


def _stage_table(results: dict) -> list[str]:
    head = "| articles | " + " | ".join(STAGES) + " |"
    lines = [head, "|---:|" + "---:|" * len(STAGES)]
    for n, r in _sizes(results):
        total = sum(r["stages"].get(s, 0.0) for s in STAGES) or 1.0
        cells = [f"{r['stages'].get(s, 0.0) / n * 1000:.1f} ms ({r['stages'].get(s, 0.0) / total:.0%})" for s in STAGES]
        lines.append(f"| {n} | " + " | ".join(cells) + " |")
    return lines


def _cli_table(results: dict) -> list[str]:
    if not results.get("cli"):
        return []
    lines = ["| articles | words | seconds | articles/s | words/s | peak RSS (MB) |", "|---:|---:|---:|---:|---:|---:|"]
    for n, r in sorted(((int(k), v) for k, v in results["cli"].items())):
        lines.append(f"| {n} | {r['words']} | {r['seconds']:.2f} | {_rate(n, r['seconds']):.2f} | "
                     f"{_rate(r['words'], r['seconds']):.0f} | {r['peak_rss_mb']:.0f} |")
    return lines


def _yardstick(results: dict) -> list[str]:
    sp = results["spacy"]
    n, big = _sizes(results)[-1]
    en = big["languages"].get("en", {"words": 0, "seconds": 0.0, "articles": 0})
    kg_wps, sp_wps = _rate(en["words"], en["seconds"]), _rate(sp["words"], sp["seconds"])
    return [f"The same {sp['articles']} English articles ({sp['words']} words) of the {n}-article corpus:", "",
            "| | words/s | articles/s | peak RSS (MB) |", "|---|---:|---:|---:|",
            f"| spaCy `nlp.pipe` ({sp['model']}: {', '.join(sp['pipes'])}) | {sp_wps:.0f} | "
            f"{_rate(sp['articles'], sp['seconds']):.1f} | {sp['peak_rss_mb']:.0f} |",
            f"| kgbuild build code path, English articles | {kg_wps:.0f} | {_rate(en['articles'], en['seconds']):.1f} | "
            f"{big['peak_rss_mb']:.0f} (whole run) |", "",
            f"Ratio kgbuild / spaCy (words/s): **{_rate(kg_wps, sp_wps):.2f}** — kgbuild does spaCy's work "
            "one article at a time plus KB spotting, linking, relation extraction and RDF."]


def markdown(results: dict) -> str:
    m, cold = results["machine"], results["cold_start"]
    n_max, big = _sizes(results)[-1]
    lines = ["# kgbuild benchmark", "",
             f"Run `python benchmarks/run.py --sizes {','.join(str(n) for n, _ in _sizes(results))}` on {m['date']}: "
             f"{m['cpus']} CPUs (shared), Python {m['python']}, spaCy {m['spacy']}, kgbuild {m['kgbuild']}, "
             f"{m['platform']}. Models used by kgbuild: {', '.join(big['models'])}. Numbers are from that one run.", "",
             "Corpus: the example articles, English ELEVANT benchmark texts (KORE50, OKE 2015/16, Spotlight) and German "
             "GermEval 2014 test sentences, joined into articles of 150-350 words, about half German, half English "
             "(`benchmarks/corpus.py`; written to a temporary folder, not redistributed).", "",
             "## Throughput of the build code path (one process, models loaded once)", "",
             "`Pipeline.process` + `kgbuild.rdf.document_graph` + `graph.serialize(format=\"turtle\")` per article, "
             "each size in a fresh process; *load* is start-up (KB, spaCy models, warm-up) and is not in *seconds*.", ""]
    lines += _throughput_table(results)
    lines += ["", "## Time per article by stage (mean, share of the total)", ""] + _stage_table(results)
    lines += ["", "## `kgbuild build` end to end (subprocess: start-up, reading, writing one Turtle file)", ""]
    lines += _cli_table(results)
    lines += ["", "## Cold start", "",
              f"One `kgbuild build ARTICLE -o out.ttl` subprocess ({cold['words']} words), median of "
              f"{len(cold['runs'])}: **{cold['median_seconds']:.2f} s**, peak RSS {cold['peak_rss_mb']:.0f} MB.", "",
              "## Yardstick: spaCy alone", ""] + _yardstick(results)
    lines += ["", "![throughput and memory against corpus size](throughput.png)", ""]
    return "\n".join(lines)


def plot(results: dict, path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    sizes = _sizes(results)
    xs = [n for n, _ in sizes]
    fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(10, 4))
    ax1.plot(xs, [_rate(r["words"], r["seconds"]) for _, r in sizes], "o-", label="kgbuild (build code path)")
    sp = results["spacy"]
    ax1.axhline(_rate(sp["words"], sp["seconds"]), color="grey", ls="--", label="spaCy nlp.pipe, en_core_web_sm")
    ax1.set(xscale="log", xlabel="corpus size (articles)", ylabel="words / second", title="Throughput")
    ax1.set_ylim(bottom=0)
    ax1.legend(fontsize=8)
    ax2.plot(xs, [r["peak_rss_mb"] for _, r in sizes], "o-", color="tab:red")
    ax2.set(xscale="log", xlabel="corpus size (articles)", ylabel="peak RSS (MB)", title="Peak memory")
    ax2.set_ylim(bottom=0)
    fig.tight_layout()
    with atomic_open(path) as fh:
        fig.savefig(fh, format="png", dpi=100)
    plt.close(fig)


def write(results: dict, md_path: Path, png_path: Path) -> None:
    plot(results, png_path)
    write_atomic(md_path, markdown(results))
