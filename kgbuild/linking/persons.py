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

import functools
import re
from dataclasses import replace
from typing import Sequence

from kgbuild.lexicon import PERSON_VERBS_EN, SUBJECT_ADVERBS_EN
from kgbuild.linking.features import DocContext, fold
from kgbuild.types import Candidate, KnowledgeBase, Mention

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


#: what a person does, as an apposition or title names it ("the singer Adams", "Wilson, the striker,", "our
#: correspondent Anderson"; English, singular and plural) and as a person's description says it, by field. The field
#: "plain" holds jobs no famous person is known by (a baker, a teacher): a lone name called so is nobody the KB knows
#: by a field (no spokesman there: many spokesmen are journalists or politicians the KB knows)
OCCUPATIONS: dict[str, frozenset[str]] = {
    "music": frozenset("""singer singers guitarist guitarists drummer drummers bassist bassists rapper rappers
        musician musicians songwriter songwriters pianist pianists vocalist vocalists frontman frontwoman
        composer composers violinist cellist conductor saxophonist trumpeter keyboardist dj""".split()),
    "sport": frozenset("""striker strikers midfielder midfielders defender defenders goalkeeper goalkeepers
        footballer footballers winger forward quarterback pitcher batsman bowler boxer boxers cyclist cyclists
        swimmer swimmers sprinter sprinters golfer golfers driver drivers jockey skier skiers athlete athletes
        coach coaches""".split()),
    "politics": frozenset("""senator senators chancellor minister ministers governor governors mayor mayors
        politician politicians lawmaker lawmakers congressman congresswoman congressmen legislator president
        premier diplomat diplomats ambassador mp mps councillor councilor""".split()),
    "film": frozenset("""actor actors actress actresses filmmaker filmmakers screenwriter screenwriters""".split()),
    "letters": frozenset("""writer writers novelist novelists poet poets author authors playwright
        playwrights""".split()),
    "business": frozenset("""businessman businesswoman businessmen entrepreneur entrepreneurs ceo investor
        investors billionaire tycoon executive""".split()),
    "science": frozenset("""scientist scientists physicist physicists chemist chemists biologist mathematician
        astronomer economist economists""".split()),
    "press": frozenset("""journalist journalists correspondent correspondents reporter reporters columnist
        editor presenter anchor""".split()),
    "plain": frozenset("""baker bakers farmer farmers teacher teachers nurse nurses shopkeeper plumber
        neighbour neighbor resident residents pensioner student students
        pupil waiter cashier""".split()),
}
#: the words of a person's description (any language's, folded) that put them in a field
FIELD_DESCRIPTIONS: dict[str, tuple[str, ...]] = {
    "music": ("musician", "singer", "songwriter", "guitarist", "rapper", "band", "composer", "drummer", "bassist",
              "vocalist", "pianist", "conductor", "disc jockey", "record producer"),
    "sport": ("footballer", "football player", "soccer player", "basketball", "baseball", "tennis", "player",
              "athlete", "racing driver", "boxer", "cyclist", "swimmer", "coach", "golfer", "skier", "sprinter",
              "jockey", "football manager", "cricketer"),
    "politics": ("politician", "president", "minister", "senator", "governor", "diplomat", "mayor", "member of",
                 "chancellor", "statesman", "secretary of state", "congress", "parliament", "premier",
                 "ambassador"),
    "film": ("actor", "actress", "filmmaker", "film director", "screenwriter", "film producer"),
    "letters": ("writer", "novelist", "poet", "author", "playwright", "humorist"),
    "business": ("businessman", "businesswoman", "businessperson", "entrepreneur", "executive", "investor",
                 "chief executive", "founder", "industrialist"),
    "science": ("scientist", "physicist", "chemist", "biologist", "mathematician", "astronomer", "economist"),
    "press": ("journalist", "correspondent", "reporter", "columnist", "editor", "presenter", "broadcaster"),
}
#: fields a person of the KB may be called by another field's noun too (a politician was a lawyer, a singer acts)
FIELD_OVERLAP = {("film", "music"), ("music", "film"), ("politics", "business"), ("business", "politics"),
                 ("letters", "press"), ("press", "letters"), ("letters", "politics"), ("science", "politics")}
