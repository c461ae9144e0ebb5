#!/usr/bin/env python3
"""Speed (words/s) and held-out scores of the spaCy pipelines kgbuild can use, on this machine.

For each model (default: every one ``kgbuild.models.available_models()`` lists for German) it runs
``nlp.pipe`` over held-out German sentences (GermEval 2014 dev, never trained on) and reports words/s (best
of ``--repeat`` runs, after one warm-up) and, for pipelines with an NER, outer-level P/R/F on them.
``--compare MODEL`` adds the mention comparison rules only / model only / combined (the kgbuild pipeline,
scored like ``kgbuild eval``) with words/s, on the German examples, HIPE sonar dev and GermEval dev.
Writes JSON to stdout and ``benchmarks/out/models.json``.

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
    for gold, pred in zip(gold_docs, nlp.pipe(Doc(nlp.vocab, words=[t.text for t in g]) for g in gold_docs), strict=True):
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
        if info.lang == "de":
            row["smartdata_test_ner"] = smartdata_scores(nlp)
    return row


def germeval_gold(out: Path, limit: int) -> Path:
    """GermEval 2014 dev (held out) -> a kgbuild gold JSONL file (one document per sentence, all entities NIL)."""
    from collections import defaultdict

    import spacy

    from kgbuild.models.corpora import read_ner_docs

    docs = read_ner_docs(DATA / "germeval2014_ner" / "NER-de-dev.tsv", spacy.blank("de").vocab)[:limit]
    derived = _derived_spans(DATA / "germeval2014_ner" / "NER-de-dev.tsv")
    out.parent.mkdir(parents=True, exist_ok=True)
    with open(out, "w", encoding="utf-8") as fh:
        for i, doc in enumerate(docs):
            ents: dict[tuple[str, str], list] = defaultdict(list)
            for e in doc.ents:
                ents[(e.text, e.label_)].append([e.start_char, e.end_char, e.text])
            entities = [{"id": None, "name": f"{text} ({label})", "type": label, "mentions": ms}
                        for (text, label), ms in ents.items()]
            # GermEval's *deriv / *part spans ("russische", "EU-Staaten") are not names of the four types but
            # not "no entity" either: optional, so that neither finding nor missing them counts
            # The name inside a *part compound ("SPD" of "SPD-Genossen", "SPD" of "Bundes-SPD") is what kgbuild
            # (like its own gold: "Siemens-Chef") marks as the mention: optional too.
            for j, (start, end, label) in enumerate(derived[i] if i < len(derived) else []):
                text = doc.text[start:end]
                if not text:
                    continue
                spans = [(start, end)]
                if " " not in text and "-" in text.strip("-"):
                    head, tail = text.split("-", 1)[0], text.rsplit("-", 1)[1]
                    spans += [(start, start + len(head)), (end - len(tail), end)]
                for k, (s, e) in enumerate(spans):
                    entities.append({"id": None, "name": f"{doc.text[s:e]} ({label}deriv {j}.{k})", "type": label,
                                     "mentions": [[s, e]], "optional": True})
            fh.write(json.dumps({"id": f"germeval-dev-{i}", "lang": "de", "text": doc.text, "entities": entities},
                                ensure_ascii=False) + "\n")
    return out


def _derived_spans(path: Path) -> list[list[tuple[int, int, str]]]:
    """Per sentence, the character spans of GermEval's *deriv and *part entities (outer level), with the
    offsets of a Doc built from the tokens joined by single spaces (as ``read_ner_docs`` builds it)."""
    out, spans, offset, current = [], [], 0, None
    for line in path.read_text(encoding="utf-8").splitlines() + [""]:
        if not line.strip():
            if current:
                spans.append(current)
            if offset:
                out.append(spans)
            spans, offset, current = [], 0, None
            continue
        if line.startswith("#"):
            continue
        cols = line.split("\t")
        token, tag = cols[1], cols[2]
        start, end = offset, offset + len(token)
        offset = end + 1
        kind = tag[2:]
        if tag.startswith("B-") and kind.endswith(("deriv", "part")):
            if current:
                spans.append(current)
            current = (start, end, {"OTH": "MISC"}.get(kind[:3], kind[:3]))
        elif tag.startswith("I-") and current and kind.endswith(("deriv", "part")):
            current = (current[0], end, current[2])
        else:
            if current:
                spans.append(current)
            current = None
    return out


#: SmartData concept types -> kgbuild types; None = not scored (a prediction on such a span is ignored too)
SMARTDATA_TYPES = {"PERSON": "PER", "ORGANIZATION": "ORG", "ORGANIZATION_COMPANY": "ORG", "LOCATION": "LOC",
                   "LOCATION_CITY": "LOC", "LOCATION_STOP": None, "LOCATION_STREET": None, "LOCATION_ROUTE": None}


def smartdata_scores(nlp, split: str = "test") -> dict:
    """NER alone on SmartData (German newswire, RSS, tweets; annotations research-only: measured, never trained
    on): exact span + type P/R/F over PER/ORG/LOC; traffic stops, streets and routes are left out."""
    from corpus import json_objects  # benchmarks/, this script's folder

    docs = json_objects(DATA / "smartdata_de" / f"{split}.json.gz")
    tp = fp = fn = 0
    for doc in docs:
        text = doc["text"]["string"]
        gold, ignored = set(), []
        for m in doc["conceptMentions"]["array"]:
            if m["type"] in SMARTDATA_TYPES:
                span = (m["span"]["start"], m["span"]["end"])
                gold.add((*span, SMARTDATA_TYPES[m["type"]])) if SMARTDATA_TYPES[m["type"]] else ignored.append(span)
        pred = {(e.start_char, e.end_char, e.label_) for e in nlp(text).ents if e.label_ in ("PER", "ORG", "LOC")}
        pred = {p for p in pred if not any(p[0] < e and b < p[1] for b, e in ignored)}
        tp, fp, fn = tp + len(gold & pred), fp + len(pred - gold), fn + len(gold - pred)
    p, r = tp / max(tp + fp, 1), tp / max(tp + fn, 1)
    return {"documents": len(docs), "tp": tp, "fp": fp, "fn": fn, "precision": round(p, 4), "recall": round(r, 4),
            "f1": round(2 * p * r / max(p + r, 1e-9), 4)}


def _scores(counts) -> dict:
    from kgbuild.evaluation.metrics import micro

    return micro(counts).as_dict()


def compare(name: str, gold_paths: list[Path], skip_demonyms: bool = False) -> list[dict]:
    """Mentions on ``gold_paths``: rules only (built-in), model only (NER alone), combined (kgbuild + model).

    Each row is what ``kgbuild eval GOLD`` reports with ``--model builtin``, ``--model NAME --mentions ner`` and
    ``--model NAME`` (strict span + type; ``skip_demonyms`` like ``--skip-demonyms``); words/s of the whole
    kgbuild pipeline (NLP, mentions, linking, relations) in each configuration over the same texts.
    """
    from kgbuild.evaluation.formats import read_gold
    from kgbuild.evaluation.runner import article_of, run
    from kgbuild.pipeline import Pipeline

    docs = read_gold(gold_paths)
    words = sum(len(d.text.split()) for d in docs)
    rows = []
    for label, model, mode in (("rules only", "builtin", "combined"), ("model only", name, "ner"),
                               ("combined", name, "combined")):
        pipe = Pipeline(model=model, mention_mode=mode)
        pipe.process(article_of(docs[0]))  # warm-up: KB and model loaded once
        started = time.perf_counter()
        scores = list(run(docs, pipe, skip_demonyms=skip_demonyms))
        seconds = time.perf_counter() - started
        rows.append({"config": label, "model": model, "mentions": mode,
                     "typed": _scores(s.mentions.ner["typed"] for s in scores),
                     "strict": _scores(s.mentions.ner["strict"] for s in scores),
                     "relations": _scores(s.relations.counts["all"] for s in scores if s.relations is not None
                                          and "all" in s.relations.counts)
                     if any(s.relations is not None for s in scores) else None,
                     "words_per_s": round(words / seconds)})
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sentences", type=int, default=1000, help="GermEval dev sentences to run (default 1000)")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--model", action="append", help="model name or path (repeatable; default: all German)")
    parser.add_argument("--compare", default="de_kgbuild_news",
                        help="model for the rules/model/combined comparison ('' to skip)")
    parser.add_argument("--germeval-gold", type=Path, metavar="FILE",
                        help="only write GermEval dev (first --sentences sentences) as kgbuild gold to FILE, for "
                             "'kgbuild eval FILE', and stop")
    args = parser.parse_args()
    if args.germeval_gold:
        print(germeval_gold(args.germeval_gold, args.sentences))
        return
    import spacy

    from kgbuild.models import available_models

    names = args.model or [m.name for m in available_models() if m.lang == "de"]
    gold = held_out_docs(spacy.blank("de").vocab, args.sentences)
    rows = [bench(name, gold, args.repeat) for name in names]
    comparison = {}
    if args.compare:
        german = sorted((ROOT / "examples").glob("*.de.gold.json"))
        sets = {f"examples ({len(german)} German articles)": german,
                "HIPE-2022 sonar dev (historical, 10 documents)":
                    [DATA / "hipe2022_de" / "HIPE-2022-v2.1-sonar-dev-de.tsv"],
                f"GermEval 2014 dev (first {args.sentences} sentences)":
                    [germeval_gold(ROOT / "benchmarks" / "out" / "germeval-dev.gold.jsonl", args.sentences)]}
        comparison = {title: compare(args.compare, paths) for title, paths in sets.items()}
        # HIPE never annotates adjectives of nationality, which kgbuild links to their country
        comparison["HIPE-2022 sonar dev, demonyms not scored (--skip-demonyms)"] = compare(
            args.compare, sets["HIPE-2022 sonar dev (historical, 10 documents)"], skip_demonyms=True)
    report = {"machine": {"cpus": os.cpu_count(), "python": platform.python_version(), "spacy": spacy.__version__},
              "data": f"GermEval 2014 dev, first {len(gold)} sentences", "results": rows,
              "comparison": comparison}
    out = ROOT / "benchmarks" / "out" / "models.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
