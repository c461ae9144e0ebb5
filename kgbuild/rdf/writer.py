"""RDF: ``DocumentResult`` -> rdflib ``Graph`` in three layers (see docs/RDF-MODEL.md).

1. document and mentions (NIF 2.1: ``nif:Context``, ``nif:Sentence``, ``nif:Phrase`` with offsets and
   ``itsrdf:taIdentRef``); 2. entities (``wd:Q…`` or unlinked ``kgr:entity/…`` nodes with labels and types);
3. knowledge: truthy ``kg:`` relations, event nodes with roles, place, time, status, confidence and evidence,
reified statements, and PROV-O provenance of the run. Every IRI is minted from the document id, offsets and
names, so the same input gives the same graph.
"""
from __future__ import annotations

import datetime as dt
import functools
from decimal import Decimal
from typing import Any

from rdflib import RDF as _RDF
from rdflib import RDFS as _RDFS
from rdflib import XSD as _XSD
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS as _DCTERMS
from rdflib.namespace import PROV as _PROV

from kgbuild import __version__
from kgbuild.kb.classes import org_class
from kgbuild.rdf.iris import Minter, run_iri
from kgbuild.rdf.vocab import DEFAULT_BASE, PREFIXES, ROLE_PROPERTY, STATUS, TYPE_CLASS, kg_term
from kgbuild.rdf.vocab import ITSRDF as _ITSRDF
from kgbuild.rdf.vocab import KG as _KG
from kgbuild.rdf.vocab import NIF as _NIF
from kgbuild.rdf.vocab import SCHEMA as _SCHEMA
from kgbuild.rdf.vocab import SEM as _SEM
from kgbuild.rdf.vocab import WDT as _WDT
from kgbuild.read import content_hash
from kgbuild.relations.catalogue import event_labels, symmetric_properties
from kgbuild.types import DocumentResult, Event, LinkedEntity, Mention

#: truthy triples are written for events at or above this confidence
DEFAULT_MIN_CONFIDENCE = 0.5


class _Terms:
    """A namespace whose terms are made once: rdflib makes (and checks) a new ``URIRef`` on every attribute
    access of a namespace, which showed in the profile of corpus builds. The same terms, looked up once."""

    def __init__(self, namespace: Any) -> None:
        self._namespace = namespace

    def __getattr__(self, name: str) -> URIRef:
        term = getattr(self._namespace, name)
        setattr(self, name, term)
        return term

    def __getitem__(self, name: str) -> URIRef:
        return self._namespace[name]


RDF, RDFS, XSD, DCTERMS, PROV = _Terms(_RDF), _Terms(_RDFS), _Terms(_XSD), _Terms(_DCTERMS), _Terms(_PROV)
ITSRDF, KG, NIF, SCHEMA, SEM, WDT = _Terms(_ITSRDF), _Terms(_KG), _Terms(_NIF), _Terms(_SCHEMA), _Terms(_SEM), _Terms(_WDT)


@functools.lru_cache(maxsize=65536)
def _nn(value: int) -> Literal:
    return Literal(value, datatype=XSD.nonNegativeInteger)


@functools.lru_cache(maxsize=4096)
def _double(value: float) -> Literal:
    """A confidence as xsd:decimal with three digits (reads as 0.875 in Turtle, compares as a number in SPARQL)."""
    return Literal(Decimal(str(round(float(value), 3))), datatype=XSD.decimal)


@functools.lru_cache(maxsize=65536, typed=True)
def _text(value: str, lang: str | None = None) -> Literal:
    """A string literal that recurs from document to document (mention texts, entity labels and descriptions,
    mention sources): made once (rdflib's ``Literal`` checks and normalises on every construction)."""
    return Literal(value, lang=lang)


_LINKED = {True: Literal(True), False: Literal(False)}


def new_graph() -> Graph:
    g = Graph(bind_namespaces="core")
    for prefix, ns in PREFIXES.items():
        g.bind(prefix, ns, override=True)
    return g


