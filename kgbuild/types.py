"""What flows between the stages: small frozen dataclasses, plus the Protocols of the plug-in points.

read -> ``Article``; mentions -> ``Mention``; KB -> ``Candidate`` / ``Entity``; linking -> ``LinkedEntity``
(and ``Mention.entity_key``); relations -> ``Event``; the whole result of one article -> ``DocumentResult``.
Offsets are character offsets into ``Article.text`` (Python ``str`` indices, end exclusive), as NIF wants.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Mapping, Protocol, runtime_checkable

from kgbuild.chars import clean_text, is_clean

#: Coarse entity types used everywhere in kgbuild.
ENTITY_TYPES = ("PER", "LOC", "ORG", "MISC")

#: Kinds of names in the knowledge base.
NAME_KINDS = (
    "label",  # the Wikidata label in that language
    "alias",  # a Wikidata alias ("also known as")
    "official",  # an official / long name ("Russische Föderation")
    "short",  # an abbreviation or short name ("NATO", "DVRK")
    "demonym",  # a demonym or adjective ("russisch", "Russian") -> the country
    "wikipedia",  # a Wikipedia article title
    "transliteration",  # a derived spelling variant ("Wladimir", "Pjöngjang")
    "surname",  # the family name of a person ("Putin")
)


@dataclass(frozen=True)
class Article:
    """One input document. ``id`` is stable for the same source (path or given id)."""

    id: str
    text: str
    lang: str | None = None
    url: str | None = None
    published: dt.date | None = None
    source: str | None = None  # path, "-" for stdin, or "file.jsonl:LINE"
    title: str | None = None

    def __post_init__(self) -> None:
        # characters RDF can't carry are replaced one for one here, once, so offsets stay right (kgbuild.chars)
        for name in ("text", "title"):
            value = getattr(self, name)
            if isinstance(value, str) and not is_clean(value):
                object.__setattr__(self, name, clean_text(value))


@dataclass(frozen=True)
class Sentence:
    start: int
    end: int
    text: str


@dataclass(frozen=True)
class Candidate:
    """A KB candidate for a surface form; ``score`` is filled by the linker (0 from the KB)."""

    qid: str
    name: str  # the KB name that matched
    kind: str  # one of NAME_KINDS
    prior: float  # popularity prior in [0, 1]
    type: str  # one of ENTITY_TYPES
    lang: str | None = None  # language of the matched name
    score: float = 0.0
    #: the linker's features of this candidate (name, value), filled only when asked to explain
    features: tuple[tuple[str, float], ...] = ()


@dataclass(frozen=True)
class Entity:
    """A KB entity with what the linker and the RDF writer need."""

    qid: str
    type: str
    prior: float
    labels: Mapping[str, str] = field(default_factory=dict)  # lang -> label
    descriptions: Mapping[str, str] = field(default_factory=dict)  # lang -> description
    classes: tuple[str, ...] = ()  # P31 QIDs
    claims: Mapping[str, tuple[str, ...]] = field(default_factory=dict)  # "P17" -> ("Q159", ...)

    def label(self, lang: str | None = None) -> str:
        for key in (lang, "en", "de"):
            if key and key in self.labels:
                return self.labels[key]
        return next(iter(self.labels.values()), self.qid)


@dataclass(frozen=True)
class Mention:
    """A span of text that names an entity. ``entity_key`` is set by the linker."""

    start: int
    end: int
    text: str
    type: str  # PER / LOC / ORG / MISC
    source: str  # "kb", "rules", "ner" (or joined: "kb+ner")
    sentence: int = -1  # index into DocumentResult.sentences
    kind: str | None = None  # name kind of the KB match (e.g. "demonym"), if any
    entity_key: str | None = None  # "Q7747" or an unlinked key "nil:PER:juri-uschakow"
    confidence: float = 0.0
    candidates: tuple[Candidate, ...] = ()
    #: how the linker decided, step by step (``kgbuild.linking.explain``), filled only when asked to explain
    explanation: tuple[str, ...] = ()


@dataclass(frozen=True)
class LinkedEntity:
    """One entity of a document: a Wikidata item (``qid``) or an unlinked entity (``qid is None``)."""

    key: str  # the QID, or "nil:<TYPE>:<slug>" for an unlinked entity
    qid: str | None
    label: str
    type: str
    lang: str | None = None  # language of ``label``
    confidence: float = 0.0
    description: str | None = None
    classes: tuple[str, ...] = ()  # Wikidata P31 classes from the KB (the writer adds a finer kg: class)


@dataclass(frozen=True)
class Argument:
    role: str  # "visitor", "host", "participant", "signatory", "holder", "office", "speaker", ...
    entity_key: str


@dataclass(frozen=True)
class Event:
    """An event or a statement extracted from one sentence.

    ``relation`` is the ``kg:`` property of the truthy triple (``visits``, ``meets``, ``signsTreatyWith``,
    ``holdsPositionIn``, ``says``), between ``subject`` and ``object`` (entity keys; ``object`` may be None
    for a quote). ``event_type`` is the ``kg:`` class of the event node (``Visit``, ``Meeting``, ...).
    """

    event_type: str
    relation: str
    subject: str
    object: str | None
    arguments: tuple[Argument, ...]
    sentence: int
    trigger_start: int
    trigger_end: int
    trigger: str
    status: str = "happened"  # "planned" | "announced" | "happened"
    confidence: float = 0.5
    place: str | None = None  # entity key
    time: dt.date | None = None  # the day, or the first day of the month / year (``time_precision``)
    time_text: str | None = None
    time_precision: str = "day"  # "day" | "month" | "year": written as xsd:date, xsd:gYearMonth, xsd:gYear
    role: str | None = None  # e.g. "Berater" for holdsPositionIn
    quote: str | None = None  # the quoted text for a Quotation
    extractor: str = "patterns"  # "patterns" or "parse"


@dataclass(frozen=True)
class DocumentResult:
    """Everything kgbuild found in one article: the input of the RDF writer and of ``kgbuild eval``."""

    article: Article
    lang: str
    sentences: tuple[Sentence, ...]
    mentions: tuple[Mention, ...]
    entities: tuple[LinkedEntity, ...]
    events: tuple[Event, ...]
    model: str = "builtin"  # name of the spaCy pipeline used
    timings: Mapping[str, float] = field(default_factory=dict)  # stage -> seconds

    def entity(self, key: str) -> LinkedEntity | None:
        for ent in self.entities:
            if ent.key == key:
                return ent
        return None


@runtime_checkable
class KnowledgeBase(Protocol):
    """What the linker needs from a knowledge base (``kgbuild.kb.SQLiteKB`` implements it)."""

    def lookup(self, surface: str, lang: str | None = None, limit: int = 10) -> list[Candidate]:
        """Ranked candidates for a surface form (normalised for case, diacritics, inflection)."""

    def entity(self, qid: str) -> Entity | None:
        """Labels, type, prior, classes and claims of one QID, or None."""

    def related(self, qid: str) -> set[str]:
        """QIDs related to this entity: through its claims (P17, P27, P36, P131, P159, P102, ...) and, in the
        bundled KB, the relatedness links of the FB15k triples."""
