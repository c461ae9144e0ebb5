"""Relations of one document: predicted truthy triples against the gold relations, as sets per document.

In: a ``GoldDocument`` with relations and the ``DocumentResult``. Out: ``RelationScore``.
- Entities match by QID; an unlinked gold entity (named, no QID) matches the predicted entity with the same
  normalised name or one of its mention texts, or whose mentions overlap its gold mentions.
- Symmetric relations (``SYMMETRIC``, from the relation catalogue) match in either direction. ``says`` has no object; only the speaker counts.
- Sub-properties (RDFS entailment): a predicted ``signsTreatyWith`` also satisfies a gold
  ``signsAgreementWith``; per type, both sides are closed under ``SUPER`` before counting.
- Status: ``announced`` counts as ``planned``; accuracy over matched gold relations that have a status.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from kgbuild.evaluation.gold import GoldDocument, is_qid, normalize_name
from kgbuild.evaluation.metrics import Counts
from kgbuild.evaluation.score_mentions import context
from kgbuild.relations.catalogue import super_properties, symmetric_properties, unary_properties
from kgbuild.types import DocumentResult, Event

#: symmetric kg: relation properties, sub-properties and relations without an object: from the relation catalogue
SYMMETRIC = symmetric_properties()
SUPER = super_properties()
UNARY = unary_properties()

Key = tuple[str, str, str | None]


def ancestors(predicate: str) -> set[str]:
    """The predicate and every property it is a sub-property of."""
    out, todo = {predicate}, [predicate]
    while todo:
        for parent in SUPER.get(todo.pop(), ()):
            if parent not in out:
                out.add(parent)
                todo.append(parent)
    return out


def make_key(predicate: str, subject: str, obj: str | None) -> Key:
    if predicate in UNARY:
        return predicate, subject, None
    if predicate in SYMMETRIC and obj is not None and obj < subject:
        subject, obj = obj, subject
    return predicate, subject, obj


@dataclass
class RelationScore:
    counts: dict[str, Counts] = field(default_factory=dict)  # "all", "rel:visits", ...
    status_matched: int = 0
    status_correct: int = 0
    confusion: Counter = field(default_factory=Counter)  # (gold status, predicted status) -> n
    errors: list[dict] = field(default_factory=list)


def gold_ref(doc: GoldDocument, ref: str | None) -> str | None:
    if ref is None:
        return None
    return ref if is_qid(ref) else "name:" + normalize_name(ref)


def status_of(value: str | None) -> str | None:
    return "planned" if value == "announced" else value


def score_relations(doc: GoldDocument, result: DocumentResult, min_confidence: float = 0.5) -> RelationScore:
    gold: dict[Key, list] = {}
    for r in doc.relations:
        key = make_key(r.predicate, gold_ref(doc, r.subject), gold_ref(doc, r.object))
        gold.setdefault(key, []).append(r)
    resolve = EntityResolver(doc, result)
    pred: dict[Key, Event] = {}
    for ev in result.events:
        if ev.confidence < min_confidence or not ev.subject:
            continue
        key = make_key(ev.relation, resolve(ev.subject), resolve(ev.object) if ev.object else None)
        if key not in pred or ev.confidence > pred[key].confidence:
            pred[key] = ev
    score = RelationScore()
    _count(score, doc, result, gold, pred)
    _per_type(score, gold, pred)
    return score


def _matches(pkey: Key, gkey: Key) -> bool:
    if gkey[0] not in ancestors(pkey[0]):
        return False
    return make_key(gkey[0], pkey[1], pkey[2]) == gkey


def _count(score: RelationScore, doc: GoldDocument, result: DocumentResult, gold: dict, pred: dict) -> None:
    total = score.counts.setdefault("all", Counts())
    used: set[Key] = set()
    for gkey, rels in gold.items():
        hits = sorted((p for p in pred if _matches(p, gkey)), key=lambda p: (p[0] != gkey[0], -pred[p].confidence))
        if not hits:
            total.fn += 1
            score.errors.append(_gold_error("relation_missed", doc, result, gkey, rels[0]))
            continue
        total.tp += 1
        used.update(hits)
        statuses = {status_of(r.status) for r in rels if r.status}
        if statuses:
            got = status_of(pred[hits[0]].status)
            score.status_matched += 1
            score.status_correct += got in statuses
            score.confusion[("/".join(sorted(statuses)), got)] += 1
            if got not in statuses:
                err = _pred_error("status_wrong", doc, result, hits[0], pred[hits[0]])
                err["gold_status"] = "/".join(sorted(statuses))
                score.errors.append(err)
    for pkey, ev in pred.items():
        if pkey not in used:
            total.fp += 1
            score.errors.append(_pred_error("relation_spurious", doc, result, pkey, ev))


def _per_type(score: RelationScore, gold: dict, pred: dict) -> None:
    def closed(keys) -> set[Key]:
        return {make_key(t, k[1], k[2]) for k in keys for t in ancestors(k[0])}

    g, p = closed(gold), closed(pred)
    for rel in sorted({k[0] for k in g | p}):
        gt, pt = {k for k in g if k[0] == rel}, {k for k in p if k[0] == rel}
        score.counts[f"rel:{rel}"] = Counts(tp=len(gt & pt), fp=len(pt - gt), fn=len(gt - pt))


class EntityResolver:
    """Predicted entity key -> the gold entity it stands for (QID or ``name:…``), else its own QID or name."""

    def __init__(self, doc: GoldDocument, result: DocumentResult) -> None:
        self.result = result
        self.gold_qids = {m.qid for m in doc.mentions if m.qid} | {r for r in doc.names if is_qid(r)}
        self.nil_names: dict[str, str] = {}  # normalised surface -> gold ref
        self.nil_spans: list[tuple[int, int, str]] = []
        for ref, name in doc.names.items():
            if not is_qid(ref):
                self.nil_names.setdefault(normalize_name(name), gold_ref(doc, ref))
                self.nil_names.setdefault(normalize_name(ref), gold_ref(doc, ref))
        for m in doc.mentions:
            if m.qid is None and not is_qid(m.entity):
                self.nil_spans.append((m.start, m.end, gold_ref(doc, m.entity)))
                self.nil_names.setdefault(normalize_name(doc.text[m.start:m.end]), gold_ref(doc, m.entity))

    def __call__(self, key: str) -> str:
        ent = self.result.entity(key)
        qid = ent.qid if ent is not None else (key if is_qid(key) else None)
        if qid and qid in self.gold_qids:
            return qid
        surfaces = [m for m in self.result.mentions if m.entity_key == key]
        for name in [ent.label if ent else key] + [m.text for m in surfaces]:
            ref = self.nil_names.get(normalize_name(name))
            if ref:
                return ref
        votes = Counter(ref for m in surfaces for s, e, ref in self.nil_spans if min(e, m.end) > max(s, m.start))
        if votes:
            return votes.most_common(1)[0][0]
        return qid or "name:" + normalize_name(ent.label if ent else key)


def _namer(doc: GoldDocument, result: DocumentResult):
    """ref -> 'Name (Q…)' for display: gold names first, then the pipeline's labels."""
    names = {gold_ref(doc, ref): name for ref, name in doc.names.items()}

    def label(ref: str) -> str:
        if ref in names:
            return f"{names[ref]} ({ref})" if is_qid(ref) else names[ref]
        if ref.startswith("name:"):
            return ref[5:]
        ent = result.entity(ref)
        return f"{ent.label} ({ref})" if ent is not None else ref

    return label


def _show(key: Key, label) -> str:
    pred, s, o = key
    return f"{label(s)} {pred} {label(o)}" if o is not None else f"{label(s)} {pred}"


def _gold_error(kind: str, doc: GoldDocument, result: DocumentResult, key: Key, rel) -> dict:
    err = {"kind": kind, "doc": doc.id, "relation": _show(key, _namer(doc, result)), "status": rel.status}
    if rel.evidence:
        b, e = rel.evidence
        err["evidence"] = " ".join(doc.text[b:e].split())[:300]
    return err


def _pred_error(kind: str, doc: GoldDocument, result: DocumentResult, key: Key, ev: Event) -> dict:
    err = {"kind": kind, "doc": doc.id, "relation": _show(key, _namer(doc, result)), "predicted_status": ev.status,
           "confidence": round(ev.confidence, 3), "trigger": ev.trigger}
    if 0 <= ev.sentence < len(result.sentences):
        err["evidence"] = context(result.article.text, ev.trigger_start, ev.trigger_end, 80)
    return err
