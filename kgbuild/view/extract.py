"""A kgbuild graph (pyoxigraph ``Store``) -> ``ViewData``, with SPARQL in the vocabulary of docs/RDF-MODEL.md.

Entities are the nodes typed ``kg:Person`` / ``kg:Place`` / ``kg:Organisation`` / ``kg:Other`` and every
target of ``itsrdf:taIdentRef``; events are the nodes with a ``kg:subject``; their roles are every ``kg:``
property from the event to an entity (so new role properties show up without a code change); truthy
relations are ``kg:`` / ``wdt:`` triples between two entities. Raises ``GraphError`` when the graph has no
entities.
"""
from __future__ import annotations

import dataclasses
import logging
import re
from collections import Counter, defaultdict
from functools import lru_cache
from typing import Iterator

import pyoxigraph as ox

from kgbuild.errors import GraphError
from kgbuild.view import queries as Q
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
WDT = "http://www.wikidata.org/prop/direct/"
#: kg: properties of an event that are not roles
NOT_ROLES = {"subject", "object", "participant", "relation", "evidence", "status", "event"}


def _rows(store: ox.Store, query: str) -> Iterator[dict]:
    """SELECT solutions as dicts of Python values (IRI strings, literal values, None when unbound)."""
    result = store.query(Q.PREFIXES + query, use_default_graph_as_union=True)
    names = [v.value for v in result.variables]
    for solution in result:
        yield {n: _value(solution[n]) for n in names}


def _value(term):
    if term is None:
        return None
    if isinstance(term, ox.Literal):
        return (term.value, term.language) if term.language else term.value
    return term.value


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


def documents(store: ox.Store) -> tuple[ViewDocument, ...]:
    docs = {}
    for r in _rows(store, Q.DOCUMENTS):
        docs.setdefault(r["d"], ViewDocument(r["d"], _text(r["lang"]), _text(r["date"]), r["url"], _text(r["ident"])))
    return tuple(docs.values())


def sentences(store: ox.Store) -> dict[str, ViewSentence]:
    out = {}
    for r in _rows(store, Q.SENTENCES):
        out[r["s"]] = ViewSentence(r["s"], r["d"], _int(r["b"]) or 0, _int(r["e"]) or 0, _text(r["text"]) or "")
    return out


def _mentions(store: ox.Store) -> tuple[dict[str, list[ViewMention]], dict[str, str]]:
    """entity id -> its mentions, and entity id -> type from ``itsrdf:taClassRef``."""
    by_entity: dict[str, list[ViewMention]] = defaultdict(list)
    types: dict[str, str] = {}
    for r in _rows(store, Q.MENTIONS):
        m = ViewMention(r["m"], _int(r["b"]) or 0, _int(r["e"]) or 0, _text(r["text"]) or "", r["s"],
                        _float(r["conf"]), _text(r["src"]), r["d"])
        by_entity[r["e_"]].append(m)
        if r["cls"] and local_name(r["cls"]) in CLASS_TYPES:
            types.setdefault(r["e_"], CLASS_TYPES[local_name(r["cls"])])
    for ms in by_entity.values():
        ms.sort(key=lambda m: (m.sentence or "", m.begin))
    return by_entity, types


def pick_label(labels: dict[str, str], lang: str, fallback: str) -> str:
    """The label in ``lang``, else English, German, any; else ``fallback``."""
    for key in (lang, "en", "de", ""):
        if key in labels:
            return labels[key]
    return next(iter(labels.values()), fallback)


def entities(store: ox.Store, lang: str) -> tuple[ViewEntity, ...]:
    """Every entity with labels, type, linked flag, description and mentions (sorted by id)."""
    mentions, mention_types = _mentions(store)
    info: dict[str, dict] = defaultdict(lambda: {"labels": {}, "type": None, "linked": None, "desc": {}})
    for r in _rows(store, Q.ENTITIES):
        e = info[r["e"]]
        if r["cls"] and local_name(r["cls"]) in CLASS_TYPES and not e["type"]:
            e["type"] = CLASS_TYPES[local_name(r["cls"])]
        if r["cls"] and local_name(r["cls"]) == "UnlinkedEntity":
            e["linked"] = False
        for key, target in (("label", "labels"), ("desc", "desc")):
            if r[key] is not None:
                text, tag = r[key] if isinstance(r[key], tuple) else (r[key], "")
                e[target].setdefault(tag, text)
        if r["linked"] is not None and e["linked"] is None:
            e["linked"] = str(_text(r["linked"])).lower() in ("true", "1")
    for key in mentions:
        info[key]  # entities only known from their mentions
    return tuple(_entity(iri, info[iri], mentions.get(iri, []), mention_types.get(iri), lang) for iri in sorted(info))


