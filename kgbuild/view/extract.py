"""A kgbuild graph (``GraphIndex`` of the files) -> ``ViewData``, in the vocabulary of docs/RDF-MODEL.md.

Entities are the nodes typed ``kg:Person`` / ``kg:Place`` / ``kg:Organisation`` / ``kg:Other`` and every
target of ``itsrdf:taIdentRef``; events are the nodes with a ``kg:subject``; their roles are every ``kg:``
property from the event to an entity (so new role properties show up without a code change); truthy
relations are ``kg:`` / ``wdt:`` triples between two entities. Raises ``GraphError`` when the graph has no
entities. Everything is read from the index's per-subject and per-predicate lists, in time linear in the
size of the graph (a corpus of thousands of documents in seconds).
"""
from __future__ import annotations

import dataclasses
import logging
import re
from collections import Counter, defaultdict
from functools import lru_cache

from kgbuild.errors import GraphError
from kgbuild.rdf.vocab import PREFIXES
from kgbuild.view.load import IRI, GraphIndex
from kgbuild.view.model import (
    WIKIDATA_ENTITY,
    WIKIDATA_PAGE,
    ViewData,
    ViewDocument,
    ViewEntity,
    ViewEvent,
    ViewMention,
    ViewRelation,
    ViewRole,
    ViewSentence,
)
from kgbuild.view.vocab import symmetric_properties

log = logging.getLogger("kgbuild.view")

CLASS_TYPES = {"Person": "PER", "Place": "LOC", "Organisation": "ORG", "Other": "MISC"}
KG, WDT, NIF, ITSRDF, SCHEMA, PROV, DCTERMS, RDF = (
    PREFIXES[p] for p in ("kg", "wdt", "nif", "itsrdf", "schema", "prov", "dcterms", "rdf"))
RDFS_LABEL = PREFIXES["rdfs"] + "label"
#: the classes of entities
ENTITY_CLASSES = tuple(KG + name for name in (*CLASS_TYPES, "UnlinkedEntity"))
#: kg: properties of an event that are not roles
NOT_ROLES = {"subject", "object", "participant", "relation", "evidence", "status", "event"}


def _text(value) -> str | None:
    return value[0] if isinstance(value, tuple) else value


def _int(value) -> int | None:
    try:
        return int(_text(value))
    except (TypeError, ValueError):
        return None


def _float(value) -> float | None:
    try:
        return round(float(_text(value)), 4)
    except (TypeError, ValueError):
        return None


@lru_cache(maxsize=4096)
def local_name(iri: str) -> str:
    """``https://w3id.org/kgbuild/ontology#visits`` -> ``visits``."""
    return re.split(r"[#/]", iri)[-1]


def documents(g: GraphIndex) -> tuple[ViewDocument, ...]:
    docs = {}
    for d in sorted(set(g.of_type(NIF + "Context"))):
        docs[d] = ViewDocument(d, _text(g.first(d, SCHEMA + "inLanguage")), _text(g.first(d, SCHEMA + "datePublished")),
                               _plain(g.first(d, SCHEMA + "url")), _text(g.first(d, DCTERMS + "identifier")))
    return tuple(docs.values())


def _plain(value):
    """An IRI or literal value as a plain ``str`` (or the (text, language) pair of a tagged literal)."""
    return str(value) if isinstance(value, str) else value


def sentences(g: GraphIndex) -> dict[str, ViewSentence]:
    out = {}
    for s in g.of_type(NIF + "Sentence"):
        out[s] = ViewSentence(s, _plain(g.first(s, NIF + "referenceContext")), _int(g.first(s, NIF + "beginIndex")) or 0,
                              _int(g.first(s, NIF + "endIndex")) or 0, _text(g.first(s, NIF + "anchorOf")) or "")
    return out


def _mentions(g: GraphIndex) -> tuple[dict[str, list[ViewMention]], dict[str, str]]:
    """entity id -> its mentions, and entity id -> type from ``itsrdf:taClassRef``."""
    by_entity: dict[str, list[ViewMention]] = defaultdict(list)
    types: dict[str, str] = {}
    for m, ent in g.by_predicate.get(ITSRDF + "taIdentRef", ()):
        sent = g.first(m, NIF + "sentence")
        doc = g.first(m, NIF + "referenceContext")
        by_entity[ent].append(ViewMention(
            str(m), _int(g.first(m, NIF + "beginIndex")) or 0, _int(g.first(m, NIF + "endIndex")) or 0,
            _text(g.first(m, NIF + "anchorOf")) or "", _plain(sent), _float(g.first(m, ITSRDF + "taConfidence")),
            _text(g.first(m, KG + "mentionSource")), _plain(doc)))
        cls = g.first(m, ITSRDF + "taClassRef")
        if cls and local_name(cls) in CLASS_TYPES:
            types.setdefault(ent, CLASS_TYPES[local_name(cls)])
    for ms in by_entity.values():
        ms.sort(key=lambda m: (m.sentence or "", m.begin))
    return by_entity, types


