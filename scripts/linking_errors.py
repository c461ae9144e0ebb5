"""Classify every InKB linking error of the development benchmarks (issue 13's error analysis).

    PYTHONPATH=$PWD python scripts/linking_errors.py [--sets kore50 oke2015 ...] [--weights FILE] [--list N]
        [--split all|test|train] [--json FILE] [--kb FILE]

The documents go through the pipeline up to the mentions exactly as in ``scripts/train_linker.py`` (same cache,
same sets), then through the real linker; predictions are aligned with the gold strictly, as ``kgbuild eval``
does (``--skip-demonyms`` for every set but the examples). Each gold QID mention that is not a true positive is
one false negative, in the first class that fits:

- ``not_in_kb``: the gold entity is not in the KB (nothing can link it);
- ``no_mention``: no mention at the gold span, but one overlapping it (a boundary error);
- ``not_found``: no mention at or overlapping the gold span (recognition missed the name);
- ``not_candidate``: a mention at the span, but the gold entity is not among its KB candidates (name form);
- ``ranked_below``: the gold entity is a candidate, another one ranks above it;
- ``below_threshold``: the gold entity ranks first but the mention stays unlinked (NIL threshold);
- ``overridden``: the gold entity ranks first but the link went elsewhere (a short name taken as an earlier full
  name of the article).

Each predicted link that is no gold QID mention's link is a false positive: at a gold QID mention with another
QID (``fp_wrong_qid``, the other side of ``ranked_below`` / ``not_in_kb`` / ...), at a gold NIL mention
(``fp_gold_nil``), at a span that overlaps a gold mention without aligning (``fp_nested_span``), or at a span
with no gold mention at all (``fp_no_gold``). The totals agree with ``kgbuild eval``'s InKB TP / FP / FN: the
documents nobody annotated are left out as there (``train_linker.in_scope``, ``kgbuild/evaluation/scope.py``).
"""
from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from train_linker import DEMONYM_SETS, SETS, in_scope, prepared, split_of  # noqa: E402

from kgbuild.evaluation.align import strict_alignment  # noqa: E402
from kgbuild.kb import open_kb  # noqa: E402
from kgbuild.linking import LinkerConfig, link  # noqa: E402
from kgbuild.pipeline import Pipeline  # noqa: E402

FN_CLASSES = ("not_in_kb", "no_mention", "not_found", "not_candidate", "ranked_below", "below_threshold",
              "overridden")
FP_CLASSES = ("fp_wrong_qid", "fp_gold_nil", "fp_nested_span", "fp_no_gold")


