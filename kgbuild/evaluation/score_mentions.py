"""Mentions of one document: recognition (strict / overlap / typed) and InKB linking, plus the NIL report.

In: a ``GoldDocument`` and the ``DocumentResult`` that ``Pipeline.process`` made of its text.
Out: ``MentionScore`` with ``Counts`` per measure and the errors with context.
Linking follows ELEVANT's InKB rules ("unknown entities ignored"), over strict span alignment:
gold QID + same QID -> TP; gold QID + other QID -> FN and FP; gold QID + NIL or missed -> FN;
gold NIL + a QID -> FP; a predicted QID on no gold span -> FP; gold NIL + NIL/missed and predicted NIL on no
gold span are not counted. ``optional`` gold: only a wrong QID counts (FP).
Linking on the gold's own mentions ("d2kb", as GERBIL's D2KB experiment scores only the gold's mentions): the same
rules on gold mentions, but a linked prediction aligned to no gold mention is neither TP nor FP; those that share a
character with a required gold mention (a name inside or across a gold mention: "Paris" in "Paris attacks") are
counted apart as boundary links, the others as unjudged links.
Also the bag of entities: the set of gold QIDs against the set of predicted QIDs of the document, and each link's
confidence with whether it is right in either scope (the reliability of the confidence).
"""
from __future__ import annotations

from dataclasses import dataclass, field

from kgbuild.evaluation.align import overlap_alignment, strict_alignment
from kgbuild.evaluation.gold import GoldDocument, GoldMention, is_qid
from kgbuild.evaluation.metrics import Counts
from kgbuild.types import DocumentResult


@dataclass(frozen=True)
class PredMention:
    start: int
    end: int
    type: str
    qid: str | None
    key: str | None
    label: str
    confidence: float = 0.0


@dataclass
class MentionScore:
    ner: dict[str, Counts] = field(default_factory=dict)  # strict, overlap, typed, typed:PER ...
    linking: dict[str, Counts] = field(default_factory=dict)  # inkb, inkb:PER ..., d2kb, d2kb:PER ...
    unjudged: int = 0  # links on text the gold did not annotate (not counted by d2kb)
    boundary: int = 0  # links that share characters with a gold mention but align with none (not counted by d2kb)
    links: list[tuple[float, bool | None, bool | None]] = field(default_factory=list)  # (confidence, right
    # in inkb, right in d2kb) per linked prediction; None where that scope does not count it
    nil: Counts = field(default_factory=Counts)
    entities: Counts = field(default_factory=Counts)  # the document's set of QIDs, gold vs predicted
    errors: list[dict] = field(default_factory=list)

    def count(self, table: dict, key: str) -> Counts:
        return table.setdefault(key, Counts())


def predicted_mentions(result: DocumentResult, span: tuple[int, int], skip_demonyms: bool = False
                       ) -> list[PredMention]:
    """The pipeline's mentions inside ``span``, each with its QID (None when unlinked).

    ``skip_demonyms`` leaves out adjectives and nouns of nationality ("deutschen", "Russian"), which kgbuild
    links to their country but which gold data made under other guidelines (HIPE, CoNLL) never annotates.
    """
    out = []
    for m in result.mentions:
        if m.start < span[0] or m.end > span[1] or skip_demonyms and m.kind == "demonym" or m.source == "coref":
            continue
        ent = result.entity(m.entity_key) if m.entity_key else None
        qid = ent.qid if ent is not None else (m.entity_key if is_qid(m.entity_key) else None)
        out.append(PredMention(m.start, m.end, m.type, qid, m.entity_key, ent.label if ent else m.text,
                               m.confidence))
    return sorted(out, key=lambda p: (p.start, p.end))


def score_mentions(doc: GoldDocument, preds: list[PredMention]) -> MentionScore:
    b, e = doc.span
    gold = [g for g in doc.mentions if b <= g.start and g.end <= e]
    score = MentionScore()
    gspans, pspans = [(g.start, g.end) for g in gold], [(p.start, p.end) for p in preds]
    strict = strict_alignment(gspans, pspans, doc.text)
    _recognition(score, "strict", gold, preds, strict, typed=True)
    _recognition(score, "overlap", gold, preds, overlap_alignment(gspans, pspans), typed=False)
    _linking(score, doc, gold, preds, strict)
    _d2kb(score, gold, preds, strict)
    _entity_sets(score, gold, preds)
    return score


def _entity_sets(score: MentionScore, gold: list[GoldMention], preds: list[PredMention]) -> None:
    """Bag of entities: which QIDs the document's graph should contain, whatever the spans."""
    wanted = {g.qid for g in gold if g.qid and not g.optional}
    allowed = wanted | {g.qid for g in gold if g.qid and g.optional}
    found = {p.qid for p in preds if p.qid}
    score.entities = Counts(tp=len(wanted & found), fp=len(found - allowed), fn=len(wanted - found))


def _recognition(score: MentionScore, name: str, gold: list[GoldMention], preds: list[PredMention],
                 pairs: dict[int, int], typed: bool) -> None:
    c = score.count(score.ner, name)
    t = score.count(score.ner, "typed") if typed else None
    for i, g in enumerate(gold):
        j = pairs.get(i)
        if g.optional:
            continue
        if j is None:
            c.fn += 1
        else:
            c.tp += 1
        if t is not None:
            ok = j is not None and (g.type is None or preds[j].type == g.type)
            _typed(score, t, g.type or "untyped", preds[j].type if j is not None else None, ok)
    paired = set(pairs.values())
    for j, p in enumerate(preds):
        if j not in paired:
            c.fp += 1
            if t is not None:
                t.fp += 1
                score.count(score.ner, f"typed:{p.type}").fp += 1


