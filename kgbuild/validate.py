"""Validate: RDF files -> SHACL validation results against ``ontology/shapes.ttl`` (pyshacl).

In: graph files (Turtle, N-Triples, TriG, N-Quads, JSON-LD). Out: one ``ValidationResult`` per file. A file
that does not parse is a ``GraphError``.
"""
from __future__ import annotations

import functools
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

from rdflib import Dataset, Graph

from kgbuild.errors import GraphError

SH_MESSAGES = """
PREFIX sh: <http://www.w3.org/ns/shacl#>
SELECT ?focus ?path ?msg WHERE { ?r a sh:ValidationResult ; sh:focusNode ?focus ; sh:resultMessage ?msg .
  OPTIONAL { ?r sh:resultPath ?path } } ORDER BY ?focus
"""


@dataclass
class ValidationResult:
    path: str
    conforms: bool
    triples: int
    messages: list[str] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {"path": self.path, "conforms": self.conforms, "triples": self.triples, "messages": self.messages}


def ontology_file(name: str) -> Path:
    return Path(str(resources.files("kgbuild").joinpath("ontology", name)))


@functools.lru_cache(maxsize=1)
def shapes_graph() -> Graph:
    g = Graph()
    g.parse(ontology_file("shapes.ttl"), format="turtle")
    return g


@functools.lru_cache(maxsize=1)
def ontology_graph() -> Graph:
    g = Graph()
    g.parse(ontology_file("kgbuild.ttl"), format="turtle")
    return g


def load_graph(path: str | Path) -> Graph:
    """Parse an RDF file into one graph (named graphs of TriG/N-Quads are merged)."""
    from kgbuild.rdf.output import QUAD_FORMATS, format_for_path

    fmt = format_for_path(path)
    if fmt is None:
        raise GraphError(f"{path}: unknown RDF format; use .ttl, .nt, .trig, .nq or .jsonld")
    try:
        if fmt in QUAD_FORMATS:
            ds = Dataset()
            ds.parse(path, format=fmt.value)
            g = Graph()
            for s, p, o, _ in ds.quads((None, None, None, None)):
                g.add((s, p, o))
            return g
        g = Graph()
        g.parse(path, format=fmt.value)
        return g
    except FileNotFoundError:
        raise GraphError(f"{path}: no such file") from None
    except Exception as exc:  # rdflib raises many kinds of parser errors
        raise GraphError(f"{path}: cannot parse as {fmt.value}: {str(exc).splitlines()[0][:200]}") from None


def validate_graph(data: Graph) -> tuple[bool, list[str]]:
    from pyshacl import validate as shacl_validate

    conforms, report, _ = shacl_validate(data, shacl_graph=shapes_graph(), ont_graph=ontology_graph(),
                                         inference="none", advanced=False, allow_warnings=False)
    messages = [f"{row.focus} {row.path or ''}: {row.msg}" for row in report.query(SH_MESSAGES)]
    return bool(conforms), messages


def validate_files(paths: list[Path]) -> list[ValidationResult]:
    out = []
    for path in paths:
        g = load_graph(path)
        conforms, messages = validate_graph(g)
        out.append(ValidationResult(str(path), conforms, len(g), messages))
    return out
