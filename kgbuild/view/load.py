"""Graph files -> one ``GraphIndex`` (the union of all files' triples), checked to be kgbuild's.

In: paths of Turtle, TriG, N-Triples, N-Quads, JSON-LD, RDF/XML or N3 files (optionally ``.gz``), or folders
of them (the output of ``kgbuild build -o folder/``).
Out: a ``GraphIndex``: every distinct triple once (named graphs merged), held as subject -> predicate ->
values and predicate -> (subject, value) pairs, built in one streaming pass over the parsed files, so
reading a corpus costs time linear in its size (no SPARQL joins over the union of thousands of graphs).
Raises ``InputNotFoundError`` for a missing file and ``GraphError`` for a file that does not parse or a
graph without a single ``kg:`` term.
"""
from __future__ import annotations

import gzip
import logging
from collections import defaultdict
from pathlib import Path
from typing import Iterable

import pyoxigraph as ox

from kgbuild.errors import GraphError, InputNotFoundError
from kgbuild.rdf.vocab import KG_NS, PREFIXES
from kgbuild.store.sources import FORMATS  # file suffix -> RDF format (the suffix before .gz counts)

log = logging.getLogger("kgbuild.view")

KG = KG_NS



def guess_format(path: Path) -> ox.RdfFormat:
    """The RDF format of ``path`` from its suffix (``graph.ttl.gz`` -> Turtle); Turtle when unknown."""
    suffixes = [s.lower() for s in path.suffixes]
    if suffixes and suffixes[-1] == ".gz":
        suffixes = suffixes[:-1]
    return FORMATS.get(suffixes[-1] if suffixes else "", ox.RdfFormat.TURTLE)


def _read_bytes(path: Path) -> bytes:
    if not path.is_file():
        raise InputNotFoundError(f"Graph file '{path}' not found. Pass the Turtle/TriG file written by `kgbuild build`.")
    data = path.read_bytes()
    if path.suffix.lower() == ".gz":
        try:
            data = gzip.decompress(data)
        except (OSError, EOFError) as exc:
            raise GraphError(f"Cannot decompress '{path}': {exc}. Is it a gzip file?") from None
    return data


class IRI(str):
    """An IRI among the values of a ``GraphIndex`` (a plain ``str`` is a literal or a blank node)."""

    __slots__ = ()


_RDF, _NIF, _ITS, _SCHEMA = PREFIXES["rdf"], PREFIXES["nif"], PREFIXES["itsrdf"], PREFIXES["schema"]
RDF_TYPE = _RDF + "type"
#: the predicates the view reads (besides every kg: and wdt: one); the others (the article texts in
#: nif:isString, hashes, provenance of the run) are skipped while parsing
VIEW_PREDICATES = frozenset({
    RDF_TYPE, _RDF + "subject", _RDF + "predicate", _RDF + "object", PREFIXES["rdfs"] + "label",
    _SCHEMA + "inLanguage", _SCHEMA + "datePublished", _SCHEMA + "url", _SCHEMA + "description",
    PREFIXES["dcterms"] + "identifier", PREFIXES["prov"] + "wasDerivedFrom",
    _NIF + "beginIndex", _NIF + "endIndex", _NIF + "anchorOf", _NIF + "referenceContext", _NIF + "sentence",
    _ITS + "taIdentRef", _ITS + "taClassRef", _ITS + "taConfidence",
})
_WDT = PREFIXES["wdt"]


