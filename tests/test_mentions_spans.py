"""Mention boundaries (issue 13, spans, tenth round): the longest name wins, "City, State" with an AP abbreviation,
German "HEAD von PLACE"; sentences written for these tests, the bundled KB, a simulated NER (``ner``) where a rule
depends on it (``kgbuild.mentions``)."""
from __future__ import annotations

import pytest
from conftest import first_candidates


@pytest.mark.parametrize("text, ner, name, parts", [
    ("Fishing boats crossed the South China Sea without escort.", ("South China Sea", "LOC"), "South China Sea",
     ("South", "China")),
    ("Tourists still photograph what is left of the Berlin Wall today.", ("Berlin Wall", "FAC"), "Berlin Wall",
     ("Berlin", "Wall")),
])
def test_an_english_ner_name_that_goes_on_past_the_kb_names_inside_it_wins(nlp_en, kb, text, ner, name, parts):
    got = first_candidates(nlp_en, kb, text, "en", [ner])
    assert name in got and not any(p in got for p in parts)


def test_two_names_the_ner_ran_together_stay_apart(nlp_en, kb):
    got = first_candidates(nlp_en, kb, "She taught at the University of Oxford and Mills College for years.", "en",
                           [("University of Oxford and Mills College", "ORG")])
    assert "University of Oxford" in got


@pytest.mark.parametrize("text, name, state", [
    ("Two men were arrested in Springfield, Ill., after the fair.", "Springfield, Ill.", "Illinois"),
    ("The storm knocked out power in Portland, Ore., for a day.", "Portland, Ore.", "Oregon"),
])
def test_a_city_and_an_ap_abbreviation_that_is_also_a_word_is_the_city_in_that_state(nlp_en, kb, text, name,
                                                                                     state):
    got = first_candidates(nlp_en, kb, text, "en")
    assert name in got
    ent = kb.entity(got[name])
    home = [kb.entity(q) for q in kb.related(got[name])]
    assert ent is not None and any(h is not None and h.labels.get("en") == state for h in home)


@pytest.mark.parametrize("text, name, place", [
    ("Die Bank von England hob am Donnerstag den Leitzins an.", "Bank von England", "England"),
    ("Der Vertrag von Versailles wurde im Juni unterzeichnet.", "Vertrag von Versailles", "Versailles"),
    ("Die Nationalbank von Belgien senkte den Zins.", "Nationalbank von Belgien", "Belgien"),
    ("Die Fähre kreuzt täglich die Straße von Gibraltar bei Wind.", "Straße von Gibraltar", "Gibraltar"),
])
def test_a_place_after_a_german_head_and_von_is_part_of_that_name(nlp_de, kb, text, name, place):
    got = first_candidates(nlp_de, kb, text, "de")
    assert name in got and place not in got


@pytest.mark.parametrize("text, place", [
    ("Die Königin von England empfing den Botschafter.", "England"),
    ("Der Bürgermeister von Wien eröffnete die Messe.", "Wien"),
    ("Eine Erklärung von Frankreich blieb aus.", "Frankreich"),
])
def test_a_role_or_an_agent_before_von_leaves_the_place(nlp_de, kb, text, place):
    assert place in first_candidates(nlp_de, kb, text, "de")


@pytest.mark.parametrize("text, name, part", [
    ("Die Nord-Stream-Pipeline wurde im Herbst beschädigt.", "Nord-Stream", "Nord"),
    ("Nach der Baden-Württemberg-Wahl bildete sich eine Koalition.", "Baden-Württemberg", "Baden"),
])
def test_the_longest_name_of_several_parts_before_a_compounds_hyphen_wins(nlp_de, kb, text, name, part):
    got = first_candidates(nlp_de, kb, text, "de")
    assert name in got and part not in got


@pytest.mark.parametrize("text, name, qid", [
    ("Die Messe in Frankfurt (Oder) zog viele Besucher an.", "Frankfurt (Oder)", "Q4024"),
    ("Sie studierte in Halle (Saale) Medizin.", "Halle (Saale)", "Q2814"),
])
def test_a_place_name_with_a_bracketed_qualifier_ends_with_its_closing_bracket(nlp_de, kb, text, name, qid):
    assert first_candidates(nlp_de, kb, text, "de").get(name) == qid


@pytest.mark.parametrize("text, part", [
    ("Der Nord-Ostsee-Kanal wurde für Frachter gesperrt.", "Nord"),
    ("Der Oesterreich-Ungarische Gesandte reiste ab.", "Oesterreich"),
])
def test_a_compass_point_or_a_name_before_a_hyphenated_adjective_is_no_name_alone(nlp_de, kb, text, part):
    assert part not in first_candidates(nlp_de, kb, text, "de")


def test_a_german_head_in_old_print_before_von_takes_the_place_in(nlp_de, kb):
    got = first_candidates(nlp_de, kb, "Die Univerſität von Wien feierte ihr Jubiläum .", "de")
    assert "Univerſität von Wien" in got and "Wien" not in got


def test_a_kb_name_of_several_words_does_not_begin_inside_a_hyphenated_compound(nlp_en, kb):
    got = first_candidates(nlp_en, kb, "The Iran-Iraq war lasted for eight long years.", "en")
    assert "Iraq war" not in got and "Iraq" in got
