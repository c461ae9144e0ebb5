"""A place followed by a comma and a region lies in that region's country (issue 13, ninth round;
``kgbuild.linking.context.in_named_region`` and ``kgbuild.mentions._city_state``), on sentences written for these
tests and the bundled KB."""
from __future__ import annotations

import pytest
from conftest import links_en as _links


@pytest.mark.parametrize("text, place, wrong", [
    ("The painter spent his last years in Paris, Texas, where he ran a small gallery.", "Paris", "Q90"),
    ("The mill workers of Berlin, New Hampshire, voted to strike on Monday.", "Berlin", "Q64"),
    ("Her cousin opened a bakery in Stuttgart, Arkansas, last spring.", "Stuttgart", "Q1022"),
])
def test_a_place_before_a_region_of_another_country_is_not_the_famous_namesake(builtin_pipe, text, place, wrong):
    links = _links(builtin_pipe, text)
    assert place in links and links[place] != wrong


def test_a_place_before_a_region_of_its_own_country_keeps_its_reading(builtin_pipe):
    links = _links(builtin_pipe, "The chef trained in Lyon, Rhône, before moving to London.")
    assert links.get("Lyon") == "Q456"


def test_a_country_after_the_comma_is_not_judged(builtin_pipe):
    links = _links(builtin_pipe, "The composer was born in Vienna, Austria, and died in Prague.")
    assert links.get("Vienna") == "Q1741"


def test_a_place_only_related_to_the_region_is_not_made_one_name_with_it(builtin_pipe):
    links = _links(builtin_pipe, "The brewery moved from Hamburg, New York, to a larger site.")
    assert "Hamburg, New York" not in links and links.get("Hamburg") != "Q1055"  # the German city: related in the KB, not in it


def test_a_place_before_a_region_is_not_the_short_name_of_a_person_of_the_article(builtin_pipe):
    links = _links(builtin_pipe, "Paris Hilton arrived in Dallas on Monday. Hilton said she loved Paris, Texas, "
                                 "and its small museum.")
    assert links.get("Hilton") == "Q47899" and links.get("Paris") != "Q47899"


def test_a_person_before_a_country_in_apposition_keeps_the_earlier_full_name(builtin_pipe):
    links = _links(builtin_pipe, "Vladimir Putin met the press. Putin, Russia's president, said little.")
    assert links.get("Putin") == "Q7747"
