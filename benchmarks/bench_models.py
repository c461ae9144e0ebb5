#!/usr/bin/env python3
"""Speed (words/s) and held-out scores of the spaCy pipelines kgbuild can use, on this machine.

For each model (default: every one ``kgbuild.models.available_models()`` lists for German, plus the
English package when installed) it runs ``nlp.pipe`` over held-out German sentences (GermEval 2014 dev,
never trained on) and reports words/s (best of ``--repeat`` runs, after one warm-up) and, for pipelines
with an NER, outer-level P/R/F on those sentences. Writes JSON to stdout and ``benchmarks/out/models.json``.

    python benchmarks/bench_models.py [--sentences 1000] [--repeat 3] [--model NAME_OR_PATH ...]
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(os.environ.get("KGBUILD_SHARED_DATA", ROOT.parent / "shared" / "data"))


def held_out_docs(vocab, limit: int):
    """GermEval dev sentences (gold entities, deriv/part dropped) -> list of gold Docs."""
    from kgbuild.models.corpora import read_ner_docs

    return read_ner_docs(DATA / "germeval2014_ner" / "NER-de-dev.tsv", vocab)[:limit]


def speed(nlp, texts: list[str], n_words: int, repeat: int) -> float:
    list(nlp.pipe(texts[:50]))  # warm-up
    best = float("inf")
    for _ in range(repeat):
        started = time.perf_counter()
        for _doc in nlp.pipe(texts, batch_size=256):
            pass
        best = min(best, time.perf_counter() - started)
    return n_words / best


def ner_scores(nlp, gold_docs) -> dict:
    from spacy.scorer import get_ner_prf
    from spacy.tokens import Doc
    from spacy.training import Example

    from kgbuild.models.labels import coarse_type

    examples = []
    for gold, pred in zip(gold_docs, nlp.pipe(Doc(nlp.vocab, words=[t.text for t in g]) for g in gold_docs)):
        ents = [e for e in pred.ents if coarse_type(e.label_) is not None]
        spans = [pred.char_span(e.start_char, e.end_char, label=coarse_type(e.label_)) for e in ents]
        pred.ents = [s for s in spans if s is not None]
        examples.append(Example(pred, gold))
    prf = get_ner_prf(examples)
    out = {"p": round(prf["ents_p"], 4), "r": round(prf["ents_r"], 4), "f": round(prf["ents_f"], 4)}
    out["per_type"] = {k: {m: round(v, 4) for m, v in d.items()} for k, d in (prf["ents_per_type"] or {}).items()}
    return out


def bench(name: str, gold_docs, repeat: int) -> dict:
    import spacy

    from kgbuild.models import load_pipeline

    nlp, info = load_pipeline(None if name != "builtin" else "de", name)
    if nlp is None:  # the built-in pipeline: a blank German tokenizer + sentencizer stands in for it here
        nlp = spacy.blank("de")
        nlp.add_pipe("sentencizer")
    texts = [d.text for d in gold_docs]
    n_words = sum(len(d) for d in gold_docs)
    row = {"model": info.name, "source": info.source, "lang": info.lang, "components": list(nlp.pipe_names),
           "words": n_words, "words_per_s": round(speed(nlp, texts, n_words, repeat))}
    if "ner" in nlp.pipe_names:
        row["germeval_dev_ner"] = ner_scores(nlp, gold_docs)
    return row


def gold_mention_scores(nlp, gold_paths: list[Path]) -> dict:
    """The NER alone ("model only") on kgbuild gold files, scored like ``kgbuild eval`` (strict + type)."""
    from kgbuild.evaluation.formats import read_gold
    from kgbuild.evaluation.metrics import micro
    from kgbuild.evaluation.score_mentions import PredMention, score_mentions
    from kgbuild.models.labels import coarse_type

    scores = []
    for doc in read_gold(gold_paths):
        preds = [PredMention(e.start_char, e.end_char, coarse_type(e.label_), None, None, e.text)
                 for e in nlp(doc.text).ents if coarse_type(e.label_)]
        scores.append(score_mentions(doc, sorted(preds, key=lambda p: (p.start, p.end))))
    out = {}
    for key in ("strict", "typed"):
        out[key] = micro(s.ner[key] for s in scores if key in s.ner).as_dict()
    return out


def pipeline_speed(model: str, gold_paths: list[Path], repeat: int) -> dict:
    """Words/s of the whole kgbuild pipeline (mentions, linking, relations) with ``model`` on the gold texts."""
    from kgbuild.evaluation.formats import read_gold
    from kgbuild.pipeline import Pipeline
    from kgbuild.types import Article

    docs = read_gold(gold_paths)
    articles = [Article(id=d.id, text=d.text, lang=d.lang) for d in docs]
    pipe = Pipeline(model=model)
    results = [pipe.process(a) for a in articles]  # warm-up: loads the KB and the model
    words = sum(len(a.text.split()) for a in articles)
    best = float("inf")
    for _ in range(repeat):
        started = time.perf_counter()
        for article in articles:
            pipe.process(article)
        best = min(best, time.perf_counter() - started)
    return {"model": model, "words": words, "words_per_s": round(words / best),
            "mentions": sum(len(r.mentions) for r in results)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sentences", type=int, default=1000, help="GermEval dev sentences to run (default 1000)")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--model", action="append", help="model name or path (repeatable; default: all German)")
    parser.add_argument("--gold", nargs="*", type=Path, default=sorted((ROOT / "examples").glob("*.de.gold.json")),
                        help="kgbuild gold files for the model-only mention scores and pipeline speed")
    args = parser.parse_args()
    import spacy

    from kgbuild.models import available_models

    names = args.model or [m.name for m in available_models() if m.lang == "de"]
    gold = held_out_docs(spacy.blank("de").vocab, args.sentences)
    rows = [bench(name, gold, args.repeat) for name in names]
    if args.gold:
        from kgbuild.models import load_pipeline

        for row in rows:
            nlp = load_pipeline(None, row["model"])[0] if row["model"] != "builtin" else None
            if nlp is not None and "ner" in nlp.pipe_names:
                row["examples_ner_only"] = gold_mention_scores(nlp, args.gold)
            row["examples_pipeline"] = pipeline_speed(row["model"], args.gold, args.repeat)
    report = {"machine": {"cpus": os.cpu_count(), "python": platform.python_version(), "spacy": spacy.__version__},
              "data": f"GermEval 2014 dev, first {len(gold)} sentences", "results": rows}
    out = ROOT / "benchmarks" / "out" / "models.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
