"""What the view shows: small frozen dataclasses read from a kgbuild graph, turned into JSON for the page.

``ViewData`` holds documents, sentences, entities (with their mentions), events (with their roles) and the
truthy relations between entities. Ids are the IRIs of the graph. ``ViewData.to_json()`` is the data
block of the HTML page.
"""
from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import Any, Mapping

from kgbuild.rdf.vocab import WD

WIKIDATA_ENTITY = str(WD)
WIKIDATA_PAGE = "https://www.wikidata.org/wiki/"


@dataclass(frozen=True)
class ViewDocument:
    id: str
    lang: str | None = None
    published: str | None = None  # ISO date
    url: str | None = None
    identifier: str | None = None


@dataclass(frozen=True)
class ViewSentence:
    id: str
    doc: str | None
    begin: int
    end: int
    text: str


@dataclass(frozen=True)
class ViewMention:
    """A span naming an entity; ``begin``/``end`` are document offsets, as in NIF."""

    id: str
    begin: int
    end: int
    text: str
    sentence: str | None = None
    confidence: float | None = None
    source: str | None = None
    doc: str | None = None


@dataclass(frozen=True)
class ViewEntity:
    id: str  # the IRI
    type: str  # PER / LOC / ORG / MISC
    label: str  # in the view's language
    linked: bool
    qid: str | None = None
    url: str | None = None  # the Wikidata page
    labels: Mapping[str, str] = field(default_factory=dict)  # lang -> label
    description: str | None = None
    mentions: tuple[ViewMention, ...] = ()


@dataclass(frozen=True)
class ViewRole:
    role: str  # "visitor", "host", "participant", "place", ...
    entity: str  # entity id


@dataclass(frozen=True)
class ViewEvent:
    id: str
    event_type: str  # the kg: class, e.g. "Visit"
    relation: str | None  # the kg: property, e.g. "visits"
    subject: str | None
    object: str | None
    roles: tuple[ViewRole, ...] = ()
    status: str | None = None  # planned / announced / happened
    confidence: float | None = None
    time: str | None = None  # ISO date of the event
    date: str | None = None  # ``time``, else the document's publication date (for filters and sorting)
    place: str | None = None
    label: str | None = None
    trigger: str | None = None
    trigger_begin: int | None = None
    trigger_end: int | None = None
    sentence: str | None = None
    evidence_text: str | None = None
    quote: str | None = None
    role_text: str | None = None
    doc: str | None = None
    extractor: str | None = None


@dataclass(frozen=True)
class ViewRelation:
    """A truthy triple between two entities, with what the statements and events say about it."""

    id: str
    subject: str
    predicate: str  # local name, e.g. "visits" (kg:) or "P17" (wdt:)
    object: str
    confidence: float | None = None
    events: tuple[str, ...] = ()
    symmetric: bool = False  # drawn without an arrow (kg:meets, kg:signsTreatyWith, ...)


@dataclass(frozen=True)
class ViewData:
    lang: str
    documents: tuple[ViewDocument, ...]
    sentences: Mapping[str, ViewSentence]
    entities: tuple[ViewEntity, ...]
    events: tuple[ViewEvent, ...]
    relations: tuple[ViewRelation, ...]
    warnings: tuple[str, ...] = ()
    total_nodes: int | None = None  # nodes before the limit, when a limit cut the view

    @property
    def node_count(self) -> int:
        return len(self.entities) + len(self.events)

    def replace(self, **changes: Any) -> "ViewData":
        return dataclasses.replace(self, **changes)

    def to_json(self) -> dict[str, Any]:
        """The data block of the page: plain dicts and lists; only the sentences that are used."""
        used = {m.sentence for e in self.entities for m in e.mentions} | {ev.sentence for ev in self.events}
        return {
            "lang": self.lang,
            "documents": [dataclasses.asdict(d) for d in self.documents],
            "sentences": {k: dataclasses.asdict(s) for k, s in self.sentences.items() if k in used},
            "entities": [dataclasses.asdict(e) for e in self.entities],
            "events": [dataclasses.asdict(e) for e in self.events],
            "relations": [dataclasses.asdict(r) for r in self.relations],
            "warnings": list(self.warnings),
            "totalNodes": self.total_nodes or self.node_count,
        }
