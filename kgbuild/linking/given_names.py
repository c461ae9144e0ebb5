"""A person called by the first name alone (issue 13, English): "Steve, the former chief executive of Apple, ...".

The KB has no reading for a first name alone (it is nobody's surname or label), and a first name is shared by
hundreds of persons: it names one of them only when the document says which. ``by_given_name`` weighs the KB's
most popular persons of that first name (``GIVEN_NAME_PERSONS``, ``names_beginning``) against the document's
anchors (``persons.anchors``: the other names' confident readings, places and hubs excepted): a person related to
an anchor in the KB, or whose description names an anchor as the document names it ("co-founder of Apple Inc."
for a document that links "Apple"), is supported. The one supported person leads, with probability
``persons.PROMOTED_PROBABILITY``; when none or two are, the name stays unlinked. An occupation the text gives the
name ("Steve, the former CEO of Apple") leaves only the persons of that field. A name the document gives in full
("Steve Jobs ... Steve") is left to coreference; a name that has a reading at or above the threshold is left alone.
"""
from __future__ import annotations

import re
from dataclasses import replace
from typing import Sequence

from kgbuild.linking import persons
from kgbuild.linking.features import DocContext, fold
from kgbuild.types import Candidate, Mention

#: how many of the KB's persons of a first name are weighed, the most popular first
GIVEN_NAME_PERSONS = 50
#: a first name shared by fewer of the KB's persons than this is no first name alone (a nickname, a surname)
SHARED_BY = 2


def first_name_persons(ctx: DocContext, word: str) -> list[Candidate]:
    """The KB's persons whose label or Wikipedia name begins with ``word`` and goes on ("Steve" -> "Steve Jobs"),
    the most popular first, as candidates of kind "given" named ``word``."""
    beginning = getattr(ctx.kb, "names_beginning", None)
    if not callable(beginning):
        return []
    out: dict[str, Candidate] = {}
    for c in beginning(word, lang=ctx.lang, limit=GIVEN_NAME_PERSONS):
        if c.type == "PER" and c.kind in ("label", "wikipedia") and c.name.split()[0] == word and c.qid not in out:
            out[c.qid] = replace(c, name=word, kind="given", score=0.0, features=())
    return list(out.values())


def _described(desc: str, names: Sequence[str]) -> int:
    """How many of ``names`` (folded, three letters at least) a folded description names as words."""
    return sum(1 for n in names if len(n) >= 3 and re.search(rf"(?<!\w){re.escape(n)}(?!\w)", desc))


def by_given_name(mentions: Sequence[Mention], ranked: Sequence[tuple[Candidate, ...]], ctx: DocContext,
                  threshold: float) -> list[tuple[Candidate, ...]]:
    """Each mention's ranking; a lone first name's (``persons.lone_name``, a person for the NER or a name without
    readings, none at or above ``threshold``) led by the one person of that first name the document supports."""
    out = list(ranked)
    if ctx.lang != "en":
        return out
    todo = [i for i, (m, r) in enumerate(zip(mentions, ranked, strict=True))
            if persons.lone_name(m) and (m.type == "PER" or not r) and not (r and r[0].score >= threshold)]
    if not todo:
        return out
    anchored = persons.anchors(out, mentions, ctx, threshold)
    if not anchored:
        return out
    near: dict[str, int] = {}  # entity -> how many anchors it is related to (the KB's links go both ways)
    for q, _texts in anchored:
        for e in ctx.related(q):
            near[e] = near.get(e, 0) + 1
    for i in todo:
        m = mentions[i]
        word = m.text.strip()
        own = fold(word)
        if persons._named_in_full(own, mentions):
            continue
        people = first_name_persons(ctx, word)
        if len(people) < SHARED_BY:
            continue
        field = persons.occupation_field(ctx.text, m)
        if field == "plain":
            continue  # "Tim, a local baker,": nobody the KB knows
        names = sorted({t for q, texts in anchored if texts != {own} for t in texts}
                       | {fold(label) for q, texts in anchored if texts != {own}
                          if (e := ctx.entity(q)) is not None for label in e.labels.values()})
        support = {}
        for c in people:
            ent = ctx.entity(c.qid)
            desc = fold(" ".join(ent.descriptions.values())) if ent is not None else ""
            if field is not None and not persons._fits(field, persons._fields_of(desc)):
                continue
            n = near.get(c.qid, 0) + _described(desc, names)
            if n:
                support[c.qid] = n
        if len(support) != 1:
            continue
        qid, n = next(iter(support.items()))
        pick = next(c for c in people if c.qid == qid)
        have = out[i]
        score = max(persons.PROMOTED_PROBABILITY, min(have[0].score + 0.01, 0.99) if have else 0.0)
        out[i] = (replace(pick, score=round(score, 4), features=(("given_name_anchors", float(n)),)),
                  *(c for c in have if c.qid != qid))
    return out
