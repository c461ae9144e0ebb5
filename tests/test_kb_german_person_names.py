"""German names of persons the bundled KB had only in English (curated/news_names.tsv: QIDs from fb15k237, German
names by common usage: *Nikolaus II.*, *Königin Victoria*, *Leo Trotzki*, *Christoph Kolumbus*), and persons FB15k's
descriptions typed as organisations or places (*Joseph Stalin*: "General secretary of the Communist Party ...",
*Erich Ludendorff*: "German Army officer ...", *Mao Zedong*: "Chairman of People's Republic of China"). On the bundled
KB and kgbuild's pipeline; sentences written for these tests."""
from __future__ import annotations

import pytest
from conftest import links_in


@pytest.fixture(scope="module")
def pipe(kb):
    from kgbuild.pipeline import Pipeline

    return Pipeline(kb=kb)


@pytest.mark.parametrize("text, name, qid", [
    ("Zar Nikolaus II. empfing den Gesandten in der Hauptstadt.", "Nikolaus II.", "Q40787"),
    ("Königin Victoria regierte länger als alle ihre Vorgänger.", "Königin Victoria", "Q9439"),
    ("Leo Trotzki floh nach Mexiko, wo er ermordet wurde.", "Leo Trotzki", "Q33391"),
    ("Der Historiker schrieb ein Buch über Christoph Kolumbus.", "Christoph Kolumbus", "Q7322"),
    ("Elisabeth II. besuchte Berlin.", "Elisabeth II.", "Q9682"),
])
def test_german_name_of_a_person_links(pipe, text, name, qid):
    assert links_in(pipe, text, None).get(name) == qid


@pytest.mark.parametrize("qid", ["Q855", "Q58579", "Q5816"])
def test_statesmen_and_officers_are_persons(kb, qid):
    assert kb.entity(qid).type == "PER"
