"""A name divided at a line end, as old print and OCR keep it, is one name (``mentions._spot_line_break``);
sentences written for these tests, on the bundled KB and the built-in German pipeline."""
from __future__ import annotations

from conftest import find_with_ner, links_in


def _found(nlp, kb, text: str) -> dict[str, list[str]]:
    # ner=[]: a statistical NER that found nothing (the spotter's one-word matches then need a reason to stand)
    return {m.text: [c.qid for c in m.candidates] for m in find_with_ner(nlp, kb, text, "de", ner=[])}


def test_a_name_divided_at_a_line_end_is_one_name(nlp_de, kb):
    text = "Der Kaiser reiste gestern nach Mün¬\nchen und von dort nach Frank-\nfurt weiter."
    found = _found(nlp_de, kb, text)
    assert "Q1726" in found["Mün¬\nchen"]  # München
    assert "Q1794" in found["Frank-\nfurt"]  # Frankfurt am Main
    for m in find_with_ner(nlp_de, kb, text, "de", ner=[]):
        assert text[m.start:m.end] == m.text


def test_old_print_hyphens(nlp_de, kb):
    found = _found(nlp_de, kb, "Aus Nürn¬ berg und Ham⸗\nburg wird gemeldet, daß der Zug verspätet ist.")
    assert "Q2090" in found["Nürn¬ berg"]  # "¬" only ever divides a word at a line end
    assert "Q1055" in found["Ham⸗\nburg"]


def test_hyphens_that_do_not_divide_a_word(nlp_de, kb):
    found = _found(nlp_de, kb, "Die Post- und Bahnbeamten in Ham- burg streiken, der Reichs¬\nkanzler schweigt.")
    assert not any("burg" in t for t in found)  # "Ham- burg": a hyphen without a line end is no divided word
    assert not any("kanzler" in t for t in found)  # a common noun divided at a line end is no name


def test_linked_through_the_pipeline(builtin_pipe):
    links = links_in(builtin_pipe, "Der Kaiser reiste gestern nach Mün¬\nchen.", "1900-05-01")
    assert links["Mün¬\nchen"] == "Q1726"
