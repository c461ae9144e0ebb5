"""Aggregate per-document scores into the report (a JSON-ready dict) and render it as a text table.

In: ``DocScore``s. Out: ``build_report(...) -> dict`` (micro sums, macro means, per type, per language,
status accuracy, errors) and ``render_table(report) -> str``.
"""
from __future__ import annotations

from collections import Counter, defaultdict

from kgbuild.evaluation.metrics import Counts, macro, micro
from kgbuild.evaluation.runner import DocScore

ERROR_KINDS = ("missed", "wrong_qid", "spurious", "nil_linked", "relation_missed", "relation_spurious", "status_wrong")


def _sum(scores, get) -> Counts:
    return micro(get(s) for s in scores)


def _prefixed(scores, table, prefix: str) -> dict:
    keys = sorted({k for s in scores for k in table(s) if k.startswith(prefix)})
    return {k[len(prefix):]: _sum(scores, lambda s, k=k: table(s).get(k, Counts())).as_dict() for k in keys}


def _mentions_section(all_scores: list[DocScore]) -> dict:
    ner = lambda s: s.mentions.ner  # noqa: E731
    link = lambda s: s.mentions.linking  # noqa: E731
    scores = [s for s in all_scores if s.doc.links_annotated]  # linking: not documents annotated for NER only
    return {
        "recognition": {name: _sum(all_scores, lambda s, n=name: ner(s).get(n, Counts())).as_dict()
                        for name in ("strict", "overlap", "typed")} | {"per_type": _prefixed(all_scores, ner, "typed:")},
        "linking": {"inkb_micro": _sum(scores, lambda s: link(s).get("inkb", Counts())).as_dict(),
                    "inkb_macro": macro(link(s).get("inkb", Counts()) for s in scores),
                    "per_type": _prefixed(scores, link, "inkb:"),
                    "nil": _sum(scores, lambda s: s.mentions.nil).as_dict(),
                    "entities": _sum(scores, lambda s: s.mentions.entities).as_dict(),
                    "d2kb_micro": _sum(scores, lambda s: link(s).get("d2kb", Counts())).as_dict(),
                    "d2kb_macro": macro(link(s).get("d2kb", Counts()) for s in scores),
                    "d2kb_per_type": _prefixed(scores, link, "d2kb:"),
                    "d2kb_unjudged_links": sum(s.mentions.unjudged for s in scores),
                    "d2kb_boundary_links": sum(s.mentions.boundary for s in scores)},
        "reliability": _reliability(scores),
    }


#: confidence bins of the reliability table (as in scripts/train_linker.py)
EDGES = (0.0, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0)


def _reliability(scores: list[DocScore]) -> dict:
    """Per confidence bin and scope (inkb: every link, d2kb: links on gold mentions): links, mean confidence,
    share right; and the same for links with confidence >= 0.9."""
    out: dict = {"edges": list(EDGES)}
    for pos, scope in ((1, "inkb"), (2, "d2kb")):
        links = [(r[0], r[pos]) for s in scores for r in s.mentions.links if r[pos] is not None]
        rows = []
        for k, (lo, hi) in enumerate(zip(EDGES, EDGES[1:], strict=False)):
            last = k == len(EDGES) - 2
            rows.append(_bin(f"{lo:.1f}-{hi:.1f}", [x for x in links if lo <= x[0] < hi or last and x[0] >= hi]))
        out[scope] = rows
        out[f"{scope}_at_least_0.9"] = _bin(">=0.9", [x for x in links if x[0] >= 0.9])
    return out


def _bin(label: str, links: list[tuple[float, bool]]) -> dict:
    n = len(links)
    return {"bin": label, "links": n, "right": sum(ok for _, ok in links),
            "mean_confidence": round(sum(c for c, _ in links) / n, 4) if n else None,
            "share_right": round(sum(ok for _, ok in links) / n, 4) if n else None}


