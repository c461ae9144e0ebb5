"""General news written for issue 13's error classes (``tests/data/news_probe``: English and German paragraphs of
sport, business, science and local news, written for kgbuild, no benchmark's): each test reads the links of such
sentences with the bundled KB and the built-in pipeline."""
from __future__ import annotations

import pytest
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


@pytest.fixture(scope="module")
def stat_pipe(kb):
    """The statistical pipeline (spaCy's NER), whose types the rules below correct."""
    from kgbuild.pipeline import Pipeline

    return Pipeline(kb=kb)


def _types(pipe, text: str, lang: str = "en") -> dict[str, tuple[str, str | None]]:
    from kgbuild.read import article_from_text

    result = pipe.process(article_from_text(text, id="t", lang=lang, published=None))
    return {m.text: (m.type, m.entity_key) for m in result.mentions}


def test_name_the_ner_took_for_an_organisation_that_speaks_is_a_person(stat_pipe):
    found = _types(stat_pipe, "Churchill said in 1940 that Britain would never surrender.")
    assert found.get("Churchill") == ("PER", "Q8016")  # was an unlinked organisation


def test_organisation_the_kb_knows_no_person_of_stays_one_when_it_speaks(stat_pipe):
    found = _types(stat_pipe, "Acme said on Monday it would close the plant in Ohio.")
    assert found.get("Acme", ("ORG",))[0] == "ORG"


def test_german_university_named_head_first_is_the_kb_university(stat_pipe):
    links = links_in(stat_pipe, "Forscher der Universität Heidelberg haben ein neues Verfahren zur Krebsdiagnose "
                                "entwickelt.", "2024-05-01")
    assert links.get("Universität Heidelberg") == "Q151510"  # the KB: "Heidelberg University"


def test_city_comma_state_is_one_place(builtin_pipe):
    links = links_en(builtin_pipe, "A tornado damaged dozens of homes near Denver, Colorado, on Tuesday night.")
    assert links.get("Denver, Colorado") == "Q16554" and "Colorado" not in links


def test_university_named_after_a_state_is_not_the_state(builtin_pipe):
    links = links_en(builtin_pipe, "The University of Alabama announced on Monday that it will build a new research "
                                   "centre in Tuscaloosa.")
    assert links.get("University of Alabama") == "Q492318" and "Alabama" not in links


def test_person_not_yet_grown_up_in_the_year_of_the_act_is_not_named(builtin_pipe):
    links = links_en(builtin_pipe, "Johnson met Khrushchev in Moscow in 1959.")
    assert links.get("Johnson") != "Q180589"  # Boris Johnson, born 1964


def test_year_in_another_clause_dates_no_act_of_the_name():
    from kgbuild.linking.dates import _EVENT_YEAR

    assert _EVENT_YEAR.match(" met Khrushchev in Moscow in 1959.", 0)
    assert not _EVENT_YEAR.match(" scored in the stadium, which was built in 1923.", 0)



def test_year_of_what_a_person_said_dates_no_act_of_the_person(builtin_pipe):
    links = links_en(builtin_pipe, "Johnson said the party had first won the seat in 1959.")
    assert links.get("Johnson") == "Q180589"


def test_german_capitalised_adjective_before_the_ner_name_is_part_of_it(stat_pipe):
    links = links_in(stat_pipe, "Das Internationale Olympische Komitee (IOC) hat die Winterspiele 2030 an die "
                                "französischen Alpen vergeben.", "2024-05-01")
    assert "Internationale Olympische Komitee" in links and "Olympische Komitee" not in links


def test_player_of_another_sport_is_not_the_scorer_of_a_goal(stat_pipe):
    links = links_en(stat_pipe, "Johnson scored the winning goal in the 89th minute as Sunderland beat Leeds United. "
                                "The midfielder, 23, joined the club from Nottingham Forest last summer.")
    assert links.get("Johnson") != "Q134183"  # Magic Johnson, a basketball player
    assert links.get("Sunderland") == "Q18739"


def test_sport_of_a_sentence_from_its_words():
    from kgbuild.linking.features import DocContext
    from kgbuild.linking.namesakes import _other_sport
    from kgbuild.types import Entity

    class _KB:
        def entity(self, qid):
            return Entity(qid, "PER", 0.5, {"en": qid}, {"en": {"A": "American basketball player",
                                                               "B": "English footballer"}[qid]})

    ctx = DocContext(_KB(), "en", "")  # type: ignore[arg-type]
    assert _other_sport(ctx, "A", frozenset({"scored", "goal"}))
    assert not _other_sport(ctx, "B", frozenset({"scored", "goal"}))
    assert not _other_sport(ctx, "A", frozenset({"scored", "points"}))  # no word of one sport


def test_place_whose_coach_is_named_is_its_team_not_the_place(builtin_pipe):
    links = links_en(builtin_pipe, "Alabama's football coach said the stadium renovation would start in the spring.")
    assert links.get("Alabama") != "Q173"  # the university's team, which the KB does not know
    links = links_en(builtin_pipe, "Alabama's governor signed the budget bill on Monday.")
    assert links.get("Alabama") == "Q173"
