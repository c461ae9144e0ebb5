"""German names of rivers, seas, oceans, mountain ranges, regions and a federal court that the bundled KB had only
in English (curated/news_names.tsv: QIDs from fb15k237 and ror, German names by common usage): German news finds
them, inflected as German inflects them. On the bundled KB and kgbuild's pipeline; sentences written for these tests."""
from __future__ import annotations

import pytest
from conftest import links_in


@pytest.fixture(scope="module")
def pipe(kb):
    from kgbuild.pipeline import Pipeline

    return Pipeline(kb=kb)


@pytest.mark.parametrize("text, name, qid", [
    ("Das Frachtschiff fuhr den Rhein hinauf bis nach Duisburg.", "Rhein", "Q584"),
    ("Auf der Donau bei Wien stauten sich die Schiffe.", "Donau", "Q1653"),
    ("In den Alpen fiel am Wochenende der erste Schnee.", "Alpen", "Q1286"),
    ("Vor der Küste in der Nordsee sank ein Kutter.", "Nordsee", "Q1693"),
    ("Hunderte Menschen versuchten, über das Mittelmeer nach Italien zu gelangen.", "Mittelmeer", "Q4918"),
    ("Das Segelboot überquerte den Atlantik in drei Wochen.", "Atlantik", "Q97"),
    ("Im Nahen Osten wächst die Sorge vor einem Krieg, sagte der Minister in Berlin.", "Nahen Osten", "Q7204"),
    ("Das Bundesverfassungsgericht in Karlsruhe hat das Gesetz gekippt.", "Bundesverfassungsgericht", "Q56025"),
])
def test_german_name_links(pipe, text, name, qid):
    assert links_in(pipe, text, None).get(name) == qid


def test_the_court_has_its_own_german_label(kb):
    """The court's German label is spelt right (ror's label has a typo), so the graph's rdfs:label is."""
    assert kb.entity("Q56025").labels.get("de") == "Bundesverfassungsgericht"
