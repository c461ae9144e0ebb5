"""The ``kg:`` vocabulary as the view needs it, read from the packaged ontology (``kgbuild/ontology/kgbuild.ttl``).

``term_labels(lang)``: local name -> label in ``lang`` (English, else the name) for classes, properties
and statuses, so that "TreatySigning" reads "Vertragsunterzeichnung" in a German view.
``symmetric_properties()``: local names of the ``owl:SymmetricProperty`` terms (``meets``, ...), drawn as
one edge without an arrow. Without the ontology file both fall back to built-in defaults.
"""
from __future__ import annotations

import logging
from functools import lru_cache
from importlib import resources

import pyoxigraph as ox

log = logging.getLogger("kgbuild.view")

KG = "https://w3id.org/kgbuild/ontology#"
FALLBACK_SYMMETRIC = frozenset({"meets", "signsAgreementWith", "signsTreatyWith"})


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
    store = _ontology()
    if store is None:
        return {}
    labels: dict[str, dict[str, str]] = {}
    query = f"""SELECT ?t ?l WHERE {{ ?t <http://www.w3.org/2000/01/rdf-schema#label> ?l
        FILTER(STRSTARTS(STR(?t), "{KG}")) }}"""
    for row in store.query(query):
        labels.setdefault(row["t"].value[len(KG):], {})[row["l"].language or ""] = row["l"].value
    return {name: by_lang.get(lang) or by_lang.get("en") or name for name, by_lang in labels.items()}


@lru_cache(maxsize=1)
def symmetric_properties() -> frozenset[str]:
    store = _ontology()
    if store is None:
        return FALLBACK_SYMMETRIC
    query = """SELECT ?p WHERE { ?p a <http://www.w3.org/2002/07/owl#SymmetricProperty> }"""
    found = frozenset(row["p"].value[len(KG):] for row in store.query(query) if row["p"].value.startswith(KG))
    return found or FALLBACK_SYMMETRIC
