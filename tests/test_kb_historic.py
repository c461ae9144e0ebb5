"""Historic states, wars and statesmen from FB15k's descriptions; German names of historic states; newspapers
whose short names are ordinary phrases (``kgbuild.kb.compile.popular``, ``orgs``, curated ``news_names.tsv``)."""
from __future__ import annotations

import pytest

from kgbuild.kb.compile.orgs import OBSCURE_NEWSPAPER_PRIOR, _obscure_newspaper
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
    air = kb.lookup("Air Force", lang="en")
    assert all(c.kind != "label" or c.prior > OBSCURE_NEWSPAPER_PRIOR for c in air)
    assert all(c.prior <= OBSCURE_NEWSPAPER_PRIOR for c in air if c.qid == "Q4697874")


def test_bundled_kb_us_state_before_same_named_town_abroad(kb):
    assert kb.lookup("Florida", lang="en")[0].qid == "Q812"  # not the town in Uruguay
    assert kb.lookup("Montana", lang="en")[0].qid == "Q1212"  # not the town in Bulgaria
    assert kb.lookup("Washington", lang="en")[0].qid == "Q61"  # the capital stays first
    assert kb.lookup("Georgia", lang="en")[0].qid == "Q230"  # the country stays first