def _relations_section(scores: list[DocScore]) -> dict | None:
    rel = [s for s in scores if s.relations is not None]
    if not rel:
        return None
    confusion: Counter = Counter()
    for s in rel:
        confusion.update(s.relations.confusion)
    matched = sum(s.relations.status_matched for s in rel)
    correct = sum(s.relations.status_correct for s in rel)
    return {"documents": len(rel),
            "micro": _sum(rel, lambda s: s.relations.counts.get("all", Counts())).as_dict(),
            "per_type": _prefixed(rel, lambda s: s.relations.counts, "rel:"),
            "status": {"matched": matched, "correct": correct,
                       "accuracy": round(correct / matched, 4) if matched else None,
                       "confusion": [{"gold": g, "predicted": p, "n": n} for (g, p), n in sorted(confusion.items(), key=str)]}}


def build_report(scores: list[DocScore], max_errors: int = 10, meta: dict | None = None) -> dict:
    """The whole report; ``max_errors`` per error kind are listed (-1: all), the totals always."""
    by_lang: dict[str, list[DocScore]] = defaultdict(list)
    for s in scores:
        by_lang[s.lang or "?"].append(s)
    report = dict(meta or {})
    report["documents"] = len(scores)
    report["languages"] = {lang: len(v) for lang, v in sorted(by_lang.items())}
    report.update(_mentions_section(scores))
    report["relations"] = _relations_section(scores)
    report["per_language"] = {lang: _brief(v) for lang, v in sorted(by_lang.items())}
    report["errors"] = _errors(scores, max_errors)
    report["per_document"] = [_doc_row(s) for s in scores]
    report["failed"] = [{"doc": s.doc.id, "error": s.failure} for s in scores if s.failure]
    stages: Counter = Counter()
    for s in scores:
        stages.update(s.timings)
    report["seconds"] = {"total": round(sum(s.seconds for s in scores), 3),
                         "stages": {k: round(v, 3) for k, v in sorted(stages.items())}}
    return report


def _brief(scores: list[DocScore]) -> dict:
    full = _mentions_section(scores)
    out = {"documents": len(scores), "recognition_strict": full["recognition"]["strict"],
           "recognition_overlap": full["recognition"]["overlap"], "linking_inkb_micro": full["linking"]["inkb_micro"],
           "linking_inkb_macro": full["linking"]["inkb_macro"], "linking_d2kb_micro": full["linking"]["d2kb_micro"]}
    rel = _relations_section(scores)
    if rel:
        out["relations_micro"] = rel["micro"]
        out["status_accuracy"] = rel["status"]["accuracy"]
    return out


def _doc_row(s: DocScore) -> dict:
    row = {"doc": s.doc.id, "lang": s.lang, "seconds": round(s.seconds, 3),
           "recognition_strict": s.mentions.ner.get("strict", Counts()).as_dict(),
           "linking_inkb": s.mentions.linking.get("inkb", Counts()).as_dict(),
           "linking_d2kb": s.mentions.linking.get("d2kb", Counts()).as_dict(), "gold_mentions": len(s.doc.mentions),
           "d2kb_unjudged_links": s.mentions.unjudged, "d2kb_boundary_links": s.mentions.boundary,
           "links_annotated": s.doc.links_annotated}
    if s.relations is not None:
        row["relations"] = s.relations.counts.get("all", Counts()).as_dict()
    return row


def _errors(scores: list[DocScore], max_errors: int) -> dict:
    found: dict[str, list] = {k: [] for k in ERROR_KINDS}
    for s in scores:
        for err in (s.mentions.errors if s.doc.links_annotated else []) + (s.relations.errors if s.relations else []):
            found[err["kind"]].append(err)
    out = {"totals": {k: len(v) for k, v in found.items()}}
    for kind, errs in found.items():
        out[kind] = errs if max_errors < 0 else errs[:max_errors]
    return out


