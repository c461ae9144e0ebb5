"""The ontology is the source of truth for kg: terms: the Python namespace, the relation catalogue and the
role words must agree with it, and it must parse with labels in English and German."""
import pytest
from rdflib import OWL, RDF, RDFS, Graph, URIRef

from kgbuild.lexicon import ROLE_CLASSES, load_roles
from kgbuild.rdf.vocab import KG, KG_NS
from kgbuild.relations.catalogue import load_catalogue
from kgbuild.validate import ontology_graph, shapes_graph


def defined_terms() -> set[str]:
    g = ontology_graph()
    return {str(s)[len(KG_NS):] for s in g.subjects(RDF.type, None) if str(s).startswith(KG_NS)}


def test_ontology_python_namespace_matches_ontology():
    terms = defined_terms()
    declared = set(KG.__annotations__)
    assert declared - terms == set(), "in kgbuild/rdf/vocab.py but not in ontology/kgbuild.ttl"
    assert terms - declared == set(), "in ontology/kgbuild.ttl but not in kgbuild/rdf/vocab.py"


def test_ontology_every_term_has_english_and_german_labels():
    g = ontology_graph()
    for term in defined_terms():
        langs = {lit.language for lit in g.objects(URIRef(KG_NS + term), RDFS.label)}
        assert {"en", "de"} <= langs, term


@pytest.mark.parametrize("name,rel", sorted(load_catalogue().items()))
def test_ontology_defines_every_catalogue_relation(name, rel):
    g = ontology_graph()
    assert (URIRef(KG_NS + rel.property), RDF.type, OWL.ObjectProperty) in g
    assert (URIRef(KG_NS + rel.event), RDF.type, OWL.Class) in g
    symmetric = (URIRef(KG_NS + rel.property), RDF.type, OWL.SymmetricProperty) in g
    assert symmetric == rel.symmetric, f"{name}: symmetric in the catalogue and the ontology differ"
    if rel.extractor == "triggers" and not rel.sub_property_of:
        assert rel.verbs.get("de") and rel.verbs.get("en"), "German and English triggers"
    if rel.sub_property_of:
        parent = load_catalogue()[rel.sub_property_of].property
        assert (URIRef(KG_NS + rel.property), RDFS.subPropertyOf, URIRef(KG_NS + parent)) in g
    assert rel.cameo or rel.wikidata or rel.unary, f"{name}: aligned with a CAMEO code or a Wikidata property"


def test_ontology_role_words_are_valid():
    roles = load_roles()
    assert {"de", "en"} <= set(roles)
    for lang, table in roles.items():
        assert table, lang
        assert all(r.role_class in ROLE_CLASSES for r in table.values())


def test_ontology_shapes_target_ontology_classes():
    shapes = shapes_graph()
    sh = "http://www.w3.org/ns/shacl#"
    targets = {str(o)[len(KG_NS):] for o in shapes.objects(None, URIRef(sh + "targetClass")) if str(o).startswith(KG_NS)}
    assert targets and targets <= defined_terms()
    events = {n.event for n in load_catalogue().values()} | {"TreatySigning", "PositionHolding", "Quotation"}
    assert events <= targets, "every event class has a shape"


def test_ontology_parses_standalone(tmp_path):
    from kgbuild.validate import ontology_file

    g = Graph().parse(ontology_file("kgbuild.ttl"))
    assert len(g) > 200
