"""English name forms within the KB (issue 13, kore): family names alone in a list of persons, sports teams'
nicknames and a city's name without its article from FB15k's aliases, a company's name with its trade and legal
form. Bundled KB; sentences written for these tests; the statistical NER is simulated (``ents`` set by the test)
or absent (the rule-based pipeline)."""
from __future__ import annotations

import pytest
from conftest import find_with_ner

from kgbuild.kb.compile.popular import _other_city_name, _team_nickname


def mentions(nlp, kb, text: str, ner: list[tuple[str, str]] | None = None):
    return {m.text: m for m in find_with_ner(nlp, kb, text, "en", ner)}


def test_listed_family_names_are_persons(nlp_en, kb):
    # neither name is famous enough for the spotter alone, and no NER saw them: the list makes both persons
    found = mentions(nlp_en, kb, "Yesterday Baez and Grohl sang two songs together in Oslo.")
    assert found["Baez"].type == "PER" and found["Baez"].candidates[0].qid == "Q131725"
    assert found["Grohl"].type == "PER" and found["Grohl"].candidates[0].qid == "Q12006"
    assert "Oslo" in found and found["Oslo"].type == "LOC"  # not in the list


def test_a_listed_family_name_next_to_a_person_the_ner_found(nlp_en, kb):
    text = "The promoter booked Clapton, Rubin and a choir for the evening."
    found = mentions(nlp_en, kb, text, ner=[("Clapton", "PERSON")])
    assert found["Rubin"].type == "PER" and found["Rubin"].source == "rules"
    assert found["Rubin"].candidates[0].qid == "Q587361"
    # one person's name alone is no list of persons
    alone = mentions(nlp_en, kb, "The promoter booked Rubin for the evening.")
    assert "Rubin" not in alone


def test_a_list_of_things_or_places_makes_no_persons(nlp_en, kb):
    found = mentions(nlp_en, kb, "Shops in Paris, Berlin and Baez sell the same shoes.")
    assert "Baez" not in found or found["Baez"].type != "PER"
    found = mentions(nlp_en, kb, "He said that Grohl was right.")
    assert "Grohl" not in found  # alone: the spotter's rule for lone surnames stands


def test_team_nicknames_and_city_short_names_from_fb15k_aliases():
    assert _team_nickname("Gunners", "Arsenal F.C.") and _team_nickname("Oranje", "Netherlands national football team")
    assert not _team_nickname("Juve", "Juventus F.C.")  # an abbreviation spelt short
    assert not _team_nickname("Arsenal", "Arsenal F.C.")  # a word of the label: a short form already
    assert not _team_nickname("giants", "Esteghlal F.C.")  # lower case
    assert _other_city_name("Vegas", "Las Vegas")  # the name without its article
    assert not _other_city_name("Wycombe", "High Wycombe")  # any other piece of the label


@pytest.mark.parametrize("name, qid", [("Gunners", "Q9617"), ("Spurs", "Q18741"), ("Vegas", "Q23768")])
def test_bundled_kb_knows_nicknames(kb, name, qid):
    assert kb.lookup(name, lang="en")[0].qid == qid


def test_team_nickname_in_a_sentence(nlp_en, kb):
    found = mentions(nlp_en, kb, "Last night the Gunners lost at home for the first time this season.")
    assert found["Gunners"].candidates[0].qid == "Q9617"
    # with a statistical NER that sees no name there, "the" is enough
    found = mentions(nlp_en, kb, "The Spurs now train with Harry Kane on a new ground.", ner=[("Harry Kane", "PERSON")])
    assert found["Spurs"].candidates[0].qid == "Q18741"
    # a plural nickname without "the" is the common noun
    found = mentions(nlp_en, kb, "Old Gunners and Spurs from the war were shown in the hall.")
    assert all(c.qid not in ("Q9617", "Q18741") for m in found.values() for c in m.candidates)


def test_team_nicknames_are_football_names_and_no_plain_english_words():
    assert not _team_nickname("Sporting", "R.S.C. Anderlecht")  # an English word, no plural
    assert _team_nickname("Wolves", "Wolverhampton Wanderers F.C.")  # a plural: spotted after "the" only


