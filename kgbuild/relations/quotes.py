"""Quotes: who said what (``kg:Quotation`` events), from quotation marks and speech verbs.

In: a ``DocContext``. Out: ``Quotation`` events with the speaker (a person or organisation of the sentence,
or the person a pronoun refers back to) and the quoted text.
"""
from __future__ import annotations

import re
from typing import Iterator

from kgbuild.relations.context import DocContext
from kgbuild.types import Argument, Event

SPEECH = {
    "de": {"sagen", "erklären", "betonen", "hinzufügen", "mitteilen", "warnen", "fordern", "bekräftigen",
           "schreiben", "äußern", "kritisieren", "versichern", "unterstreichen", "heißen", "ankündigen",
           "bezeichnen", "antworten", "fügen", "sagte", "erklärte", "betonte"},
    "en": {"say", "tell", "add", "state", "stress", "warn", "announce", "declare", "write", "insist", "note",
           "urge", "call", "describe", "reply", "said", "told"},
}
_QUOTE = re.compile(r"[\"“„«‚‘»]([^\"“”„«»]{8,}?)[\"”“«»‘’]")


def extract_quotes(ctx: DocContext) -> Iterator[Event]:
    verbs = SPEECH.get(ctx.lang, set())
    for sent, sentence in enumerate(ctx.sentences):
        quotes = _QUOTE.findall(sentence.text)
        if not quotes:
            continue
        tokens = ctx.tokens(sent)
        trigger = next((t for t in tokens if (t.lemma_ or t.text).lower() in verbs or t.lower_ in verbs), None)
        if trigger is None:
            continue
        mentions = [m for m in ctx.by_sentence.get(sent, []) if m.entity_key and m.kind != "demonym"]
        outside = [m for m in mentions if not _inside_quote(m.start - sentence.start, sentence.text)]
        speakers = [m for m in outside if m.type == "PER"]
        if not speakers:  # metonymy: "Moskau akzeptiere ...", "the Kremlin said"
            speakers = [m for m in outside if m.type in ("ORG", "LOC") and m.start < trigger.idx
                        and not ctx.after_preposition(m)]
        speaker = speakers[0] if speakers else (ctx.actor_before(sent) if ctx.has_pronoun(tokens) else None)
        if speaker is None:
            continue
        quote = max(quotes, key=len).strip()
        yield Event(
            event_type="Quotation", relation="says", subject=speaker.entity_key, object=None,
            arguments=(Argument("speaker", speaker.entity_key),), sentence=sent,
            trigger_start=trigger.idx, trigger_end=trigger.idx + len(trigger.text), trigger=trigger.text,
            status="happened", confidence=0.75 if speakers else 0.6, quote=quote, extractor="patterns",
        )


def _inside_quote(offset: int, text: str) -> bool:
    for m in _QUOTE.finditer(text):
        if m.start() <= offset < m.end():
            return True
    return False
