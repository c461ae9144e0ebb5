"""A player's club named by its city, a year that dates the act of a person who had died by then, surnames in a
list that the NER took for organisations, and a film producer's field (issue 13, English): sentences written for
kgbuild, with the bundled KB."""
from __future__ import annotations

import pytest
from conftest import links_en


def test_city_that_a_player_signs_with_is_his_club(builtin_pipe):
    links = links_en(builtin_pipe, "Messi signed a new five-year contract with Barcelona on Friday.")
    assert links.get("Barcelona") == "Q7156"  # Futbol Club Barcelona, which the KB relates to Messi; not the city


def test_team_named_by_its_city_in_a_result_is_the_players_club(builtin_pipe):
    links = links_en(builtin_pipe, "Messi scored twice as Barcelona beat Sevilla on Sunday night.")
    assert links.get("Barcelona") == "Q7156"


def test_city_a_player_travels_to_stays_the_city(builtin_pipe):
    links = links_en(builtin_pipe, "Messi flew back to Barcelona after signing the contract.")
    assert links.get("Barcelona") == "Q1492"


def test_person_dead_before_the_year_of_the_act_is_not_named(builtin_pipe):
    links = links_en(builtin_pipe, "Mitterrand won the local election in 2008 by a wide margin.")
    assert links.get("Mitterrand") != "Q2038"  # François Mitterrand died in 1996


def test_year_that_opens_the_clause_dates_the_act(builtin_pipe):
    links = links_en(builtin_pipe, "In 2008, Mitterrand won the local election by a wide margin.")
    assert links.get("Mitterrand") != "Q2038"


def test_year_of_a_biographys_appointment_rules_out_the_persons_born_later(builtin_pipe):
    links = links_en(builtin_pipe, "In 1850, Kohl was appointed professor of botany at the university.")
    assert links.get("Kohl") != "Q2518"  # Helmut Kohl, born 1930


def test_appointment_in_the_persons_lifetime_keeps_the_person(builtin_pipe):
    links = links_en(builtin_pipe, "In 1982, Kohl was elected chancellor by the Bundestag.")
    assert links.get("Kohl") == "Q2518"


def test_person_alive_in_the_year_of_the_act_stays(builtin_pipe):
    links = links_en(builtin_pipe, "Mitterrand won the presidential election in 1981.")
    assert links.get("Mitterrand") == "Q2038"


def test_death_year_rules_out_only_persons_dead_before_the_act():
    from kgbuild.kb import open_kb
    from kgbuild.linking.dates import died_before

    with open_kb() as kb:
        assert died_before(kb, "Q2038", 1997) and not died_before(kb, "Q2038", 1996)


@pytest.fixture(scope="module")
def stat_pipe(kb):
    """The statistical pipeline (spaCy's NER), whose types the list rule corrects."""
    from kgbuild.pipeline import Pipeline

    return Pipeline(kb=kb)


def test_surname_the_ner_took_for_an_organisation_counts_in_a_list_of_persons(stat_pipe):
    links = links_en(stat_pipe, "Jagger and Richards wrote most of the band's songs.")
    assert links.get("Jagger") == "Q128121" and links.get("Richards") == "Q189599"


def test_film_producer_is_a_person_of_film(kb):
    from kgbuild.linking.features import DocContext
    from kgbuild.linking.namesakes import _fields

    ctx = DocContext.build([], kb, "en", "")
    assert "film" in _fields(ctx, "Q38222")  # George Lucas, "American film producer"
