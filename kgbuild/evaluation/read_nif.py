"""Reader of NIF 2.1 gold (Turtle, as GERBIL uses it): ``nif:Context`` documents and their annotated phrases.

In: a path. A context has ``nif:isString``; a mention has ``nif:referenceContext``, ``nif:beginIndex``,
``nif:endIndex``, ``nif:anchorOf`` (checked against the text), ``itsrdf:taIdentRef`` and optionally
``itsrdf:taClassRef``. Wikidata IRIs (``http(s)://www.wikidata.org/entity/Q…``) give the QID; any other IRI
(DBpedia, ``notInWiki``, kgbuild's unlinked nodes) counts as NIL, as ELEVANT does with unmapped entities.
Out: checked ``GoldDocument``s (language from ``dcterms:language``/``schema:inLanguage`` when present).
"""
from __future__ import annotations

import logging
import re
from pathlib import Path

import rdflib
from rdflib.namespace import DCTERMS, RDF

from kgbuild.errors import GoldError
from kgbuild.evaluation.gold import GoldDocument, GoldMention, check_document
from kgbuild.rdf.vocab import ITSRDF, NIF, SCHEMA

log = logging.getLogger(__name__)

_WD = re.compile(r"^https?://www\.wikidata\.org/(?:entity|wiki)/(Q[1-9][0-9]*)$")
_TYPES = (("PER", ("person",)), ("LOC", ("place", "location", "city", "country", "settlement")),
          ("ORG", ("organisation", "organization", "company")))


def qid_of(iri: str) -> str | None:
    m = _WD.match(iri)
    return m.group(1) if m else None


def nif_type(iri: str | None) -> str | None:
    """A class IRI -> PER/LOC/ORG/MISC by its local name (dbo:Person, schema:Place, kg:Organisation ...)."""
    if iri is None:
        return None
    local = re.split(r"[/#]", iri)[-1].lower()
    for coarse, names in _TYPES:
        if local in names:
            return coarse
    return "MISC"


def read_nif(path: Path, fmt: str | None = None) -> list[GoldDocument]:
    graph = rdflib.Graph()
    try:
        graph.parse(path, format=fmt or rdflib.util.guess_format(str(path)) or "turtle")
    except Exception as exc:  # rdflib raises many kinds of parser errors
        raise GoldError(f"{path}: cannot parse as NIF/RDF ({type(exc).__name__}: {str(exc).splitlines()[0][:200]})") from None
    contexts = sorted({c for c in graph.subjects(NIF.isString, None)}, key=str)
    if not contexts:
        raise GoldError(f"{path}: no nif:Context with nif:isString; is this NIF 2.1?")
    docs = [_document(graph, ctx, path) for ctx in contexts]
    return docs


def _document(graph: rdflib.Graph, ctx, path: Path) -> GoldDocument:
    text = str(graph.value(ctx, NIF.isString))
    lang = graph.value(ctx, DCTERMS.language) or graph.value(ctx, SCHEMA.inLanguage)
    ident = graph.value(ctx, DCTERMS.identifier)
    mentions, foreign = [], 0
    for phrase in sorted(set(graph.subjects(NIF.referenceContext, ctx)), key=str):
        if (phrase, RDF.type, NIF.Sentence) in graph:
            continue
        ref = graph.value(phrase, ITSRDF.taIdentRef)
        if ref is None:
            continue
        m = _mention(graph, phrase, str(ref), path)
        foreign += m.qid is None and not str(ref).startswith("http://www.wikidata.org")
        mentions.append(m)
    if foreign:
        log.info("%s: %d mentions of %s have non-Wikidata IRIs; they count as NIL", path, foreign, ctx)
    doc_id = str(ident) if ident else str(ctx).split("#")[0].rstrip("/").rsplit("/", 1)[-1]
    doc = GoldDocument(id=doc_id, text=text, lang=str(lang) if lang else None,
                       mentions=tuple(sorted(mentions, key=lambda m: (m.start, m.end))), source=f"{path} <{ctx}>")
    return check_document(doc)


def _mention(graph: rdflib.Graph, phrase, ref: str, path: Path) -> GoldMention:
    begin, end = graph.value(phrase, NIF.beginIndex), graph.value(phrase, NIF.endIndex)
    try:
        start, stop = int(begin), int(end)
    except (TypeError, ValueError):
        raise GoldError(f"{path}: <{phrase}> has no integer nif:beginIndex/nif:endIndex") from None
    anchor = graph.value(phrase, NIF.anchorOf)
    cls = graph.value(phrase, ITSRDF.taClassRef)
    qid = qid_of(ref)
    return GoldMention(start, stop, qid, nif_type(str(cls)) if cls is not None else None, qid or ref,
                       text=str(anchor) if anchor is not None else None)
