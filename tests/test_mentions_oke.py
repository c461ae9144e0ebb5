"""English boundaries of organisations, places and events (issue 13: the longest name wins), on sentences written
for these tests and the bundled KB (``kgbuild.mentions.refine_boundaries``); the statistical NER is simulated
(``ents`` set by the test) where a rule depends on it."""
from __future__ import annotations

import pytest
from conftest import first_candidates


def found(nlp, kb, text: str, ner: list[tuple[str, str]] | None = None) -> dict[str, str | None]:
    return first_candidates(nlp, kb, text, "en", ner)


@pytest.mark.parametrize("text, name, place", [
    ("Historians still argue about the Treaty of Ghent and what it settled.", "Treaty of Ghent", "Ghent"),
    ("Every schoolchild learns that the Edict of Nantes was revoked.", "Edict of Nantes", "Nantes"),
    ("Her grandfather fought in the Battle of Toronto as a young man.", "Battle of Toronto", "Toronto"),
])
def test_place_after_an_event_or_treaty_head_and_of_is_part_of_that_name(nlp_en, kb, text, name, place):
    got = found(nlp_en, kb, text)
    assert place not in got and got.get(name, "missing") is None  # one mention, no candidates: unlinked


def test_a_mention_of_the_head_noun_joins_the_longer_name(nlp_en, kb):
    got = found(nlp_en, kb, "Delegates at the Congress of Toronto voted on Monday.", ner=[("Congress", "ORG")])
    assert "Congress" not in got and "Toronto" not in got and got.get("Congress of Toronto", "missing") is None


def test_place_after_an_administrative_head_and_of_is_one_mention_of_that_place(nlp_en, kb):
    got = found(nlp_en, kb, "The depot lies in the London Borough of Lambeth, near the river.",
                ner=[("London Borough", "ORG"), ("Lambeth", "GPE")])
    assert got.get("London Borough of Lambeth") == kb.lookup("Lambeth", lang="en")[0].qid
    assert "London" not in got and "Lambeth" not in got


def test_place_after_a_role_and_of_stays_the_place(nlp_en, kb):
    got = found(nlp_en, kb, "The Mayor of Toronto opened the bridge on Sunday.")
    assert got.get("Toronto") == "Q172"


def test_city_before_a_descriptive_institution_name_is_the_one_in_that_city_or_none(nlp_en, kb):
    got = found(nlp_en, kb, "Researchers at the Berlin Natural History Museum described a new beetle.")
    assert "Berlin" not in got and "Natural History Museum" not in got
    assert got.get("Berlin Natural History Museum", "missing") is None  # the KB's museums of that name are elsewhere
    got = found(nlp_en, kb, "Researchers at the London Natural History Museum described a new beetle.")
    assert got.get("London Natural History Museum") == "Q309388"  # the KB's museum of that label, in the UK


def test_nationality_before_an_institution_name_stays_a_mention_of_its_own(nlp_en, kb):
    got = found(nlp_en, kb, "A spokesman for the Italian Ministry of Defence said the frigate had sailed.")
    assert got.get("Italian") == "Q38" and "Ministry of Defence" in got


def test_kb_name_of_an_organisation_in_a_place_is_two_mentions(nlp_en, kb):
    got = found(nlp_en, kb, "She lectured at Charles University in Prague for a decade.")
    assert got.get("Charles University") == "Q31519" and got.get("Prague") == "Q1085"
    got = found(nlp_en, kb, "He later taught economics at the American University in Cairo.")
    assert got.get("American University") == "Q469476" and got.get("Cairo") == "Q85"  # the one in Cairo


def test_place_of_an_organisation_in_a_place_runs_on_to_the_longer_place_name(nlp_en, kb):
    got = found(nlp_en, kb, "In 1950 she joined the faculty of Columbia University in New York City.")
    assert got.get("Columbia University") == "Q49088" and got.get("New York City") == "Q60"


def test_place_inside_a_title_after_a_work_noun_is_part_of_the_title(nlp_en, kb):
    got = found(nlp_en, kb, "Critics loved the film Midnight in Lisbon, which opened on Friday.")
    assert "Lisbon" not in got and got.get("Midnight in Lisbon", "missing") is None
    got = found(nlp_en, kb, "She wrote the song Streets of Toronto and the album Goodbye Berlin in 1990.")
    assert "Toronto" not in got and "Berlin" not in got


def test_one_word_after_a_work_noun_keeps_its_reading(nlp_en, kb):
    got = found(nlp_en, kb, "The film Toronto banned last year will open in Vancouver.")
    assert got.get("Toronto") == "Q172"


def test_institution_of_a_place_is_the_kb_institution_under_the_other_word_order(nlp_en, kb):
    got = found(nlp_en, kb, "Her brother studied chemistry at the University of Utrecht and in Leiden.")
    assert "Utrecht" not in got and got.get("University of Utrecht") == "Q221653"  # Utrecht University


def test_place_whose_name_begins_with_a_capitalised_the_is_spotted_whole(nlp_en, kb):
    got = found(nlp_en, kb, "Judges at the tribunal in The Hague ruled on Friday, and The Netherlands welcomed it.")
    assert got.get("The Hague") == "Q36600" and "Hague" not in got
    assert got.get("Netherlands") == "Q55" and "The Netherlands" not in got  # "The" adds nothing to that name


def test_organisation_the_kb_does_not_know_that_begins_with_a_nationality_stays_a_mention(nlp_en, kb):
    got = found(nlp_en, kb, "Members of the Swedish Chess Academy met on Sunday.", ner=[("Swedish Chess Academy", "ORG")])
    assert "Swedish Chess Academy" in got and got["Swedish Chess Academy"] is None and "Swedish" not in got


def test_nationality_before_a_role_stays_the_country(nlp_en, kb):
    got = found(nlp_en, kb, "The Swedish Prime Minister met farmers on Sunday.", ner=[("Swedish Prime Minister", "ORG")])
    assert got.get("Swedish") == "Q34"


def test_place_after_a_sea_or_bay_and_of_is_part_of_that_places_name(nlp_en, kb):
    got = found(nlp_en, kb, "Oil rigs in the Gulf of Mexico were evacuated on Sunday.")
    assert "Mexico" not in got and got.get("Gulf of Mexico", "missing") is None


def test_administrative_head_after_another_capitalised_word_is_a_longer_unlinked_name(nlp_en, kb):
    got = found(nlp_en, kb, "Fighters loyal to the Islamic State of Iraq attacked a checkpoint.")
    assert "Iraq" not in got and "State of Iraq" not in got and got.get("Islamic State of Iraq", "missing") is None