_OCCUPATION_FIELD = {w: f for f, words in OCCUPATIONS.items() for w in words}
#: the word before "star" (or "legend", "icon", "great") that says whose star a name is ("country star Cash", "tennis
#: star Federer", "Hollywood star Hanks")
STAR_FIELDS: dict[str, frozenset[str]] = {
    "music": frozenset("""pop rock country folk jazz soul blues rap hip-hop punk reggae opera r&b disco metal
        music""".split()),
    "sport": frozenset("""tennis football soccer basketball baseball golf hockey rugby cricket boxing nba nfl
        olympic track athletics cycling""".split()),
    "film": frozenset("""film movie hollywood screen bollywood sitcom""".split()),
}
_STAR_FIELD = {w: f for f, words in STAR_FIELDS.items() for w in words}
_STAR_NOUNS = frozenset({"star", "legend", "icon", "great", "superstar", "veteran"})
#: an occupation right before the name ("the singer Adams", "Liverpool striker Salah", "Senator Smith"), and the
#: word before it
_OCCUPATION_BEFORE = re.compile(r"(?:(?:^|[^\w'’&-])([\w&-]+) )?([A-Za-z]+) $")
#: ", the striker," / ", a local baker," / ", 46, a writer" / " is a singer" right after the name: the phrase's
#: last word
_OCCUPATION_AFTER = re.compile(
    r"(?:,\s+(?:\d{1,3},\s+)?|\s+(?:is|was)\s+)(?:a|an|the|our|their|his|her)\s+(?:[\w-]+\s+){0,3}?([a-z]+)"
    r"(?=\s*(?:[,.;:!?)]|$|\s(?:of|for|at|in|with|who|from|and|since|until)\b))")


def occupation_field(text: str, m: Mention) -> str | None:
    """The field of the occupation an apposition or title gives the name ``m`` in ``text`` ("the singer Adams"
    -> "music", "Wilson, the striker," -> "sport", "Miller, a local baker," -> "plain"), or None."""
    before = _OCCUPATION_BEFORE.search(text, max(0, m.start - 40), m.start)
    if before:
        word = before.group(2)
        if word.islower() or word.istitle():
            field = _OCCUPATION_FIELD.get(word.lower())
            if word.lower() in _STAR_NOUNS and before.group(1):
                field = _STAR_FIELD.get(before.group(1).lower())
            if field:
                return field
    after = _OCCUPATION_AFTER.match(text, m.end)
    return _OCCUPATION_FIELD.get(after.group(1)) if after else None


def person_fields(ctx: DocContext, qid: str) -> frozenset[str]:
    """The fields (``FIELD_DESCRIPTIONS``) a person's descriptions name."""
    ent = ctx.entity(qid)
    return _fields_of(" ".join(ent.descriptions.values()).casefold() if ent is not None else "")


@functools.lru_cache(maxsize=50_000)
def _fields_of(desc: str) -> frozenset[str]:
    return frozenset(f for f, words in FIELD_DESCRIPTIONS.items() if any(w in desc for w in words))


def _fits(field: str, fields: frozenset[str]) -> bool:
    return field in fields or any((f, field) in FIELD_OVERLAP for f in fields)


def document_fields(mentions: Sequence[Mention], text: str) -> list[str | None]:
    """Each mention's occupation field (``occupation_field``) as the document gives it: a lone name's own, or that
    of another mention of the same name ("The singer Adams ... Adams said"); None for a name the document calls by
    two fields or none."""
    lone = [m.kind != "demonym" and lone_name(m) for m in mentions]
    called: dict[str, set[str]] = {}  # folded name -> the fields the document calls it by
    for m, is_lone in zip(mentions, lone, strict=True):
        if is_lone and (f := occupation_field(text, m)) is not None:
            called.setdefault(fold(m.text.strip()), set()).add(f)
    out: list[str | None] = []
    for m, is_lone in zip(mentions, lone, strict=True):
        fields = called.get(fold(m.text.strip()), set()) if is_lone and called else set()
        out.append(next(iter(fields)) if len(fields) == 1 else None)
    return out


