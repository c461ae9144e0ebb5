"""What a document is about, and the organisations a one-word name means there (issue 13, English).

A band, a record label or a company is often named by one word that is also a place's name: "Chicago played
their hits", "the band signed with Columbia", "Orange cut its prices for mobile subscribers", "Mango opened new
stores". The place is far more popular, so the model takes it. The words of the sentence (or, when it has none,
of the document) name a field, music or business (``field_of``); in that field a one-word name that no
preposition of place precedes ("in Chicago", "from Orange") is not the place when the KB has an organisation of
that field by that name (``by_field``): the places go, and an organisation of the field joins the candidates when
the field's organisations go by the first word of their names ("Columbia" for Columbia Records). The model then
weighs what is left; a name left with no candidate of the field keeps its places.
"""
from __future__ import annotations

import re
from dataclasses import replace
from typing import Sequence

from kgbuild.linking.companies import WORD_COMPANY_PRIOR
from kgbuild.linking.context import MATCH_CUES
from kgbuild.linking.features import PLACE_PREPOSITIONS, DocContext, fine_kinds, fold
from kgbuild.linking.namesakes import COUNTRY_CLASSES, FIELD_CUES
from kgbuild.types import Candidate, Mention

#: words of a sentence about trade: a company's prices, customers, shops, shares and products
BUSINESS_CUES = frozenset("""shares stock stocks price prices pricing customers subscribers subscriber store stores
    shop shops outlets brand brands product products sales revenue revenues profit profits earnings retailer
    retailers company companies firm firms ceo investors takeover merger acquisition chocolate chocolates snack
    snacks smartphone smartphones handset handsets software broadband franchise franchises""".split())
#: the fields ``by_field`` knows organisations of, and the words that say a sentence is about each
CUES: dict[str, frozenset[str]] = {
    "music": FIELD_CUES["music"] | frozenset("""record records recorded recording hits tour toured label labels
        signed gig""".split()),
    "business": BUSINESS_CUES,
}
#: the other fields' words: a sentence that names two fields says nothing about either
OTHER_CUES: dict[str, frozenset[str]] = {f: w for f, w in FIELD_CUES.items() if f not in CUES}
#: what an organisation's description says when it is of a field
ORG_DESCRIPTIONS: dict[str, tuple[str, ...]] = {
    "music": ("band", "record label", "musical group", "music group", "record company", "duo", "orchestra",
              "ensemble", "musical project"),
    "business": ("company", "corporation", "manufacturer", "retailer", "brand", "chain", "conglomerate",
                 "multinational", "marque", "business", "enterprise", "telecommunications", "maker"),
}
#: the last words of names whose organisations the field calls by the first ("Columbia" for Columbia Records)
SHORT_NAME_ENDINGS: dict[str, tuple[str, ...]] = {"music": ("Records", "Recordings")}
#: words of a sentence that speaks of a place and its people ("Orange's mayor said the town's shops would open"):
#: its names keep their places, whatever the sentence's field
PLACE_TALK = frozenset("""town towns city cities village villages municipality hamlet suburb suburbs mayor mayors
    residents inhabitants townspeople""".split())
#: a document without a field word in the sentence has a field when this many of its words name it, and no other
DOCUMENT_CUES = 2
_WORD = re.compile(r"[^\W\d_]+")
_PLACE_WORDS = PLACE_PREPOSITIONS | {"at", "of", "near", "via", "toward", "towards"}


def _fields(words: frozenset[str]) -> dict[str, int]:
    found = {f: len(words & cues) for f, cues in (CUES | OTHER_CUES).items()}
    return {f: n for f, n in found.items() if n}


def field_of(ctx: DocContext, m: Mention) -> str | None:
    """The field (music, business) the sentence of ``m`` is about, or, when its words name none, the document;
    None when they name two fields (or a field no organisation rule is about: politics, sport, film)."""
    here = _fields(ctx.sentence_words.get(m.sentence, frozenset()))
    if not here:
        counts = _fields(ctx.words)
        here = {f: n for f, n in counts.items() if n >= DOCUMENT_CUES}
    if len(here) != 1:
        return None
    field = next(iter(here))
    return field if field in CUES else None


_DESCRIBED = {f: re.compile(rf"\b(?:{'|'.join(words)})\b") for f, words in ORG_DESCRIPTIONS.items()}


def org_fits(ctx: DocContext, cand: Candidate, field: str) -> bool:
    """Is ``cand`` an organisation whose description names the field's kind (a band, a record label, a company)?"""
    if cand.type != "ORG":
        return False
    ent = ctx.entity(cand.qid)
    return bool(_DESCRIBED[field].search((ent.descriptions.get("en") or "").casefold() if ent is not None else ""))


