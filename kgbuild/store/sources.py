"""RDF input files -> named graphs, the unit that ``load``, ``query`` and the embedded store work with.

In: paths of Turtle, N-Triples, TriG, N-Quads, JSON-LD, RDF/XML or N3 files (optionally ``.gz``).
Out: a staging pyoxigraph ``Store`` per file (in memory for small files, on disk for large ones) and the
``(graph IRI, quads)`` of each graph in it.

Graph naming (docs/STORES.md): quads in a named graph keep it; the default-graph triples of a file go to
``graph`` if the caller names one, else to the file's one document (the subject typed ``nif:Context`` or
``schema:NewsArticle``, i.e. ``kgr:doc/…``), else to the file's ``file://`` IRI.
"""
from __future__ import annotations

import gzip
import logging
import tempfile
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

import pyoxigraph as ox

from kgbuild.errors import GraphError, InputError, InputNotFoundError
from kgbuild.rdf.vocab import NIF, PREFIXES, SCHEMA

log = logging.getLogger("kgbuild.store")

FORMATS: dict[str, ox.RdfFormat] = {
    ".ttl": ox.RdfFormat.TURTLE,
    ".turtle": ox.RdfFormat.TURTLE,
    ".nt": ox.RdfFormat.N_TRIPLES,
    ".ntriples": ox.RdfFormat.N_TRIPLES,
    ".nq": ox.RdfFormat.N_QUADS,
    ".nquads": ox.RdfFormat.N_QUADS,
    ".trig": ox.RdfFormat.TRIG,
    ".jsonld": ox.RdfFormat.JSON_LD,
    ".json": ox.RdfFormat.JSON_LD,
    ".rdf": ox.RdfFormat.RDF_XML,
    ".xml": ox.RdfFormat.RDF_XML,
    ".owl": ox.RdfFormat.RDF_XML,
    ".n3": ox.RdfFormat.N3,
}
RDF_TYPE = ox.NamedNode(PREFIXES["rdf"] + "type")
DOCUMENT_CLASSES = (ox.NamedNode(str(NIF.Context)), ox.NamedNode(str(SCHEMA.NewsArticle)))
#: files larger than this are staged in an on-disk store (bulk load) instead of memory
MEMORY_LIMIT_BYTES = 64 * 1024 * 1024


@dataclass(frozen=True)
class SourceGraph:
    """One graph of one input file: its name in the store, where it came from, how to read it."""

    iri: str
    source: str  # the file path
    store: ox.Store  # the staging store that holds it
    staged: ox.NamedNode | ox.DefaultGraph  # the graph name inside the staging store

    def quads(self) -> Iterator[ox.Quad]:
        """The triples of this graph, as quads in graph ``iri``."""
        target = ox.NamedNode(self.iri)
        for q in self.store.quads_for_pattern(None, None, None, self.staged):
            yield ox.Quad(q.subject, q.predicate, q.object, target)


def rdf_format(path: str | Path) -> ox.RdfFormat:
    """The RDF format of a file from its extension (``.gz`` is looked through)."""
    name = Path(path).name.lower()
    if name.endswith(".gz"):
        name = name[:-3]
    fmt = FORMATS.get(Path(name).suffix)
    if fmt is None:
        known = ", ".join(sorted(FORMATS))
        raise InputError(f"Unknown RDF file type {str(path)!r}: use one of the extensions {known} (optionally .gz).")
    return fmt


def check_input(path: str | Path) -> Path:
    """A readable, non-empty RDF file, or a clear error."""
    p = Path(path)
    try:
        exists = p.exists()
    except OSError as exc:  # "File name too long": a query or text given where a file was expected
        raise InputError(f"{str(p)[:80]!r}... is no RDF file ({exc.strerror}). Files come first, the query last.") from None
    if not exists:
        raise InputNotFoundError(f"RDF file {str(p)!r} not found. Check the path (build one with `kgbuild build`).")
    if p.is_dir():
        raise InputError(f"{str(p)!r} is a folder; pass the RDF files in it (e.g. {p}/*.ttl).")
    if p.stat().st_size == 0:
        raise InputError(f"RDF file {str(p)!r} is empty; rebuild it or leave it out.")
    rdf_format(p)
    return p


