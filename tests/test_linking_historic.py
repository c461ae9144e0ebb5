"""A country named in a dated article is the state that existed at that date (``kgbuild.linking.periods``), on the
bundled KB and the built-in German pipeline; sentences written for these tests."""
from __future__ import annotations

import datetime as dt
from dataclasses import replace

from conftest import links_in
from typer.testing import CliRunner

from kgbuild.linking.periods import at_date, state_at
from kgbuild.read import article_from_text
from kgbuild.types import Candidate, Mention

TALKS = "Deutschland und Frankreich verhandelten gestern in Berlin über neue Zölle auf Getreide."


def test_country_in_an_old_article_is_the_state_of_that_time(builtin_pipe):
    got = links_in(builtin_pipe, TALKS, "1911-05-02")
    assert got["Deutschland"] == "Q43287"  # German Empire (1871–1918)
    assert got["Frankreich"] == "Q70802"  # French Third Republic (1870–1940)
    assert got["Berlin"] == "Q64"  # a city stays the city


def test_the_state_keeps_its_own_label(builtin_pipe):
    result = builtin_pipe.process(article_from_text(TALKS, id="t", lang="de", published="1911-05-02"))
    assert result.entity("Q43287").label != "Deutschland"  # not the modern country's name that matched


def test_state_changes_with_the_date(builtin_pipe):
    assert links_in(builtin_pipe, TALKS, "1929-03-01")["Deutschland"] == "Q41304"  # Weimar Republic
    assert links_in(builtin_pipe, TALKS, "1938-03-01")["Deutschland"] == "Q7318"  # Nazi Germany


def test_boundary_year_goes_to_the_state_that_began_in_it(builtin_pipe):
    assert links_in(builtin_pipe, TALKS, "1933-07-01")["Deutschland"] == "Q7318"  # not the Weimar Republic (1918-1933)


def test_modern_or_undated_article_keeps_the_modern_country(builtin_pipe):
    assert links_in(builtin_pipe, TALKS, "2024-05-02")["Deutschland"] == "Q183"
    assert links_in(builtin_pipe, TALKS, None)["Deutschland"] == "Q183"
    assert links_in(builtin_pipe, TALKS, None)["Frankreich"] == "Q142"


def test_two_states_of_one_country_at_the_date_keep_the_modern_country(builtin_pipe, kb):
    assert state_at(kb, "Q183", 1970) is None  # East and West Germany (1949–1990)
    assert links_in(builtin_pipe, TALKS, "1970-05-02")["Deutschland"] == "Q183"


def test_state_of_fewer_modern_countries_wins(builtin_pipe, kb):
    # Ungarn in 1911: the Kingdom of Hungary, not Austria-Hungary (an earlier form of Austria and Hungary)
    assert state_at(kb, "Q28", 1911)[0] == "Q171150"
    got = links_in(builtin_pipe, "Oesterreich und Ungarn schlossen einen Handelsvertrag mit Italien.", "1911-07-01")
    assert (got["Oesterreich"], got["Ungarn"], got["Italien"]) == ("Q28513", "Q171150", "Q172579")


def test_historic_state_outside_its_period_becomes_the_state_its_name_can_mean_then(kb):
    # "German Reich" is a name of the German Empire (1871–1918) and of the Weimar Republic (1918–1933)
    cands = (Candidate("Q43287", "German Reich", "alias", 0.45, "LOC", "en", 0.8),
             Candidate("Q41304", "German Reich", "alias", 0.45, "LOC", "en", 0.1))
    m = Mention(4, 16, "German Reich", "LOC", "kb", 0, kind="alias", entity_key="Q43287", confidence=0.8,
                candidates=cands)
    [later] = at_date([m], kb, dt.date(1926, 9, 8))
    assert (later.entity_key, later.confidence, later.candidates[0].qid) == ("Q41304", 0.8, "Q41304")
    assert dict(later.candidates[0].features)["period_rule"] == 1.0
    assert at_date([m], kb, dt.date(1900, 1, 1))[0].entity_key == "Q43287"
    alone = replace(m, candidates=cands[:1])  # a name only of the German Empire stays it
    assert at_date([alone], kb, dt.date(1926, 9, 8))[0].entity_key == "Q43287"


def test_historic_state_that_is_the_only_reading_of_its_name_stays(builtin_pipe):
    assert links_in(builtin_pipe, "Die Sowjetunion zerfiel vor über dreißig Jahren.", "2024-01-10")["Sowjetunion"] == "Q15180"
    assert links_in(builtin_pipe, "Das Deutsche Kaiserreich ging 1918 unter.", "1926-09-08")["Deutsche Kaiserreich"] == "Q43287"


def test_link_explain_says_when_the_period_rule_decided():
    from kgbuild.cli import app

    out = CliRunner().invoke(app, ["link", "--lang", "de", "--explain", "--model", "builtin", "--date", "1911-05-02",
                                   TALKS])
    assert out.exit_code == 0, out.output
    assert "Q43287" in out.output and "period rule: published 1911" in out.output and "(1871–1918)" in out.output
    plain = CliRunner().invoke(app, ["link", "--lang", "de", "--explain", "--model", "builtin", TALKS])
    assert "period rule" not in plain.output and "Q43287" not in plain.output


def test_date_reaches_the_linker_through_the_spacy_components():
    import spacy

    nlp = spacy.blank("de")
    nlp.add_pipe("sentencizer")
    nlp.add_pipe("kgbuild_mentions")
    nlp.add_pipe("kgbuild_linker")
    doc = nlp.make_doc(TALKS)
    doc._.kgbuild_published = dt.date(1911, 5, 2)
    for _, proc in nlp.pipeline:
        doc = proc(doc)
    assert {s.text: s.kb_id_ for s in doc.spans["kgbuild"]}["Deutschland"] == "Q43287"
