"""The graph files the store tests load (``tests/data/store``) and what they ask about them."""
from __future__ import annotations

from pathlib import Path

from kgbuild.rdf.vocab import DEFAULT_BASE

DATA = Path(__file__).parent / "data" / "store"
PUTIN, SCHOLZ, TRIG = DATA / "putin-nordkorea.ttl", DATA / "scholz-paris.ttl", DATA / "corpus.trig"
ALL = [PUTIN, SCHOLZ, TRIG]
DOC = DEFAULT_BASE + "doc/"
#: triples per named graph
SIZES = "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g ORDER BY ?g"
