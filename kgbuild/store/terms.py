"""RDF terms for the store layer: kgbuild's prefixes, ``--bind`` values, rdflib <-> pyoxigraph.

In: a user's ``name=value`` string, or rdflib terms/graphs. Out: pyoxigraph terms (``NamedNode``,
``Literal``, ``BlankNode``) that are bound into queries, never spliced as text, and the SPARQL form
(``Term.n3()``-style, escaped) used only for a remote endpoint's ``VALUES`` block.
"""
from __future__ import annotations

import re
from typing import Iterable, Mapping

import pyoxigraph as ox
import rdflib

from kgbuild.errors import QueryError
from kgbuild.rdf.vocab import QUERY_PREFIXES, sparql_prologue

#: kgbuild's prefixes (``kgbuild.rdf.vocab``), for ``--bind`` values, queries and Turtle output
PREFIXES: dict[str, str] = QUERY_PREFIXES
XSD = PREFIXES["xsd"]
Term = ox.NamedNode | ox.BlankNode | ox.Literal

_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_IRI = re.compile(r'^<([^<>"{}|^`\\\s]+)>$')
_PNAME = re.compile(r"^([A-Za-z][\w-]*):([\w.\-/%]*)$")
_LITERAL = re.compile(r'^"((?:[^"\\]|\\.)*)"(?:@([A-Za-z]+(?:-[A-Za-z0-9]+)*)|\^\^(\S+))?$', re.S)
_NUMBERS = (
    (re.compile(r"^[+-]?\d+$"), "integer"),
    (re.compile(r"^[+-]?\d*\.\d+$"), "decimal"),
    (re.compile(r"^[+-]?(\d+\.?\d*|\.\d+)[eE][+-]?\d+$"), "double"),
)
_ESCAPES = {"t": "\t", "n": "\n", "r": "\r", "b": "\b", "f": "\f", '"': '"', "'": "'", "\\": "\\"}


def parse_binding(spec: str, prefixes: Mapping[str, str] = PREFIXES) -> tuple[str, Term]:
    """``"name=value"`` -> ``(name, term)``; the value is read like a Turtle term (see :func:`parse_term`)."""
    name, sep, value = spec.partition("=")
    name = name.strip().lstrip("?$")
    if not sep or not _NAME.match(name):
        raise QueryError(f"Bad --bind {spec!r}: write it as name=value, e.g. --bind person=wd:Q7747.")
    return name, parse_term(value, prefixes)


def parse_term(value: str, prefixes: Mapping[str, str] = PREFIXES) -> Term:
    """A Turtle-like term -> pyoxigraph term.

    ``<http://…>`` and ``http(s)://…`` are IRIs, ``wd:Q7747`` a prefixed name (kgbuild's prefixes),
    ``"…"``, ``"…"@de``, ``"…"^^xsd:date`` literals, ``42``/``0.5``/``1e3`` numbers, ``true``/``false``
    booleans; anything else is a plain string literal.
    """
    try:
        if m := _IRI.match(value):
            return ox.NamedNode(m.group(1))
        if re.match(r"^https?://\S+$", value):
            return ox.NamedNode(value)
        if (m := _PNAME.match(value)) and m.group(1) in prefixes:
            return ox.NamedNode(prefixes[m.group(1)] + m.group(2))
        if m := _LITERAL.match(value):
            return _literal(m.group(1), m.group(2), m.group(3), prefixes)
        for pattern, xsd_type in _NUMBERS:
            if pattern.match(value):
                return ox.Literal(value, datatype=ox.NamedNode(XSD + xsd_type))
        if value in ("true", "false"):
            return ox.Literal(value, datatype=ox.NamedNode(XSD + "boolean"))
    except ValueError as exc:
        raise QueryError(f"Bad RDF term {value!r}: {exc}") from None
    return ox.Literal(value)


def _literal(body: str, lang: str | None, datatype: str | None, prefixes: Mapping[str, str]) -> ox.Literal:
    text = re.sub(r"\\(.)", lambda m: _ESCAPES.get(m.group(1), m.group(0)), body)
    if lang:
        return ox.Literal(text, language=lang.lower())
    if datatype:
        dt = parse_term(datatype, prefixes)
        if not isinstance(dt, ox.NamedNode):
            raise QueryError(f"Bad datatype {datatype!r}: use an IRI such as xsd:date or <http://…>.")
        return ox.Literal(text, datatype=dt)
    return ox.Literal(text)


def as_term(value: object) -> Term:
    """A binding value as a pyoxigraph term: pyoxigraph or rdflib terms as they are, a ``str`` through
    :func:`parse_term`, numbers and booleans as typed literals."""
    if isinstance(value, (ox.NamedNode, ox.Literal, ox.BlankNode)):
        return value
    if isinstance(value, rdflib.term.Node):
        return to_ox(value)
    if isinstance(value, bool):
        return parse_term(str(value).lower())
    if isinstance(value, (str, int, float)):
        return parse_term(str(value))
    raise QueryError(f"Cannot bind {value!r}: pass an RDF term or a string such as wd:Q7747.")


def sparql_term(term: Term) -> str:
    """A pyoxigraph term in SPARQL/N-Triples syntax (pyoxigraph escapes it)."""
    if not isinstance(term, (ox.NamedNode, ox.Literal, ox.BlankNode)):
        raise TypeError(f"not a pyoxigraph term: {term!r}")
    if isinstance(term, ox.BlankNode):
        raise QueryError("A blank node cannot be bound into a query sent to an endpoint; bind an IRI.")
    return str(term)


def prologue(prefixes: Mapping[str, str] = PREFIXES) -> str:
    """``PREFIX`` declarations for kgbuild's prefixes, on one line with no line break (prepended to a query
    sent to an endpoint, so that the server's error line numbers stay right)."""
    return sparql_prologue(dict(prefixes))


def to_ox(term: rdflib.term.Node) -> Term:
    """rdflib term -> pyoxigraph term."""
    if isinstance(term, rdflib.URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, rdflib.BNode):
        return ox.BlankNode(str(term))
    if isinstance(term, rdflib.Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        if term.datatype:
            return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
        return ox.Literal(str(term))
    raise TypeError(f"not an RDF term: {term!r}")


def to_rdflib(term: Term | None) -> rdflib.term.Node | None:
    """pyoxigraph term -> rdflib term (None stays None)."""
    if term is None:
        return None
    if isinstance(term, ox.NamedNode):
        return rdflib.URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return rdflib.BNode(term.value)
    if term.language:
        return rdflib.Literal(term.value, lang=term.language)
    if term.datatype.value == XSD + "string":
        return rdflib.Literal(term.value)
    return rdflib.Literal(term.value, datatype=rdflib.URIRef(term.datatype.value))


def triples_to_quads(triples: Iterable, graph: ox.NamedNode) -> Iterable[ox.Quad]:
    """rdflib triples (or a ``Graph``), or pyoxigraph ``Triple``/``Quad`` -> pyoxigraph quads in ``graph``."""
    for t in triples:
        if isinstance(t, (ox.Triple, ox.Quad)):
            yield ox.Quad(t.subject, t.predicate, t.object, graph)
        else:
            s, p, o = t
            yield ox.Quad(to_ox(s), to_ox(p), to_ox(o), graph)