def _stands_for(ctx: DocContext, cand: Candidate, field: str) -> bool:
    """An organisation of the field popular enough to take a one-word name (``WORD_COMPANY_PRIOR``)."""
    return cand.prior >= WORD_COMPANY_PRIOR and org_fits(ctx, cand, field)


def _described(ctx: DocContext, cand: Candidate) -> bool:
    ent = ctx.entity(cand.qid)
    return ent is not None and bool(ent.descriptions.get("en"))


def _said_of_a_place(text: str, start: int, end: int) -> bool:
    """A preposition of place before the name ("in Chicago", "a tour of Asia"), or a hyphen after it
    ("Chicago-based")."""
    words = _WORD.findall(text[max(0, start - 20):start])
    return bool(words) and words[-1].lower() in _PLACE_WORDS or text[end:end + 1] == "-"


def _country(ctx: DocContext, cand: Candidate) -> bool:
    ent = ctx.entity(cand.qid) if cand.type == "LOC" else None
    return ent is not None and bool(set(ent.classes) & COUNTRY_CLASSES)


def _one_word(m: Mention) -> bool:
    text = m.text.strip()
    return m.kind != "demonym" and text.isalpha() and text[:1].isupper() and len(text) >= 3


#: what joins the names of a list ("Nirvana, Genesis and Chicago", "Sony, Nokia & Orange")
_LIST_GAPS = frozenset({",", "and", ", and", "or", ", or", "&", ", &"})


def _reading_kind(ctx: DocContext, m: Mention) -> str | None:
    """What a name's most popular reading is: "place", "person", a field whose organisation it is (a band, a
    company of prior ``WORD_COMPANY_PRIOR`` at least), or None."""
    if not m.candidates or m.kind == "demonym":
        return None
    top = max(m.candidates, key=lambda c: (c.prior, c.qid))
    if top.type == "LOC":
        return "place"
    if top.type == "PER":
        return "person"
    if top.prior >= WORD_COMPANY_PRIOR:
        return next((f for f in ORG_DESCRIPTIONS if org_fits(ctx, top, f)), None)
    return None


def list_fields(mentions: Sequence[Mention], ctx: DocContext) -> dict[int, str]:
    """Index -> field for the names of a list of three at least (joined by commas, "and", "or", "&") whose other
    names are all organisations of one field, or names the KB knows such an organisation by, one of them at least
    an organisation of the field by its most popular reading: the names of a list are of one kind ("Nirvana, Genesis
    and Chicago": two bands; "Sony, Nokia and Orange": a company, and two names of towns and companies)."""
    groups: list[list[int]] = []
    for i, m in enumerate(mentions):
        prev = mentions[i - 1] if i else None
        if prev is not None and prev.end <= m.start and ctx.text[prev.end:m.start].strip() in _LIST_GAPS \
                and groups and groups[-1][-1] == i - 1:
            groups[-1].append(i)
        else:
            groups.append([i])
    out: dict[int, str] = {}
    for group in groups:
        if len(group) < 3:
            continue
        kinds = {i: _reading_kind(ctx, mentions[i]) for i in group}
        for field in ORG_DESCRIPTIONS:
            if sum(1 for i in group if kinds[i] == field) < 1:
                continue
            # a name whose most popular reading is no organisation of the field, which the KB knows one of by
            # that name, may be either ("Orange": a town and a company)
            either = {i for i in group if kinds[i] != field and _one_word(mentions[i]) and (
                any(_stands_for(ctx, c, field) for c in mentions[i].candidates)
                or _field_organisations(ctx, mentions[i].text.strip(), field, set()))}
            for i in group:
                others = [j for j in group if j != i]
                if all(kinds[j] == field or j in either for j in others) and any(kinds[j] == field for j in others):
                    out.setdefault(i, field)
    return out


