"""Static facts the text states, aligned with Wikidata properties: party membership (P102), employer (P108),
membership (P463), citizenship (P27) and headquarters (P159).

In: a ``DocContext`` (named and coreferent mentions). Out: events of the catalogue's fact relations. Patterns,
each inside one sentence:
- party: "SPD-Politiker X" / "die Grünen-Politikerin" (a party inside the word, the person named next to it or
  standing for it), "Politiker der Republikaner", "Republican Senator Marco Rubio", "his Labour Party", "X (SPD)";
- employer: "X, a reporter for Y", "X, der für die Zeitung Y arbeitet", "X worked as an economist at Y";
- membership: "NATO member Poland", "Nato-Mitglied Polen", "Die Nato, der auch Deutschland angehört",
  "X is a member of Y";
- citizenship: "X, a U.S. citizen", "der russische Staatsbürger" (standing for X);
- headquarters: "Y mit Sitz in X", "Y, which is headquartered in X", "the X-based Y", "das in X ansässige Y".
A party is an organisation the KB classes as a political party (Q7278), or whose name says so.
"""
from __future__ import annotations

import re
from typing import Iterator

from spacy.tokens import Token

from kgbuild.relations.catalogue import load_catalogue
from kgbuild.relations.context import DocContext
from kgbuild.types import Argument, Event, Mention

POLITICAL_PARTY = "Q7278"
_PARTY_NAME = re.compile(r"(partei|party|parti\b|union\b|grüne|labour|républicains|rassemblement)", re.IGNORECASE)
PARTY_PERSON = {"de": ("politiker", "politikerin", "abgeordnete", "abgeordneter", "abgeordneten", "mitglied",
                       "senator", "senatorin"),
                "en": ("politician", "senator", "lawmaker", "congressman", "congresswoman", "mp", "member",
                       "representative", "candidate")}
MEMBER = {"de": ("mitglied", "mitgliedsland", "mitgliedstaat", "mitgliedsstaat"), "en": ("member",)}
BELONG = {"de": ("angehören", "angehört", "angehören", "gehört", "gehören"), "en": ("belongs", "belong")}
WORK_NOUNS = {"de": ("reporter", "reporterin", "journalist", "journalistin", "korrespondent", "korrespondentin",
                     "mitarbeiter", "mitarbeiterin", "redakteur", "redakteurin", "ökonom", "ökonomin", "manager",
                     "managerin", "angestellte", "angestellter", "experte", "expertin", "forscher", "forscherin",
                     "professor", "professorin", "wissenschaftler", "wissenschaftlerin"),
              "en": ("reporter", "journalist", "correspondent", "employee", "editor", "economist", "analyst",
                     "manager", "executive", "engineer", "worked", "works", "work", "working")}
WORK_VERBS = {"de": ("arbeitet", "arbeitete", "arbeiten", "tätig"), "en": ("worked", "works", "work", "working")}
WORK_PREPS = {"de": ("für", "bei", "von", "vom"), "en": ("for", "at", "with")}
CITIZEN = {"de": ("staatsbürger", "staatsbürgerin", "staatsangehörige", "staatsangehöriger", "bürger", "bürgerin"),
           "en": ("citizen", "national")}
SEAT = {"de": ("sitz", "hauptsitz", "zentrale", "ansässig", "ansässige", "ansässigen"),
        "en": ("headquartered", "based", "headquarters")}


def _covering(ctx: DocContext, tok: Token, mentions: list[Mention]) -> list[Mention]:
    return [m for m in mentions if m.start < tok.idx + len(tok.text) and tok.idx < m.end]


def is_party(ctx: DocContext, m: Mention) -> bool:
    if m.type != "ORG":
        return False
    if POLITICAL_PARTY in ctx.classes(m.entity_key):
        return True
    return not ctx.classes(m.entity_key) and bool(_PARTY_NAME.search(m.text))


def _event(relation: str, subject: Mention, obj: Mention, sent: int, trigger: Token, confidence: float) -> Event:
    rel = load_catalogue()[relation]
    return Event(event_type=rel.event, relation=rel.property, subject=subject.entity_key, object=obj.entity_key,
                 arguments=(Argument("participant", subject.entity_key), Argument("participant", obj.entity_key)),
                 sentence=sent, trigger_start=trigger.idx, trigger_end=trigger.idx + len(trigger.text),
                 trigger=trigger.text, status="happened", confidence=confidence, extractor="patterns")