class GraphIndex:
    """The distinct triples of some graph files. Values: ``IRI`` for IRIs, ``"_:id"`` for blank nodes, the
    lexical value for literals, ``(value, language)`` for language-tagged literals."""

    def __init__(self) -> None:
        self.props: dict[str, dict[str, list]] = defaultdict(lambda: defaultdict(list))
        self.by_predicate: dict[str, list[tuple[str, object]]] = defaultdict(list)
        self._seen: set[tuple] = set()
        self._iris: dict[str, IRI] = {}
        self.triples = 0

    def _term(self, term) -> object:
        if type(term) is ox.NamedNode:
            iri = self._iris.get(term.value)
            if iri is None:
                iri = self._iris[term.value] = IRI(term.value)
            return iri
        if isinstance(term, ox.Literal):
            return (term.value, term.language) if term.language else term.value
        return f"_:{term.value}"

    def add(self, s, p: str, o) -> None:
        """Add one triple (pyoxigraph subject and object, predicate IRI); a repeated triple (e.g. from another
        named graph) once."""
        triple = (self._term(s), p, self._term(o))
        if triple in self._seen:
            return
        self._seen.add(triple)
        self.triples += 1
        self.props[triple[0]][triple[1]].append(triple[2])
        self.by_predicate[triple[1]].append((triple[0], triple[2]))

    def values(self, subject: str, predicate: str) -> list:
        """Every value of ``predicate`` on ``subject``, in the order read."""
        props = self.props.get(subject)
        return props.get(predicate, []) if props else []

    def first(self, subject: str, predicate: str):
        """The first value of ``predicate`` on ``subject`` (None when it has none)."""
        values = self.values(subject, predicate)
        return values[0] if values else None

    def types(self, subject: str) -> list:
        return self.values(subject, RDF_TYPE)

    def of_type(self, cls: str) -> list[str]:
        """Subjects typed ``cls``, in the order read."""
        return [s for s, o in self.by_predicate.get(RDF_TYPE, ()) if o == cls]

    def done(self) -> None:
        """Reading is over: forget the triple set kept for deduplication."""
        self._seen = set()
        self._iris = {}


def load_file(index: GraphIndex, path: Path) -> None:
    """Parse one graph file into ``index``; a syntax error becomes a one-line ``GraphError``."""
    fmt = guess_format(path)
    data = _read_bytes(path)
    if not data.strip():
        raise GraphError(f"Graph file '{path}' is empty. Build a graph with `kgbuild build ARTICLE -o graph.ttl`.")
    try:
        wanted, add = VIEW_PREDICATES, index.add
        for quad in ox.parse(data, format=fmt, base_iri=path.resolve().as_uri()):
            p = quad.predicate.value
            if p in wanted or p.startswith(KG) or p.startswith(_WDT):
                add(quad.subject, p, quad.object)
    except (SyntaxError, ValueError, OSError) as exc:
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise GraphError(
            f"Cannot parse '{path}' as {fmt.name}: {first}. "
            "Pass a graph written by `kgbuild build` (.ttl, .trig, .nt, .nq, .jsonld)."
        ) from None
    log.info("loaded %s (%s)", path, fmt.name)


def is_kgbuild_graph(index: GraphIndex) -> bool:
    """True when some triple uses a ``kg:`` term as predicate or class."""
    return any(p.startswith(KG) for p in index.by_predicate) or any(
        str(o).startswith(KG) for _, o in index.by_predicate.get(RDF_TYPE, ()))


def is_graph_file(path: Path, root: Path) -> bool:
    """A graph file inside folder ``root``: a known suffix (not bare ``.json``), nothing hidden on the way."""
    suffixes = [s.lower() for s in path.suffixes]
    if suffixes and suffixes[-1] == ".gz":
        suffixes = suffixes[:-1]
    hidden = any(part.startswith(".") for part in path.relative_to(root).parts)
    return path.is_file() and bool(suffixes) and suffixes[-1] in FORMATS and suffixes[-1] != ".json" and not hidden


def expand_paths(paths: Iterable[str | Path]) -> list[Path]:
    """Files as they are; a folder (``kgbuild build -o folder/``) -> the graph files in it, sorted."""
    out: list[Path] = []
    for path in map(Path, paths):
        if path.is_dir():
            found = sorted(p for p in path.rglob("*") if is_graph_file(p, path))
            if not found:
                raise GraphError(f"Folder '{path}' holds no graph files ({', '.join(sorted(set(FORMATS) - {'.json'}))}).")
            out.extend(found)
        else:
            out.append(path)
    return out


def load_graphs(paths: Iterable[str | Path]) -> GraphIndex:
    """Load every file of ``paths`` (folders: their graph files) into one index; check it is a kgbuild graph."""
    paths = expand_paths(paths)
    if not paths:
        raise GraphError("No graph files given. Pass one or more graphs written by `kgbuild build`.")
    index = GraphIndex()
    for path in paths:
        load_file(index, path)
    index.done()
    if not is_kgbuild_graph(index):
        names = ", ".join(f"'{p}'" for p in paths)
        raise GraphError(
            f"{names} is not a kgbuild graph: it uses no term of {KG}. "
            "Build one with `kgbuild build ARTICLE -o graph.ttl` and view that."
        )
    return index
