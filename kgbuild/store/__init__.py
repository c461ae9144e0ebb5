"""Triple stores: load RDF into a remote SPARQL server or an embedded pyoxigraph store, query, serve.

- :func:`query` — SPARQL over files, an embedded store or an endpoint, values bound (never spliced).
- :class:`EmbeddedStore` — on-disk pyoxigraph store, one named graph per document, atomic graph replace.
- :func:`load_to_endpoint` / :func:`load_to_store` — ``kgbuild load`` (Graph Store Protocol / embedded).
- :class:`OxigraphServer` — Oxigraph's own server as a child process (``kgbuild serve``, tests).
See docs/STORES.md.
"""
from kgbuild.store.embedded import EmbeddedStore
from kgbuild.store.endpoint import Client, Endpoint, StoreHTTPError
from kgbuild.store.load import LoadError, LoadReport, load_to_endpoint, load_to_store
from kgbuild.store.results import QueryResult
from kgbuild.store.server import OxigraphServer
from kgbuild.store.sparql import make_client, query

__all__ = [
    "Client", "EmbeddedStore", "Endpoint", "LoadError", "LoadReport", "OxigraphServer", "QueryResult",
    "StoreHTTPError", "load_to_endpoint", "load_to_store", "make_client", "query",
]