def by_occupation(mentions: Sequence[Mention], ctx: DocContext) -> list[Mention]:
    """A lone name (``lone_name``) an apposition or title calls by an occupation ("the singer Adams", "Wilson, the
    striker,", "our correspondent Anderson"; English) is a person of that field: its candidates that are no
    persons, and the persons whose description names only other fields, are not meant; the KB's persons of that
    surname and field join them. A name called by an occupation no famous person has ("a local baker") keeps the
    persons the KB says nothing about. Nothing left: an unlinked person. The name's other mentions in the document
    are the same person ("The singer Adams ... Adams said"), unless the document calls the name by two fields."""
    if ctx.lang != "en":
        return list(mentions)
    out = []
    for m, field in zip(mentions, document_fields(mentions, ctx.text), strict=True):
        if field is None:
            out.append(m)
            continue
        keep = tuple(c for c in m.candidates if c.type == "PER" and (
            not (k := person_fields(ctx, c.qid)) or field != "plain" and _fits(field, k)))
        if field != "plain" and not any(field in person_fields(ctx, c.qid) for c in keep):
            have = {c.qid for c in keep}
            keep += tuple(c for c in ctx.kb.lookup(m.text.strip(), lang=ctx.lang, limit=10)
                          if c.type == "PER" and c.kind == "surname" and c.qid not in have
                          and field in person_fields(ctx, c.qid))
        out.append(replace(m, type="PER", candidates=keep) if keep != tuple(m.candidates) or m.type != "PER" else m)
    return out


#: what of the document may tell namesakes apart (``kgbuild.linking.model.SUPPORT_FEATURES`` without the sentence's
#: cue words, which fit every person alike), and how ``by_coherence`` settled a name
DISCERNING_FEATURES = ("coherence", "description_overlap", "full_label_in_doc", "country_fit", "predicate_fit",
                       "person_anchors", "person_shared")
#: a namesake scored at least this share of the leader's probability contests the lead
CONTESTED_SHARE = 0.5
#: the feature that marks a leader the document does not tell from a namesake (the linker leaves the name unlinked)
UNSETTLED = "namesake_unsettled"


def _support(cand: Candidate) -> float:
    feats = dict(cand.features)
    return sum(min(1.0, feats.get(name, 0.0)) for name in DISCERNING_FEATURES)


def unsettled_namesakes(mentions: Sequence[Mention], ranked: Sequence[tuple[Candidate, ...]]
                        ) -> list[tuple[Candidate, ...]]:
    """Each mention's ranking, the leader of a lone name marked ``UNSETTLED`` when it is a person that a namesake
    (another person the name matched) contests, at least ``CONTESTED_SHARE`` as probable, and nothing of the
    document (``DISCERNING_FEATURES``) speaks more for the leader than for that namesake: "Smith said ..." of three
    equally popular Smiths is none of them (a coin toss is no link)."""
    out = list(ranked)
    for i, (m, r) in enumerate(zip(mentions, ranked, strict=True)):
        if len(r) < 2 or r[0].type != "PER" or not lone_name(m):
            continue
        lead = r[0]
        rivals = [c for c in r[1:] if c.type == "PER" and c.score >= CONTESTED_SHARE * lead.score]
        if rivals and _support(lead) <= max(_support(c) for c in rivals):
            out[i] = (replace(lead, features=(*lead.features, (UNSETTLED, 1.0))), *r[1:])
    return out


def persons_not_places(mentions: Sequence[Mention], ranked: Sequence[tuple[Candidate, ...]], text: str, lang: str
                       ) -> list[tuple[Candidate, ...]]:
    """Each mention's ranking without its places for a lone name the NER did not read as a place and that a
    person's verb follows ("Churchill said ...", "Preston told reporters"): what says or tells is no town of that
    name; the name's other readings (a person, an organisation) stay, else it is an unlinked entity. English."""
    out = list(ranked)
    if lang != "en":
        return out
    for i, (m, r) in enumerate(zip(mentions, ranked, strict=True)):
        if not r or r[0].type != "LOC" or m.type == "LOC" or "ner" not in m.source.split("+") or not lone_name(m):
            continue
        if person_verb_follows(text, m.end):
            out[i] = tuple(c for c in r if c.type != "LOC")
    return out


def person_verb_follows(text: str, end: int, verbs: frozenset[str] = PERSON_VERBS_EN) -> bool:
    """Does a person's verb (one of ``verbs``) follow the name that ends at ``end`` ("Churchill said", "Preston later
    told")? English."""
    after = _NEXT_WORDS.match(text, end)
    return bool(after) and (after.group(1) in verbs or after.group(1) in SUBJECT_ADVERBS_EN and after.group(2) in verbs)


