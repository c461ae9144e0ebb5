"""The state that existed at the article's date: *Deutschland* in an article of 1911 is the German Empire, in one
of 1936 Nazi Germany, in one of 2024 (or without a date) Germany.

The KB gives historic states their period and the modern country they are an earlier form of (claims ``P571``
inception and ``P576`` dissolved, years, and ``P1366``; compiled from FB15k's descriptions by
``kgbuild.kb.compile.periods``). After the linker's decisions, ``at_date`` looks at every mention linked to a
place:

- linked to a modern country and the article is dated: the historic state of that country whose period
  contains the article's year takes its place. Several such states: the one that is an earlier form of fewer
  modern countries (Kingdom of Hungary before Austria-Hungary for *Ungarn*), then the one that began later (in
  1933 Nazi Germany, not the Weimar Republic: the year is all the KB knows of the boundary); still a tie (East
  and West Germany for 1949–1990): the modern country stays.
- linked to a historic state and dated outside its period: the state of the same country at that date if the
  name can mean it (*German Reich*: the German Empire or the Weimar Republic), else, when the article is dated
  after the state's end and the name can mean the modern country, that country. A historic state that is the
  only reading of its name stays (*Sowjetunion* or *Deutsches Kaiserreich* in 2024).
- no date: nothing changes (modern news without a date keeps the modern state).

The replacing candidate is put first among the mention's candidates with the features ``period_rule``,
``published_year``, ``inception`` and ``dissolved`` (shown by ``kgbuild link --explain``); the mention keeps its
confidence.
"""
from __future__ import annotations

import datetime as dt
import logging
from dataclasses import replace
from typing import Sequence

from kgbuild.kb.years import DISSOLVED, INCEPTION
from kgbuild.types import Candidate, KnowledgeBase, Mention

log = logging.getLogger(__name__)

#: the modern country a historic state is an earlier form of (compiled by ``kgbuild.kb.compile.periods``; its
#: period is the year claims ``INCEPTION`` and ``DISSOLVED`` of ``kgbuild.kb.years``)
MODERN = "P1366"


def period_of(kb: KnowledgeBase, qid: str) -> tuple[int, int] | None:
    """(first year, last year) of a historic state in the KB, or None."""
    ent = kb.entity(qid)
    if ent is None:
        return None
    try:
        return int(ent.claims[INCEPTION][0]), int(ent.claims[DISSOLVED][0])
    except (KeyError, IndexError, ValueError):
        return None


def state_at(kb: KnowledgeBase, modern: str, year: int) -> tuple[str, int, int] | None:
    """The historic state of the modern country ``modern`` in ``year`` (QID, first and last year), or None
    when there is none or the KB cannot tell between two."""
    claimants = getattr(kb, "claimants", None)
    if claimants is None:
        return None
    ranked = []
    for qid in claimants(modern, MODERN):
        span = period_of(kb, qid)
        ent = kb.entity(qid)
        if span is None or ent is None or ent.type != "LOC" or not span[0] <= year <= span[1]:
            continue
        ranked.append(((len(ent.claims.get(MODERN, ())), -span[0]), qid, span))
    if not ranked:
        return None
    ranked.sort()
    if len(ranked) > 1 and ranked[0][0] == ranked[1][0]:
        return None  # East and West Germany in 1970
    _, qid, span = ranked[0]
    return qid, span[0], span[1]


def _replacement(mention: Mention, kb: KnowledgeBase, year: int) -> tuple[str, int | None, int | None] | None:
    key = mention.entity_key or ""
    ent = kb.entity(key) if key.startswith("Q") else None
    if ent is None or ent.type != "LOC":
        return None
    span = period_of(kb, key)
    if span is None:  # a modern country (or a place without a period)
        found = state_at(kb, key, year)
        return found
    if span[0] <= year <= span[1]:
        return None
    have = {c.qid for c in mention.candidates}  # only a reading the name has: "Deutsches Kaiserreich" stays
    for modern in ent.claims.get(MODERN, ()):
        found = state_at(kb, modern, year)
        if found is not None and found[0] in have:
            return found
    if year > span[1]:
        for modern in ent.claims.get(MODERN, ()):
            if modern in have:
                return modern, None, None
    return None


def at_date(mentions: Sequence[Mention], kb: KnowledgeBase, published: dt.date | None) -> list[Mention]:
    """The mentions with each country replaced by the state that existed at ``published`` (see the module)."""
    if published is None:
        return list(mentions)
    out = []
    for m in mentions:
        found = _replacement(m, kb, published.year)
        if found is None:
            out.append(m)
            continue
        qid, start, end = found
        ent = kb.entity(qid)
        template = m.candidates[0] if m.candidates else Candidate(qid, m.text, "label", 0.0, "LOC")
        feats = (("period_rule", 1.0), ("published_year", float(published.year)))
        if start is not None and end is not None:
            feats += (("inception", float(start)), ("dissolved", float(end)))
        # the KB's own label, not the modern country's name that matched (the graph's label of the state)
        chosen = replace(template, qid=qid, name=ent.label("en") if ent else qid, lang=None,
                         prior=ent.prior if ent else template.prior, type="LOC", score=m.confidence, features=feats)
        log.debug("period rule: %r dated %s -> %s instead of %s", m.text, published, qid, m.entity_key)
        out.append(replace(m, entity_key=qid, type="LOC",
                           candidates=(chosen, *(c for c in m.candidates if c.qid != qid))))
    return out