def pick_label(labels: dict[str, str], lang: str, fallback: str) -> str:
    """The label in ``lang``, else English, German, any; else ``fallback``."""
    for key in (lang, "en", "de", ""):
        if key in labels:
            return labels[key]
    return next(iter(labels.values()), fallback)


def entities(g: GraphIndex, lang: str) -> tuple[ViewEntity, ...]:
    """Every entity with labels, type, linked flag, description and mentions (sorted by id)."""
    mentions, mention_types = _mentions(g)
    info: dict[str, dict] = defaultdict(lambda: {"labels": {}, "type": None, "linked": None, "desc": {}})
    classes = set(ENTITY_CLASSES)
    for ent, cls in g.by_predicate.get(RDF + "type", ()):
        if cls not in classes:
            continue
        e = info[ent]
        if local_name(cls) in CLASS_TYPES and not e["type"]:
            e["type"] = CLASS_TYPES[local_name(cls)]
        if local_name(cls) == "UnlinkedEntity":
            e["linked"] = False
    for key in mentions:
        info[key]  # entities only known from their mentions
    for ent, e in info.items():
        for prop, target in ((RDFS_LABEL, "labels"), (SCHEMA + "description", "desc")):
            for value in g.values(ent, prop):
                text, tag = value if isinstance(value, tuple) else (value, "")
                e[target].setdefault(tag, str(text))
        linked = g.first(ent, KG + "linked")
        if linked is not None and e["linked"] is None:
            e["linked"] = str(_text(linked)).lower() in ("true", "1")
    return tuple(_entity(str(iri), info[iri], mentions.get(iri, []), mention_types.get(iri), lang)
                 for iri in sorted(info))


def _entity(iri: str, e: dict, mentions: list[ViewMention], mention_type: str | None, lang: str) -> ViewEntity:
    qid = iri[len(WIKIDATA_ENTITY):] if iri.startswith(WIKIDATA_ENTITY) else None
    linked = e["linked"] if e["linked"] is not None else qid is not None
    fallback = mentions[0].text if mentions else local_name(iri)
    return ViewEntity(
        id=iri, type=e["type"] or mention_type or "MISC", label=pick_label(e["labels"], lang, fallback),
        linked=bool(linked and qid), qid=qid, url=WIKIDATA_PAGE + qid if qid else None,
        labels=dict(e["labels"]), description=pick_label(e["desc"], lang, "") or None, mentions=tuple(mentions),
    )


def events(g: GraphIndex, entity_ids: set[str], docs: dict[str, ViewDocument]) -> tuple[ViewEvent, ...]:
    """Every event node with its roles (kg: properties pointing at entities), by date, document and position."""
    out = {}
    for ev in dict.fromkeys(s for s, _ in g.by_predicate.get(KG + "subject", ())):
        props = g.props[ev]
        roles: list[ViewRole] = []
        for p, values in props.items():
            name = local_name(p)
            if p.startswith(KG) and name not in NOT_ROLES:
                roles.extend(ViewRole(name, str(x)) for x in values if isinstance(x, IRI) and x in entity_ids)
        for p in ("participant", "subject", "object"):  # participants without a more specific role
            for x in props.get(KG + p, ()):
                if x in entity_ids and all(role.entity != x for role in roles):
                    roles.append(ViewRole("participant", str(x)))
        kinds = sorted(t for t in props.get(RDF + "type", ()) if t.startswith(KG) and t != KG + "Event")
        doc_iri = g.first(ev, PROV + "wasDerivedFrom")
        doc = docs.get(doc_iri) if doc_iri else None
        time = _text(g.first(ev, KG + "time"))
        rel, status, subj = g.first(ev, KG + "relation"), g.first(ev, KG + "status"), g.first(ev, KG + "subject")
        out[ev] = ViewEvent(
            id=str(ev), event_type=local_name(kinds[0]) if kinds else "Event",
            relation=local_name(rel) if rel else None, subject=_plain(subj), object=_plain(g.first(ev, KG + "object")),
            roles=tuple(sorted(set(roles), key=lambda x: (x.role, x.entity))),
            status=local_name(status).lower() if status else None, confidence=_float(g.first(ev, KG + "confidence")),
            time=time, date=time or (doc.published if doc else None), place=_plain(g.first(ev, KG + "place")),
            label=_text(g.first(ev, RDFS_LABEL)), trigger=_text(g.first(ev, KG + "trigger")),
            trigger_begin=_int(g.first(ev, NIF + "beginIndex")), trigger_end=_int(g.first(ev, NIF + "endIndex")),
            sentence=_plain(g.first(ev, KG + "evidence")), evidence_text=_text(g.first(ev, KG + "evidenceText")),
            quote=_text(g.first(ev, KG + "quote")), role_text=_text(g.first(ev, KG + "role")), doc=_plain(doc_iri),
            extractor=_text(g.first(ev, KG + "extractor")),
        )
    return tuple(sorted(out.values(), key=lambda e: (e.date or "9999", e.doc or "", e.trigger_begin or 0, e.id)))


