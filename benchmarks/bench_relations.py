#!/usr/bin/env python3
"""Is relation extraction linear in the text length? Time of coreference + relation extraction per document
for documents made of 1, 2, 4, ... copies of the development examples of one language.

The spaCy pipeline and linking run first (not timed); then ``resolve_coreference`` and ``extract_events`` are
timed (best of ``--repeat``). Linear means: the time per 1,000 characters stays flat as the document grows.
Writes JSON to stdout and ``benchmarks/out/relations.json``.

    python benchmarks/bench_relations.py [--lang de] [--max-copies 16] [--model builtin] [--repeat 3]
"""
from __future__ import annotations

import argparse
import json
import platform
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--lang", default="de")
    ap.add_argument("--max-copies", type=int, default=16)
    ap.add_argument("--model", default=None, help="spaCy model (default: the one kgbuild build picks)")
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()

    from kgbuild.linking import link
    from kgbuild.mentions import sentences_of
    from kgbuild.pipeline import Pipeline
    from kgbuild.relations import extract_events, resolve_coreference

    base = "\n\n".join(p.read_text(encoding="utf-8") for p in sorted((ROOT / "examples").glob(f"*.{args.lang}.txt")))
    pipe = Pipeline(model=args.model, lang=args.lang)
    nlp, info = pipe.nlp_for(args.lang)
    rows = []
    copies = 1
    while copies <= args.max_copies:
        text = "\n\n".join([base] * copies)
        doc = nlp(text)
        sentences = sentences_of(doc)
        mentions = pipe._mentions(doc, args.lang, sentences, info.has_ner)
        linked, _ = link(mentions, pipe.kb, args.lang, pipe.linker)
        best, events = float("inf"), []
        for _ in range(args.repeat):
            started = time.perf_counter()
            corefs = resolve_coreference(doc, sentences, linked, args.lang, pipe.kb)
            events = extract_events(doc, sentences, sorted([*linked, *corefs], key=lambda m: (m.start, m.end)),
                                    args.lang, kb=pipe.kb)
            best = min(best, time.perf_counter() - started)
        rows.append({"copies": copies, "chars": len(text), "sentences": len(sentences), "mentions": len(linked),
                     "events": len(events), "seconds": round(best, 4),
                     "ms_per_1000_chars": round(1000 * best / (len(text) / 1000), 3)})
        copies *= 2
    out = {"lang": args.lang, "model": info.name, "python": platform.python_version(), "machine": platform.machine(),
           "rows": rows}
    (ROOT / "benchmarks" / "out").mkdir(parents=True, exist_ok=True)
    (ROOT / "benchmarks" / "out" / "relations.json").write_text(json.dumps(out, indent=1), encoding="utf-8")
    print(json.dumps(out, indent=1))


if __name__ == "__main__":
    main()
