"""Generate a large kgbuild-style graph (N-Triples) for the view's limit tests: many documents, entities, events.

``write_large_graph(path, n_entities, n_events)`` writes it and returns the set of entity IRIs. Entity 0
(``wd:Q100000``) is a hub that takes part in every 5th event. Loaded by the tests with importlib.
"""
from __future__ import annotations

import random
from pathlib import Path

KG = "https://w3id.org/kgbuild/ontology#"
R = "https://w3id.org/kgbuild/resource/"
WD = "http://www.wikidata.org/entity/"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
NIF = "http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#"
XSD = "http://www.w3.org/2001/XMLSchema#"
CLASSES = ["Person", "Place", "Organisation", "Other"]
KINDS = [("Visit", "visits", "visitor", "host"), ("Meeting", "meets", "participant", "participant"),
         ("TreatySigning", "signsTreatyWith", "signatory", "signatory")]


def _lit(text: str, suffix: str = "") -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"' + suffix


def write_large_graph(path: Path, n_entities: int = 3000, n_events: int = 2000, seed: int = 7) -> set[str]:
    rnd = random.Random(seed)
    lines: list[str] = []
    add = lambda s, p, o: lines.append(f"<{s}> <{p}> {o} .")  # noqa: E731
    ents = [f"{WD}Q{100000 + i}" for i in range(n_entities)]
    for i, e in enumerate(ents):
        add(e, RDF_TYPE, f"<{KG}{CLASSES[i % 4]}>")
        add(e, LABEL, _lit(f"Entity {i}", "@en"))
        add(e, f"{KG}linked", _lit("true", f"^^<{XSD}boolean>"))
    for n in range(n_events):
        doc = f"{R}doc/d{n // 50}"
        if n % 50 == 0:
            add(doc, RDF_TYPE, f"<{NIF}Context>")
            add(doc, "http://schema.org/inLanguage", _lit("en"))
        etype, rel, r1, r2 = KINDS[n % len(KINDS)]
        a = ents[0] if n % 5 == 0 else rnd.choice(ents)
        b = rnd.choice([e for e in (rnd.choice(ents), rnd.choice(ents)) if e != a] or ents[1:2])
        ev = f"{doc}/event/{etype}-{n}-{n + 4}"
        add(ev, RDF_TYPE, f"<{KG}{etype}>")
        add(ev, f"{KG}relation", f"<{KG}{rel}>")
        add(ev, f"{KG}subject", f"<{a}>")
        add(ev, f"{KG}object", f"<{b}>")
        add(ev, f"{KG}{r1}", f"<{a}>")
        add(ev, f"{KG}{r2}", f"<{b}>")
        add(ev, f"{KG}time", _lit(f"2024-{1 + n % 12:02d}-{1 + n % 28:02d}", f"^^<{XSD}date>"))
        add(ev, f"{KG}status", f"<{KG}Happened>")
        add(ev, f"{KG}confidence", _lit("0.7", f"^^<{XSD}double>"))
        add(ev, "http://www.w3.org/ns/prov#wasDerivedFrom", f"<{doc}>")
        add(a, f"{KG}{rel}", f"<{b}>")
    Path(path).write_text("\n".join(lines) + "\n", encoding="utf-8")
    return set(ents)
