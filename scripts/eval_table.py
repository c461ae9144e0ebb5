"""Markdown tables of `kgbuild eval` JSON reports: InKB next to D2KB, the documents scored, the KB ceiling,
precision per gold type, and the reliability of the confidence pooled over the reports (docs/EVALUATION.md).

    python scripts/eval_table.py "KORE50=out/kore50.json" "OKE 2015 eval=out/oke2015.json" ... \
        [--before "KORE50=old/kore50.json" ...] [--pool "KORE50" --pool "OKE 2015 eval" ...]

``--before`` adds a column with the InKB figures of an earlier run (all its documents); ``--pool`` names the
reports whose reliability bins are summed in the last table (default: all).
"""
from __future__ import annotations

import argparse
import json
from pathlib import Path


def _prf(c: dict) -> str:
    return f"{c['precision'] * 100:.1f} / {c['recall'] * 100:.1f} / {c['f1'] * 100:.1f}"


def _top(b: dict) -> str:
    return f"{b['right']}/{b['links']}" if b["links"] else "–"


def _pairs(items: list[str]) -> dict[str, dict]:
    out = {}
    for item in items:
        name, sep, path = item.rpartition("=")
        if not sep or not name:
            raise SystemExit(f"eval_table: {item!r} is not NAME=PATH")
        out[name] = json.loads(Path(path).read_text(encoding="utf-8"))
    return out


def main_table(reports: dict[str, dict], before: dict[str, dict]) -> list[str]:
    head = "| gold | docs scored (of) | not annotated | gold QIDs | ceiling |"
    head += " InKB P / R / F1, all docs (before) |" if before else ""
    head += " InKB P / R / F1 | D2KB P / R / F1 | D2KB macro F1 | unjudged / boundary links | links ≥ 0.9 right, InKB / D2KB |"
    lines = [head, "|---|---:|---:|---:|---:|" + ("---|" if before else "") + "---|---|---:|---:|---|"]
    for name, rep in reports.items():
        link, ann = rep["linking"], rep.get("annotation") or {"not_annotated": []}
        cov = (rep.get("kb_coverage") or {}).get("all") or {}
        skipped = len(ann["not_annotated"]) if not ann.get("not_annotated_scored") else 0
        ceiling = f"{cov['ceiling'] * 100:.1f}" if cov.get("ceiling") is not None else "–"
        row = (f"| {name} | {rep['documents']} ({rep['documents'] + skipped}) | {len(ann['not_annotated'])} | "
               f"{cov.get('gold', '–')} | {ceiling} |")
        if before:
            row += f" {_prf(before[name]['linking']['inkb_micro'])} |" if name in before else " – |"
        rel = rep["reliability"]
        row += (f" {_prf(link['inkb_micro'])} | **{_prf(link['d2kb_micro'])}** | {link['d2kb_macro']['f1'] * 100:.1f} | "
                f"{link['d2kb_unjudged_links']} / {link['d2kb_boundary_links']} | "
                f"{_top(rel['inkb_at_least_0.9'])} / {_top(rel['d2kb_at_least_0.9'])} |")
        lines.append(row)
    return lines


def type_table(reports: dict[str, dict]) -> list[str]:
    lines = ["| gold | PER | LOC | ORG | MISC |", "|---|---:|---:|---:|---:|"]
    for name, rep in reports.items():
        cells = []
        for t in ("PER", "LOC", "ORG", "MISC"):
            i, d = rep["linking"]["per_type"].get(t), rep["linking"]["d2kb_per_type"].get(t)
            counted = d and d["tp"] + d["fp"] + d["fn"]
            cells.append(f"{i['precision'] * 100:.1f} / {d['precision'] * 100:.1f}" if i and counted else "–")
        lines.append(f"| {name} | " + " | ".join(cells) + " |")
    return lines


def reliability_table(reports: list[dict]) -> list[str]:
    """Bins summed over the reports: links, mean confidence, share right, for InKB and D2KB."""
    lines = ["| confidence | InKB: links | mean conf. | right | D2KB: links | mean conf. | right |",
             "|---|---:|---:|---:|---:|---:|---:|"]
    bins = [b["bin"] for b in reports[0]["reliability"]["inkb"]] if reports else []
    for k, label in enumerate(bins):
        cells = []
        for scope in ("inkb", "d2kb"):
            n = sum(r["reliability"][scope][k]["links"] for r in reports)
            right = sum(r["reliability"][scope][k]["right"] for r in reports)
            conf = sum((r["reliability"][scope][k]["mean_confidence"] or 0) * r["reliability"][scope][k]["links"]
                       for r in reports)
            cells.append(f"{n} | {conf / n * 100:.1f} % | {right / n * 100:.1f} %" if n else "0 | – | –")
        lines.append(f"| {label} | " + " | ".join(cells) + " |")
    return lines


def tables(reports: dict[str, dict], before: dict[str, dict], pool: list[str] | None = None) -> str:
    pooled = [reports[n] for n in (pool or list(reports))]
    return "\n".join(main_table(reports, before) + [""] + type_table(reports) + [""] + reliability_table(pooled)) + "\n"


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("reports", nargs="+", help="NAME=PATH of a kgbuild eval JSON report")
    ap.add_argument("--before", action="append", default=[], help="NAME=PATH of an earlier report of the same gold")
    ap.add_argument("--pool", action="append", default=None, help="NAME of a report whose reliability is pooled")
    args = ap.parse_intermixed_args(argv)
    print(tables(_pairs(args.reports), _pairs(args.before), args.pool), end="")


if __name__ == "__main__":
    main()
