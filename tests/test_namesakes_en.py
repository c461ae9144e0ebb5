"""Namesakes the context rules out (issue 13, english, sixth round): a place named only in a third language, a
place of the other kind than the noun before it, a small place in a country the document has nothing else of.
Bundled KB, the real linker; sentences written for these tests; the statistical NER is simulated (``ents`` set by
the test)."""
from __future__ import annotations

import pytest
from conftest import find_with_ner

from kgbuild.linking import link
from kgbuild.linking.namesakes import foreign_name_only, kind_noun
from kgbuild.types import Candidate


def linked(nlp, kb, text: str, ner: list[tuple[str, str]]) -> dict:
    mentions = find_with_ner(nlp, kb, text, "en", ner)
    out, _ = link(mentions, kb, "en", text=text)
    return {m.text: m for m in out}


def test_a_place_named_so_only_in_a_third_language(nlp_en, kb):
    # "Mars" is the French label of March (Cambridgeshire): no English text means that town by it
    found = linked(nlp_en, kb, "Mars sold more chocolate this year than ever before.", [("Mars", "GPE")])
    assert "Q2569076" not in {c.qid for c in found["Mars"].candidates}
    assert found["Mars"].entity_key != "Q2569076"
    # a name that is also the place's own (language-neutral) name stays: Quilon, the old name of Kollam
    found = linked(nlp_en, kb, "The ferry from Quilon was late again.", [("Quilon", "GPE")])
    assert found["Quilon"].entity_key == "Q321475"


def test_foreign_name_only_rule():
    march = Candidate("Q2569076", "Mars", "label", 0.318, "LOC", "fr")
    assert not foreign_name_only(None, Candidate("Q2569076", "March", "label", 0.318, "LOC", "en"), "March", "en")
    assert not foreign_name_only(None, Candidate("Q64", "Berlin", "label", 0.9, "LOC", "de"), "Berlin", "en")  # major
    assert not foreign_name_only(None, Candidate("Q1", "Mars", "label", 0.3, "ORG", "fr"), "Mars", "en")  # no place

    class OneKB:
        def names(self, qid):
            return [("March", "label", "en"), ("Mars", "label", "fr")]
    assert foreign_name_only(OneKB(), march, "Mars", "en")


def test_a_city_noun_rules_out_a_province_of_the_name(nlp_en, kb):
    text = "Every summer the old harbour town of Imperia fills with sailing boats."
    found = linked(nlp_en, kb, text, [("Imperia", "GPE")])
    assert found["Imperia"].entity_key != "Q16186"  # the province: the town itself is not in the KB
    assert not (found["Imperia"].entity_key or "").startswith("Q")
    # the province is what "the province of" names
    found = linked(nlp_en, kb, "Olive groves cover much of the province of Imperia.", [("Imperia", "GPE")])
    assert found["Imperia"].entity_key == "Q16186"


def test_a_region_noun_rules_out_the_city_of_the_name(nlp_en, kb):
    found = linked(nlp_en, kb, "Wildfires spread across the state of New York overnight.", [("New York", "GPE")])
    assert "Q60" not in {c.qid for c in found["New York"].candidates}  # the city
    assert found["New York"].entity_key == "Q1384"


@pytest.mark.parametrize("before, kind", [("the coastal city ", "city"), ("the town of ", "city"),
                                          ("the province of ", "region"), ("the state ", "region"),
                                          ("a visit to ", None), ("the city's ", None)])
def test_kind_noun(before, kind):
    assert kind_noun(before + "X", len(before)) == kind


def test_a_small_place_in_a_country_the_document_has_nothing_else_of(nlp_en, kb):
    # the KB's only Amalfi is a municipality in Colombia; the text's other place is in Italy
    text = "After two concerts in Naples the choir spent a week in Amalfi."
    found = linked(nlp_en, kb, text, [("Naples", "GPE"), ("Amalfi", "GPE")])
    assert found["Naples"].entity_key == "Q2634"
    assert not (found["Amalfi"].entity_key or "").startswith("Q")
    # alone, nothing says where the text is: the KB's reading stays a candidate
    found = linked(nlp_en, kb, "The choir spent a week in Amalfi.", [("Amalfi", "GPE")])
    assert "Q1441668" in {c.qid for c in found["Amalfi"].candidates}
    # a small place of the document's country stays: Pag in Croatia, next to Zagreb
    text = "From Zagreb the ferry took them to Pag."
    found = linked(nlp_en, kb, text, [("Zagreb", "GPE"), ("Pag", "GPE")])
    assert "Q837468" in {c.qid for c in found["Pag"].candidates}


def test_a_lone_surname_in_a_sentence_about_music_is_no_politician(nlp_en, kb):
    # Kamala Harris is the famous "Harris"; a duet and a song make it one of the KB's musicians of that name
    text = "On her new record she sings a duet with Harris and two songs of her own."
    found = linked(nlp_en, kb, text, [("Harris", "PERSON")])
    qids = {c.qid for c in found["Harris"].candidates}
    assert "Q10853588" not in qids and "Q231286" in qids  # Emmylou Harris, musician
    assert found["Harris"].entity_key != "Q10853588"
    # about politics, the politician stays
    found = linked(nlp_en, kb, "Harris won the vote in the senate by a wide margin.", [("Harris", "PERSON")])
    assert found["Harris"].entity_key == "Q10853588"
    # about sport, with no sportsman of the name in the KB: nothing changes
    found = linked(nlp_en, kb, "Harris watched the match from the stands.", [("Harris", "PERSON")])
    assert found["Harris"].entity_key == "Q10853588"


def test_equal_priors_are_a_tie_not_a_ranking(nlp_en, kb):
    # RCA (the electronics company, label "RCA") and RCA Records (alias "RCA") have priors 0.001 apart: the
    # name's own label decides, not the thousandth
    found = linked(nlp_en, kb, "For ten years she worked at RCA as an engineer.", [("RCA", "ORG")])
    assert found["RCA"].candidates[0].qid == "Q218038"
