"""The KB-coverage ceiling of entity linking: the share of gold mentions with a QID (the InKB denominator:
inside the evaluation span, not optional) whose entity is in the knowledge base at all. No linker can get a
mention right whose entity the KB lacks, so InKB recall can not exceed it.

In: ``GoldDocument``s and a KB (``entity(qid)``). Out: ``{"all": {...}, "per_type": {TYPE: {...}}}`` with
``in_kb``, ``gold`` and ``ceiling`` (in_kb / gold) each; per type by the gold type (untyped gold: only "all").
"""
from __future__ import annotations

from typing import Iterable, Protocol

from kgbuild.evaluation.gold import GoldDocument


class HasEntities(Protocol):
    def entity(self, qid: str): ...


def _cell(in_kb: int, gold: int) -> dict:
    return {"in_kb": in_kb, "gold": gold, "ceiling": round(in_kb / gold, 4) if gold else None}


def kb_coverage(docs: Iterable[GoldDocument], kb: HasEntities) -> dict:
    known: dict[str, bool] = {}
    total = [0, 0]
    per_type: dict[str, list[int]] = {}
    for doc in docs:
        b, e = doc.span
        for m in doc.mentions:
            if not m.qid or m.optional or m.start < b or m.end > e:
                continue
            if m.qid not in known:
                known[m.qid] = kb.entity(m.qid) is not None
            hit = int(known[m.qid])
            total[0] += hit
            total[1] += 1
            if m.type:
                cell = per_type.setdefault(m.type, [0, 0])
                cell[0] += hit
                cell[1] += 1
    return {"all": _cell(*total), "per_type": {t: _cell(*c) for t, c in sorted(per_type.items())},
            "distinct_qids": len(known), "distinct_in_kb": sum(known.values())}