def _person_for(ctx: DocContext, tok: Token, mentions: list[Mention]) -> Mention | None:
    """The person a word is about: a coreferent phrase ending in it ("die Grünen-Politikerin"), the name right
    after it ("SPD-Politiker Lars Klingbeil"), or the name before it in an apposition ("X, a U.S. citizen")."""
    end = tok.idx + len(tok.text)
    for m in mentions:
        if m.kind == "coref" and m.type == "PER" and m.start <= tok.idx and m.end >= end:
            return m
    doc = ctx.doc
    for j in range(tok.i + 1, min(tok.i + 3, len(doc))):
        m = next((m for m in mentions if m.start <= doc[j].idx < m.end and m.kind != "coref"), None)
        if m is not None:
            return m if m.type == "PER" else None
        if not doc[j].text[:1].isupper():
            break
    for j in range(tok.i - 1, max(tok.i - 8, -1), -1):
        if doc[j].text == "," and j > 0:
            m = next((m for m in mentions if m.start <= doc[j - 1].idx < m.end), None)
            return m if m is not None and m.type == "PER" else None
        if doc[j].text in (".", ";", ":"):
            break
    return None


def extract_facts(ctx: DocContext) -> Iterator[Event]:
    lang = ctx.lang
    by_sentence: dict[int, list[Mention]] = {}
    for m in ctx.mentions:  # all of them: "Mariusz Błaszczak (PiS)" is not a credit
        by_sentence.setdefault(m.sentence, []).append(m)
    for sent in range(len(ctx.sentences)):
        mentions = by_sentence.get(sent, [])
        if not mentions:
            continue
        tokens = ctx.tokens(sent)
        for k, tok in enumerate(tokens):
            low = tok.lower_
            head = low.rsplit("-", 1)[-1]
            if head in PARTY_PERSON[lang] or tok.text == "(" or low_possessive(tok, lang):  # _party's only cases
                yield from _party(ctx, sent, tok, head, mentions, tokens, k)
            if head in MEMBER[lang] or low in BELONG[lang]:
                yield from _membership(ctx, sent, tok, head, mentions, tokens, k)
            if head in CITIZEN[lang]:
                yield from _citizenship(ctx, sent, tok, mentions)
            if head in SEAT[lang] or low.endswith("-based"):
                yield from _seat(ctx, sent, tok, mentions, tokens, k)
            if low in WORK_PREPS[lang]:
                yield from _employer(ctx, sent, tok, mentions, tokens, k)


def _party(ctx, sent, tok, head, mentions, tokens, k):
    lang = ctx.lang
    inside = [m for m in _covering(ctx, tok, mentions) if m.kind != "coref" and is_party(ctx, m)]
    if inside and "-" in tok.text and head in PARTY_PERSON[lang]:  # "SPD-Politiker", "Grünen-Politikerin"
        person = _person_for(ctx, tok, mentions)
        if person is not None:
            yield _event("memberOfParty", person, inside[0], sent, tok, 0.75)
        return
    doc = ctx.doc
    if head in PARTY_PERSON[lang] and not inside:
        # "Politiker der Republikaner", "a member of the Labour Party"
        j = tok.i + 1
        while j < len(doc) and doc[j].lower_ in ("der", "des", "of", "the"):
            j += 1
        party = next((m for m in mentions if j < len(doc) and m.start <= doc[j].idx < m.end and is_party(ctx, m)), None)
        if party is not None and j > tok.i + 1:
            person = _person_for(ctx, tok, mentions)
            if person is not None:
                yield _event("memberOfParty", person, party, sent, tok, 0.7)
        # "Republican Senator Marco Rubio": the party right before the title, the person right after it
        if tok.i > 0:
            before = next((m for m in mentions if m.start <= doc[tok.i - 1].idx < m.end and is_party(ctx, m)), None)
            after = next((m for m in mentions if tok.i + 1 < len(doc) and m.start <= doc[tok.i + 1].idx < m.end), None)
            if before is not None and after is not None and after.type == "PER":
                yield _event("memberOfParty", after, before, sent, tok, 0.75)
        return
    if low_possessive(tok, lang):  # "his Labour Party": the subject of the sentence
        party = next((m for m in mentions if tok.i + 1 < len(doc) and m.start <= doc[tok.i + 1].idx < m.end
                      and is_party(ctx, m)), None)
        people = [m for m in mentions if m.type == "PER" and m.end <= tok.idx]
        if party is not None and people:
            yield _event("memberOfParty", people[0], party, sent, tok, 0.65)
    if tok.text == "(" and tok.i + 2 < len(doc) and doc[tok.i + 2].text == ")":  # "Annalena Baerbock (Grüne)"
        party = next((m for m in mentions if m.start <= doc[tok.i + 1].idx < m.end and is_party(ctx, m)), None)
        person = next((m for m in mentions if tok.i > 0 and m.start <= doc[tok.i - 1].idx < m.end), None)
        if party is not None and person is not None and person.type == "PER":
            yield _event("memberOfParty", person, party, sent, tok, 0.8)


