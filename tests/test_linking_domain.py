"""One-word names of bands, record labels and companies that are also places' names (issue 13;
``kgbuild.linking.domain``): in a sentence about music or business, with no preposition of place before the name,
the KB's organisation of that field is meant, not the more popular town. Sentences written for these tests; the
bundled KB and the default pipeline."""
from __future__ import annotations

import pytest
from conftest import links_en

from kgbuild.linking.domain import field_of
from kgbuild.linking.features import DocContext
from kgbuild.types import Mention


@pytest.fixture(scope="module")
def pipe(kb):
    from kgbuild.pipeline import Pipeline

    return Pipeline(kb=kb)


def _field(kb, text: str, name: str) -> str | None:
    start = text.index(name)
    m = Mention(start, start + len(name), name, "LOC", "ner", 0)
    return field_of(DocContext.build([m], kb, "en", text), m)


@pytest.mark.parametrize("text,name,field", [
    ("Orange lowered its prices for mobile subscribers.", "Orange", "business"),
    ("Chicago opened the concert with their old hits.", "Chicago", "music"),
    ("Orange is a town of forty thousand people.", "Orange", None),  # no word of a field
    ("The band played a concert for the election campaign.", "band", None),  # music and politics
])
def test_the_field_of_a_sentence(kb, text, name, field):
    assert _field(kb, text, name) == field


def test_a_company_is_no_town_in_a_sentence_about_its_customers(pipe):
    # the telecommunications company, not the town in New South Wales (a more popular "Orange")
    assert links_en(pipe, "Orange lowered its prices for mobile subscribers last week.")["Orange"] == "Q1431486"
    # the fashion retailer, not the town in Togo
    assert links_en(pipe, "Mango will open forty new stores next year, the retailer said.")["Mango"] == "Q136503"


def test_a_band_is_no_city_in_a_sentence_about_music(pipe):
    links = links_en(pipe, "Chicago opened the concert with their old hits, and the crowd sang along.")
    assert links["Chicago"] == "Q371938"


def test_a_record_label_goes_by_the_first_word_of_its_name(pipe):
    # neither the university nor the city of that name: Columbia Records
    links = links_en(pipe, "After two albums the singer signed with Columbia for a new record.")
    assert links["Columbia"] == "Q183387"


def test_a_place_after_a_preposition_of_place_stays_a_place(pipe):
    links = links_en(pipe, "The band recorded their new album in Chicago last winter.")
    assert links["Chicago"] == "Q1297"
    links = links_en(pipe, "Tourists flocked to Orange, where the shops cut their prices.")
    assert links["Orange"] != "Q1431486"


def test_a_place_in_a_sentence_of_no_field_stays_a_place(pipe):
    assert links_en(pipe, "Chicago had a cold winter and heavy snow in January.")["Chicago"] == "Q1297"


def test_a_place_before_a_hyphen_stays_a_place(pipe):
    links = links_en(pipe, "The Chicago-based band recorded a new album with old hits.")
    assert links.get("Chicago") in (None, "Q1297")


def test_a_country_keeps_its_reading(kb):
    # a country is named in every business sentence ("Georgia raised its prices"): no company of its name takes it
    from dataclasses import replace

    from kgbuild.linking.domain import by_field
    text = "Georgia raised its prices for mobile subscribers."
    country = next(c for c in kb.lookup("Georgia", lang="en") if c.qid == "Q230")
    company = replace(next(c for c in kb.lookup("Orange", lang="en") if c.qid == "Q1431486"), name="Georgia")
    m = Mention(0, 7, "Georgia", "LOC", "ner", 0, candidates=(country, company))
    assert by_field([m], DocContext.build([m], kb, "en", text))[0] == m
    alone = replace(m, candidates=(company, next(c for c in kb.lookup("Orange", lang="en") if c.type == "LOC")))
    assert [c.qid for c in by_field([alone], DocContext.build([alone], kb, "en", text))[0].candidates] == ["Q1431486"]


def test_the_names_of_a_list_are_of_one_kind(pipe):
    # two bands and a name of a city and a band; a company and two names of towns and companies
    links = links_en(pipe, "Nirvana, Genesis and Chicago have each sold more than forty million copies.")
    assert links["Chicago"] == "Q371938"
    links = links_en(pipe, "Sony, Nokia and Orange were among the exhibitors at the fair.")
    assert links["Orange"] == "Q1431486"
    assert links["Nokia"] == "Q1418"


def test_a_list_with_a_place_keeps_its_places(pipe):
    links = links_en(pipe, "Sony, London and Orange were mentioned in the report.")
    assert links["Orange"] != "Q1431486"


def test_a_sentence_about_a_town_and_its_people_keeps_its_places(pipe):
    # shops are a business word, but a mayor and a town speak of the place
    links = links_en(pipe, "Orange's mayor said the town's shops would open on Sunday.")
    assert links["Orange"] != "Q1431486"