def _row(name: str, c: dict) -> str:
    return (f"  {name:<26}{c['precision'] * 100:7.1f}{c['recall'] * 100:7.1f}{c['f1'] * 100:7.1f}"
            f"{c.get('tp', ''):>7}{c.get('fp', ''):>7}{c.get('fn', ''):>7}")


def render_table(report: dict) -> str:
    """The report as plain text: one block per task, then the listed errors."""
    head = f"  {'':<26}{'P':>7}{'R':>7}{'F1':>7}{'TP':>7}{'FP':>7}{'FN':>7}"
    langs = ", ".join(f"{k}: {v}" for k, v in report["languages"].items())
    lines = [f"kgbuild eval: {report['documents']} documents ({langs})", ""]
    rec, link = report["recognition"], report["linking"]
    lines += ["Entity recognition (mention spans)", head, _row("strict", rec["strict"]), _row("overlap", rec["overlap"]),
              _row("strict + type", rec["typed"])]
    lines += [_row(f"  {t}", c) for t, c in rec["per_type"].items()]
    lines += ["", "Entity linking (InKB: gold mentions with a QID; every link judged)", head, _row("micro", link["inkb_micro"]),
              _row("macro (mean over documents)", link["inkb_macro"])]
    lines += [_row(f"  {t}", c) for t, c in link["per_type"].items()]
    lines += [_row("NIL (unlinked) mentions", link["nil"]), _row("QIDs per document (set)", link["entities"])]
    cov = report.get("kb_coverage")
    if cov and cov["all"]["gold"]:
        cells = [f"all {cov['all']['ceiling'] * 100:.1f}"] + [
            f"{t} {c['ceiling'] * 100:.1f}" for t, c in cov["per_type"].items() if c["ceiling"] is not None]
        lines += [f"  KB coverage ceiling (gold QID mentions whose entity is in the KB, %): {', '.join(cells)}"
                  f"  [{cov['all']['in_kb']} of {cov['all']['gold']}]"]
    lines += ["", "Entity linking on the gold's own mentions (D2KB: a link on text the gold did not annotate is not counted)",
              head, _row("micro", link["d2kb_micro"]), _row("macro (mean over documents)", link["d2kb_macro"])]
    lines += [_row(f"  {t}", c) for t, c in link["d2kb_per_type"].items()]
    lines += [f"  links on text the gold did not annotate (not judged): {link['d2kb_unjudged_links']}",
              f"  links inside or across a gold mention, aligned with none (boundary; not counted, InKB FP): "
              f"{link['d2kb_boundary_links']}"]
    lines += _reliability_lines(report.get("reliability"))
    lines += _annotation_lines(report.get("annotation"))
    rel = report.get("relations")
    if rel:
        lines += ["", f"Relations and events ({rel['documents']} documents with relation gold)", head,
                  _row("all (micro)", rel["micro"])]
        lines += [_row(f"  {t}", c) for t, c in rel["per_type"].items()]
        st = rel["status"]
        acc = f"{st['accuracy'] * 100:.1f}%" if st["accuracy"] is not None else "n/a"
        lines.append(f"  status (planned/happened) accuracy: {acc} of {st['matched']} matched relations")
    if len(report["per_language"]) > 1:
        lines += ["", "Per language", head]
        for lang, b in report["per_language"].items():
            lines += [_row(f"{lang} recognition strict", b["recognition_strict"]),
                      _row(f"{lang} linking InKB micro", b["linking_inkb_micro"]),
                      _row(f"{lang} linking D2KB micro", b["linking_d2kb_micro"])]
            if "relations_micro" in b:
                lines.append(_row(f"{lang} relations", b["relations_micro"]))
    lines += _error_lines(report["errors"])
    if report.get("failed"):
        lines += ["", f"Documents the pipeline refused (scored as nothing found): {len(report['failed'])}"]
        lines += [f"  {f['doc']}: {f['error']}" for f in report["failed"]]
    return "\n".join(lines) + "\n"


