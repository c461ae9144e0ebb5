"""Positions: who holds which office for whom (``kg:holdsPositionIn``), from role words next to names.

In: a ``DocContext``. Out: ``PositionHolding`` events. Patterns (German and English):
- adjective/name + role + person: "der russische Staatspräsident Wladimir Putin", "NATO Secretary General
  Jens Stoltenberg", "Russian President Vladimir Putin" -> person holdsPositionIn country/organisation;
- person + ", " + possessive + role: "Juri Uschakow, Putins außenpolitischer Berater", "Yuri Ushakov,
  Putin's foreign policy adviser" -> person holdsPositionIn the person (role "Berater");
- role + genitive/of: "Präsident Frankreichs", "President of France", "Außenminister der USA".
"""
from __future__ import annotations

import re
from typing import Iterator

from spacy.tokens import Token

from kgbuild.lexicon import find_role, lemma, role_lookup, role_parts
from kgbuild.relations.context import DocContext
from kgbuild.relations.facts import is_party
from kgbuild.types import Argument, Event, Mention


def _mention_of(ctx: DocContext, tok: Token, mentions: list[Mention]) -> Mention | None:
    return next((m for m in mentions if m.start <= tok.idx < m.end), None)


def _holder_after(ctx, role_tok: Token, mentions) -> Mention | None:
    doc = ctx.doc
    for i in range(role_tok.i + 1, min(role_tok.i + 3, len(doc))):
        m = _mention_of(ctx, doc[i], mentions)
        if m is not None:
            return m if m.type == "PER" else None
        if find_role(doc[i].text, lemma(doc[i], ctx.lang), ctx.lang) is None and not doc[i].text[:1].isupper():
            return None
    return None


def _holder_before(ctx, role_tok: Token, mentions) -> tuple[Mention | None, Mention | None]:
    """'X, Putins Berater' / 'X, the Russian foreign minister' -> (holder X, possessor/office or None)."""
    doc = ctx.doc
    office = None
    i = role_tok.i - 1
    while i > 0 and role_tok.i - i <= 6:
        tok = doc[i]
        if tok.text == ",":
            prev = _mention_of(ctx, doc[i - 1], mentions)
            return (prev if prev is not None and prev.type == "PER" else None), office
        m = _mention_of(ctx, tok, mentions)
        if m is not None:
            if m.type == "PER" and office is None:
                office = m
            elif m.type in ("LOC", "ORG") and office is None:
                office = m
            i = doc.char_span(m.start, m.end, alignment_mode="expand").start - 1
            continue
        if tok.text[:1].isupper() and ctx.lang == "en" and tok.i != role_tok.i - 1:
            return None, None
        i -= 1
    return None, None


_ADJECTIVE = re.compile(r"(isch|isches|ische|ischen|ischer|ischem|al|ary|ic|ical)$")


def _title_word(ctx, role_tok: Token) -> str | None:
    """The word before the role when the two form a listed role title: 'Treasury' of 'Treasury Secretary'."""
    if role_tok.i == 0:
        return None
    prev = ctx.doc[role_tok.i - 1]
    return prev.text if f"{prev.lower_} {role_tok.lower_}" in role_lookup(ctx.lang) else None


#: offices held *in* a political party (English glosses of roles.yaml); any other role after a party's name is a
#: state office its member holds ("Republican Senator Marco Rubio": memberOfParty, found by facts.py)
PARTY_OFFICES = frozenset({"chair", "vice chair", "party leader", "leader", "chief", "secretary general",
                           "spokesperson", "deputy leader", "co-leader", "treasurer"})


def _party_office(ctx: DocContext, office: Mention, gloss: str) -> bool:
    """False for a state office after a party's name ('Republican Senator'), True otherwise."""
    return not is_party(ctx, office) or gloss in PARTY_OFFICES


def _title_after(ctx, role_tok: Token) -> str:
    """The words after the role that form a longer listed role title with it, before a name: 'General' of
    'Secretary General Jens Stoltenberg', 'of State' of 'Secretary of State Antony Blinken' ('' if none)."""
    doc, table = ctx.doc, role_lookup(ctx.lang)
    for n in (3, 2, 1):
        end = role_tok.i + 1 + n
        if end < len(doc) and " ".join(t.lower_ for t in doc[role_tok.i:end]) in table:
            return doc[role_tok.i + 1:end].text
    return ""


def _office_before(ctx, role_tok: Token, mentions) -> Mention | None:
    """An adjective or name right before the role: 'russische Staatspräsident', 'Russian President',
    'außenpolitische Sprecher'; only adjectives may stand between them. An unlinked name that ends in the
    department word of a role title ('(U.S.) Treasury' of 'Treasury Secretary') is part of the title, no office."""
    doc = ctx.doc
    for i in range(role_tok.i - 1, max(role_tok.i - 5, -1), -1):
        tok = doc[i]
        m = _mention_of(ctx, tok, mentions)
        if m is not None:
            if i == role_tok.i - 1 and _title_word(ctx, role_tok) and m.entity_key.startswith("nil:"):
                return None
            return m if m.type in ("LOC", "ORG") else None
        if tok.pos_ not in ("ADJ", "ADV", "PART") and tok.tag_ not in ("VBN", "POS") and tok.text not in ("'s", "’s") \
                and not _ADJECTIVE.search(tok.lower_) and tok.lower_ not in role_parts(ctx.lang):
            return None  # only adjectives between: "South Korea's newly elected leader"
    return None


