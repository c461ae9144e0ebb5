"""Bind user values into a SPARQL query as a ``VALUES`` block of escaped RDF terms.

In: query text and ``{name: pyoxigraph term}``. Out: the query with ``VALUES (?a ?b) { (t1 t2) }`` as the
first element of the outermost ``WHERE`` group, which pre-binds the variables for the whole group (its
filters, optionals and sub-groups see them) and keeps aggregates right. Terms are written by pyoxigraph
(``str(term)``: IRIs validated, literals escaped), so a value can never change the query's structure.

The same text goes to the embedded store and to a remote endpoint, so both answer alike.
``CONSTRUCT WHERE { … }`` (short form) gets a trailing ``VALUES`` instead (a template cannot hold one).
"""
from __future__ import annotations

import re
from typing import Mapping

from kgbuild.errors import QueryError
from kgbuild.store.terms import as_term, sparql_term

_FORMS = re.compile(r"(?i)\b(SELECT|CONSTRUCT|ASK|DESCRIBE)\b")
_IRI = re.compile(r'<[^<>"{}|^`\\\x00-\x20]*>')
_STRING = re.compile(r'"""(?:[^"\\]|\\.|"(?!""))*"""|\'\'\'(?:[^\'\\]|\\.|\'(?!\'\'))*\'\'\'|"(?:[^"\\\n]|\\.)*"|\'(?:[^\'\\\n]|\\.)*\'')


def bind(query: str, bindings: Mapping[str, object]) -> str:
    """``query`` with ``bindings`` (name -> term, or a string read by ``terms.parse_term``) as a ``VALUES``
    block; unchanged if there are none."""
    if not bindings:
        return query
    block = values_block(bindings)
    pos, form = _where_open(query)
    if pos is None:
        if form == "CONSTRUCT":
            return f"{query}\n{block}\n"
        raise QueryError("Cannot bind values: the query has no WHERE { … } group.")
    return f"{query[:pos + 1]} {block}{query[pos + 1:]}"


def query_form(query: str) -> str | None:
    """``SELECT``, ``CONSTRUCT``, ``ASK`` or ``DESCRIBE`` (comments, strings and IRIs skipped), or None."""
    return _where_open(query)[1]


def values_block(bindings: Mapping[str, object]) -> str:
    """``VALUES (?a ?b) { (t1 t2) }`` with each term escaped by pyoxigraph."""
    bindings = {name.lstrip("?$"): as_term(value) for name, value in bindings.items()}
    for name in bindings:
        if not re.match(r"^[A-Za-z_][A-Za-z0-9_]*$", name):
            raise QueryError(f"Bad variable name {name!r} to bind; use letters, digits and _.")
    names = " ".join(f"?{n}" for n in bindings)
    row = " ".join(sparql_term(t) for t in bindings.values())
    return f"VALUES ({names}) {{ ({row}) }}"


def _where_open(query: str) -> tuple[int | None, str | None]:
    """Index of the ``{`` that opens the outermost WHERE group, and the query form."""
    form, tops, i, braces, parens = None, [], 0, 0, 0
    while i < len(query):
        c = query[i]
        if c == "#":
            nl = query.find("\n", i)
            i = len(query) if nl < 0 else nl + 1
            continue
        if c in "\"'":
            m = _STRING.match(query, i)
            i = m.end() if m else i + 1
            continue
        if c == "<" and (m := _IRI.match(query, i)):
            i = m.end()
            continue
        if form is None and (m := _FORMS.match(query, i)) and (i == 0 or not (query[i - 1].isalnum() or query[i - 1] in "?$_:")):
            form = m.group(1).upper()
            i = m.end()
            continue
        if c == "(":
            parens += 1
        elif c == ")":
            parens -= 1
        elif c == "{":
            if form and braces == 0 and parens == 0:
                tops.append(i)
            braces += 1
        elif c == "}":
            braces -= 1
        i += 1
    return _pick(query, form, tops), form


def _pick(query: str, form: str | None, tops: list[int]) -> int | None:
    if not tops or form is None:
        return None
    if form != "CONSTRUCT":
        return tops[0]
    head = query[:tops[0]]
    short_form = re.search(r"(?i)\bWHERE\s*$", head) is not None
    if short_form:
        return None
    return tops[1] if len(tops) > 1 else None