def _reliability_lines(rel: dict | None) -> list[str]:
    if not rel:
        return []

    def cell(b: dict) -> str:
        if not b["links"]:
            return f"{0:>7}{'-':>7}{'-':>7}"
        return f"{b['links']:>7}{b['mean_confidence'] * 100:7.1f}{b['share_right'] * 100:7.1f}"

    lines = ["", "Reliability of the link confidence (links, mean confidence %, right %)",
             f"  {'confidence':<12}{'InKB: links':>14}{'conf':>7}{'right':>7}{'D2KB: links':>14}{'conf':>7}{'right':>7}"]
    for a, b in zip(rel["inkb"], rel["d2kb"], strict=True):
        lines.append(f"  {a['bin']:<12}{cell(a):>28}{cell(b):>28}")
    lines.append(f"  {'>= 0.9':<12}{cell(rel['inkb_at_least_0.9']):>28}{cell(rel['d2kb_at_least_0.9']):>28}")
    return lines


def _annotation_lines(ann: dict | None) -> list[str]:
    if not ann or not (ann["not_annotated"] or ann["sparse"] or ann.get("links_not_annotated")):
        return []
    lines = []
    if ann.get("links_not_annotated"):
        how = "links scored all the same (--score-unannotated)" if ann["not_annotated_scored"] else \
            "left out of the linking scores, scored for recognition"
        lines += ["", f"Documents whose links are not annotated (every gold mention NIL, >= {ann['rule']['min_expected']:g} "
                      f"QIDs expected at the share of the file's linked documents): {len(ann['links_not_annotated'])}, {how}"]
        lines += [f"  {a['doc']}: {a['gold_mentions']} gold mentions, all NIL, {a['expected']:g} QIDs expected"
                  for a in ann["links_not_annotated"]]
    if ann["not_annotated"]:
        how = "scored all the same (--score-unannotated)" if ann["not_annotated_scored"] else "left out of every score"
        lines += ["", f"Documents not annotated (no gold mention, >= {ann['rule']['min_expected']:g} expected at the "
                      f"density of the file's other documents): {len(ann['not_annotated'])}, {how}"]
        lines += [f"  {a['doc']}: {a['chars']} characters, {a['expected']:g} gold mentions expected" for a in ann["not_annotated"]]
    if ann["sparse"]:
        lines += ["", f"Documents sparsely annotated (fewer than {ann['rule']['sparse_share'] * 100:g} % of the gold "
                      f"mentions expected; scored, D2KB is the fair linking figure): {len(ann['sparse'])}"]
        lines += [f"  {a['doc']}: {a['chars']} characters, {a['gold_mentions']} gold mentions, {a['expected']:g} expected"
                  for a in ann["sparse"]]
    return lines


def _error_lines(errors: dict) -> list[str]:
    lines = []
    for kind in ERROR_KINDS:
        listed = errors.get(kind) or []
        if not listed:
            continue
        lines += ["", f"Errors: {kind} ({errors['totals'][kind]}, {len(listed)} shown)"]
        for e in listed:
            if "relation" in e:
                extra = f" [{e.get('predicted_status') or e.get('status') or ''}]" if kind != "status_wrong" else \
                    f" [gold {e['gold_status']}, predicted {e['predicted_status']}]"
                lines.append(f"  {e['doc']}: {e['relation']}{extra}  | {e.get('evidence', '')}")
            else:
                gold = f"gold {e['gold']} {e.get('gold_name', '')}".rstrip() if "gold" in e else "no gold"
                pred = f"predicted {e['predicted']} {e.get('predicted_label', '')}".rstrip() if "predicted" in e else "not found"
                note = {"not judged": " (D2KB: not judged)", "boundary": " (D2KB: boundary)"}.get(e.get("d2kb", ""), "")
                lines.append(f"  {e['doc']}: {e['text']!r} {gold}; {pred}{note}  | {e['context']}")
    return lines
