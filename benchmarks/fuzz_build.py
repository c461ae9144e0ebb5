"""The long fuzzing run (issue 16): the properties of ``tests/fuzz_support.py`` with many more examples than CI.

    PYTHONPATH=. python benchmarks/fuzz_build.py --build 800 --decode 5000 --jsonl 500 --gold 1000 \
        --json benchmarks/fuzz_build.json

For each property: examples tried, outcomes (built / skipped, decoded / refused, ...), crashes (an exception
that is not a failed check) and invalid outputs (a check that failed: an output that does not parse, wrong
offsets, an error without the file name). Hypothesis stops a property at its first failure and prints the
smallest failing example. Figures of a run are in docs/RELIABILITY.md.
"""
from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from fuzz_support import (  # noqa: E402
    check_build,
    check_decode,
    check_gold,
    check_jsonl,
    gold_file,
    jsonl_line,
    surrogates,
    text_strategy,
)
from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402


def run(name: str, examples: int, strategy, check) -> dict:
    outcomes: Counter = Counter()

    @settings(max_examples=examples, deadline=None, database=None, derandomize=False,
              suppress_health_check=list(HealthCheck))
    @given(case=strategy)
    def prop(case):
        outcomes[check(case)] += 1

    start = time.perf_counter()
    crashes = invalid = 0
    failure = ""
    try:
        prop()
    except AssertionError as exc:
        invalid, failure = 1, f"{type(exc).__name__}: {exc}"[:500]
    except Exception as exc:  # noqa: BLE001 - a crash is a finding to report
        crashes, failure = 1, f"{type(exc).__name__}: {exc}"[:500]
    row = {"property": name, "examples": sum(outcomes.values()), "outcomes": dict(outcomes), "crashes": crashes,
           "invalid_outputs": invalid, "failure": failure, "seconds": round(time.perf_counter() - start, 1)}
    print(json.dumps(row, ensure_ascii=False), flush=True)
    return row


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--build", type=int, default=800)
    ap.add_argument("--surrogates", type=int, default=200)
    ap.add_argument("--decode", type=int, default=5000)
    ap.add_argument("--jsonl", type=int, default=500)
    ap.add_argument("--gold", type=int, default=1000)
    ap.add_argument("--json", type=Path, help="write the figures here")
    args = ap.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="kgbuild-fuzz-"))
    build_case = st.tuples(text_strategy, st.sampled_from([None, "de", "en"]), st.one_of(st.none(), text_strategy))
    rows = [
        run("build: any text -> every format parses (rdflib + pyoxigraph), offsets right", args.build, build_case,
            lambda c: check_build(c[0], c[1], c[2], tmp)),
        run("build: lone surrogates in text and title", args.surrogates, surrogates,
            lambda t: check_build("Olaf Scholz traf Emmanuel Macron in Paris. " + t, "de", t, tmp)),
        run("read: any bytes -> text or one InputError", args.decode,
            st.one_of(st.binary(min_size=1, max_size=2000), text_strategy.map(lambda t: t.encode("utf-8")),
                      st.tuples(text_strategy, st.sampled_from(["cp1252", "latin-1", "utf-16", "cp1250", "koi8-r",
                                                                "shift_jis", "utf-8-sig", "utf-32"]))
                      .map(lambda p: p[0].encode(p[1], "replace"))), check_decode),
        run("read: any JSONL -> Articles and InputErrors", args.jsonl, st.lists(jsonl_line, min_size=1, max_size=8),
            lambda lines: check_jsonl(lines, tmp)),
        run("gold readers: random or damaged gold files -> documents or GoldError", args.gold, gold_file(),
            lambda c: check_gold(c[0], c[1], tmp)),
    ]
    total = {"examples": sum(r["examples"] for r in rows), "crashes": sum(r["crashes"] for r in rows),
             "invalid_outputs": sum(r["invalid_outputs"] for r in rows)}
    print(json.dumps({"total": total}), flush=True)
    if args.json:
        args.json.write_text(json.dumps({"properties": rows, "total": total}, indent=1, ensure_ascii=False) + "\n",
                             encoding="utf-8")
    sys.exit(1 if total["crashes"] or total["invalid_outputs"] else 0)


if __name__ == "__main__":
    main()