def classify(doc, linked, kb, skip_demonyms: bool) -> tuple[Counter, list[dict]]:
    """Counts per class of one document, and one record per error (for reading)."""
    counts: Counter = Counter()
    errors: list[dict] = []
    b, e = doc.span
    gold = [g for g in doc.mentions if b <= g.start and g.end <= e]
    # the mentions ``kgbuild eval`` scores (predicted_mentions): inside the span, no coref, demonyms per set
    preds = [m for m in linked if b <= m.start and m.end <= e and m.source != "coref"
             and not (skip_demonyms and m.kind == "demonym")]
    preds.sort(key=lambda m: (m.start, m.end))
    pairs = strict_alignment([(g.start, g.end) for g in gold], [(m.start, m.end) for m in preds], doc.text)

    def qid_of(m) -> str | None:
        return m.entity_key if m.entity_key and m.entity_key.startswith("Q") else None

    def note(cls: str, g, m) -> None:
        counts[cls] += 1
        errors.append({"class": cls, "doc": doc.id,
                       "gold": (doc.text[g.start:g.end], g.qid) if g is not None else None,
                       "pred": (m.text, qid_of(m), m.confidence) if m is not None else None,
                       "candidates": [(c.qid, c.name, round(c.score, 3)) for c in (m.candidates if m else ())[:4]]})

    for i, g in enumerate(gold):
        m = preds[pairs[i]] if i in pairs else None
        if g.optional:
            if m is not None and qid_of(m) and qid_of(m) != g.qid:
                note("fp_wrong_qid", g, m)
            continue
        if g.qid is None:
            if m is not None and qid_of(m):
                note("fp_gold_nil", g, m)
            continue
        if m is not None and qid_of(m) == g.qid:
            counts["tp"] += 1
            continue
        if m is not None and qid_of(m):
            note("fp_wrong_qid", None, m)
        if kb.entity(g.qid) is None:
            note("not_in_kb", g, m)
        elif m is None:
            overlapping = [p for p in preds if p.start < g.end and g.start < p.end]
            note("no_mention" if overlapping else "not_found", g, overlapping[0] if overlapping else None)
        elif g.qid not in {c.qid for c in m.candidates}:
            note("not_candidate", g, m)
        elif m.candidates[0].qid != g.qid:
            note("ranked_below", g, m)
        elif not qid_of(m):
            note("below_threshold", g, m)
        else:
            note("overridden", g, m)
    paired = set(pairs.values())
    for j, m in enumerate(preds):
        if j in paired or not qid_of(m):
            continue
        nested = any(g.start < m.end and m.start < g.end for g in gold)
        note("fp_nested_span" if nested else "fp_no_gold", None, m)
    return counts, errors


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--sets", nargs="*", default=[s for s in SETS if s != "examples"] + ["examples"])
    ap.add_argument("--weights", help="linker weights (default: the bundled ones)")
    ap.add_argument("--kb", help="a KB file, e.g. one enlarged by `kgbuild kb import` (default: the bundled KB)")
    ap.add_argument("--cache", type=Path, default=Path(__file__).resolve().parent.parent / "benchmarks/out/linker-cache")
    ap.add_argument("--split", choices=("all", "test", "train"), default="all",
                    help="only the documents of this half of each benchmark (see train_linker.split_of; "
                         "the held-out examples count as test)")
    ap.add_argument("--list", type=int, default=0, help="print up to N errors of each class and set")
    ap.add_argument("--json", type=Path, help="write every error record here")
    args = ap.parse_args()
    pipeline = Pipeline(kb=open_kb(args.kb) if args.kb else None)
    kb = pipeline.knowledge_base
    cfg = LinkerConfig(weights=args.weights)
    cols = ["tp", *FN_CLASSES, *FP_CLASSES]
    print("| set | " + " | ".join(cols) + " | P / R / F1 |")
    print("|---|" + "---:|" * len(cols) + "---|")
    dump = {}
    for name in args.sets:
        total: Counter = Counter()
        errs: list[dict] = []
        for doc, article, lang, _sentences, mentions, _model in in_scope(prepared(name, pipeline, args.cache)):
            # the held-out examples are a test set as a whole: never shown with the training halves
            half = "test" if name == "heldout" else split_of(name, doc.id)
            if args.split != "all" and half != args.split:
                continue
            linked, _ = link(mentions, kb, lang, cfg, text=article.text, published=article.published)
            c, e = classify(doc, linked, kb, name not in DEMONYM_SETS)
            total.update(c)
            errs += e
        tp = total["tp"]
        fn = sum(total[k] for k in FN_CLASSES)
        fp = sum(total[k] for k in FP_CLASSES)
        p, r = tp / max(1, tp + fp), tp / max(1, tp + fn)
        f = 2 * p * r / max(1e-9, p + r)
        print(f"| {name} | " + " | ".join(str(total[k]) for k in cols)
              + f" | {100 * p:.1f} / {100 * r:.1f} / {100 * f:.1f} |", flush=True)
        dump[name] = errs
        if args.list:
            for cls in (*FN_CLASSES, *FP_CLASSES):
                for err in [x for x in errs if x["class"] == cls][:args.list]:
                    print("   ", cls, err["doc"], err["gold"], err["pred"], err["candidates"], file=sys.stderr)
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(dump, indent=1, ensure_ascii=False), encoding="utf-8")


if __name__ == "__main__":
    main()