def test_a_company_name_with_its_trade_and_legal_form(kb):
    assert kb.lookup("Fiat Automobile Co.", lang="en") == []
    assert [c.qid for c in kb.lookup_variants("Fiat Automobile Co.", lang="en")][:1] == ["Q27597"]
    assert kb.lookup_variants("Automobile Co.", lang="en") == []  # no name left


def test_a_name_right_after_a_noun_of_kinship_or_occupation_is_a_person(nlp_en, kb):
    found = mentions(nlp_en, kb, "On Monday Klum and her husband Seal flew to Rome.")
    assert found["Seal"].type == "PER" and found["Seal"].candidates[0].qid == "Q218091"
    found = mentions(nlp_en, kb, "Tickets for the guitarist Clapton sold out within hours.")
    assert found["Clapton"].type == "PER" and found["Clapton"].candidates[0].qid == "Q48187"
    # not after an upper-case word or a noun of no person, and not a full name's first word
    assert "Clapton" not in mentions(nlp_en, kb, "The old Clapton house was sold.")
    found = mentions(nlp_en, kb, "Her husband Clapton Smith drove.")
    assert not any(m.text == "Clapton" for m in found.values())


def test_an_adjective_of_nationality_that_begins_a_kb_organisation_name_is_part_of_it(nlp_en, kb):
    text = "She served as a senator for the Chilean Communist Party until 1948."
    found = mentions(nlp_en, kb, text, ner=[("Chilean Communist Party", "ORG")])
    assert found["Chilean Communist Party"].candidates[0].qid == "Q317952"
    assert "Chilean" not in found


def test_a_university_of_a_place_is_a_short_name():
    from kgbuild.kb.compile.popular import _university_of_place

    assert _university_of_place("Sapienza University of Rome")
    assert not _university_of_place("Technical University of Munich")  # a kind of university, not which
    assert not _university_of_place("University of Rome Tor Vergata")


def test_bundled_kb_knows_a_university_by_its_place(kb):
    assert kb.lookup("University of Rome", lang="en")[0].qid == "Q209344"  # Sapienza University of Rome


def test_a_place_a_county_and_its_country_make_one_mention_of_the_place(nlp_en, kb):
    # "Lancashire, England" is one KB name (an alias of one Lancashire); Preston lies in the other
    found = mentions(nlp_en, kb, "The mill opened in Preston, Lancashire, England, in 1850.")
    assert found["Preston, Lancashire, England"].candidates[0].qid == "Q385669"
    assert "Preston" not in found and "Lancashire, England" not in found


def test_a_headline_of_capitalised_common_words_is_no_list_of_persons(nlp_en, kb):
    found = mentions(nlp_en, kb, "Cash, Page and Price Rises Hit Families", ner=[("Page", "PERSON")])
    assert "Cash" not in found


def test_a_small_place_s_name_in_a_third_language_keeps_no_nickname_from_a_team():
    from kgbuild.kb.compile.model import Builder

    b = Builder()
    b.add("Q20", "t", "ORG", 0.45, names=[("Kingdom national football team", "label", "en")])
    b.add("Q21", "t", "LOC", 0.3, names=[("Oranston", "label", "en"), ("Orangia", "label", "nl")])
    b.add("Q22", "t", "LOC", 0.3, names=[("Bluetown", "label", "en"), ("Azzurria", "label", "en")])
    b.add("Q23", "t", "LOC", 0.8, names=[("Big City", "label", "en"), ("Roxia", "label", "it")])
    b.add_short("Q20", "Orangia", None, strict=True)  # only a small place's Dutch label: the nickname is added
    b.add_short("Q20", "Azzurria", None, strict=True)  # another place's English name: not added
    b.add_short("Q20", "Roxia", None, strict=True)  # a major place is read by any of its names: not added
    assert b.add_short_forms() == 1
    assert ("Orangia", "alias", None) in b.recs["Q20"].names
    assert all(n[0] not in ("Azzurria", "Roxia") for n in b.recs["Q20"].names)


def test_a_team_nickname_a_small_place_has_in_a_third_language(nlp_en, kb):
    # FB15k's "Oranje" of the Dutch national team; Oran's Dutch label is no name English text uses for Oran
    found = mentions(nlp_en, kb, "Fans in orange sang all night after Oranje beat Belgium.")
    assert found["Oranje"].candidates[0].qid == "Q47050"
    assert "Q231331" not in {c.qid for c in found["Oranje"].candidates}