def _typed(score: MentionScore, total: Counts, gtype: str, ptype: str | None, ok: bool) -> None:
    if ok:
        total.tp += 1
        score.count(score.ner, f"typed:{gtype}").tp += 1
        return
    total.fn += 1
    score.count(score.ner, f"typed:{gtype}").fn += 1
    if ptype is not None:
        total.fp += 1
        score.count(score.ner, f"typed:{ptype}").fp += 1


def _linking(score: MentionScore, doc: GoldDocument, gold: list[GoldMention], preds: list[PredMention],
             pairs: dict[int, int]) -> None:
    inkb = score.count(score.linking, "inkb")
    for i, g in enumerate(gold):
        p = preds[pairs[i]] if i in pairs else None
        per_type = score.count(score.linking, f"inkb:{g.type or 'untyped'}")
        if g.optional:
            if p is not None and p.qid and p.qid != g.qid:
                _add(inkb, per_type, fp=1)
            continue
        if g.qid is None:
            _nil(score, doc, g, p)
        elif p is not None and p.qid == g.qid:
            _add(inkb, per_type, tp=1)
        elif p is not None and p.qid:
            _add(inkb, per_type, fn=1, fp=1)
            score.errors.append(_error("wrong_qid", doc, g.start, g.end, g, p))
        else:
            _add(inkb, per_type, fn=1)
            score.nil.fp += p is not None  # found, but left unlinked
            score.errors.append(_error("missed", doc, g.start, g.end, g, p))
    paired = set(pairs.values())
    for j, p in enumerate(preds):
        if j in paired:
            continue
        if p.qid:
            _add(inkb, score.count(score.linking, f"inkb:{p.type}"), fp=1)
            err = _error("spurious", doc, p.start, p.end, None, p)
            err["d2kb"] = "boundary" if _overlapped(gold, p) is not None else "not judged"
            score.errors.append(err)
        else:
            score.nil.fp += 1


def _overlapped(gold: list[GoldMention], p: PredMention) -> GoldMention | None:
    """The first required (not optional) gold mention that shares a character with ``p``, if any."""
    return next((g for g in gold if not g.optional and g.start < p.end and p.start < g.end), None)


def _d2kb(score: MentionScore, gold: list[GoldMention], preds: list[PredMention], pairs: dict[int, int]) -> None:
    """Linking on the gold's mentions (the rules of ``_linking`` restricted to annotated text), and per link
    its confidence and whether it is right in the inkb and in the d2kb scope."""
    d2kb = score.count(score.linking, "d2kb")
    gold_of = {j: gold[i] for i, j in pairs.items()}
    for i, g in enumerate(gold):
        p = preds[pairs[i]] if i in pairs else None
        per_type = score.count(score.linking, f"d2kb:{g.type or 'untyped'}")
        if g.optional or g.qid is None:
            if p is not None and p.qid and p.qid != g.qid:
                _add(d2kb, per_type, fp=1)
        elif p is not None and p.qid == g.qid:
            _add(d2kb, per_type, tp=1)
        elif p is not None and p.qid:
            _add(d2kb, per_type, fn=1, fp=1)
        else:
            _add(d2kb, per_type, fn=1)
    for j, p in enumerate(preds):
        if not p.qid:
            continue
        g = gold_of.get(j)
        if g is not None:
            right = p.qid == g.qid
            counted = not (g.optional and right)  # an optional mention found right is neither TP nor FP
            score.links.append((p.confidence, right if counted else None, right if counted else None))
            continue
        if _overlapped(gold, p) is not None:
            score.boundary += 1
        else:
            score.unjudged += 1
        score.links.append((p.confidence, False, None))


def _nil(score: MentionScore, doc: GoldDocument, g: GoldMention, p: PredMention | None) -> None:
    """A gold NIL mention: right when found and left unlinked; a QID on it is an InKB false positive."""
    if p is not None and p.qid is None:
        score.nil.tp += 1
        return
    score.nil.fn += 1
    if p is not None and p.qid:
        inkb = score.count(score.linking, "inkb")
        _add(inkb, score.count(score.linking, f"inkb:{g.type or 'untyped'}"), fp=1)
        score.errors.append(_error("nil_linked", doc, g.start, g.end, g, p))


def _add(total: Counts, per_type: Counts, tp: int = 0, fp: int = 0, fn: int = 0) -> None:
    for c in (total, per_type):
        c.tp += tp
        c.fp += fp
        c.fn += fn


def context(text: str, start: int, end: int, width: int = 40) -> str:
    """'… left [[mention]] right …' on one line."""
    left = text[max(0, start - width):start]
    right = text[end:end + width]
    return " ".join(f"{left}[[{text[start:end]}]]{right}".split())


def _error(kind: str, doc: GoldDocument, start: int, end: int, g: GoldMention | None, p: PredMention | None) -> dict:
    err = {"kind": kind, "doc": doc.id, "span": [start, end], "text": doc.text[start:end],
           "context": context(doc.text, start, end)}
    if g is not None:
        err["gold"] = g.qid or "NIL"
        err["gold_name"] = doc.names.get(g.entity, g.entity if not is_qid(g.entity) else "")
    if p is not None:
        err["predicted"] = p.qid or "NIL"
        err["predicted_label"] = p.label
        if (p.start, p.end) != (start, end):
            err["predicted_span"] = [p.start, p.end]
    return err