@contextmanager
def staged(path: str | Path) -> Iterator[ox.Store]:
    """Parse one file into a staging store (memory, or a temp dir for big files); removed afterwards."""
    p = check_input(path)
    fmt = rdf_format(p)
    big = p.stat().st_size > MEMORY_LIMIT_BYTES
    tmp = tempfile.TemporaryDirectory(prefix="kgbuild-stage-", ignore_cleanup_errors=True) if big else None
    try:
        store = ox.Store(tmp.name) if tmp else ox.Store()
        _parse_into(store, p, fmt, bulk=big)
        yield store
    finally:
        store = None  # release the on-disk store before its folder goes
        if tmp:
            tmp.cleanup()


def _parse_into(store: ox.Store, p: Path, fmt: ox.RdfFormat, bulk: bool) -> None:
    opener = gzip.open if p.name.lower().endswith(".gz") else open
    try:
        with opener(p, "rb") as fh:
            if bulk:
                store.bulk_load(fh, fmt, base_iri=p.resolve().as_uri())
            else:
                store.load(fh, fmt, base_iri=p.resolve().as_uri())
    except SyntaxError as exc:
        raise GraphError(f"Cannot parse {str(p)!r} as {fmt.name}: {_first_line(exc)}. Fix the file or its extension.") from None
    except (OSError, EOFError, UnicodeDecodeError) as exc:
        raise InputError(f"Cannot read {str(p)!r}: {_first_line(exc)}.") from None


def document_iri(store: ox.Store, graph: ox.NamedNode | ox.DefaultGraph) -> str | None:
    """The single document IRI (``nif:Context`` / ``schema:NewsArticle`` subject) in a graph, if exactly one."""
    docs = {
        q.subject.value
        for cls in DOCUMENT_CLASSES
        for q in store.quads_for_pattern(None, RDF_TYPE, cls, graph)
        if isinstance(q.subject, ox.NamedNode)
    }
    if len(docs) > 1:
        log.warning("%d documents in one graph (%s, …); it is loaded as one graph", len(docs), min(docs))
    return docs.pop() if len(docs) == 1 else None


def graphs_of(store: ox.Store, source: str | Path, graph: str | None = None) -> list[SourceGraph]:
    """The graphs of a staged file, named by the rule in the module docstring.

    With ``graph`` every triple of the file (default and named graphs alike) goes to that one graph.
    """
    src = str(source)
    if graph is not None:
        _check_iri(graph)
        names = [ox.DefaultGraph(), *store.named_graphs()]
        return [SourceGraph(graph, src, store, g) for g in names if _non_empty(store, g)]
    out = [SourceGraph(g.value, src, store, g) for g in store.named_graphs() if isinstance(g, ox.NamedNode)]
    if _non_empty(store, ox.DefaultGraph()):
        name = document_iri(store, ox.DefaultGraph()) or Path(source).resolve().as_uri()
        out.insert(0, SourceGraph(name, src, store, ox.DefaultGraph()))
    return out


def _non_empty(store: ox.Store, graph) -> bool:
    return next(iter(store.quads_for_pattern(None, None, None, graph)), None) is not None


def _check_iri(iri: str) -> None:
    try:
        ox.NamedNode(iri)
    except ValueError as exc:
        raise InputError(f"Bad graph IRI {iri!r}: {exc}. Use an absolute IRI such as https://example.org/g.") from None
    if ":" not in iri:
        raise InputError(f"Bad graph IRI {iri!r}: use an absolute IRI such as https://example.org/g.")


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip() or type(exc).__name__
    return text.splitlines()[0]