def persons_not_organisations(mentions: Sequence[Mention], kb: KnowledgeBase, text: str, lang: str) -> list[Mention]:
    """A lone name the NER took for an organisation, that a person's verb follows ("Churchill said in 1940 ..."),
    that the KB knows as no organisation's name but as persons' surname, and that has no person among its candidates
    (those the model weighs already), is a person: it gets those persons (the model weighs them as any surname
    alone) and the person's type, so that unlinked it is an unknown person. A company that says something keeps its
    type ("Acme said": the KB knows no person Acme; "Boeing said": the KB's
    organisation). English."""
    if lang != "en":
        return list(mentions)
    out = []
    for m in mentions:
        if m.type == "ORG" and "ner" in m.source.split("+") and lone_name(m) \
                and not any(c.type in ("ORG", "PER") for c in m.candidates) and person_verb_follows(text, m.end):
            word = fold(m.text.strip())
            have = {c.qid for c in m.candidates}
            found = [c for c in kb.lookup(m.text.strip(), lang=lang, limit=30) if c.type == "ORG"
                     or c.type == "PER" and c.kind in ("surname", "alias") and fold(c.name) == word and c.qid not in have]
            if found and not any(c.type == "ORG" for c in found):
                m = replace(m, type="PER", candidates=(*m.candidates, *found[:SURNAME_PERSONS]))
        out.append(m)
    return out


#: the one or two words after a name (an adverb may stand between a name and its verb: "Preston later said")
_NEXT_WORDS = re.compile(r"\s+([a-z][a-z\-]*)(?:\s+([a-z][a-z\-]*))?")


#: how many persons of one surname a lone name gets as candidates (as ``kgbuild.linking.SURNAME_CANDIDATES``)
SURNAME_PERSONS = 5


def with_surname_persons(mentions: Sequence[Mention], kb: KnowledgeBase, lang: str) -> list[Mention]:
    """A lone name the NER took for a person whose candidates are no persons ("Churchill spoke to Parliament":
    the town in Canada) gets the KB's persons of that surname too; the model weighs them against the rest (the
    NER's type, the prior, the document)."""
    out = []
    for m in mentions:
        if m.type != "PER" or "ner" not in m.source.split("+") or not m.candidates or not lone_name(m) \
                or any(c.type == "PER" for c in m.candidates):
            out.append(m)
            continue
        word = fold(m.text.strip())
        have = {c.qid for c in m.candidates}
        extra = [c for c in kb.lookup(m.text.strip(), lang=lang, limit=30)
                 if c.type == "PER" and c.kind in ("surname", "alias") and fold(c.name) == word and c.qid not in have]
        out.append(replace(m, candidates=(*m.candidates, *extra[:SURNAME_PERSONS])) if extra else m)
    return out


#: the leading person of the occupation's field is at least this many times as probable as the field's next one
OCCUPATION_LEAD = 3.0


def by_occupation_lead(mentions: Sequence[Mention], ranked: Sequence[tuple[Candidate, ...]], ctx: DocContext
                       ) -> list[tuple[Candidate, ...]]:
    """Each mention's ranking, a lone name an apposition calls by an occupation ("aging country star Cash", "the
    guitarist Page"; ``occupation_field``) led by the person of that field the model ranks first, when it is
    clearly ahead of the field's other persons (``OCCUPATION_LEAD``) and the document speaks for it besides
    (``DISCERNING_FEATURES``: its description's words, a related entity): its probability at least
    ``PROMOTED_PROBABILITY`` (the model weighs a surname alone low whatever the apposition says). English."""
    out = list(ranked)
    if ctx.lang != "en":
        return out
    for i, (m, r, field) in enumerate(zip(mentions, ranked, document_fields(mentions, ctx.text), strict=True)):
        if not r or r[0].type != "PER" or r[0].score >= PROMOTED_PROBABILITY or not lone_name(m):
            continue
        if field is None or field == "plain":
            continue
        fit = [c for c in r if c.type == "PER" and field in person_fields(ctx, c.qid)]
        if not fit or fit[0] is not r[0] or not _support(r[0]) \
                or len(fit) > 1 and fit[0].score < OCCUPATION_LEAD * fit[1].score:
            continue
        lead = r[0]
        out[i] = (replace(lead, score=PROMOTED_PROBABILITY, features=(*lead.features, ("person_occupation", 1.0))),
                  *r[1:])
    return out
