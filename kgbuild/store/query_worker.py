"""One SPARQL query in a process of its own, for :mod:`kgbuild.store.front` (run as a script, by path).

In: argv[1] = a store folder (opened read-only first, so that a spare worker waits with the store open),
then stdin = JSON ``{"query": str, "accept": str}``.
Out: stdout = one line with the media type, then the serialized results; exit 2 = bad query or no
acceptable format (message on stderr), 1 = other error. Its parent kills it at the query deadline, which
frees its CPU at once: that is why a query runs here and not in a thread of the server.
Imports only pyoxigraph (not kgbuild), so it starts quickly.
"""
from __future__ import annotations

import json
import os
import sys

import pyoxigraph as ox

#: media type -> format, in the order a ``*/*`` client gets them (the first is the default)
SOLUTIONS = {
    "application/sparql-results+json": ox.QueryResultsFormat.JSON,
    "application/json": ox.QueryResultsFormat.JSON,
    "application/sparql-results+xml": ox.QueryResultsFormat.XML,
    "application/xml": ox.QueryResultsFormat.XML,
    "text/csv": ox.QueryResultsFormat.CSV,
    "text/tab-separated-values": ox.QueryResultsFormat.TSV,
}
GRAPHS = {
    "application/n-triples": ox.RdfFormat.N_TRIPLES,
    "text/turtle": ox.RdfFormat.TURTLE,
    "application/rdf+xml": ox.RdfFormat.RDF_XML,
    "application/n-quads": ox.RdfFormat.N_QUADS,
    "application/trig": ox.RdfFormat.TRIG,
    "text/plain": ox.RdfFormat.N_TRIPLES,
}


def negotiate(accept: str, offers: dict) -> str | None:
    """The media type of ``offers`` that ``accept`` prefers (highest q, then header order), or None."""
    ranked = []
    for i, part in enumerate((accept or "*/*").split(",")):
        fields = [f.strip() for f in part.split(";")]
        q = 1.0
        for f in fields[1:]:
            if f.startswith("q="):
                try:
                    q = float(f[2:])
                except ValueError:
                    q = 0.0
        ranked.append((-q, i, fields[0].lower()))
    for negq, _, media in sorted(ranked):
        if negq == 0:
            break
        if media in offers:
            return media
        if media in ("*/*", "application/*", "text/*"):
            for offer in offers:
                if media == "*/*" or offer.startswith(media[:-1]):
                    return offer
    return None


def main() -> int:
    try:
        store = ox.Store.read_only(sys.argv[1])
    except OSError as exc:
        sys.stderr.write(f"cannot open the store: {exc}")
        return 1
    request = json.loads(sys.stdin.read() or "{}")
    try:
        result = store.query(request["query"], use_default_graph_as_union=True)
    except SyntaxError as exc:
        sys.stderr.write(f"bad query: {str(exc).splitlines()[0] if str(exc) else exc}")
        return 2
    offers = GRAPHS if isinstance(result, ox.QueryTriples) else SOLUTIONS
    media = negotiate(request.get("accept", ""), offers)
    if media is None:
        sys.stderr.write(f"no acceptable result format in Accept: {request.get('accept')!r}; "
                         f"offered: {', '.join(offers)}")
        return 3
    out = sys.stdout.buffer
    out.write(media.encode() + b"\n")
    result.serialize(out, offers[media])
    out.flush()
    return 0


if __name__ == "__main__":
    code = main()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)  # skips the interpreter's clean-up: the answer is sent sooner
