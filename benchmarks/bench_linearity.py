#!/usr/bin/env python3
"""Is the whole pipeline linear in the length of one article without sentence punctuation (a transcript)?
CPU time of ``Pipeline.process`` for texts of 10, 20 and 40 kB, and of the spaCy stage alone for one line of
200 and 800 kB (issue 16: quadratic steps showed as 16x the time for 4x the text).

The texts are words drawn at random from one example article, joined by single spaces (no sentence punctuation,
no line break). CPU time of this process (``time.process_time``), best of ``--repeat``: other load on the machine
does not count. Prints JSON with the seconds and the ratios (linear: about 2x and 4x; quadratic: 4x and 16x).
These ratios used to be asserted in tests/test_scaling.py; as timings they belong here.

    python benchmarks/bench_linearity.py [--lang de] [--model builtin] [--repeat 3]
"""
from __future__ import annotations

import argparse
import json
import random
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SOURCE = {"de": "putin-nordkorea.de.txt", "en": "yellen-iran.en.txt"}


def transcript(size: int, lang: str, seed: int) -> str:
    """``size`` characters of words drawn from the language's example article, with no punctuation."""
    text = (ROOT / "examples" / SOURCE[lang]).read_text(encoding="utf-8")
    pool = [w for w in (w.strip(".,;:!?\"'()„“”»«–-") for w in text.split()) if w]
    rng, words, length = random.Random(seed), [], 0
    while length < size:
        words.append(rng.choice(pool))
        length += len(words[-1]) + 1
    return " ".join(words)[:size]


def best_cpu(fn, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.process_time()
        fn()
        times.append(time.process_time() - start)
    return round(min(times), 4)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--lang", default="de", choices=sorted(SOURCE))
    ap.add_argument("--model", default="builtin", help="spaCy model (builtin: kgbuild's rule pipeline)")
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()

    from kgbuild.nlp import get_pipeline
    from kgbuild.pipeline import Pipeline
    from kgbuild.read import article_from_text

    pipeline = Pipeline(model=args.model, lang=args.lang)
    pipeline.process(article_from_text(transcript(2_000, args.lang, 9), id="warm-up"))
    whole = {size: best_cpu(lambda s=size: pipeline.process(article_from_text(transcript(s, args.lang, 1), id=f"t{s}")),
                            args.repeat) for size in (10_000, 20_000, 40_000)}
    nlp, _ = get_pipeline(args.lang, args.model)
    nlp(transcript(5_000, args.lang, 9))
    line = {size: best_cpu(lambda s=size: nlp(transcript(s, args.lang, 1)), args.repeat) for size in (200_000, 800_000)}
    print(json.dumps({
        "lang": args.lang, "model": args.model, "repeat": args.repeat,
        "pipeline_cpu_s": whole, "pipeline_ratio_20k_10k": round(whole[20_000] / whole[10_000], 2),
        "pipeline_ratio_40k_10k": round(whole[40_000] / whole[10_000], 2),
        "spacy_line_cpu_s": line, "spacy_line_ratio_800k_200k": round(line[800_000] / max(line[200_000], 1e-3), 2),
    }, indent=1))


if __name__ == "__main__":
    main()