def relations(g: GraphIndex, entity_ids: set[str], evs: tuple[ViewEvent, ...]) -> tuple[ViewRelation, ...]:
    """Truthy ``kg:``/``wdt:`` triples between two entities, with confidence (max over statements) and events."""
    conf: dict[tuple, float] = {}
    support: dict[tuple, set[str]] = defaultdict(set)
    for st, a in g.by_predicate.get(RDF + "subject", ()):
        for p in g.values(st, RDF + "predicate"):
            for b in g.values(st, RDF + "object"):
                key = (a, local_name(p), b)
                for value in g.values(st, KG + "confidence"):
                    c = _float(value)
                    if c is not None:
                        conf[key] = max(c, conf.get(key, 0.0))
                support[key].update(str(ev) for ev in g.values(st, KG + "event"))
    for ev in evs:
        if ev.relation and ev.subject and ev.object:
            support[(ev.subject, ev.relation, ev.object)].add(ev.id)
    symmetric = symmetric_properties()
    classes = set(ENTITY_CLASSES)
    out: dict[tuple, ViewRelation] = {}
    subjects = dict.fromkeys(a for a, c in g.by_predicate.get(RDF + "type", ()) if c in classes)
    for a in subjects:
        if a not in entity_ids:
            continue
        for p, values in g.props[a].items():
            if not (p.startswith(KG) or p.startswith(WDT)):
                continue
            for b in values:
                if not isinstance(b, IRI) or b not in entity_ids or a == b:
                    continue
                key = (str(a), local_name(p), str(b))
                events, confidence = set(support.get(key, ())), conf.get(key)
                if key[1] in symmetric:  # one edge for a -meets-> b and b -meets-> a
                    back = (key[2], key[1], key[0])
                    events |= support.get(back, set())
                    confidence = max((c for c in (confidence, conf.get(back)) if c is not None), default=None)
                    key = min(key, back)
                if key in out:
                    events |= set(out[key].events)
                out[key] = ViewRelation(f"{key[0]} {key[1]} {key[2]}", key[0], key[1], key[2], confidence,
                                        tuple(sorted(events)), key[1] in symmetric)
    return tuple(out[k] for k in sorted(out))


def _label_from_mentions(ent: ViewEntity, lang: str, docs: tuple[ViewDocument, ...]) -> ViewEntity:
    """Without a label in ``lang``, the longest name the articles in ``lang`` use for the entity."""
    if lang in ent.labels or not ent.mentions:
        return ent
    langs = {d.id: d.lang for d in docs}
    names = [m.text for m in ent.mentions if langs.get(m.doc) in (lang, None) and m.text[:1].isupper()]
    if not names:
        return ent
    best = max(names, key=lambda n: (len(n.split()), names.count(n), -len(n)))
    return dataclasses.replace(ent, label=best)


def view_language(docs: tuple[ViewDocument, ...], lang: str | None) -> str:
    """``lang`` if given, else the most common language of the documents, else ``en``."""
    if lang:
        return lang
    counts = Counter(d.lang for d in docs if d.lang)
    return counts.most_common(1)[0][0] if counts else "en"


def extract(g: GraphIndex, lang: str | None = None, source: str = "the graph") -> ViewData:
    """Read everything the view shows from the graph index ``g``; ``GraphError`` if there is no entity."""
    docs = documents(g)
    view_lang = view_language(docs, lang)
    ents = entities(g, view_lang)
    if not ents:
        raise GraphError(
            f"{source} has no entities (no kg:Person/kg:Place/kg:Organisation/kg:Other and no linked mention), "
            "so there is nothing to draw. Check the input article, or build with a larger KB."
        )
    ents = tuple(_label_from_mentions(e, view_lang, docs) for e in ents)
    ids = {e.id for e in ents}
    evs = events(g, ids, {d.id: d for d in docs})
    rels = relations(g, ids, evs)
    log.info("view: %d entities, %d events, %d relations", len(ents), len(evs), len(rels))
    return ViewData(view_lang, docs, sentences(g), ents, evs, rels)