def _entity(iri: str, e: dict, mentions: list[ViewMention], mention_type: str | None, lang: str) -> ViewEntity:
    qid = iri[len(WIKIDATA_ENTITY):] if iri.startswith(WIKIDATA_ENTITY) else None
    linked = e["linked"] if e["linked"] is not None else qid is not None
    fallback = mentions[0].text if mentions else local_name(iri)
    return ViewEntity(
        id=iri, type=e["type"] or mention_type or "MISC", label=pick_label(e["labels"], lang, fallback),
        linked=bool(linked and qid), qid=qid, url=WIKIDATA_PAGE + qid if qid else None,
        labels=dict(e["labels"]), description=pick_label(e["desc"], lang, "") or None, mentions=tuple(mentions),
    )


def events(store: ox.Store, entity_ids: set[str], docs: dict[str, ViewDocument]) -> tuple[ViewEvent, ...]:
    """Every event node with its roles (kg: properties pointing at entities), by date, document and position."""
    roles: dict[str, list[ViewRole]] = defaultdict(list)
    for r in _rows(store, Q.EVENT_LINKS):
        name = local_name(r["p"])
        if r["x"] in entity_ids and name not in NOT_ROLES:
            roles[r["ev"]].append(ViewRole(name, r["x"]))
    for r in _rows(store, Q.EVENT_PARTICIPANTS):  # participants without a more specific role
        if r["x"] in entity_ids and all(role.entity != r["x"] for role in roles[r["ev"]]):
            roles[r["ev"]].append(ViewRole("participant", r["x"]))
    out = {}
    for r in _rows(store, Q.EVENTS):
        if r["ev"] in out:
            continue
        doc = docs.get(r["doc"]) if r["doc"] else None
        time = _text(r["time"])
        out[r["ev"]] = ViewEvent(
            id=r["ev"], event_type=local_name(r["type"]) if r["type"] else "Event",
            relation=local_name(r["rel"]) if r["rel"] else None, subject=r["subj"], object=r["obj"],
            roles=tuple(sorted(set(roles.get(r["ev"], [])), key=lambda x: (x.role, x.entity))),
            status=local_name(r["status"]).lower() if r["status"] else None, confidence=_float(r["conf"]),
            time=time, date=time or (doc.published if doc else None), place=r["place"], label=_text(r["label"]),
            trigger=_text(r["trigger"]), trigger_begin=_int(r["b"]), trigger_end=_int(r["e"]),
            sentence=r["sent"], evidence_text=_text(r["evtext"]), quote=_text(r["quote"]),
            role_text=_text(r["roletext"]), doc=r["doc"], extractor=_text(r["extractor"]),
        )
    return tuple(sorted(out.values(), key=lambda e: (e.date or "9999", e.doc or "", e.trigger_begin or 0, e.id)))


def relations(store: ox.Store, entity_ids: set[str], evs: tuple[ViewEvent, ...]) -> tuple[ViewRelation, ...]:
    """Truthy ``kg:``/``wdt:`` triples between two entities, with confidence (max over statements) and events."""
    conf: dict[tuple, float] = {}
    support: dict[tuple, set[str]] = defaultdict(set)
    for r in _rows(store, Q.STATEMENTS):
        key = (r["a"], local_name(r["p"]), r["b"])
        c = _float(r["conf"])
        if c is not None:
            conf[key] = max(c, conf.get(key, 0.0))
        if r["ev"]:
            support[key].add(r["ev"])
    for ev in evs:
        if ev.relation and ev.subject and ev.object:
            support[(ev.subject, ev.relation, ev.object)].add(ev.id)
    symmetric = symmetric_properties()
    out: dict[tuple, ViewRelation] = {}
    for r in _rows(store, Q.TRUTHY):
        if r["a"] not in entity_ids or r["b"] not in entity_ids or r["a"] == r["b"]:
            continue
        key = (r["a"], local_name(r["p"]), r["b"])
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


def extract(store: ox.Store, lang: str | None = None, source: str = "the graph") -> ViewData:
    """Read everything the view shows from ``store``; ``GraphError`` if there is no entity."""
    docs = documents(store)
    view_lang = view_language(docs, lang)
    ents = entities(store, view_lang)
    if not ents:
        raise GraphError(
            f"{source} has no entities (no kg:Person/kg:Place/kg:Organisation/kg:Other and no linked mention), "
            "so there is nothing to draw. Check the input article, or build with a larger KB."
        )
    ents = tuple(_label_from_mentions(e, view_lang, docs) for e in ents)
    ids = {e.id for e in ents}
    evs = events(store, ids, {d.id: d for d in docs})
    rels = relations(store, ids, evs)
    log.info("view: %d entities, %d events, %d relations", len(ents), len(evs), len(rels))
    return ViewData(view_lang, docs, sentences(store), ents, evs, rels)
