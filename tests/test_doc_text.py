"""Reading a document's text once (kgbuild.nlp.doc_text) and the sentence list made from it."""
from __future__ import annotations

from kgbuild.mentions import sentences_of
from kgbuild.nlp import builtin_pipeline, doc_text

TEXTS = ["  Obama met Merkel in Berlin.  Then he flew home.\n\nNew paragraph\nwithout a stop",
         "Scholz reist nach Paris.\tDort trifft er Macron. ", "", "   ", "Ein Satz"]


def test_doc_text_is_the_docs_text_and_read_once():
    nlp = builtin_pipeline("en")
    for text in TEXTS:
        doc = nlp(text)
        assert doc_text(doc) == doc.text == text
        assert doc_text(doc) is doc_text(doc)  # kept with the document


def test_sentences_are_the_trimmed_spans_of_the_sentencizer():
    nlp = builtin_pipeline("en")
    for text in TEXTS:
        doc = nlp(text)
        want = [(s.start_char + len(s.text) - len(s.text.lstrip()), s.text.strip()) for s in doc.sents if s.text.strip()]
        got = sentences_of(doc)
        assert [(s.start, s.text) for s in got] == want
        assert all(text[s.start:s.end] == s.text for s in got)
    assert len(sentences_of(nlp(TEXTS[0]))) == 4


def test_fine_kinds_depend_on_the_entitys_classes_description_and_type_only():
    from kgbuild.linking.features import fine_kinds
    from kgbuild.types import Candidate, Entity

    club = Entity("Q1", "ORG", 0.5, descriptions={"en": "English football club"})
    same = Entity("Q2", "ORG", 0.1, descriptions={"en": "English football club"})
    city = Entity("Q3", "LOC", 0.5, descriptions={"en": "capital of Germany"})
    cand = Candidate(qid="Q1", name="X", kind="label", prior=0.5, type="ORG", lang="en")
    assert "club" in fine_kinds(club, cand) and fine_kinds(club, cand) == fine_kinds(same, cand)
    assert "person" in fine_kinds(None, Candidate(qid="Q9", name="Y", kind="label", prior=0.5, type="PER", lang="en"))
    loc = Candidate(qid="Q3", name="Berlin", kind="label", prior=0.5, type="LOC", lang="en")
    assert fine_kinds(None, loc) == frozenset({"place"}) and "place" in fine_kinds(city, loc)


def test_a_related_entitys_name_words_are_folded_whole_and_word_by_word():
    from kgbuild.linking import _name_words
    from kgbuild.linking.features import fold

    assert _name_words("Jeff Beck") == {fold("Jeff Beck"), "jeff", "beck"}
    assert _name_words("Erdoğan") == {"erdogan"} and _name_words("") == {""}
