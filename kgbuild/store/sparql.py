"""``kgbuild query``: SPARQL over RDF files, an embedded store or a remote endpoint, with bound values.

In: query text, one target (files, a store path or an endpoint URL) and bindings (name -> term, or a
Turtle-like string such as ``wd:Q7747``). Out: a :class:`kgbuild.store.results.QueryResult`.

Files are loaded into an in-memory store with the same graph naming as ``kgbuild load`` (one named graph per
document), and the default graph is the union of all graphs, as in the embedded store and in
``kgbuild serve``; so a query gives the same answer over the files and over the store they were loaded into.
"""
from __future__ import annotations

from pathlib import Path
from typing import Mapping, Sequence

import pyoxigraph as ox

from kgbuild.errors import QueryError
from kgbuild.store import remote, sources
from kgbuild.store.embedded import EmbeddedStore
from kgbuild.store.endpoint import Client, Endpoint
from kgbuild.store.results import QueryResult, run_local
from kgbuild.store.terms import Term, as_term


def query(sparql: str, files: Sequence[str | Path] = (), *, store: str | Path | EmbeddedStore | None = None,
          endpoint: str | Client | None = None, bindings: Mapping[str, object] | None = None,
          **client_options) -> QueryResult:
    """Run ``sparql`` over exactly one of: ``files``, ``store`` (path or open store), ``endpoint`` (URL or Client).

    ``bindings`` maps variable names (without ``?``) to pyoxigraph or rdflib terms or Turtle-like strings;
    they are bound as a ``VALUES`` block of escaped terms (:mod:`kgbuild.store.bind`), the same for all targets.
    ``client_options`` (user, password, auth, timeout, retries, server) go to the endpoint client.
    """
    targets = [t for t in (bool(files), store is not None, endpoint is not None) if t]
    if len(targets) != 1:
        raise QueryError("Query exactly one target: RDF files, --store PATH or --endpoint URL.")
    if not sparql or not sparql.strip():
        raise QueryError("The SPARQL query is empty; pass it as text or with --file q.rq.")
    terms = bind_terms(bindings or {})
    if files:
        return run_local(files_store(files), sparql, terms, union=True)
    if store is not None:
        if isinstance(store, EmbeddedStore):
            return store.query(sparql, terms)
        if not Path(store).exists():
            raise QueryError(f"Store {str(store)!r} not found; create it with `kgbuild load FILES --store {store}`.")
        with EmbeddedStore(store, read_only=True) as st:
            return st.query(sparql, terms)
    client = endpoint if isinstance(endpoint, Client) else make_client(endpoint, **client_options)
    try:
        return remote.query(client, sparql, terms)
    finally:
        if client is not endpoint:
            client.close()


def make_client(url: str, server: str = "auto", **options) -> Client:
    """A :class:`Client` for an endpoint URL (``server``: auto, oxigraph, virtuoso, generic)."""
    return Client(Endpoint.from_url(url, server), **options)


def bind_terms(bindings: Mapping[str, object]) -> dict[str, Term]:
    """Normalise binding values to pyoxigraph terms (see :func:`kgbuild.store.terms.as_term`)."""
    return {name.lstrip("?$"): as_term(value) for name, value in bindings.items()}


def files_store(paths: Sequence[str | Path]) -> ox.Store:
    """An in-memory store holding every graph of ``paths`` (named as ``kgbuild load`` names them)."""
    store = ox.Store()
    for path in paths:
        with sources.staged(path) as staging:
            for sg in sources.graphs_of(staging, path):
                store.extend(sg.quads())
    return store
