"""The embedded store: a pyoxigraph (RocksDB) store on disk, one named graph per document.

In: rdflib graphs / triples, or RDF files; SPARQL with bound values. Out: query results
(:class:`kgbuild.store.results.QueryResult`), graph names, sizes.

``replace_graph`` and ``add_triples`` are atomic (one transaction each), so a reader sees the old graph or
the new one, never a mix. ``bulk_load`` (and ``kgbuild load --store --bulk``) trade that for speed.
Queries see the union of all graphs as the default graph (as ``kgbuild query`` over files does).
"""
from __future__ import annotations

import logging
from pathlib import Path
from typing import Iterable, Mapping

import pyoxigraph as ox

from kgbuild.errors import StoreError
from kgbuild.store import sources
from kgbuild.store.results import QueryResult, run_local
from kgbuild.store.terms import Term, triples_to_quads

log = logging.getLogger("kgbuild.store")

class EmbeddedStore:
    """``EmbeddedStore(path)``: open (or create) an on-disk store; ``EmbeddedStore(None)`` is in memory.

    Use as a context manager so that the store is flushed and its lock released on exit.
    """

    def __init__(self, path: str | Path | None = None, read_only: bool = False):
        self.path = Path(path) if path is not None else None
        self.read_only = read_only
        try:
            if self.path is None:
                self._store = ox.Store()
            elif read_only:
                self._store = ox.Store.read_only(str(self.path))
            else:
                self.path.mkdir(parents=True, exist_ok=True)
                self._store = ox.Store(str(self.path))
        except OSError as exc:
            hint = "Is another process (kgbuild serve, oxigraph) using it? Stop it or pass another --store."
            raise StoreError(f"Cannot open store {str(path)!r}: {str(exc).splitlines()[0]}. {hint}") from None

    # -- context manager -------------------------------------------------------------------------
    def __enter__(self) -> "EmbeddedStore":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        """Flush to disk and release the store (its folder can then be opened by another process)."""
        if self._store is not None and self.path is not None and not self.read_only:
            self._store.flush()
        self._store = None

    @property
    def store(self) -> ox.Store:
        """The underlying ``pyoxigraph.Store``."""
        if self._store is None:
            raise StoreError("The store is closed; open it again with EmbeddedStore(path).")
        return self._store

    # -- writing ---------------------------------------------------------------------------------
    def replace_graph(self, graph_iri: str, triples: Iterable) -> int:
        """Atomically replace graph ``graph_iri`` by ``triples`` (an rdflib ``Graph``, rdflib triples, or
        pyoxigraph ``Triple``/``Quad``s). Returns the number of distinct triples written.

        A new graph is written in one transaction; an existing one is swapped by one SPARQL update
        (``DROP GRAPH`` + ``INSERT DATA``, one transaction), so readers never see a mix.
        """
        target = _named(graph_iri)
        quads = list(dict.fromkeys(triples_to_quads(triples, target)))
        try:
            if not self.store.contains_named_graph(target):
                self.store.extend(quads)
            else:
                body = ox.serialize([q.triple for q in quads], format=ox.RdfFormat.N_TRIPLES).decode("utf-8")
                self.store.update(f"DROP SILENT GRAPH {target} ; INSERT DATA {{ GRAPH {target} {{ {body} }} }}")
        except (OSError, SyntaxError) as exc:
            raise StoreError(f"Writing graph <{graph_iri}> failed: {exc}; the old graph is unchanged.") from None
        return len(quads)

    def add_triples(self, graph_iri: str, triples: Iterable) -> int:
        """Atomically add ``triples`` to graph ``graph_iri``; returns how many were given."""
        quads = list(triples_to_quads(triples, _named(graph_iri)))
        try:
            self.store.extend(quads)
        except OSError as exc:
            raise StoreError(f"Adding to graph <{graph_iri}> failed: {exc}; nothing was added.") from None
        return len(quads)

    def remove_graph(self, graph_iri: str) -> bool:
        """Remove a named graph; returns whether it existed."""
        node = _named(graph_iri)
        existed = self.store.contains_named_graph(node)
        self.store.remove_graph(node)
        return existed

    def add_file(self, path: str | Path, graph: str | None = None, replace: bool = True) -> dict[str, int]:
        """Load an RDF file, one graph per document (see :mod:`kgbuild.store.sources`).

        ``replace=True`` replaces each graph atomically, ``False`` adds to it. Returns graph IRI -> triples.
        """
        loaded: dict[str, int] = {}
        with sources.staged(path) as staging:
            for sg in sources.graphs_of(staging, path, graph):
                first = sg.iri not in loaded
                if replace and first:
                    n = self.replace_graph(sg.iri, sg.quads())
                else:
                    n = self.add_triples(sg.iri, sg.quads())
                loaded[sg.iri] = loaded.get(sg.iri, 0) + n
        log.info("loaded %s: %d graphs", path, len(loaded))
        return loaded

    def bulk_load(self, path: str | Path, graph: str | None = None) -> None:
        """Fast, non-atomic load of a very large file straight into the store (no staging, no replace)."""
        p = sources.check_input(path)
        target = ox.NamedNode(graph) if graph else None
        try:
            self.store.bulk_load(path=str(p), format=sources.rdf_format(p), to_graph=target)
        except SyntaxError as exc:
            raise sources.GraphError(f"Cannot parse {str(p)!r}: {str(exc).splitlines()[0]}.") from None

    # -- reading ---------------------------------------------------------------------------------
    def query(self, sparql: str, bindings: Mapping[str, Term] | None = None, union: bool = True) -> QueryResult:
        """Run a SPARQL query; ``bindings`` (name -> term) are bound as a VALUES block, never spliced."""
        return run_local(self.store, sparql, bindings, union=union)

    def graphs(self) -> list[str]:
        """The named graphs (IRIs), sorted."""
        return sorted(g.value for g in self.store.named_graphs() if isinstance(g, ox.NamedNode))

    def graph_size(self, graph_iri: str) -> int:
        """Number of triples in one named graph."""
        return sum(1 for _ in self.store.quads_for_pattern(None, None, None, _named(graph_iri)))

    def __len__(self) -> int:
        return len(self.store)



def _named(iri: str) -> ox.NamedNode:
    try:
        return ox.NamedNode(iri)
    except ValueError as exc:
        raise StoreError(f"Bad graph IRI {iri!r}: {exc}. Use an absolute IRI.") from None
