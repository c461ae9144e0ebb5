"""--bind values and how they are bound into queries (kgbuild.store.terms, kgbuild.store.bind)."""
from __future__ import annotations

import pyoxigraph as ox
import pytest
import rdflib
from hypothesis import given, settings
from hypothesis import strategies as st

from kgbuild.errors import QueryError
from kgbuild.store.bind import bind, query_form
from kgbuild.store.results import run_local
from kgbuild.store.terms import PREFIXES, parse_binding, parse_term, to_ox, to_rdflib

XSD = PREFIXES["xsd"]


@pytest.mark.parametrize(
    "text, expected",
    [
        ("wd:Q7747", ox.NamedNode("http://www.wikidata.org/entity/Q7747")),
        ("<http://example.org/x>", ox.NamedNode("http://example.org/x")),
        ("https://example.org/y", ox.NamedNode("https://example.org/y")),
        ("Putin", ox.Literal("Putin")),
        ('"Nordkorea"@de', ox.Literal("Nordkorea", language="de")),
        ('"2024-06-18"^^xsd:date', ox.Literal("2024-06-18", datatype=ox.NamedNode(XSD + "date"))),
        ('"a \\"quoted\\" word"', ox.Literal('a "quoted" word')),
        ("42", ox.Literal("42", datatype=ox.NamedNode(XSD + "integer"))),
        ("0.5", ox.Literal("0.5", datatype=ox.NamedNode(XSD + "decimal"))),
        ("true", ox.Literal("true", datatype=ox.NamedNode(XSD + "boolean"))),
        ("unknown:thing", ox.Literal("unknown:thing")),
    ],
)
def test_terms_parse_term(text, expected):
    assert parse_term(text) == expected


def test_terms_parse_binding_strips_question_mark():
    assert parse_binding("?person=wd:Q7747") == ("person", ox.NamedNode("http://www.wikidata.org/entity/Q7747"))


@pytest.mark.parametrize("spec", ["noequals", "1abc=x", "=x", "a b=x"])
def test_terms_parse_binding_rejects_bad_spec(spec):
    with pytest.raises(QueryError, match="name=value"):
        parse_binding(spec)


def test_terms_bad_datatype_is_query_error():
    with pytest.raises(QueryError):
        parse_term('"x"^^"notaniri"')


@pytest.mark.parametrize(
    "term",
    [rdflib.URIRef("http://x.org/a"), rdflib.Literal("hallo", lang="de"), rdflib.Literal(3), rdflib.Literal("s")],
)
def test_terms_rdflib_round_trip(term):
    assert to_rdflib(to_ox(term)) == term


@pytest.mark.parametrize(
    "query, form",
    [
        ("SELECT * WHERE { ?s ?p ?o }", "SELECT"),
        ("# SELECT in a comment\nASK { ?s ?p ?o }", "ASK"),
        ('PREFIX x: <http://a/select#> CONSTRUCT { ?s ?p "SELECT" } WHERE { ?s ?p ?o }', "CONSTRUCT"),
        ("describe <http://x>", "DESCRIBE"),
        ("INSERT DATA { <a> <b> <c> }", None),
    ],
)
def test_bind_query_form(query, form):
    assert query_form(query) == form


def test_bind_values_go_into_the_where_group_not_the_template():
    q = "CONSTRUCT { ?s <http://p> ?o } WHERE { ?s <http://q> ?o }"
    out = bind(q, {"o": ox.Literal("x")})
    assert out.startswith("CONSTRUCT { ?s <http://p> ?o } WHERE { VALUES (?o) { (\"x\") }")


def test_bind_skips_braces_in_strings_comments_and_select_expressions():
    q = 'SELECT ?x (EXISTS { ?x ?p ?o } AS ?e) # { not here\nWHERE { ?x ?p "{" }'
    out = bind(q, {"x": ox.NamedNode("http://a")})
    assert 'WHERE { VALUES (?x) { (<http://a>) } ?x ?p "{" }' in out


def test_bind_prebinds_for_aggregates():
    store = ox.Store()
    p = ox.NamedNode("http://p")
    for s, o in [("a", "1"), ("a", "2"), ("b", "3")]:
        store.add(ox.Quad(ox.NamedNode(f"http://{s}"), p, ox.Literal(o)))
    q = "SELECT (COUNT(*) AS ?n) WHERE { ?s <http://p> ?o }"
    res = run_local(store, q, {"s": ox.NamedNode("http://a")})
    assert res.values() == [("2",)]


def test_bind_short_construct_gets_trailing_values():
    out = bind("CONSTRUCT WHERE { ?s ?p ?o }", {"s": ox.NamedNode("http://a")})
    assert out.rstrip().endswith('VALUES (?s) { (<http://a>) }')


@settings(max_examples=150, deadline=None)
@given(st.text(max_size=40))
def test_bind_any_string_comes_back_unchanged(value):
    """Whatever a user passes, it is one literal: no quote, brace or backslash can change the query."""
    store = ox.Store()
    store.add(ox.Quad(ox.NamedNode("http://s"), ox.NamedNode("http://p"), ox.Literal("keep")))
    res = run_local(store, "SELECT ?v (COUNT(*) AS ?n) WHERE { ?s ?p ?o } GROUP BY ?v", {"v": ox.Literal(value)})
    assert [(r[0].value, r[1].value) for r in res.rows] == [(value, "1")]
    assert len(store) == 1
