"""Operations on a remote store: SPARQL query, SPARQL update, Graph Store Protocol PUT/POST/DELETE.

In: a :class:`kgbuild.store.endpoint.Client`, query text with bound values, or an N-Triples body.
Out: :class:`kgbuild.store.results.QueryResult`; for writes nothing (or :class:`StoreHTTPError`).
Queries and updates are sent form-encoded (``POST``, ``application/x-www-form-urlencoded``), which every
SPARQL 1.1 server, Virtuoso included, answers.
"""
from __future__ import annotations

from typing import Mapping

import pyoxigraph as ox

from kgbuild.errors import QueryError, StoreError
from kgbuild.store.bind import bind, query_form
from kgbuild.store.endpoint import Client, StoreHTTPError
from kgbuild.store.results import QueryResult, from_oxigraph
from kgbuild.store.terms import Term, prologue

#: Accept headers by query form (Virtuoso answers a CONSTRUCT in JSON bindings if JSON is preferred)
ACCEPT_SOLUTIONS = "application/sparql-results+json, application/sparql-results+xml;q=0.5"
ACCEPT_GRAPH = "application/n-triples, text/turtle;q=0.9, application/rdf+xml;q=0.5"
RESULT_TYPES = {
    "application/sparql-results+json": ox.QueryResultsFormat.JSON,
    "application/json": ox.QueryResultsFormat.JSON,
    "application/sparql-results+xml": ox.QueryResultsFormat.XML,
    "text/tab-separated-values": ox.QueryResultsFormat.TSV,
}
GRAPH_TYPES = {
    "application/n-triples": ox.RdfFormat.N_TRIPLES,
    "text/plain": ox.RdfFormat.N_TRIPLES,
    "text/turtle": ox.RdfFormat.TURTLE,
    "application/x-turtle": ox.RdfFormat.TURTLE,
    "application/rdf+xml": ox.RdfFormat.RDF_XML,
    "application/ld+json": ox.RdfFormat.JSON_LD,
    "application/n-quads": ox.RdfFormat.N_QUADS,
    "application/trig": ox.RdfFormat.TRIG,
}
#: the body type each server takes for uploads (N-Triples is a subset of Turtle)
UPLOAD_TYPE = {"oxigraph": "application/n-triples", "virtuoso": "text/turtle", "generic": "text/turtle"}


def query(client: Client, sparql: str, bindings: Mapping[str, Term] | None = None) -> QueryResult:
    """Run a query on the endpoint; ``bindings`` go into a ``VALUES`` block of escaped terms; kgbuild's
    prefixes are declared in front (the query's own ``PREFIX`` lines come later and win)."""
    text = prologue() + bind(sparql, bindings or {})
    params = {"union-default-graph": ""} if client.endpoint.server == "oxigraph" else None
    accept = ACCEPT_GRAPH if query_form(sparql) in ("CONSTRUCT", "DESCRIBE") else ACCEPT_SOLUTIONS
    try:
        resp = client.request("POST", client.endpoint.query_url, "SPARQL query", params=params,
                              data={"query": text}, headers={"Accept": accept})
    except StoreHTTPError as exc:
        if exc.status == 400:
            said = str(exc).split(": ", 2)[-1].split(" SPARQL query:")[0]  # Virtuoso echoes the query
            raise QueryError(f"Bad SPARQL (the endpoint said: {said})") from None
        raise
    return _parse_answer(resp)


def _parse_answer(resp) -> QueryResult:
    ctype = resp.headers.get("Content-Type", "").split(";")[0].strip().lower()
    try:
        if ctype in RESULT_TYPES:
            return from_oxigraph(ox.parse_query_results(resp.content, RESULT_TYPES[ctype]))
        if ctype in GRAPH_TYPES:
            triples = [q.triple for q in ox.parse(resp.content, GRAPH_TYPES[ctype])]
            return QueryResult("graph", triples=tuple(triples))
    except SyntaxError as exc:
        raise StoreError(f"The endpoint's {ctype} answer cannot be parsed: {str(exc).splitlines()[0]}") from None
    raise StoreError(f"The endpoint answered with unsupported content type {ctype!r}.")


def update(client: Client, sparql_update: str, what: str = "SPARQL update") -> None:
    """Run a SPARQL 1.1 update (form-encoded; Virtuoso takes it as ``query=``)."""
    key = "query" if client.endpoint.server == "virtuoso" else "update"
    client.request("POST", client.endpoint.update_url, what, data={key: sparql_update})


def send_graph(client: Client, graph_iri: str, body, replace: bool, what: str) -> None:
    """Graph Store Protocol: ``PUT`` (replace) or ``POST`` (add) an N-Triples ``body`` to ``graph_iri``."""
    headers = {"Content-Type": UPLOAD_TYPE[client.endpoint.server]}
    client.request("PUT" if replace else "POST", client.endpoint.store_url, what,
                   params={"graph": graph_iri}, data=body, headers=headers)


def delete_graph(client: Client, graph_iri: str) -> bool:
    """Graph Store Protocol ``DELETE``; returns False when the graph did not exist (404)."""
    try:
        client.request("DELETE", client.endpoint.store_url, f"deleting <{graph_iri}>", params={"graph": graph_iri})
    except StoreHTTPError as exc:
        if exc.status == 404:
            return False
        raise
    return True


def graph_names(client: Client) -> list[str]:
    """The named graphs of the store (by SPARQL), sorted."""
    res = query(client, "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }")
    return sorted(row[0].value for row in res.rows if isinstance(row[0], ox.NamedNode))