def document_graph(result: DocumentResult, base_iri: str = DEFAULT_BASE, *, kb_version: str = "",
                   kb_snapshot: str = "", min_confidence: float = DEFAULT_MIN_CONFIDENCE, graph: Graph | None = None) -> Graph:
    """The RDF graph of one processed article. ``kb_snapshot``: when the KB's Wikidata data was fetched
    (``kgbuild kb fetch``; ISO 8601), recorded on the run as ``kg:kbSnapshot``."""
    g = graph if graph is not None else new_graph()
    m = Minter(base_iri, result.article.id)
    run = run_iri(base_iri, result.model, kb_version)
    _document(g, result, m, run, kb_version, kb_snapshot)
    sentence_iris = [m.sentence(s.start, s.end) for s in result.sentences]
    for i, s in enumerate(result.sentences):
        g.add((sentence_iris[i], RDF.type, NIF.Sentence))
        g.add((sentence_iris[i], NIF.referenceContext, m.doc))
        g.add((sentence_iris[i], NIF.beginIndex, _nn(s.start)))
        g.add((sentence_iris[i], NIF.endIndex, _nn(s.end)))
        g.add((sentence_iris[i], NIF.anchorOf, Literal(s.text)))
    for mention in result.mentions:
        if mention.entity_key:
            _mention(g, mention, mention.entity_key, m, sentence_iris)
    for ent in result.entities:
        _entity(g, ent, m)
    for ev in result.events:
        _event(g, ev, result, m, run, sentence_iris, min_confidence)
    return g


def _document(g: Graph, result: DocumentResult, m: Minter, run: URIRef, kb_version: str, kb_snapshot: str = "") -> None:
    art = result.article
    g.add((m.doc, RDF.type, NIF.Context))
    g.add((m.doc, RDF.type, SCHEMA.NewsArticle))
    g.add((m.doc, NIF.isString, Literal(art.text)))
    g.add((m.doc, NIF.beginIndex, _nn(0)))
    g.add((m.doc, NIF.endIndex, _nn(len(art.text))))
    g.add((m.doc, SCHEMA.inLanguage, Literal(result.lang)))
    g.add((m.doc, DCTERMS.identifier, Literal(art.id)))
    g.add((m.doc, KG.contentHash, Literal("sha1:" + content_hash(art.text))))
    g.add((m.doc, PROV.wasGeneratedBy, run))
    if art.url:
        g.add((m.doc, SCHEMA.url, URIRef(art.url) if _iri_safe(art.url) else Literal(art.url)))
    if art.published:
        g.add((m.doc, SCHEMA.datePublished, Literal(art.published, datatype=XSD.date)))
    if art.title:
        g.add((m.doc, SCHEMA.headline, Literal(art.title)))
    agent = m.agent()
    g.add((run, RDF.type, PROV.Activity))
    g.add((run, PROV.used, m.doc))
    g.add((run, PROV.wasAssociatedWith, agent))
    g.add((run, KG.model, Literal(result.model)))
    if kb_version:
        g.add((run, KG.kbVersion, Literal(kb_version)))
    if kb_snapshot:
        g.add((run, KG.kbSnapshot, Literal(kb_snapshot, datatype=XSD.dateTime)))
    g.add((agent, RDF.type, PROV.SoftwareAgent))
    g.add((agent, RDFS.label, Literal(f"kgbuild {__version__}")))


def time_literal(day: dt.date, precision: str = "day") -> Literal:
    """An event's time: ``xsd:date``, or ``xsd:gYearMonth`` / ``xsd:gYear`` when only the month or year is known."""
    if precision == "month":
        return Literal(f"{day.year:04d}-{day.month:02d}", datatype=XSD.gYearMonth)
    if precision == "year":
        return Literal(f"{day.year:04d}", datatype=XSD.gYear)
    return Literal(day, datatype=XSD.date)


def _iri_safe(url: str) -> bool:
    return url.startswith(("http://", "https://")) and not any(c in url for c in ' <>"{}|\\^`\n\r\t')


def _mention(g: Graph, mention: Mention, key: str, m: Minter, sentence_iris: list[URIRef]) -> None:
    node = m.mention(mention.start, mention.end)
    g.add((node, RDF.type, NIF.Phrase))
    g.add((node, NIF.referenceContext, m.doc))
    if 0 <= mention.sentence < len(sentence_iris):
        g.add((node, NIF.sentence, sentence_iris[mention.sentence]))
    g.add((node, NIF.beginIndex, _nn(mention.start)))
    g.add((node, NIF.endIndex, _nn(mention.end)))
    g.add((node, NIF.anchorOf, _text(mention.text)))
    g.add((node, ITSRDF.taIdentRef, m.entity(key)))
    g.add((node, ITSRDF.taClassRef, TYPE_CLASS.get(mention.type, KG.Other)))
    g.add((node, ITSRDF.taConfidence, _double(mention.confidence)))
    g.add((node, KG.mentionSource, _text(mention.source)))
    if mention.source == "coref" and mention.entity_key:  # a pronoun, role noun or metonym: the entity it stands for
        g.add((node, KG.antecedent, m.entity(mention.entity_key)))