def low_possessive(tok: Token, lang: str) -> bool:
    return tok.lower_ in ({"his", "her"} if lang == "en" else {"seiner", "seine", "ihrer", "ihre"})


def _membership(ctx, sent, tok, head, mentions, tokens, k):
    doc, lang = ctx.doc, ctx.lang
    if head in MEMBER[lang]:
        # "NATO member Poland", "Nato-Mitglied Polen", "Finland became NATO's 31st member"
        org = next((m for m in _covering(ctx, tok, mentions) if m.type == "ORG"), None)
        for j in range(tok.i - 1, max(tok.i - 4, -1), -1):
            if org is not None or doc[j].is_punct and doc[j].text not in ("'s", "’s"):
                break
            org = next((m for m in mentions if m.start <= doc[j].idx < m.end and m.type == "ORG"), None)
        if org is not None and not _covering(ctx, tok, [org]) and doc[org_end_token(ctx, org) + 1].text in ("'s", "’s"):
            before = [m for m in mentions if m.end <= org.start and m.type in ("LOC", "ORG") and m.kind != "demonym"]
            if before:  # "Finland became NATO's 31st member"
                yield _event("memberOf", before[-1], org, sent, tok, 0.7)
                return
        member = next((m for m in mentions if tok.i + 1 < len(doc) and m.start <= doc[tok.i + 1].idx < m.end), None)
        if org is not None and member is not None and member.type in ("LOC", "ORG") and member.entity_key != org.entity_key:
            yield _event("memberOf", member, org, sent, tok, 0.75)
            return
        # "X ist Mitglied der Y", "X, a member of Y"
        j = tok.i + 1
        while j < len(doc) and doc[j].lower_ in ("der", "des", "of", "the"):
            j += 1
        # "Mitglied der X", "a member of X": X is an organisation, whatever type its mention got
        org = next((m for m in mentions if j < len(doc) and m.start <= doc[j].idx < m.end and m.type != "PER"
                    and m.kind != "demonym"), None)
        if org is None or j == tok.i + 1:
            return
        before = [m for m in mentions if m.end <= tok.idx and m.kind != "demonym" and m.entity_key != org.entity_key]
        if not before:
            return
        member = before[-1]
        if member.type == "PER" and is_party(ctx, org):
            return  # memberOfParty, found by _party
        if member.type in ("LOC", "ORG", "PER"):
            yield _event("memberOf", member, org, sent, tok, 0.7)
        return
    # "Die Nato, der auch Deutschland angehört" / "Deutschland gehört der Nato an" / "X belongs to Y"
    before = [m for m in mentions if m.end <= tok.idx and m.kind != "demonym"]
    orgs = [m for m in before if m.type == "ORG"]
    if not orgs:
        return
    org = orgs[-1] if is_party(ctx, orgs[-1]) else orgs[0]
    members = [m for m in before if m.start > org.end and m.type in ("LOC", "ORG", "PER")]
    if not members:  # "Ursula von der Leyen, die der CDU angehört"
        members = [m for m in before if m.end <= org.start and m.type in ("LOC", "ORG", "PER")]
    if not members:
        return
    member = members[-1]
    if member.type == "PER":
        if is_party(ctx, org):
            yield _event("memberOfParty", member, org, sent, tok, 0.7)
        return
    yield _event("memberOf", member, org, sent, tok, 0.7)


