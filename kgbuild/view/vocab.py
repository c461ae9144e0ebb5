"""The ``kg:`` vocabulary as the view needs it.

``term_labels(lang)``: local name -> label in ``lang`` (English, else the name) for classes, properties
and statuses, read from the packaged ontology (``kgbuild/ontology/kgbuild.ttl``), so that "TreatySigning" reads
"Vertragsunterzeichnung" in a German view; relation labels missing there come from the relation catalogue.
``symmetric_properties()``: local names of the symmetric relations (``meets``, ...), drawn as one edge without
an arrow; the relation catalogue (``kgbuild/relations/data/relations.yaml``) is their one owner.
"""
from __future__ import annotations

import logging
from functools import lru_cache
from importlib import resources

import pyoxigraph as ox

from kgbuild.rdf.vocab import KG_NS, PREFIXES
from kgbuild.relations.catalogue import load_catalogue
from kgbuild.relations.catalogue import symmetric_properties as _catalogue_symmetric

log = logging.getLogger("kgbuild.view")

KG = KG_NS


@lru_cache(maxsize=1)
def _ontology() -> ox.Store | None:
    store = ox.Store()
    try:
        text = resources.files("kgbuild").joinpath("ontology", "kgbuild.ttl").read_bytes()
        store.load(text, format=ox.RdfFormat.TURTLE)
    except (OSError, SyntaxError, ValueError) as exc:
        log.debug("no ontology for the view's labels: %s", exc)
        return None
    return store


@lru_cache(maxsize=8)
def term_labels(lang: str) -> dict[str, str]:
    """``kg:`` local name -> its ``rdfs:label`` in ``lang``, else in English."""
    labels: dict[str, dict[str, str]] = {}
    for rel in load_catalogue().values():
        labels.setdefault(rel.property, {}).update(rel.label)
    store = _ontology()
    if store is not None:
        query = f"""SELECT ?t ?l WHERE {{ ?t <{PREFIXES['rdfs']}label> ?l
            FILTER(STRSTARTS(STR(?t), "{KG}")) }}"""
        for row in store.query(query):
            labels.setdefault(row["t"].value[len(KG):], {})[row["l"].language or ""] = row["l"].value
    return {name: by_lang.get(lang) or by_lang.get("en") or name for name, by_lang in labels.items()}


def symmetric_properties() -> frozenset[str]:
    """Local names of the symmetric relations, from the relation catalogue."""
    return _catalogue_symmetric()
