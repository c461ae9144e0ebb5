"""German names of places, historic states and organisations that the bundled KB had only in English or in the
local language (curated/news_names.tsv: QIDs from fb15k237 and natural-earth, German names by common usage):
historic German names of cities (*Laibach*, *Agram*, *Bromberg*, *Saloniki*) and German names of regions, states and
bodies (*Lothringen*, *Böhmen*, *Völkerbund*, *US-Senat*). On the bundled KB and kgbuild's pipeline; sentences written
for these tests."""
from __future__ import annotations

import pytest
from conftest import links_in


@pytest.fixture(scope="module")
def pipe(kb):
    from kgbuild.pipeline import Pipeline

    return Pipeline(kb=kb)


@pytest.mark.parametrize("text, expected", [
    # historic German names of cities (German labels, as the sources give Breslau, Danzig, Posen): before, no
    # candidate at all
    ("Der Zug aus Laibach traf mit Verspätung in Agram ein.", {"Laibach": "Q437", "Agram": "Q1435"}),
    ("Die Truppen rückten von Bromberg über Thorn nach Kattowitz vor.", {"Bromberg": "Q41252", "Kattowitz": "Q588"}),
    ("Die Kaufleute aus Szegedin und Temesvar handelten mit Getreide.", {"Szegedin": "Q81581", "Temesvar": "Q83404"}),
    ("Der Dampfer lief am Morgen im Hafen von Saloniki ein.", {"Saloniki": "Q17151"}),
    # "Wilna", "Kowno" were only the county and district municipalities of the same names
    ("Der Streit zwischen Wilna und Kowno dauerte an.", {"Wilna": "Q216", "Kowno": "Q4115712"}),
    # regions and historic states: "Lothringen" was only a town in Quebec
    ("Lothringen und das Elsass wurden nach dem Krieg abgetreten.", {"Lothringen": "Q1137"}),
    ("In Böhmen fiel die Ernte schlecht aus, in Siebenbürgen gut.", {"Böhmen": "Q39193", "Siebenbürgen": "Q39473"}),
    ("Die Hauptstadt des Römischen Reiches war Rom.", {"Römischen Reiches": "Q2277"}),
    ("Die Reise führte ihn nach Lateinamerika und Nordamerika.", {"Lateinamerika": "Q12585", "Nordamerika": "Q49"}),
    ("Die Fähre überquerte den Ärmelkanal bei Sturm.", {"Ärmelkanal": "Q34640"}),
    # organisations
    ("Im US-Senat fehlte die Mehrheit, das Repräsentantenhaus stimmte zu.",
     {"US-Senat": "Q66096", "Repräsentantenhaus": "Q11701"}),
    ("Das britische Unterhaus stimmte gegen den Vertrag.", {"Unterhaus": "Q11005"}),
    ("Bayern München gewann gegen Borussia Dortmund.", {"Bayern München": "Q15789"}),
])
def test_german_name_links(pipe, text, expected):
    links = links_in(pipe, text, None)
    assert {name: links.get(name) for name in expected} == expected


@pytest.mark.parametrize("text, published, expected", [
    ("Der Zug aus Laibach traf mit Verspätung in Agram ein.", "1910-05-02", {"Laibach": "Q437", "Agram": "Q1435"}),
    ("Die Kaufleute aus Szegedin und Temesvar handelten mit Getreide.", "1905-03-01",
     {"Szegedin": "Q81581", "Temesvar": "Q83404"}),
])
def test_historic_city_names_link_in_old_articles(pipe, text, published, expected):
    """In an article before 1950 a link by an alias stays below the old-article NIL threshold; the German names
    of these cities are German labels (as *Breslau*), so old print links them."""
    links = links_in(pipe, text, published)
    assert {name: links.get(name) for name in expected} == expected


def test_a_historic_german_name_leaves_the_modern_label(kb):
    """A label row gives the German label only where no source gave one: Ljubljana keeps its own."""
    assert kb.entity("Q437").labels.get("de") == "Ljubljana"


def test_the_german_name_is_the_label_where_no_source_gave_one(kb):
    """A "label" row is the entity's German label (the graph's rdfs:label of a German article's entity)."""
    assert kb.entity("Q38130").labels.get("de") == "Völkerbund"
    assert kb.entity("Q39193").labels.get("de") == "Böhmen"