def by_field(mentions: Sequence[Mention], ctx: DocContext) -> list[Mention]:
    """A one-word English name in a sentence about music or business (``field_of``), no preposition of place before
    it: when the KB has an organisation of that field by the name (or by the name and a short-name ending,
    ``SHORT_NAME_ENDINGS``), the name's places are not meant and the organisation is a candidate."""
    if ctx.lang != "en":
        return list(mentions)
    out = []
    listed = list_fields(mentions, ctx)
    for i, m in enumerate(mentions):
        if not _one_word(m) or m.type == "PER" or _said_of_a_place(ctx.text, m.start, m.end) \
                or any(_country(ctx, c) for c in m.candidates):
            out.append(m)
            continue
        field = field_of(ctx, m) or listed.get(i)
        if field is None or ctx.sentence_words.get(m.sentence, frozenset()) & PLACE_TALK:
            out.append(m)
            continue
        # the places, and the organisations whose description names another kind (a university, a city council)
        misfits = {c.qid for c in m.candidates if c.type == "LOC"
                   or c.type == "ORG" and _described(ctx, c) and not org_fits(ctx, c, field)}
        if not misfits:
            out.append(m)
            continue
        fit = [c for c in m.candidates if _stands_for(ctx, c, field)] \
            or _field_organisations(ctx, m.text.strip(), field, {c.qid for c in m.candidates})
        if fit:
            keep = tuple(c for c in m.candidates if c.qid not in misfits)
            m = replace(m, candidates=keep + tuple(c for c in fit if c not in keep), type="ORG")
        out.append(m)
    return out


def _field_organisations(ctx: DocContext, word: str, field: str, have: set[str]) -> list[Candidate]:
    """The KB's organisations of ``field`` named ``word``, or named so with a short-name ending ("Columbia
    Records" for "Columbia", kind "short")."""
    found = [c for c in ctx.kb.lookup(word, lang=ctx.lang, limit=10)
             if c.qid not in have and c.name == word and _stands_for(ctx, c, field)]
    if found:
        return found
    for ending in SHORT_NAME_ENDINGS.get(field, ()):
        found += [replace(c, kind="short") for c in ctx.kb.lookup(f"{word} {ending}", lang=ctx.lang, limit=3)
                  if c.qid not in have and c.kind in ("label", "wikipedia") and c.name.split()[0] == word
                  and _stands_for(ctx, c, field)]
    return found


#: words of a sentence that speaks of a player and a club: a match's words, and a player's acts for a club
CLUB_CUES = MATCH_CUES | frozenset("""scored scores scoring played plays playing signed signs signing contract
    transfer transferred joined joins club clubs team match debut loan""".split())


def players_clubs(mentions: Sequence[Mention], first: Sequence[tuple[Candidate, ...]], ctx: DocContext,
                  threshold: float) -> list[Mention]:
    """A city's one-word name in a sentence about a player and a club (``CLUB_CUES``), no preposition of place
    before it, is the club the KB relates a person of that sentence to (a first-pass reading at ``threshold`` at
    least) whose label carries the name: "Messi signed a new contract with Barcelona" (Futbol Club Barcelona, not
    the city), and so is a team's name the KB knows no club by ("Messi scored as Barcelona beat Sevilla"). Sport names
    a club by its city; the player's relation says which club. The places go; no such club, nothing changes.
    English."""
    if ctx.lang != "en":
        return list(mentions)
    out = list(mentions)
    for i, m in enumerate(mentions):
        team = m.type == "ORG" and not m.candidates  # a team the KB has no club of that name for ("Barcelona beat")
        if not _one_word(m) or m.type == "PER" or not (team or any(c.type == "LOC" for c in m.candidates)) \
                or any(_country(ctx, c) for c in m.candidates) or _said_of_a_place(ctx.text, m.start, m.end):
            continue
        words = ctx.sentence_words.get(m.sentence, frozenset())
        if not words & CLUB_CUES or words & PLACE_TALK:
            continue
        players = {r[0].qid for j, (n, r) in enumerate(zip(mentions, first, strict=True))
                   if j != i and n.sentence == m.sentence and r and r[0].type == "PER" and r[0].score >= threshold}
        clubs = _clubs_named(ctx, fold(m.text.strip()), players)
        if clubs:
            keep = tuple(c for c in m.candidates if c.type != "LOC" and c.qid not in clubs)
            out[i] = replace(m, type="ORG", candidates=keep + tuple(clubs.values()))
    return out


def _clubs_named(ctx: DocContext, word: str, players: set[str]) -> dict[str, Candidate]:
    """QID -> candidate of the clubs related to ``players`` whose label has the folded word ``word``."""
    found: dict[str, Candidate] = {}
    for p in sorted(players):
        for q in sorted(ctx.related(p)):
            ent = ctx.entity(q)
            if ent is None or ent.type != "ORG" or q in found:
                continue
            label = ent.label("en")
            cand = Candidate(q, label, "short", ent.prior, "ORG", None)
            if word in {fold(w) for w in label.split()} and "club" in fine_kinds(ent, cand):
                found[q] = cand
    return found
