"""Quotes: who said what (``kg:Quotation`` events), from speech verbs with direct or reported speech.

In: a ``DocContext``. Out: ``Quotation`` events with the speaker and the quoted text. Three shapes:
- quotation marks: ``Putin sagte: „…“``, ``"…," he told reporters``;
- a trailing speech verb: ``Die Lieferungen verlängerten den Konflikt nur, sagte Peskow`` / ``…, Sullivan said``;
- reported speech: ``Uschakow betonte, dass …`` / ``Sullivan said the United States would …``.
The speaker is a person of the sentence next to the speech verb (else an organisation or place used for its
government, "Moskau akzeptiere"), or the person a pronoun ("er", "he") refers back to.
"""
from __future__ import annotations

import re
from typing import Iterator

from spacy.tokens import Token

from kgbuild.lexicon import find_role, lemma
from kgbuild.relations.context import PRONOUNS, DocContext
from kgbuild.types import Argument, Event, Mention, Sentence

SPEECH = {
    "de": {"sagen", "erklären", "betonen", "hinzufügen", "mitteilen", "warnen", "fordern", "bekräftigen",
           "schreiben", "äußern", "kritisieren", "versichern", "unterstreichen", "ankündigen", "kündigen",
           "bezeichnen", "antworten", "fügen", "sagte", "erklärte", "betonte", "meinen", "berichten"},
    "en": {"say", "tell", "add", "state", "stress", "warn", "announce", "declare", "write", "insist", "note",
           "urge", "describe", "reply", "said", "told", "says", "warned", "added"},
}
REPORTED = {"dass", "daß", "that"}
_QUOTE = re.compile(r"[\"“„«‚‘»]([^\"“”„«»]{8,}?)[\"”“«»‘’]")


def _speech_verbs(ctx: DocContext, tokens: list[Token]) -> list[Token]:
    verbs = SPEECH.get(ctx.lang, set())
    return [t for t in tokens if t.text[:1].islower() and (lemma(t, ctx.lang) in verbs or t.lower_ in verbs)]


def _speaker(ctx: DocContext, sent: int, verb: Token, mentions: list[Mention], sentence: Sentence,
             tokens: list[Token]) -> tuple[Mention | None, float]:
    doc = ctx.doc
    pronouns = PRONOUNS.get(ctx.lang, set())
    # "..., sagte sie" (German inversion) / "..., he said"
    pronoun_at = verb.i + 1 if ctx.lang == "de" else verb.i - 1
    if 0 <= pronoun_at < len(doc) and doc[pronoun_at].lower_ in pronouns:
        return ctx.actor_before(sent), 0.6
    # "..., sagte der Präsident" / "..., the minister said": the role stands for a person named before
    nxt = [t for t in doc[verb.i + 1 : verb.i + 4]]
    if len(nxt) >= 2 and nxt[0].lower_ in ("ein", "eine", "a", "an") and find_role(nxt[1].text, lemma(nxt[1], ctx.lang), ctx.lang):
        return None, 0.0  # "..., sagte ein Sprecher": an unnamed speaker
    if len(nxt) >= 2 and nxt[0].lower_ in ("der", "die", "the") and find_role(nxt[1].text, lemma(nxt[1], ctx.lang), ctx.lang):
        return ctx.topic_actor(sent), 0.55
    outside = [m for m in mentions if not _inside_quote(m.start - sentence.start, sentence.text)]
    people = [m for m in outside if m.type == "PER"]
    after = [m for m in people if 0 <= m.start - (verb.idx + len(verb.text)) <= 2]  # "sagte Peskow"
    if after:
        return after[0], 0.75
    before = [m for m in people if m.end <= verb.idx and not ctx.after_preposition(m) and not _possessive(ctx, m)]
    if before:
        return before[-1], 0.75
    # metonymy: "Moskau akzeptiere ...", "Hungary ... said"
    orgs = [m for m in outside if m.type in ("ORG", "LOC") and m.end <= verb.idx and not ctx.after_preposition(m)]
    if orgs:
        return orgs[0], 0.65
    if people:
        return people[0], 0.6
    if ctx.has_pronoun(tokens):
        actor = ctx.actor_before(sent)
        if actor is not None:
            return actor, 0.6
    return None, 0.0


