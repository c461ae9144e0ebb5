"""Reader of ELEVANT benchmark JSONL (github.com/ad-freiburg/elevant, ``benchmarks/*.benchmark.jsonl``).

In: a path; one document per line with ``text``, ``evaluation_span`` and ``labels`` ({span, entity_id, type,
coref?, optional?, parent?}). Out: checked ``GoldDocument``s, all English unless told otherwise.
Kept: labels that are not coreference mentions and not DATETIME/QUANTITY values; a nested label (``parent`` set:
"Turku" in "Turku's harbor") is kept as an optional mention (ELEVANT lets a right child stand in for its parent;
here it is neither required nor wrong when right, and the parent stays required), unless it has the span of
another kept label (one span, one gold mention: the root's).
``entity_id`` "<NIL>", "<NO_MAPPING>" (no Wikidata item) or a bare name -> NIL. ``optional`` is kept.
Types: Wikidata class QIDs joined by "|" -> PER (Q215627 person), then LOC (Q27096213
geographic entity; ELEVANT types countries and cities as both place and organisation), then ORG (Q43229), else MISC.
"""
from __future__ import annotations

import json
from pathlib import Path

from kgbuild.errors import GoldError
from kgbuild.evaluation.gold import GoldDocument, GoldMention, check_document, is_qid

#: ELEVANT coarse type QIDs -> kgbuild types, in order of precedence
TYPE_MAP = (("Q215627", "PER"), ("Q27096213", "LOC"), ("Q43229", "ORG"))
VALUE_TYPES = {"DATETIME", "QUANTITY"}


def elevant_type(types: str | None) -> str:
    """'Q2424752|Q431289|Q43229' -> 'ORG'; 'Q27096213|Q43229' -> 'LOC'; none of person/place/org -> 'MISC'."""
    parts = set((types or "").split("|"))
    for qid, coarse in TYPE_MAP:
        if qid in parts:
            return coarse
    return "MISC"


def read_elevant(path: Path, lang: str | None = "en") -> list[GoldDocument]:
    docs = []
    with path.open(encoding="utf-8") as fh:
        for lineno, line in enumerate(fh, 1):
            if not line.strip():
                continue
            where = f"{path}:{lineno}"
            try:
                data = json.loads(line)
            except json.JSONDecodeError as exc:
                raise GoldError(f"{where}: not valid JSON ({exc.msg}); is this an ELEVANT .benchmark.jsonl file?") from None
            docs.append(parse_line(data, where, path.stem.replace(".benchmark", ""), lang))
    return docs


def parse_line(data: dict, where: str, prefix: str, lang: str | None) -> GoldDocument:
    if not isinstance(data, dict) or not isinstance(data.get("text"), str) or not isinstance(data.get("labels"), list):
        raise GoldError(f"{where}: an ELEVANT line needs 'text' and 'labels'")
    mentions = []
    for lab in sorted(data["labels"], key=lambda lab: lab.get("parent") is not None):  # roots first
        m = _mention(lab, where)
        if m is not None and not (m.optional and lab.get("parent") is not None
                                  and any((o.start, o.end) == (m.start, m.end) for o in mentions)):
            mentions.append(m)
    span = data.get("evaluation_span")
    eval_span = (int(span[0]), int(span[1])) if isinstance(span, list) and len(span) == 2 else None
    doc = GoldDocument(id=f"{prefix}-{data.get('id', where.rsplit(':', 1)[-1])}", text=data["text"], lang=lang,
                       mentions=tuple(sorted(mentions, key=lambda m: (m.start, m.end))), eval_span=eval_span,
                       source=where)
    return check_document(doc)


def _mention(lab: dict, where: str) -> GoldMention | None:
    try:
        start, end = int(lab["span"][0]), int(lab["span"][1])
    except (KeyError, TypeError, ValueError, IndexError):
        raise GoldError(f"{where}: label {lab!r} has no valid 'span' [start, end]") from None
    if lab.get("coref"):
        return None
    eid = str(lab.get("entity_id", ""))
    if eid in VALUE_TYPES or lab.get("type") in VALUE_TYPES:
        return None
    qid = eid if is_qid(eid) else None
    ref = qid or f"{lab.get('name') or eid}@{start}"
    nested = lab.get("parent") is not None
    return GoldMention(start, end, qid, elevant_type(lab.get("type")), ref, bool(lab.get("optional", False)) or nested)
