"""kgbuild.rdf: the graph of a document is deterministic, valid against the SHACL shapes, and round-trips
through Turtle, N-Triples, TriG and JSON-LD (rdflib and pyoxigraph), whatever the text contains."""
import datetime as dt

import pyoxigraph
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rdflib import Graph, Literal, URIRef
from rdflib.compare import graph_diff, isomorphic, to_isomorphic

from kgbuild.chars import clean_text
from kgbuild.pipeline import Pipeline
from kgbuild.rdf import KG, RDFFormat, document_graph, serialize
from kgbuild.read import article_from_text
from kgbuild.validate import validate_graph

WD = "http://www.wikidata.org/entity/"


@pytest.fixture(scope="module")
def pipeline(tiny_kb):
    return Pipeline(kb=tiny_kb, model="builtin")


def _graph(pipeline, text, lang="de", **meta):
    art = article_from_text(text, id="doc-1", lang=lang, **meta)
    return document_graph(pipeline.process(art))


def _diff(a: Graph, b: Graph) -> str:
    _, only_a, only_b = graph_diff(to_isomorphic(a), to_isomorphic(b))
    return f"only in first: {sorted(only_a)[:5]}\nonly in second: {sorted(only_b)[:5]}"


def test_rdf_same_input_same_graph(pipeline, seed_text):
    a = _graph(pipeline, seed_text, published="2024-06-18")
    b = _graph(pipeline, seed_text, published="2024-06-18")
    assert isomorphic(a, b), _diff(a, b)
    assert set(a) == set(b)  # no blank nodes: even the IRIs are the same


def test_rdf_reference_graph_conforms_and_has_layers(pipeline, seed_text):
    g = _graph(pipeline, seed_text, published="2024-06-18", url="https://example.org/putin")
    conforms, messages = validate_graph(g)
    assert conforms, messages[:5]
    assert (URIRef(WD + "Q7747"), KG.visits, URIRef(WD + "Q423")) in g
    assert (URIRef(WD + "Q7747"), KG.meets, URIRef(WD + "Q56226")) in g
    assert (URIRef(WD + "Q56226"), KG.meets, URIRef(WD + "Q7747")) in g  # symmetric
    anchors = {str(o) for o in g.objects(None, URIRef("http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#anchorOf"))}
    assert "Wladimir Putin" in anchors and "Pjöngjang" in anchors


@pytest.mark.parametrize("fmt", [RDFFormat.turtle, RDFFormat.ntriples, RDFFormat.jsonld])
def test_rdf_round_trip_formats(pipeline, seed_text, fmt):
    g = _graph(pipeline, seed_text)
    back = Graph().parse(data=serialize(g, fmt), format=fmt.value)
    assert isomorphic(g, back), _diff(g, back)


_TEXT = st.text(
    alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), min_size=1, max_size=300
).filter(lambda t: clean_text(t).strip())  # a text of control characters alone is empty input, refused
_WORDS = st.sampled_from([
    "Putin", "besucht", "Nordkorea", "Kim Jong-un", "trifft", "\"", "\\", "\n", "“Zitat”", "😀", "שלום", "مرحبا",
    "x" * 300, "Moskau", "'", "<", ">", "&", "\t", "\u200f", "Vertrag", "unterzeichnen", "mit", ".",
])


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=st.one_of(_TEXT, st.lists(_WORDS, min_size=1, max_size=40).map(" ".join).filter(lambda t: clean_text(t).strip())))
def test_rdf_any_text_round_trips(pipeline, text):
    g = _graph(pipeline, text, lang="de")
    ttl = serialize(g, RDFFormat.turtle)
    back = Graph().parse(data=ttl, format="turtle")
    assert isomorphic(g, back), _diff(g, back)
    ox = pyoxigraph.Store()
    ox.load(ttl, format=pyoxigraph.RdfFormat.TURTLE)
    assert len(ox) == len(g)
    conforms, messages = validate_graph(g)
    assert conforms, messages[:3]
    ctx = next(g.subjects(URIRef("http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#isString"), None))
    # characters RDF can't carry are replaced one for one (kgbuild.chars): same length, same offsets
    assert str(g.value(ctx, URIRef("http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#isString"))) == clean_text(text)


def test_rdf_trig_one_named_graph_per_document(pipeline):
    from kgbuild.rdf import as_dataset

    a = article_from_text("Putin besucht Nordkorea.", id="a", lang="de")
    b = article_from_text("Kim Jong-un besucht Moskau.", id="b", lang="de")
    graphs = [(URIRef(f"https://w3id.org/kgbuild/resource/doc/{x.id}"), document_graph(pipeline.process(x))) for x in (a, b)]
    ds = as_dataset(graphs)
    data = serialize(ds, RDFFormat.trig)
    ox = pyoxigraph.Store()
    ox.load(data, format=pyoxigraph.RdfFormat.TRIG)
    names = {str(g.value) for g in ox.named_graphs()}
    assert names == {str(n) for n, _ in graphs}


def test_rdf_min_confidence_drops_truthy_not_events(pipeline, seed_text):
    art = article_from_text(seed_text, id="doc-1", lang="de")
    result = pipeline.process(art)
    strict = document_graph(result, min_confidence=0.99)
    assert not list(strict.triples((None, KG.visits, None)))
    assert list(strict.subjects(None, KG.Visit))


def test_rdf_base_iri_and_dates(pipeline):
    art = article_from_text("Putin beginnt heute seine Reise nach Nordkorea.", id="d", lang="de", published="2024-06-18")
    g = document_graph(pipeline.process(art), base_iri="http://example.org/kg/")
    assert (URIRef("http://example.org/kg/doc/d"), None, None) in g
    times = set(g.objects(None, KG.time))
    assert Literal(dt.date(2024, 6, 18)) in times
