"""The per-document view the relation extractors work on: sentences, tokens and linked mentions.

In: the spaCy ``Doc``, the sentences and the linked mentions of one article. Out: ``DocContext`` with
lookups by sentence and by token, and the discourse actor (who "er"/"he" most likely is).
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any, Sequence

from spacy.tokens import Doc, Token

from kgbuild.nlp import doc_text
from kgbuild.types import Mention, Sentence

SUBJECT_DEPS = {"nsubj", "nsubj:pass", "sb", "nsubjpass", "csubj"}
PREPOSITIONS = {
    "de": {"in", "im", "nach", "aus", "zu", "zum", "zur", "mit", "von", "vom", "bei", "beim", "für", "gegen", "an",
           "am", "auf", "über", "zwischen", "unter", "vor", "gegenüber", "durch", "um", "ohne", "seit"},
    "en": {"in", "to", "from", "with", "at", "of", "for", "against", "on", "by", "between", "about", "over",
           "into", "toward", "towards", "across", "since"},
}
PRONOUNS = {
    "de": {"er", "sie", "seine", "seiner", "seines", "seinen", "seinem", "ihr", "ihre", "ihrer", "ihres", "ihren"},
    "en": {"he", "she", "his", "her", "him"},
}


def _parenthesised(text: str, m: Mention) -> bool:
    before = text[max(0, m.start - 2): m.start].strip()
    after = text[m.end: m.end + 2].strip()
    return before.endswith("(") and after.startswith(")")


_DATELINE = re.compile(r"^[^\n.]{0,25}\([A-Za-z. ]{2,12}\)\s*[-–—]")


def _dateline(text: str, m: Mention) -> bool:
    """'BERLIN (dpa) -', 'VILNIUS, July 10 (Reuters) -': the place of a dateline is not a participant."""
    line_start = text.rfind("\n", 0, m.start) + 1
    return not text[line_start:m.start].strip() and bool(_DATELINE.match(text[m.end:m.end + 40]))


@dataclass
class DocContext:
    doc: Doc
    sentences: Sequence[Sentence]
    mentions: Sequence[Mention]  # linked mentions (entity_key set) only
    lang: str
    published: dt.date | None = None
    has_parse: bool = False
    by_sentence: dict[int, list[Mention]] = field(default_factory=dict)
    #: office entity key -> holder entity key, from the PositionHolding events found so far
    holders: dict[str, str] = field(default_factory=dict)
    #: (holder entity key, sentence) -> office entity key, from the same events
    offices: dict[tuple[str, int], str] = field(default_factory=dict)
    #: the knowledge base (optional): entity classes for parties, capitals and their countries
    kb: Any = None
    #: ``doc.text``, read once (spaCy joins every token each time ``Doc.text`` is read)
    text: str = field(default="", init=False, repr=False)
    _topics: list | None = field(default=None, repr=False)
    _first_mention: dict[str, Mention] = field(default_factory=dict, repr=False)
    _tokens: dict[int, list[Token]] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        self.text = text = doc_text(self.doc)  # built once: Doc.text joins every token each time it is read
        for m in self.mentions:
            if _parenthesised(text, m) or _dateline(text, m):
                continue  # "Peking (Reuters) -", "WASHINGTON, June 22 (AP) -": a credit, not a participant
            self.by_sentence.setdefault(m.sentence, []).append(m)
        self.has_parse = self.doc.has_annotation("DEP")
        for m in self.mentions:
            if m.entity_key and m.kind != "coref":
                self._first_mention.setdefault(m.entity_key, m)

    def classes(self, key: str | None) -> tuple[str, ...]:
        """The Wikidata classes (P31) of a linked entity, from the KB; () without one."""
        if not key or self.kb is None or key.startswith("nil:"):
            return ()
        ent = self.kb.entity(key)
        return tuple(ent.classes) if ent is not None else ()

    def country_of(self, key: str | None) -> str | None:
        """The country (P17) of a capital city, when that country is also named in the article."""
        if not key or self.kb is None or key.startswith("nil:"):
            return None
        ent = self.kb.entity(key)
        if ent is None or "Q5119" not in ent.classes:
            return None
        countries = ent.claims.get("P17", ())
        keys = self.entity_keys
        return next((c for c in countries if c in keys), None)

    @property
    def entity_keys(self) -> set[str]:
        if not hasattr(self, "_keys"):
            self._keys = {m.entity_key for m in self.mentions if m.entity_key}
        return self._keys

    def tokens(self, sent_index: int) -> list[Token]:
        """The tokens of a sentence (made once per sentence: the extractors each ask for them; don't change
        the list)."""
        found = self._tokens.get(sent_index)
        if found is None:
            sent = self.sentences[sent_index]
            span = self.doc.char_span(sent.start, sent.end, alignment_mode="expand")
            found = self._tokens[sent_index] = list(span) if span is not None else []
        return found

    def actor_before(self, sent_index: int, types=("PER",)) -> Mention | None:
        """The most likely antecedent of a pronoun or a missing subject: the subject-like person of the
        nearest earlier sentence (its first person mention), looking back at most three sentences."""
        for i in range(sent_index - 1, max(sent_index - 4, -1), -1):
            people = [m for m in self.by_sentence.get(i, []) if m.type in types and m.kind != "demonym"]
            if people:
                return people[0]
        return None

    def role_holder_before(self, sent_index: int, limit: int) -> Mention | None:
        """'The Indian leader', 'der türkische Präsident' before ``limit`` in the sentence: the person who
        holds that office in this article (from its PositionHolding events), as one of their mentions."""
        from kgbuild.lexicon import find_role, lemma

        for tok in self.tokens(sent_index):
            if tok.idx >= limit:
                break
            if not find_role(tok.text, lemma(tok, self.lang), self.lang):
                continue
            for m in self.by_sentence.get(sent_index, []):
                if m.end <= tok.idx and tok.idx - m.end <= 25 and m.entity_key in self.holders:
                    return self._first_mention.get(self.holders[m.entity_key])
        return None

    def after_preposition(self, mention: Mention) -> bool:
        """True when the mention is the object of a preposition ("nach Nordkorea", "in Pjöngjang", "mit Kim")."""
        return self.preposition_of(mention) is not None

    def preposition_of(self, mention: Mention) -> str | None:
        """The preposition governing the mention, lowercased, or None."""
        span = self.doc.char_span(mention.start, mention.end, alignment_mode="expand")
        if span is None:
            return None
        preps = PREPOSITIONS.get(self.lang, set())
        i = span.start - 1
        while i >= 0 and i >= span.start - 4:
            tok = self.doc[i]
            if tok.lower_ in preps:
                return tok.lower_
            if tok.pos_ in ("DET", "ADJ") or tok.lower_ in ("der", "die", "das", "dem", "den", "des", "the", "a", "an"):
                i -= 1
                continue
            if tok.text[:1].islower() and self.lang == "de" and tok.text.endswith(("en", "e", "er", "es", "em")) \
                    and tok.pos_ not in ("VERB", "AUX"):
                i -= 1  # an inflected adjective: "mit dem nordkoreanischen Staatschef"
                continue
            return None
        return None

    def topic_actor(self, sent_index: int) -> Mention | None:
        """The most mentioned person so far (the article's protagonist), for sentences without a subject
        ("Geplant sind ein Treffen mit ...", "Es ist der erste Staatsbesuch ..."). Computed once for all
        sentences (one pass), so that asking for every sentence stays linear in the text length."""
        if self._topics is None:
            self._topics = []
            counts: dict[str, int] = {}
            first: dict[str, int] = {}
            last: dict[str, Mention] = {}
            best: str | None = None
            for i in range(len(self.sentences)):
                for m in self.by_sentence.get(i, []):
                    if m.type != "PER" or not m.entity_key or m.kind == "coref":
                        continue
                    key = m.entity_key
                    counts[key] = counts.get(key, 0) + 1
                    first.setdefault(key, m.start)
                    last[key] = m
                    if best is None or (counts[key], -first[key]) > (counts[best], -first[best]):
                        best = key
                self._topics.append(last[best] if best is not None else None)
        return self._topics[sent_index] if 0 <= sent_index < len(self._topics) else None

    def has_pronoun(self, tokens: Sequence[Token]) -> bool:
        pronouns = PRONOUNS.get(self.lang, set())
        return any(t.lower_ in pronouns for t in tokens)
