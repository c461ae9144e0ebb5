"""Persons named by one word (issue 13, KORE-style ambiguity): a surname or first name alone ("Beck", "John",
"Ferguson") whose reading only the document's other entities settle: the band, company, club or party of the
person, a co-star or bandmate.

The candidates of such a name are the KB's persons of that surname and the persons among the entities related to
the document's readings (``kgbuild.linking._with_related_candidates``). The model weighs them mostly by popularity;
``by_coherence`` lets the document decide: the one person candidate related to more of the document's other
entities (``anchors``: the leaders of the other names, places excepted) than any other candidate takes the lead,
so that "Clapton, Beck and Page" is Jeff Beck, not the more popular Beck. A lone name the KB knows one person of
is an anchor too, and a name settled so is one in a second round ("Homme, Grohl and Jones": the one Homme makes
Jones John Paul Jones, who makes Homme sure enough to link). When no candidate is related to an anchor itself, the
person sharing clearly the most related entities with the anchors leads (``shared``: "Lennon ... McCartney", whom
the KB does not relate, share labels and bandmates). Nothing changes when no person relates
to the document (the model's decision stands, which for a lone name of namesakes is mostly NIL), when two persons
relate equally well, or when the document names a person in full whose name contains the word (the full name
decides, ``kgbuild.linking._alias_of_earlier``).
"""
from __future__ import annotations

from dataclasses import replace
from typing import Sequence

from kgbuild.linking.features import DocContext, fold
from kgbuild.types import Candidate, Mention

#: a promoted person's probability at least (the model's probabilities of lone surnames are low whatever the
#: document says, as coherence weighs little in the fitted model)
PROMOTED_PROBABILITY = 0.5
#: an anchor related to more entities than this is a hub (a country, a big party): it says little about a person
ANCHOR_MAX_RELATED = 400


def lone_name(m: Mention) -> bool:
    """One capitalised word of letters, not an acronym or a demonym: a surname, first name or nickname alone."""
    text = m.text.strip()
    return m.kind != "demonym" and text.isalpha() and len(text) >= 3 and text[:1].isupper() and not text.isupper()


def _named_in_full(word: str, mentions: Sequence[Mention]) -> bool:
    """Does the document name a person in full with ``word`` among the words of that name ("Jeff Beck")?"""
    return any(m.type == "PER" and len(m.text.split()) >= 2 and word in {fold(w) for w in m.text.split()}
               for m in mentions)


def anchors(ranked: Sequence[tuple[Candidate, ...]], mentions: Sequence[Mention], ctx: DocContext,
            threshold: float) -> list[tuple[str, set[str]]]:
    """(QID, folded names it reads) of the document's readings a lone person name may cohere with: each mention's
    leader at or above ``threshold``, the one person of a lone name with no other candidate, and the document's
    confident links; places and hubs excepted."""
    out: dict[str, set[str]] = {}
    for m, r in zip(mentions, ranked, strict=True):
        if r and (r[0].score >= threshold or len(r) == 1 and r[0].type == "PER" and lone_name(m)):
            out.setdefault(r[0].qid, set()).add(fold(m.text.strip()))
    for q in ctx.context:
        out.setdefault(q, set())
    keep = []
    for q, texts in sorted(out.items()):
        ent = ctx.entity(q)
        if ent is None or ent.type == "LOC" or len(ctx.related(q)) > ANCHOR_MAX_RELATED:
            continue
        keep.append((q, texts))
    return keep


def hits(ctx: DocContext, qid: str, anchored: Sequence[tuple[str, set[str]]], own: str,
         mine: frozenset[str] = frozenset()) -> int:
    """How many anchors (of names other than ``own``, none of the name's own readings ``mine``) ``qid`` is related
    to, in either direction."""
    rel = ctx.related(qid)
    return sum(1 for q, texts in anchored
               if q != qid and q not in mine and texts != {own} and (q in rel or qid in ctx.related(q)))


#: two-step coherence: a person sharing this many related entities (no places) with the document's anchors, and
#: this many times as many as any other candidate, when no candidate is related to an anchor itself
SHARED_MIN = 3
SHARED_RATIO = 2


def shared(ctx: DocContext, qid: str, anchored: Sequence[tuple[str, set[str]]], own: str,
           mine: frozenset[str] = frozenset()) -> int:
    """How many entities (places excepted) ``qid`` and the anchors (as in ``hits``) are both related to."""
    rel = ctx.related(qid)
    common: set[str] = set()
    for q, texts in anchored:
        if q != qid and q not in mine and texts != {own}:
            common |= rel & ctx.related(q)
    common -= mine
    return sum(1 for q in common if (e := ctx.entity(q)) is not None and e.type != "LOC")


def by_coherence(mentions: Sequence[Mention], ranked: Sequence[tuple[Candidate, ...]], ctx: DocContext,
                 threshold: float) -> list[tuple[Candidate, ...]]:
    """Each mention's ranking, a lone person name's led by the one person candidate related to more of the
    document's anchors than every other candidate (its probability at least ``PROMOTED_PROBABILITY`` and above the
    former leader's, so that one sense per document keeps it; its features say how: ``person_anchors`` or
    ``person_shared`` and the count). Two rounds: names settled in the first are anchors
    of the second ("Homme, Grohl and Jones"). A name the document gives in full is left alone."""
    out = list(ranked)
    lone = [i for i, (m, r) in enumerate(zip(mentions, ranked, strict=True))
            if r and lone_name(m) and any(c.type == "PER" for c in r)]
    for _round in range(2):
        if not lone:
            break
        anchored = anchors(out, mentions, ctx, threshold)
        if not anchored:
            break
        settled = []
        for i in lone:
            m, r = mentions[i], out[i]
            own = fold(m.text.strip())
            lead = r[0]
            if _named_in_full(own, mentions) or (lead.type != "PER" and m.type != "PER" and lead.score >= threshold):
                continue  # the full name decides; a place or organisation the NER agrees with stays
            mine = frozenset(c.qid for c in r)
            counts = {c.qid: hits(ctx, c.qid, anchored, own, mine) for c in r}
            best = max(counts.values())
            top = [c for c in r if counts[c.qid] == best]
            how = "person_anchors"
            if best == 0:
                how = "person_shared"
                counts = {c.qid: shared(ctx, c.qid, anchored, own, mine) if c.type == "PER" else 0 for c in r}
                order = sorted(counts.values(), reverse=True) + [0]
                if order[0] < SHARED_MIN or order[0] < SHARED_RATIO * order[1]:
                    continue
                best = order[0]
                top = [c for c in r if counts[c.qid] == best]
            if best == 0 or len(top) != 1 or top[0].type != "PER" \
                    or top[0].qid == lead.qid and lead.score >= max(threshold, PROMOTED_PROBABILITY):
                continue
            pick = top[0]
            # what settled it, shown by ``kgbuild link --explain`` (no feature of the model)
            feats = (*((n, v) for n, v in pick.features if n != "given_name_unsupported"), (how, float(best)))
            floor = min(lead.score + 0.01, 0.99) if pick.qid != lead.qid else pick.score
            promoted = replace(pick, score=round(max(pick.score, floor, PROMOTED_PROBABILITY), 4), features=feats)
            out[i] = (promoted, *(c for c in r if c.qid != pick.qid))
            settled.append(i)
        if not settled:
            break
        lone = [i for i in lone if i not in settled]
    return out