def _apposition_after(ctx, role_tok: Token, mentions) -> tuple[Mention | None, Mention | None]:
    """'Ein Sprecher des chinesischen Außenministeriums, Geng Shuang' / 'a spokesman for the Foreign
    Ministry, John Smith': (holder after the comma, office named in between)."""
    doc = ctx.doc
    office = None
    for i in range(role_tok.i + 1, min(role_tok.i + 8, len(doc) - 1)):
        tok = doc[i]
        if tok.text == ",":
            holder = _mention_of(ctx, doc[i + 1], mentions)
            return (holder, office) if holder is not None and holder.type == "PER" else (None, None)
        if tok.text in (".", ";", ":") or tok.is_sent_start:
            return None, None
        m = _mention_of(ctx, tok, mentions)
        if m is not None and m.type in ("LOC", "ORG") and office is None:
            office = m
        elif m is not None:
            return None, None
    return None, None


def _office_after(ctx, role_tok: Token, mentions) -> Mention | None:
    """'Präsident Frankreichs', 'Präsident der USA', 'President of France'."""
    doc = ctx.doc
    j = role_tok.i + 1
    if j < len(doc) and doc[j].lower_ in ("of", "der", "des", "von"):
        j += 1
        if j < len(doc) and doc[j].lower_ in ("the",):
            j += 1
    if j < len(doc):
        m = _mention_of(ctx, doc[j], mentions)
        if m is not None and m.type in ("LOC", "ORG") and (j > role_tok.i + 1 or m.text.endswith("s")):
            return m
    return None


def extract_positions(ctx: DocContext) -> Iterator[Event]:
    for sent in range(len(ctx.sentences)):
        mentions = [m for m in ctx.by_sentence.get(sent, []) if m.entity_key]
        seen = set()
        for tok in ctx.tokens(sent):
            role = find_role(tok.text, lemma(tok, ctx.lang), ctx.lang)
            if "-" in tok.text:  # "Siemens-Chef Joe Kaeser", "SPD-Generalsekretär Kevin Kühnert"
                prefix, rest = tok.text.rsplit("-", 1)
                inner = _mention_of(ctx, tok, mentions)
                part = find_role(rest, rest, ctx.lang)
                if inner is not None and inner.type in ("ORG", "LOC") and inner.end <= tok.idx + len(prefix) + 1 \
                        and part is not None:
                    # whether or not the whole compound reads as a role too ("Generalsekretär" is a long head)
                    holder = _holder_after(ctx, tok, [m for m in mentions if m is not inner])
                    if holder is not None and (holder.entity_key, inner.entity_key) not in seen \
                            and _party_office(ctx, inner, part.gloss):
                        seen.add((holder.entity_key, inner.entity_key))
                        yield _position(holder, inner, sent, tok, rest, 0.8)
                    continue
                if role is None:
                    continue
            if role is None or _mention_of(ctx, tok, mentions) is not None:
                continue
            holder = _holder_after(ctx, tok, mentions)
            office = None
            if holder is not None:
                office = _office_before(ctx, tok, mentions) or _office_after(ctx, tok, mentions)
            else:
                holder, office = _holder_before(ctx, tok, mentions)
                office = office or _office_after(ctx, tok, mentions)
                if holder is None:
                    holder, office = _apposition_after(ctx, tok, mentions)
            if holder is None or office is None or office.entity_key == holder.entity_key \
                    or not _party_office(ctx, office, role.gloss):
                continue
            if (holder.entity_key, office.entity_key) in seen:
                continue
            seen.add((holder.entity_key, office.entity_key))
            conf = 0.8 if office.type in ("LOC", "ORG") else 0.7
            title = _title_word(ctx, tok)
            words = [title, tok.text, _title_after(ctx, tok) if holder.start > tok.idx else ""]
            yield _position(holder, office, sent, tok, " ".join(w for w in words if w), conf)


def _position(holder: Mention, office: Mention, sent: int, tok: Token, role: str, conf: float) -> Event:
    return Event(
        event_type="PositionHolding", relation="holdsPositionIn", subject=holder.entity_key,
        object=office.entity_key,
        arguments=(Argument("holder", holder.entity_key), Argument("office", office.entity_key)),
        sentence=sent, trigger_start=tok.idx, trigger_end=tok.idx + len(tok.text), trigger=tok.text,
        status="happened", confidence=conf, role=role, extractor="patterns",
    )
