"""The per-document view the relation extractors work on: sentences, tokens and linked mentions.

In: the spaCy ``Doc``, the sentences and the linked mentions of one article. Out: ``DocContext`` with
lookups by sentence and by token, and the discourse actor (who "er"/"he" most likely is).
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Sequence

from spacy.tokens import Doc, Token

from kgbuild.types import Mention, Sentence

SUBJECT_DEPS = {"nsubj", "nsubj:pass", "sb", "nsubjpass", "csubj"}
PRONOUNS = {
    "de": {"er", "sie", "seine", "seiner", "seines", "seinen", "seinem", "ihr", "ihre", "ihrer", "ihres", "ihren"},
    "en": {"he", "she", "his", "her", "him"},
}


@dataclass
class DocContext:
    doc: Doc
    sentences: Sequence[Sentence]
    mentions: Sequence[Mention]  # linked mentions (entity_key set) only
    lang: str
    published: dt.date | None = None
    has_parse: bool = False
    by_sentence: dict[int, list[Mention]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for m in self.mentions:
            self.by_sentence.setdefault(m.sentence, []).append(m)
        self.has_parse = self.doc.has_annotation("DEP")

    def tokens(self, sent_index: int) -> list[Token]:
        sent = self.sentences[sent_index]
        span = self.doc.char_span(sent.start, sent.end, alignment_mode="expand")
        return list(span) if span is not None else []

    def mention_at(self, char: int) -> Mention | None:
        for m in self.mentions:
            if m.start <= char < m.end:
                return m
        return None

    def actor_before(self, sent_index: int, types=("PER",)) -> Mention | None:
        """The most likely antecedent of a pronoun or a missing subject: the subject-like person of the
        nearest earlier sentence (its first person mention), looking back at most three sentences."""
        for i in range(sent_index - 1, max(sent_index - 4, -1), -1):
            people = [m for m in self.by_sentence.get(i, []) if m.type in types and m.kind != "demonym"]
            if people:
                return people[0]
        return None

    def has_pronoun(self, tokens: Sequence[Token]) -> bool:
        pronouns = PRONOUNS.get(self.lang, set())
        return any(t.lower_ in pronouns for t in tokens)