def _citizenship(ctx, sent, tok, mentions):
    doc = ctx.doc
    country = next((m for m in _covering(ctx, tok, mentions) if m.type == "LOC" and m.kind != "coref"), None)
    j = tok.i - 1
    while country is None and j >= 0 and tok.i - j <= 2:
        country = next((m for m in mentions if m.start <= doc[j].idx < m.end and m.type == "LOC"), None)
        j -= 1
    if country is None:
        return
    person = _person_for(ctx, tok, mentions)
    if person is not None and person.entity_key != country.entity_key:
        yield _event("citizenOf", person, country, sent, tok, 0.75)


def _seat(ctx, sent, tok, mentions, tokens, k):
    doc = ctx.doc
    if tok.lower_.endswith("-based"):  # "the Berlin-based company X"
        place = next((m for m in _covering(ctx, tok, mentions) if m.type == "LOC"), None)
        org = next((m for m in mentions if m.start > tok.idx and m.type == "ORG"), None)
        if place is not None and org is not None:
            yield _event("headquarteredIn", org, place, sent, tok, 0.75)
        return
    # "Y mit Sitz in X", "Y, which is headquartered in X", "das in X ansässige Y"
    place = None
    for j in range(tok.i + 1, min(tok.i + 3, len(doc))):
        if doc[j].lower_ == "in" and j + 1 < len(doc):
            place = next((m for m in mentions if m.start <= doc[j + 1].idx < m.end and m.type == "LOC"), None)
            break
    if place is None and tok.i >= 2 and doc[tok.i - 2].lower_ == "in":  # "in Brüssel ansässige"
        place = next((m for m in mentions if m.start <= doc[tok.i - 1].idx < m.end and m.type == "LOC"), None)
        org = next((m for m in mentions if m.start > tok.idx and m.type == "ORG"), None)
        if place is not None and org is not None:
            yield _event("headquarteredIn", org, place, sent, tok, 0.7)
        return
    if place is None:
        return
    orgs = [m for m in mentions if m.end <= tok.idx and m.type == "ORG" and tok.idx - m.end <= 40]
    if orgs:
        yield _event("headquarteredIn", orgs[-1], place, sent, tok, 0.75)


def _employer(ctx, sent, prep, mentions, tokens, k):
    """'X, a reporter for Y', 'der für die Zeitung Y arbeitet', 'worked as an economist at the Bank of England'."""
    doc, lang = ctx.doc, ctx.lang
    org = None
    for j in range(prep.i + 1, min(prep.i + 5, len(doc))):
        org = next((m for m in mentions if m.start <= doc[j].idx < m.end), None)
        if org is not None:
            break
        if doc[j].is_punct and doc[j].text not in ('"', "„", "“"):
            break
    if org is None or org.type != "ORG" or is_party(ctx, org):
        return
    window = [t.lower_ for t in doc[max(prep.i - 5, 0): prep.i]]
    after = [t.lower_ for t in doc[org_end_token(ctx, org) + 1: org_end_token(ctx, org) + 3]] if lang == "de" else []
    work = WORK_NOUNS[lang] + WORK_VERBS[lang]
    if not (any(w.endswith(work) for w in window) or set(after) & set(WORK_VERBS[lang])):
        return
    if prep.lower_ in ("von", "vom", "with") and not any(w.endswith(WORK_NOUNS[lang]) for w in window):
        return  # "von" and "with" name an employer only after an occupation ("Experte von der Universität")
    people = [m for m in mentions if m.type == "PER" and m.end <= prep.idx and prep.idx - m.end <= 80]
    if people:
        yield _event("employer", people[-1], org, sent, prep, 0.7)


def org_end_token(ctx: DocContext, m: Mention) -> int:
    span = ctx.doc.char_span(m.start, m.end, alignment_mode="expand")
    return span.end - 1 if span is not None else 0
