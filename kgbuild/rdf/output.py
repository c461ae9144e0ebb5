"""Output: rdflib graphs -> Turtle, N-Triples, JSON-LD, TriG, N-Quads; files written atomically
(``kgbuild.files.atomic_open``: a reader never sees a half-written file, an interrupted run leaves the old one).
"""
from __future__ import annotations

from enum import Enum
from pathlib import Path

from rdflib import Dataset, Graph, URIRef

from kgbuild.files import atomic_open


class RDFFormat(str, Enum):
    turtle = "turtle"
    ntriples = "nt"
    jsonld = "json-ld"
    trig = "trig"
    nquads = "nquads"


SUFFIX = {RDFFormat.turtle: ".ttl", RDFFormat.ntriples: ".nt", RDFFormat.jsonld: ".jsonld",
          RDFFormat.trig: ".trig", RDFFormat.nquads: ".nq"}
QUAD_FORMATS = {RDFFormat.trig, RDFFormat.nquads}


def format_for_path(path: str | Path) -> RDFFormat | None:
    suffix = Path(str(path)).suffix.lower()
    for fmt, suf in SUFFIX.items():
        if suffix == suf:
            return fmt
    return {".n3": RDFFormat.turtle, ".json": RDFFormat.jsonld, ".ntriples": RDFFormat.ntriples}.get(suffix)


def serialize(graph: Graph | Dataset, fmt: RDFFormat = RDFFormat.turtle) -> bytes:
    data = graph.serialize(format=fmt.value, encoding="utf-8")
    return data if isinstance(data, bytes) else data.encode("utf-8")


def as_dataset(graphs: list[tuple[URIRef, Graph]]) -> Dataset:
    """Named graphs (one per document) in one rdflib Dataset, for TriG / N-Quads."""
    ds = Dataset()
    for prefix, ns in (graphs[0][1].namespaces() if graphs else []):
        ds.bind(prefix, ns, override=True)
    for name, g in graphs:
        named = ds.graph(name)
        for triple in g:
            named.add(triple)
    return ds


def write(graph: Graph | Dataset, path: str | Path | None, fmt: RDFFormat) -> int:
    """Serialise to ``path`` atomically (``None`` or ``-``: return bytes count after writing to stdout)."""
    data = serialize(graph, fmt)
    if path is None or str(path) == "-":
        import sys

        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
        return len(data)
    with atomic_open(path) as fh:
        fh.write(data)
    return len(data)