def _quote_text(ctx: DocContext, verb: Token, sentence: Sentence) -> str | None:
    quoted = _QUOTE.findall(sentence.text)
    if quoted:
        return max(quoted, key=len).strip()
    doc = ctx.doc
    j = verb.i + 1
    while j < len(doc) and j <= verb.i + 3 and doc[j].text in (",", "an", "hinzu", "reporters", "journalists"):
        j += 1
    if j < len(doc) and doc[j].lower_ in REPORTED:  # "erklärte, dass ...", "said that ..."
        rest = sentence.text[doc[j].idx + len(doc[j].text) - sentence.start:].strip()
        return rest.rstrip(".") or None
    before = sentence.text[: verb.idx - sentence.start].rstrip()
    if before.endswith(",") and len(before) > 20 and _speaker_follows(ctx, verb):  # "..., sagte Peskow"
        return before[:-1].strip()
    # German reported speech in the subjunctive: "Lecornu hatte angekündigt, Paris prüfe ..."
    if ctx.lang == "de" and verb.i + 1 < len(doc) and doc[verb.i + 1].text == "," and verb.i + 2 < len(doc):
        rest = sentence.text[doc[verb.i + 2].idx - sentence.start:].strip().rstrip(".")
        return rest if len(rest.split()) >= 3 else None
    # English: "Sullivan said the United States would ..."
    if ctx.lang == "en" and verb.lower_ in ("said", "says") and j < len(doc) and doc[j].idx < sentence.end:
        rest = sentence.text[doc[j].idx - sentence.start:].strip().rstrip(".")
        return rest if len(rest.split()) >= 4 else None
    return None


def _speaker_follows(ctx: DocContext, verb: Token) -> bool:
    """German inversion after a quote: the verb is followed by the speaker ("sagte Peskow", "sagte sie",
    "sagte der Minister"), or, in English, the verb ends the clause ("..., Sullivan said.")."""
    doc = ctx.doc
    nxt = doc[verb.i + 1] if verb.i + 1 < len(doc) else None
    if ctx.lang == "en":
        return nxt is None or nxt.is_punct or nxt.lower_ in ("on", "in", "at", "after", "during")
    return nxt is not None and (nxt.text[:1].isupper() or nxt.lower_ in PRONOUNS.get("de", set())
                                or nxt.lower_ in ("der", "die", "ein", "eine"))


def extract_quotes(ctx: DocContext) -> Iterator[Event]:
    for sent, sentence in enumerate(ctx.sentences):
        tokens = ctx.tokens(sent)
        mentions = [m for m in ctx.by_sentence.get(sent, []) if m.entity_key and m.kind != "demonym"]
        for verb in _speech_verbs(ctx, tokens)[:1]:
            quote = _quote_text(ctx, verb, sentence)
            if not quote:
                continue
            speaker, confidence = _speaker(ctx, sent, verb, mentions, sentence, tokens)
            if speaker is None:
                continue
            yield Event(
                event_type="Quotation", relation="says", subject=speaker.entity_key, object=None,
                arguments=(Argument("speaker", speaker.entity_key),), sentence=sent,
                trigger_start=verb.idx, trigger_end=verb.idx + len(verb.text), trigger=verb.text,
                status="happened", confidence=confidence, quote=quote, extractor="patterns",
            )


def _possessive(ctx: DocContext, m: Mention) -> bool:
    """'Putins Berater', "Putin's adviser": the name qualifies a noun and is not the speaker."""
    span = ctx.doc.char_span(m.start, m.end, alignment_mode="expand")
    if span is None or span.end >= len(ctx.doc):
        return False
    nxt = ctx.doc[span.end]
    if nxt.text in ("'s", "’s"):
        return True
    return ctx.lang == "de" and m.text.endswith("s") and (nxt.text[:1].islower() or bool(find_role(nxt.text, nxt.text, "de")))


def _inside_quote(offset: int, text: str) -> bool:
    return any(m.start() <= offset < m.end() for m in _QUOTE.finditer(text))
