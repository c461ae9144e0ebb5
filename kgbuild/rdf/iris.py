"""The IRIs kgbuild mints, all in one place: the same input gives the same IRIs (see docs/RDF-MODEL.md).

``<base>doc/<id>`` a document (its ``nif:Context`` node and its named graph), ``<doc>#sentence=b,e`` and
``<doc>#char=b,e`` its sentences and mentions, ``<doc>/event/…`` and ``<doc>/statement/…`` its events and reified
statements, ``<base>entity/<type>/<slug>`` an entity not in Wikidata (``wd:Q…`` otherwise), ``<base>run/<hash>``
and ``<base>agent/kgbuild-<version>`` the provenance of a run.
"""
from __future__ import annotations

import functools
import hashlib
from urllib.parse import quote

from rdflib import Namespace, URIRef

from kgbuild import __version__
from kgbuild.rdf.vocab import WD
from kgbuild.types import Event


def document_iri(base: str, doc_id: str) -> str:
    """The IRI of a document's node and of its named graph."""
    return f"{base}doc/{quote(doc_id, safe='-_.')}"


def run_iri(base: str, model: str, kb_version: str) -> URIRef:
    digest = hashlib.sha1(f"{__version__}|{model}|{kb_version}".encode()).hexdigest()[:12]
    return URIRef(f"{base}run/{digest}")


class Minter:
    """The IRIs of one document's graph under ``base`` (``DEFAULT_BASE`` or ``--base-iri``)."""

    def __init__(self, base: str, doc_id: str) -> None:
        self.base = Namespace(base)
        self.doc = URIRef(document_iri(base, doc_id))

    def sentence(self, start: int, end: int) -> URIRef:
        return URIRef(f"{self.doc}#sentence={start},{end}")

    def mention(self, start: int, end: int) -> URIRef:
        return URIRef(f"{self.doc}#char={start},{end}")

    def entity(self, key: str) -> URIRef:
        if key.startswith("nil:"):
            _, type_, slug = key.split(":", 2)
            return self.base[f"entity/{type_.lower()}/{slug}"]
        return _wd(key)

    def agent(self) -> URIRef:
        return URIRef(f"{self.base}agent/kgbuild-{__version__}")

    def event(self, ev: Event) -> URIRef:
        return URIRef(f"{self.doc}/event/{ev.event_type}-{ev.trigger_start}-{ev.trigger_end}-{_short(ev.subject + str(ev.object))}")

    def statement(self, ev: Event, n: int) -> URIRef:
        return URIRef(f"{self.doc}/statement/{ev.relation}-{ev.trigger_start}-{ev.trigger_end}-{_short(ev.subject + str(ev.object))}-{n}")


@functools.lru_cache(maxsize=65536)
def _wd(qid: str) -> URIRef:
    """``wd:Q…`` (the same entities recur from document to document; rdflib checks every new IRI)."""
    return WD[qid]


def _short(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8")).hexdigest()[:8]
