#!/usr/bin/env python
"""Benchmark of the KB: open time, first-use build time, lookups per second (one core).

Workload: every 1- to 4-gram of the reference article (what a spotter asks: mostly non-names), plus a
sample of real names from the KB in German inflected forms. Reports cold lookups (memo cache cleared before
each pass) and warm ones, and ``has_name`` probes. Numbers go to docs/KB.md; nothing is asserted.

Usage: python benchmarks/bench_kb.py [--kb PATH] [--text FILE] [--rebuild] [--json]
"""
from __future__ import annotations

import argparse
import json
import os
import random
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from kgbuild.kb import open_kb
from kgbuild.kb.bundled import BUNDLED_RECORDS
from kgbuild.kb.records import build_sqlite

SEED = Path(os.environ.get("KGBUILD_SHARED") or Path(__file__).resolve().parent.parent.parent / "shared") / "seed" / "putin-nordkorea.de.txt"


def ngrams(text: str, n_max: int = 4) -> list[str]:
    tokens = re.findall(r"\w[\w'-]*", text)
    return [" ".join(tokens[i:i + n]) for n in range(1, n_max + 1) for i in range(len(tokens) - n + 1)]


def name_sample(kb, k: int = 2000) -> list[str]:
    rows = kb._conn.execute("SELECT name FROM names WHERE kind IN ('label','surname','demonym') ORDER BY random() LIMIT ?", (k,))
    names = [r[0] for r in rows]
    return names + [n + "s" for n in names[: k // 4]] + [n + "en" for n in names[: k // 8]]


def rate(fn, items, passes: int = 3, clear=None) -> float:
    best = 0.0
    for _ in range(passes):
        if clear:
            clear()
        start = time.perf_counter()
        for item in items:
            fn(item)
        best = max(best, len(items) / (time.perf_counter() - start))
    return best


def open_time(path: Path, runs: int = 5) -> float:
    code = f"import time; t=time.perf_counter(); from kgbuild.kb import SQLiteKB; kb=SQLiteKB({str(path)!r}); print(time.perf_counter()-t)"
    times = [float(subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout) for _ in range(runs)]
    return sorted(times)[len(times) // 2]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--kb", type=Path)
    ap.add_argument("--text", type=Path, default=SEED)
    ap.add_argument("--rebuild", action="store_true", help="also time building the KB from the bundled records")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    result = {}
    if args.rebuild:
        with tempfile.TemporaryDirectory() as tmp:
            start = time.perf_counter()
            build_sqlite(BUNDLED_RECORDS, Path(tmp) / "kb.sqlite")
            result["build_s"] = round(time.perf_counter() - start, 2)
    kb = open_kb(args.kb)
    result["open_s_median_of_5_processes"] = round(open_time(kb.path), 3)
    grams = ngrams(args.text.read_text(encoding="utf-8")) if args.text.is_file() else []
    names = name_sample(kb)
    random.Random(0).shuffle(names)
    workload = grams + names
    result["workload"] = {"ngrams": len(grams), "names": len(names)}
    result["lookups_per_s_cold"] = round(rate(lambda s: kb.lookup(s, "de"), workload, clear=kb.clear_cache))
    result["lookups_per_s_warm"] = round(rate(lambda s: kb.lookup(s, "de"), workload))
    result["lookups_per_s_ngrams_only_cold"] = round(rate(lambda s: kb.lookup(s, "de"), grams, clear=kb.clear_cache)) if grams else None
    result["has_name_per_s"] = round(rate(kb.has_name, workload))
    result["kb"] = {"path": str(kb.path), "version": kb.version, "size_mb": round(kb.path.stat().st_size / 2**20, 1)}
    if args.json:
        print(json.dumps(result, indent=1))
    else:
        for key, value in result.items():
            print(f"{key:<34} {value}")


if __name__ == "__main__":
    main()
