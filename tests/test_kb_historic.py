"""Historic states, wars and statesmen from FB15k's descriptions; periods of historic states and their modern
countries (``kgbuild.kb.compile.periods``); German names of historic states; newspapers whose short names are
ordinary phrases (``kgbuild.kb.compile.popular``, ``orgs``, curated ``news_names.tsv``)."""
from __future__ import annotations

import pytest

from kgbuild.kb.compile.orgs import OBSCURE_NEWSPAPER_PRIOR, _obscure_newspaper
from kgbuild.kb.compile.periods import modern_states, period
from kgbuild.kb.compile.popular import entity_type


@pytest.mark.parametrize("label, description, expected", [
    ("German Empire", "empire in Central Europe between 1871–1918", "LOC"),
    ("Weimar Republic", "Germany in the years 1918/1919-1933", "LOC"),
    ("Austria-Hungary", "constitutional monarchic union  from 1867 to October 1918", "LOC"),
    ("Ottoman Empire", "former empire in Asia, Europe and Africa", "LOC"),
    ("Russian Civil War", "multi-party war in the former Russian Empire, November 1917-October 1922", "MISC"),
    ("Peninsular War", "War by Spain, Portugal and the United Kingdom against the French Empire (1807–1814)", "MISC"),
    ("Winston Churchill", "Former Prime Minister of the United Kingdom", "PER"),
    ("Liberal Party", "political party of the United Kingdom, 1859–1988", "ORG"),  # "Kingdom" is no head here
    ("Leipzig", "city in Saxony, Germany", "LOC"),
])
def test_fb15k_description_types_historic_states_wars_and_statesmen(label, description, expected):
    assert entity_type(label, description) == expected


def test_obscure_newspaper_is_countryless_and_short():
    assert _obscure_newspaper("Q1", "Air Force", set())
    assert _obscure_newspaper("Q1", "The Daily Star", set())  # two words besides the article
    assert not _obscure_newspaper("Q1", "Air Force", {"Q1"})  # the source gives a country
    assert not _obscure_newspaper("Q1", "Passauer Neue Presse", set())


def test_bundled_kb_ranks_historic_states_and_keeps_phrases_from_newspapers(kb):
    assert kb.lookup("Sowjetunion", lang="de")[0].qid == "Q15180"
    top = kb.lookup("Österreich-Ungarn", lang="de")[0]
    assert (top.qid, top.type) == ("Q28513", "LOC")
    assert kb.lookup("Deutsches Kaiserreich", lang="de")[0].qid == "Q43287"
    assert kb.entity("Q8016").type == "PER"  # Winston Churchill, typed LOC before ("Kingdom" in his description)
    assert kb.entity("Q319654").type == "LOC"  # LaGuardia Airport, typed PER before ("airport in Queens")
    air = kb.lookup("Air Force", lang="en")
    assert all(c.kind != "label" or c.prior > OBSCURE_NEWSPAPER_PRIOR for c in air)
    assert all(c.prior <= OBSCURE_NEWSPAPER_PRIOR for c in air if c.qid == "Q4697874")


def test_bundled_kb_us_state_before_same_named_town_abroad(kb):
    assert kb.lookup("Florida", lang="en")[0].qid == "Q812"  # not the town in Uruguay
    assert kb.lookup("Montana", lang="en")[0].qid == "Q1212"  # not the town in Bulgaria
    assert kb.lookup("Washington", lang="en")[0].qid == "Q61"  # the capital stays first
    assert kb.lookup("Georgia", lang="en")[0].qid == "Q230"  # the country stays first


@pytest.mark.parametrize("description, expected", [
    ("empire in Central Europe between 1871–1918", (1871, 1918)),
    ("Germany in the years 1918/1919-1933", (1918, 1933)),
    ("1922–1991 country in Europe and Asia", (1922, 1991)),
    ("monarchic union from 1867 to October 1918", (1867, 1918)),
    ("kingdom in Southeastern Europe between 1881 and 1947", (1881, 1947)),
    ("former country", None),  # no years: no period
    ("republic in the USSR (1922–1991)", None),  # a part of another state
    ("state of the Holy Roman Empire in 1567–1803", None),
    ("city in Saxony, Germany, founded 1165", None),  # no state word
])
def test_period_from_an_english_description(description, expected):
    assert period(description) == expected


