"""A place's name that plays a match is the team of that name, or no entity the KB knows (issue 13: organisations
and teams named after a place; ``kgbuild.linking.context``), on sentences written for these tests and the bundled
KB."""
from __future__ import annotations

from conftest import links_en as _links


def test_place_that_wins_a_match_is_its_team(builtin_pipe):
    links = _links(builtin_pipe, "Newcastle beat Burnley 3-0 at home, with two goals from the new striker.")
    assert links.get("Newcastle") == "Q18716"  # Newcastle United, not the city in Australia


def test_place_without_a_team_in_the_kb_stays_unlinked_in_a_match(builtin_pipe):
    links = _links(builtin_pipe, "Germany beat France in the World Cup semi-final on Tuesday.")
    assert links.get("Germany") != "Q183" and links.get("France") != "Q142"


def test_team_of_another_sport_is_no_reading(builtin_pipe):
    links = _links(builtin_pipe, "England beat Australia by six wickets after a long batting collapse.")
    assert not (links.get("England") or "").startswith("Q")  # the KB's England team plays football


def test_result_verb_without_sport_keeps_the_place(builtin_pipe):
    links = _links(builtin_pipe, "Russia beat back an attack near Kharkiv, the ministry said on Sunday.")
    assert links.get("Russia") == "Q159"
