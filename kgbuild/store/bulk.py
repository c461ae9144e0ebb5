"""``kgbuild load --store PATH --bulk``: pyoxigraph's bulk loader, straight from the file where it can.

In: RDF files and an :class:`~kgbuild.store.embedded.EmbeddedStore`. Out: a
:class:`~kgbuild.store.report.LoadReport`. Each file is read twice: a streaming scan (checks the syntax,
counts triples per graph, finds the document IRI) and then ``Store.bulk_load`` of the file itself into the
right graph. Only a quad file with default-graph triples, or one that ``--graph`` flattens, goes through
a staging store first. Fast, but not atomic: an interrupted bulk load can leave part of a graph.
"""
from __future__ import annotations

import gzip
import time
from collections import Counter
from pathlib import Path
from typing import Callable, Sequence

import pyoxigraph as ox

from kgbuild.errors import GraphError, KgbuildError
from kgbuild.store import sources
from kgbuild.store.embedded import EmbeddedStore
from kgbuild.store.report import LoadError, LoadReport

QUAD_FORMATS = (ox.RdfFormat.N_QUADS, ox.RdfFormat.TRIG, ox.RdfFormat.JSON_LD)


def load_bulk(paths: Sequence[str | Path], store: EmbeddedStore, graph: str | None, replace: bool,
              progress: Callable[[int], None] | None):
    """Bulk-load ``paths`` (graph naming as in :mod:`kgbuild.store.sources`); returns a LoadReport."""
    paths = [str(sources.check_input(p)) for p in paths]
    report, seen, started = LoadReport(), set(), time.perf_counter()
    for i, path in enumerate(paths):
        try:
            counts = _load_file(path, store, graph, replace, seen)
        except (KgbuildError, OSError) as exc:
            report.not_started = paths[i:]
            report.seconds = time.perf_counter() - started
            raise LoadError(f"Bulk loading {path} failed: {str(exc).rstrip('.')}; run it again with --replace", report) from None
        seen.update(counts)
        report.loaded += [(g, path, n) for g, n in counts.items()]
        if progress:
            progress(sum(counts.values()))
    report.seconds = time.perf_counter() - started
    return report


def _load_file(path: str, store: EmbeddedStore, graph: str | None, replace: bool, seen: set) -> dict[str, int]:
    fmt = sources.rdf_format(path)
    counts, docs = scan(path, fmt)
    default = counts.pop(None, 0)
    if fmt in QUAD_FORMATS and (default or graph):
        return _staged(path, store, graph, replace, seen)
    if fmt not in QUAD_FORMATS:
        target = graph or (docs.pop() if len(docs) == 1 else Path(path).resolve().as_uri())
        counts = {target: default} if default else {}
    for g in counts:
        if replace and g not in seen:
            store.remove_graph(g)
    to_graph = ox.NamedNode(next(iter(counts))) if fmt not in QUAD_FORMATS and counts else None
    with _open(path) as fh:
        store.store.bulk_load(fh, fmt, base_iri=Path(path).resolve().as_uri(), to_graph=to_graph)
    return dict(counts)


def scan(path: str, fmt: ox.RdfFormat) -> tuple[Counter, set[str]]:
    """Triples per graph name (``None`` = default graph) and document IRIs in the default graph."""
    counts: Counter = Counter()
    docs: set[str] = set()
    try:
        with _open(path) as fh:
            for q in ox.parse(fh, fmt, base_iri=Path(path).resolve().as_uri()):
                g = None if isinstance(q.graph_name, ox.DefaultGraph) else q.graph_name.value
                counts[g] += 1
                if g is None and q.predicate == sources.RDF_TYPE and q.object in sources.DOCUMENT_CLASSES:
                    docs.add(q.subject.value)
    except SyntaxError as exc:
        raise GraphError(f"Cannot parse {path!r} as {fmt.name}: {str(exc).splitlines()[0]}") from None
    return counts, docs


def _staged(path: str, store: EmbeddedStore, graph: str | None, replace: bool, seen: set) -> dict[str, int]:
    counts: dict[str, int] = {}
    with sources.staged(path) as staging:
        todo = sources.graphs_of(staging, path, graph)
        for sg in todo:
            if replace and sg.iri not in seen and sg.iri not in counts:
                store.remove_graph(sg.iri)
            counts.setdefault(sg.iri, 0)

        def quads():
            for sg in todo:
                for q in sg.quads():
                    counts[sg.iri] += 1
                    yield q

        store.store.bulk_extend(quads())
    return counts


def _open(path: str):
    return gzip.open(path, "rb") if path.lower().endswith(".gz") else open(path, "rb")