def _entity(g: Graph, ent: LinkedEntity, m: Minter) -> None:
    node = m.entity(ent.key)
    g.add((node, RDF.type, TYPE_CLASS.get(ent.type, KG.Other)))
    finer = org_class(ent.classes) if ent.type == "ORG" else None
    if finer:
        g.add((node, RDF.type, KG[finer]))  # kg:Company, kg:University, ... (subclasses of kg:Organisation)
    g.add((node, RDFS.label, _text(ent.label, ent.lang or None)))
    g.add((node, KG.linked, _LINKED[ent.qid is not None]))
    if ent.qid is None:
        g.add((node, RDF.type, KG.UnlinkedEntity))
    elif ent.description:
        g.add((node, SCHEMA.description, _text(ent.description)))


def _event(g: Graph, ev: Event, result: DocumentResult, m: Minter, run: URIRef, sentence_iris, min_conf) -> None:
    node = m.event(ev)
    subj = m.entity(ev.subject)
    obj = m.entity(ev.object) if ev.object else None
    g.add((node, RDF.type, kg_term(ev.event_type)))
    g.add((node, RDF.type, SEM.Event))
    g.add((node, RDF.type, SCHEMA.Event))
    g.add((node, RDFS.label, Literal(_event_label(ev, result), lang=result.lang)))
    g.add((node, KG.relation, kg_term(ev.relation)))
    g.add((node, KG.subject, subj))
    if obj is not None:
        g.add((node, KG.object, obj))
    for arg in ev.arguments:
        ent = m.entity(arg.entity_key)
        g.add((node, ROLE_PROPERTY.get(arg.role, KG.participant), ent))
        if arg.role not in ("office",):
            g.add((node, KG.participant, ent))
            g.add((node, WDT.P710, ent))
            g.add((node, SEM.hasActor, ent))
    if ev.place:
        place = m.entity(ev.place)
        g.add((node, KG.place, place))
        g.add((node, WDT.P276, place))
        g.add((node, SEM.hasPlace, place))
    if ev.time:
        when = time_literal(ev.time, ev.time_precision)
        g.add((node, KG.time, when))
        g.add((node, WDT.P585, when))
    if ev.time_text:
        g.add((node, KG.timeText, Literal(ev.time_text)))
    g.add((node, KG.status, STATUS.get(ev.status, KG.Happened)))
    g.add((node, KG.confidence, _double(ev.confidence)))
    g.add((node, KG.trigger, Literal(ev.trigger)))
    g.add((node, NIF.beginIndex, _nn(ev.trigger_start)))
    g.add((node, NIF.endIndex, _nn(ev.trigger_end)))
    if ev.role:
        g.add((node, KG.role, Literal(ev.role, lang=result.lang)))
    if ev.quote:
        g.add((node, KG.quote, Literal(ev.quote, lang=result.lang)))
    if 0 <= ev.sentence < len(sentence_iris):
        g.add((node, KG.evidence, sentence_iris[ev.sentence]))
        g.add((node, KG.evidenceText, Literal(result.sentences[ev.sentence].text)))
    g.add((node, PROV.wasDerivedFrom, m.doc))
    g.add((node, PROV.wasGeneratedBy, run))
    g.add((node, KG.extractor, Literal(ev.extractor)))
    if obj is not None and ev.confidence >= min_conf:
        _truthy(g, ev, node, subj, obj, m, sentence_iris)


def _truthy(g: Graph, ev: Event, node: URIRef, subj: URIRef, obj: URIRef, m: Minter, sentence_iris) -> None:
    prop = kg_term(ev.relation)
    pairs = [(subj, obj)] + ([(obj, subj)] if ev.relation in symmetric_properties() else [])
    for n, (s, o) in enumerate(pairs):
        g.add((s, prop, o))
        st = m.statement(ev, n)
        g.add((st, RDF.type, KG.Statement))
        g.add((st, RDF.type, RDF.Statement))
        g.add((st, RDF.subject, s))
        g.add((st, RDF.predicate, prop))
        g.add((st, RDF.object, o))
        g.add((st, KG.confidence, _double(ev.confidence)))
        g.add((st, KG.event, node))
        g.add((st, PROV.wasDerivedFrom, m.doc))
        if 0 <= ev.sentence < len(sentence_iris):
            g.add((st, KG.evidence, sentence_iris[ev.sentence]))


def _event_label(ev: Event, result: DocumentResult) -> str:
    def name(key: str | None) -> str:
        ent = result.entity(key) if key else None
        return ent.label if ent else (key or "")

    what = event_labels().get(ev.event_type, ev.event_type)
    if ev.object:
        return f"{what}: {name(ev.subject)} → {name(ev.object)}"
    return f"{what}: {name(ev.subject)}"