def test_modern_country_from_the_historic_label_or_the_description():
    words = {"Germany": {"Q183"}, "German": {"Q183"}, "Austria": {"Q40"}, "Hungary": {"Q28"}, "Italy": {"Q38"}}
    assert modern_states("German Empire", "empire between 1871–1918", words) == {"Q183"}
    assert modern_states("Austria-Hungary", "union from 1867 to 1918", words) == {"Q40", "Q28"}
    assert modern_states("Weimar Republic", "Germany in the years 1918/1919-1933", words) == {"Q183"}
    assert modern_states("Kingdom of Prussia", "former German state (1701–1918)", words) == set()  # a part, not Germany
    assert modern_states("Germanic Kingdom", "kingdom between 500 and 600", words) == set()  # whole words only


def test_bundled_kb_has_periods_and_modern_countries_of_historic_states(kb):
    empire = kb.entity("Q43287")  # German Empire
    assert (empire.claims["P571"], empire.claims["P576"], empire.claims["P1366"]) == (("1871",), ("1918",), ("Q183",))
    assert {"Q43287", "Q41304", "Q7318"} <= set(kb.claimants("Q183", "P1366"))
    assert set(kb.entity("Q28513").claims["P1366"]) == {"Q40", "Q28"}  # Austria-Hungary
    assert "P1366" not in kb.entity("Q15180").claims  # the Soviet Union: no name of a modern country
    assert "P571" not in kb.entity("Q183").claims


@pytest.mark.parametrize("label, description, expected", [
    # a person word that is part of a place's or person's name in the description says nothing of the type
    ("Riverside Field", "airport in Kings, Lower Province", "LOC"),
    ("Lakeview", "town in Prince Albert County, Saskatchewan", "LOC"),
    ("Marsh Bay", "county seat of Queen Anne County, Freedonia", "LOC"),
    ("Halder Abbey", "abbey school in Saint Oswald, Freedonia", "ORG"),
    # still persons: an office after its title word, kinship, a general
    ("Ellen Marsh", "daughter of the 12th President of Freedonia", "PER"),
    ("John Halder", "British general in the Crimean War", "PER"),
    ("Anna Roth", "25th Prime Minister of Freedonia", "PER"),
    ("Tom Quill", "Freedonian Singer-Songwriter", "PER"),
])
def test_fb15k_description_types_person_words_inside_names(label, description, expected):
    assert entity_type(label, description) == expected


def test_a_campus_does_not_take_its_university_systems_name():
    from kgbuild.kb.compile.popular import _keep_alias
    assert not _keep_alias("University of Freedonia", "University of Freedonia, North Bay", "ORG", set())
    assert _keep_alias("UF North Bay", "University of Freedonia, North Bay", "ORG", set())
    # the part before the comma is the institution's own short name here
    assert _keep_alias("University at Marsh", "University at Marsh, The State University of Freedonia", "ORG", set())
    assert _keep_alias("Robert Downey", "Robert Downey, Jr.", "PER", set())


@pytest.mark.parametrize("label, description, expected", [
    # person words FB15k's descriptions of statesmen and officers use (they were ORG or LOC by "Party", "Army",
    # "Republic")
    ("Ivan Freedon", "General secretary of the Workers' Party of Freedonia", "PER"),
    ("Mira Vale", "Chairwoman of the People's Republic of Sylvania", "PER"),
    ("Otto Brandt", "Sylvanian Army officer and later leader of the putsch", "PER"),
    ("Jon Hale", "retired Freedonian naval officer, author", "PER"),
    ("Ray Stone", "Freedonian jazz pianist and band leader", "PER"),  # a band's leader is a person
    ("Ann Bell", "singer of the band The Marsh", "PER"),
    # still no person: an officer as a modifier, a ceremonial office, a church led by someone
    ("Royal Academy of Marsh", "Sylvanian Army officer training school", "ORG"),
    ("Lord Warden", "ceremonial officer of a county in Sylvania", None),
    ("Marsh Church", "Christian church led by the Patriarch, with five rites", "LOC"),
])
def test_fb15k_description_types_officers_and_party_secretaries(label, description, expected):
    assert entity_type(label, description) == expected
