"""All events of one document: runs the extractors (positions, facts, triggered events, quotations) over a
``DocContext`` and drops duplicates."""
from __future__ import annotations

import datetime as dt
from typing import Any, Sequence

from spacy.tokens import Doc

from kgbuild.relations.catalogue import symmetric_properties
from kgbuild.relations.context import DocContext
from kgbuild.relations.coref import resolve_coreference
from kgbuild.relations.facts import extract_facts
from kgbuild.relations.positions import extract_positions
from kgbuild.relations.quotes import extract_quotes
from kgbuild.relations.triggers import extract_triggered
from kgbuild.types import Event, Mention, Sentence

EXTRACTORS = (extract_positions, extract_facts, extract_triggered, extract_quotes)  # positions first: they resolve "the leader"


def extract_events(doc: Doc, sentences: Sequence[Sentence], mentions: Sequence[Mention], lang: str,
                   published: dt.date | None = None, kb: Any = None) -> list[Event]:
    """All events of one document, ordered by position, without duplicates. ``mentions`` may include the
    coreferent ones of ``resolve_coreference``; ``kb`` (optional) tells parties and capitals apart."""
    ctx = DocContext(doc, sentences, [m for m in mentions if m.entity_key], lang, published, kb=kb)
    events: dict[tuple, Event] = {}
    symmetric = symmetric_properties()
    for extractor in EXTRACTORS:
        for ev in extractor(ctx):
            if ev.relation == "holdsPositionIn" and ev.object:
                ctx.holders.setdefault(ev.object, ev.subject)
                ctx.offices.setdefault((ev.subject, ev.sentence), ev.object)
            key = (ev.relation, ev.subject, ev.object, ev.sentence)
            if ev.relation in symmetric:
                key = (ev.relation, *sorted((ev.subject, ev.object or "")), ev.sentence)
            if key not in events or events[key].confidence < ev.confidence:
                events[key] = ev
    return sorted(events.values(), key=lambda e: (e.trigger_start, e.relation))


__all__ = ["extract_events", "resolve_coreference", "DocContext"]
