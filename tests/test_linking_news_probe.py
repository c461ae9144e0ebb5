"""General news written for issue 13's error classes (``tests/data/news_probe``: English and German paragraphs of
sport, business, science and local news, written for kgbuild, no benchmark's): each test reads the links of such
sentences with the bundled KB and the built-in pipeline."""
from __future__ import annotations

from conftest import links_en, links_in


def test_acronym_spelt_out_is_not_another_organisation_of_those_letters(builtin_pipe):
    links = links_en(builtin_pipe, "The International Olympic Committee (IOC) said on Friday that Brisbane will host "
                                   "the 2032 Games as planned. The IOC also praised the organisers.")
    assert links.get("IOC") != "Q13516775"  # the International Olive Council, short name IOC too


def test_acronym_spelt_out_keeps_the_organisation_it_spells(builtin_pipe):
    links = links_en(builtin_pipe, "The European Central Bank (ECB) raised interest rates again on Thursday. "
                                   "The ECB said inflation was still too high.")
    assert links.get("ECB") == "Q8901"


def test_german_acronym_spelt_out_in_an_inflected_long_form(builtin_pipe):
    links = links_in(builtin_pipe, "Das Internationale Olympische Komitee (IOC) hat die Winterspiele vergeben. "
                                   "Das IOC lobte die Bewerbung aus Frankreich.", "2024-05-01")
    assert links.get("IOC") != "Q13516775"


def test_long_form_written_by_the_kb_up_to_inflection():
    from kgbuild.linking.features import same_long_form

    assert same_long_form("Internationales Olympisches Komitee", "Internationale Olympische Komitee")
    assert not same_long_form("International Olive Council", "International Olympic Committee")


def test_place_after_a_place_preposition_is_no_person_of_that_surname(builtin_pipe):
    links = links_en(builtin_pipe, "The Met Office issued a yellow warning for heavy rain across Wales and "
                                   "south-west England on Wednesday.")
    assert links.get("Wales") == "Q25"  # not Charles III, whom the KB also calls "Wales"


def test_company_that_buys_a_business_is_the_company(builtin_pipe):
    links = links_en(builtin_pipe, "Analysts said Dell would buy the storage firm for $2 billion.")
    assert links.get("Dell") == "Q30873"


def test_buying_no_business_is_no_company_cue():
    from kgbuild.linking.companies import company_after

    assert company_after(" would buy the storage firm for $2 billion.", "en")
    assert not company_after(" would buy the old house on the corner.", "en")


def test_short_company_name_in_a_company_context_stands(builtin_pipe):
    links = links_en(builtin_pipe, "BP reported a sharp rise in quarterly profit on Tuesday, helped by higher oil "
                                   "prices.")
    assert links.get("BP") == "Q152057"
