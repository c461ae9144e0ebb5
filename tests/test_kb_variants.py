"""Organisation names the KB does not know whole (issue 13, recall: the "name form differs" class): another word
order, an adjective of nationality for "of <country>", a shortened name (``SQLiteKB.lookup_variants``), and a
statistical NER's name that gets them as candidates (``kgbuild.mentions.spot_ner``). Bundled KB; sentences
written for these tests, the NER simulated."""
from __future__ import annotations

from kgbuild.mentions import find_mentions, sentences_of


def qids(kb, name: str, lang: str = "en") -> list[str]:
    return [c.qid for c in kb.lookup_variants(name, lang=lang)]


def test_a_university_is_found_in_either_word_order(kb):
    assert kb.lookup("University of Utrecht", lang="en") == []
    assert qids(kb, "University of Utrecht")[:1] == ["Q221653"]  # Utrecht University


def test_an_adjective_of_nationality_stands_for_of_and_the_country(kb):
    assert qids(kb, "German Social Democratic Party")[:1] == ["Q49768"]  # Social Democratic Party of Germany
    assert qids(kb, "Chilean Communist Party")[:1] == ["Q317952"]
    assert qids(kb, "German Social Democratic Party", lang="de") == []  # English word order only


def test_a_shortened_name_finds_the_names_it_begins(kb):
    found = kb.lookup_variants("Salk Institute", lang="en")
    assert [c.qid for c in found] == ["Q1351061"] and found[0].kind == "short"
    assert len(qids(kb, "Max Planck Institute")) >= 3  # ambiguous: the linker decides by context
    assert qids(kb, "Technical University") == []  # kind words only: no shortened name of anything
    assert qids(kb, "Salk") == []  # one word: never
    # a name that does not end in the head of an organisation's name is no shortened one (the newspapers)
    assert qids(kb, "Le Monde", lang="de") == [] and qids(kb, "China Daily") == []


def test_a_club_is_found_without_the_words_for_a_club_before_its_name(kb):
    assert kb.lookup("Sport-Club Juventus", lang="de") == []
    assert qids(kb, "Sport-Club Juventus", lang="de")[:1] == ["Q1422"]
    assert qids(kb, "Fussballclub Bayern", lang="de")[:1] == ["Q15789"]
    assert qids(kb, "Sport-Club Berlin", lang="de") == []  # the city is no club


def test_variants_rank_below_what_the_lookup_finds_and_are_not_asked_then(kb):
    assert kb.lookup("Utrecht University", lang="en")
    assert kb.lookup_variants("Utrecht University", lang="en") == []
    exact = kb.lookup("Communist Party of Chile", lang="en")[0]
    variant = kb.lookup_variants("Chilean Communist Party", lang="en")[0]
    assert variant.qid == exact.qid


def test_a_ner_name_without_candidates_gets_the_variants(nlp_en, kb):
    text = "She spent two years at the Salk Institute before moving to the University of Utrecht."
    doc = nlp_en(text)
    spans = []
    for surface in ("Salk Institute", "University of Utrecht"):
        start = text.index(surface)
        spans.append(doc.char_span(start, start + len(surface), label="ORG"))
    doc.set_ents(spans, default="outside")
    got = {m.text: [c.qid for c in m.candidates] for m in find_mentions(doc, kb, "en", sentences_of(doc))}
    assert got["Salk Institute"][:1] == ["Q1351061"]
    assert got["University of Utrecht"][:1] == ["Q221653"]


def test_a_company_is_found_with_its_legal_form_in_the_other_spelling_or_left_out(kb):
    assert kb.lookup("Tokyo Electric Power Co", lang="en") == []
    assert qids(kb, "Tokyo Electric Power Co")[:1] == ["Q333894"]  # the KB has "Tokyo Electric Power Company"
    assert qids(kb, "Deutsche Bank AG")[:1] == ["Q66048"]  # European legal forms as the English ones
    assert qids(kb, "Berlin AG") == []  # only companies: the city is none
