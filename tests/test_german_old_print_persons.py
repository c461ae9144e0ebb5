"""A one-word KB person name the article repeats stands without the NER in German text
(``mentions._repeated_persons_de``); sentences written for these tests, on the bundled KB."""
from __future__ import annotations

from conftest import find_with_ner

TWICE = "Roosevelt sprach am Montag über die Währung. In Berlin hieß es, Roosevelt wolle den Dollar stützen."
ONCE = "Roosevelt sprach am Montag über die Währung. In Berlin hieß es, der Präsident wolle den Dollar stützen."


def test_a_repeated_person_name_stands_without_the_ner(nlp_de, kb):
    found = find_with_ner(nlp_de, kb, TWICE, "de", ner=[("Berlin", "LOC")])
    assert [m.text for m in found if m.text == "Roosevelt"] == ["Roosevelt", "Roosevelt"]
    assert all(m.candidates[0].qid == "Q8007" for m in found if m.text == "Roosevelt")


def test_a_name_once_still_needs_the_ner(nlp_de, kb):
    found = find_with_ner(nlp_de, kb, ONCE, "de", ner=[("Berlin", "LOC")])
    assert "Roosevelt" not in [m.text for m in found]
    found = find_with_ner(nlp_de, kb, ONCE, "de", ner=[("Berlin", "LOC"), ("Roosevelt", "PER")])
    assert "Roosevelt" in [m.text for m in found]


def test_english_text_is_left_to_the_ner(nlp_de, kb):
    text = "Roosevelt spoke on Monday. In Berlin, Roosevelt was said to support the dollar."
    found = find_with_ner(nlp_de, kb, text, "en", ner=[("Berlin", "LOC")])
    assert "Roosevelt" not in [m.text for m in found]
