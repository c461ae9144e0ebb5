"""A person born after a dated article, or an organisation founded after it, is no candidate
(``kgbuild.linking.dates``), on the bundled KB (its year claims, ``kgbuild.kb.years``) and the built-in German
pipeline; sentences written for these tests."""
from __future__ import annotations

import datetime as dt
import json
from dataclasses import replace

from conftest import links_in
from typer.testing import CliRunner

from kgbuild.kb.compile.model import Builder
from kgbuild.kb.compile.orgs import org_years
from kgbuild.kb.compile.people import life_years
from kgbuild.kb.years import BORN, DIED, INCEPTION, claimed_year, year_of
from kgbuild.linking import LinkerConfig, link
from kgbuild.linking.dates import DateRule, began_after
from kgbuild.read import article_from_text
from kgbuild.types import Candidate, Mention

# Gerhard Schröder (CDU, born 1910, a lawyer in Berlin in the 1930s, later federal minister) and Gerhard Schröder
# (SPD, born 1944, chancellor 1998-2005) share their name
MINISTER = "Der Rechtsanwalt Gerhard Schröder eröffnete am Dienstag in Berlin eine Kanzlei für Handelsrecht."
OLDER, YOUNGER = "Q60781", "Q2530"


def test_the_kb_has_years_of_birth_and_founding(kb):
    assert kb.entity(YOUNGER).claims[BORN] == ("1944",)
    assert kb.entity(OLDER).claims[BORN] == ("1910",)
    assert claimed_year(kb.entity("Q6721203").claims, INCEPTION) == 2013  # Alternative für Deutschland
    assert claimed_year(kb.entity("Q7184").claims, INCEPTION) == 1949  # NATO (SupraVerden)
    # years are no links between entities: no rows of the claims table (relatedness, claimants)
    assert not kb._query("SELECT 1 FROM claims WHERE prop IN ('P569', 'P570', 'P571', 'P576') LIMIT 1")


def test_a_namesake_born_later_is_not_meant(builtin_pipe):
    assert links_in(builtin_pipe, MINISTER, None)["Gerhard Schröder"] == YOUNGER  # the more popular namesake
    assert links_in(builtin_pipe, MINISTER, "2003-05-06")["Gerhard Schröder"] == YOUNGER
    assert links_in(builtin_pipe, MINISTER, "1944-05-06")["Gerhard Schröder"] == YOUNGER  # born that year: only the year counts
    assert links_in(builtin_pipe, MINISTER, "1936-05-06")["Gerhard Schröder"] == OLDER  # the younger was not born


def test_only_namesake_born_later_leaves_the_name_unlinked(builtin_pipe):
    text = "Der Bauer Johann Huber aus Leoben wurde gestern vor dem Gericht in Graz verurteilt."
    assert links_in(builtin_pipe, text, "2021-10-01")["Johann Huber"] == "Q40983433"  # Johannes Huber, MdB, born 1987
    assert links_in(builtin_pipe, text, "1926-10-01")["Johann Huber"] == "nil:PER:johann-huber"


def test_an_organisation_founded_later_is_not_meant(builtin_pipe):
    text = "Die Alternative für Deutschland forderte am Montag in Berlin niedrigere Steuern."
    assert links_in(builtin_pipe, text, "2019-03-04")["Alternative für Deutschland"] == "Q6721203"
    assert links_in(builtin_pipe, text, "1990-03-04")["Alternative für Deutschland"] != "Q6721203"  # founded 2013


def test_born_in_the_year_of_the_article_stays(kb):
    assert began_after(kb, YOUNGER, 1944) is None
    assert began_after(kb, YOUNGER, 1943) == (BORN, 1944)
    assert began_after(kb, "Q64", 1000) is None  # a place: the periods of historic states are another rule


def test_rule_takes_candidates_away_and_remembers_them(kb):
    cands = (Candidate(YOUNGER, "Gerhard Schröder", "label", 0.59, "PER", "de"),
             Candidate(OLDER, "Gerhard Schröder", "label", 0.46, "PER", "de"))
    m = Mention(0, 16, "Gerhard Schröder", "PER", "kb", 0, candidates=cands)
    undated = DateRule(kb, None)
    assert undated.apply([m]) == [m] and not undated.dropped
    rule = DateRule(kb, dt.date(1936, 1, 1))
    [kept] = rule.apply([m])
    assert [c.qid for c in kept.candidates] == [OLDER]
    assert rule.apply([kept]) == [kept]  # applied again (after more candidates came): nothing more
    [shown] = rule.shown([kept])
    assert [c.qid for c in shown.candidates] == [OLDER, YOUNGER]
    assert dict(shown.candidates[1].features) == {"date_rule": 1.0, "published_year": 1936.0, "born": 1944.0}


def test_explain_lists_the_candidate_the_date_ruled_out(kb, builtin_pipe):
    mentions = builtin_pipe.process(article_from_text(MINISTER, id="t", lang="de")).mentions
    unlinked = [replace(m, entity_key=None, confidence=0.0) for m in mentions]
    plain, _ = link(unlinked, kb, "de", text=MINISTER, published=dt.date(1936, 5, 6))
    explained, _ = link(unlinked, kb, "de", LinkerConfig(explain=True), text=MINISTER, published=dt.date(1936, 5, 6))
    person = next(m for m in explained if m.text == "Gerhard Schröder")
    assert person.entity_key == OLDER
    assert dict(person.candidates[-1].features)["date_rule"] == 1.0 and person.candidates[-1].qid == YOUNGER
    assert [m.entity_key for m in plain] == [m.entity_key for m in explained]  # explaining decides nothing
    assert all(c.qid != YOUNGER for m in plain for c in m.candidates)


def test_cli_explain_shows_the_date_rule():
    from kgbuild.cli import app

    res = CliRunner().invoke(app, ["link", MINISTER, "--lang", "de", "--model", "builtin", "--explain",
                                   "--date", "1936-05-06"])
    assert res.exit_code == 0, res.output
    assert "date rule: published 1936, born 1944" in res.output
    res = CliRunner().invoke(app, ["link", MINISTER, "--lang", "de", "--model", "builtin", "--explain", "--json",
                                   "--date", "1936-05-06"])
    person = next(m for m in json.loads(res.output)["mentions"] if m["text"] == "Gerhard Schröder")
    assert person["entity"] == OLDER
    ruled_out = next(c for c in person["candidates"] if c["qid"] == YOUNGER)
    assert ruled_out["features"]["date_rule"] == 1.0 and ruled_out["confidence"] == 0.0 and ruled_out["score"] == 0.0


def test_year_claims_from_source_values():
    assert life_years(["1949-05-02", "1950-01-01"], "2001-12-24") == {BORN: ["1949", "1950"], DIED: ["2001"]}
    assert life_years(None, "") == {}
    assert org_years("1945", None) == {INCEPTION: ["1945"]} and org_years("", "n/a") == {}
    assert year_of("+1952-10-07T00:00:00Z") == 1952 and year_of("-0044-03-15") == -44 and year_of("1985-") is None
    b = Builder()
    b.add("Q1000001", "a", "PER", claims=life_years(["1950-03-01", "1949-07-01"], ["2001", "1999"]))
    b.add("Q1000002", "a", "ORG", claims=org_years("1949", "1990"))
    b.add("Q1000002", "b", claims=org_years("1945", "1991"))
    b.add("Q1000003", "a", "LOC", claims=org_years("1887"))  # a party's QID that is a place in another source
    assert b.settle_years() == 4  # claims that had several values
    assert INCEPTION not in b.recs["Q1000003"].claims
    assert b.recs["Q1000001"].claims[BORN] == {"1949"} and b.recs["Q1000001"].claims[DIED] == {"2001"}
    assert b.recs["Q1000002"].to_dict()["claims"] == {"P571": ["1945"], "P576": ["1991"]}


def _time(time: str, precision: int, rank: str = "normal") -> dict:
    """A statement with a time value as Wikidata JSON writes it."""
    return {"rank": rank, "mainsnak": {"snaktype": "value", "datavalue": {"type": "time", "value": {
        "time": time, "timezone": 0, "before": 0, "after": 0, "precision": precision,
        "calendarmodel": "http://www.wikidata.org/entity/Q1985727"}}}}


def test_wikidata_json_gives_years_of_persons_and_organisations():
    from kgbuild.kb.wikidata_json import entity_record

    human = {"statements": [{"rank": "normal", "mainsnak": {"snaktype": "value", "datavalue": {
        "type": "wikibase-entityid", "value": {"entity-type": "item", "id": "Q5", "numeric-id": 5}}}}]}
    person = {"id": "Q1000001", "type": "item", "labels": {"en": {"language": "en", "value": "Anna Beispiel"}},
              "claims": {"P31": human["statements"],
                         "P569": [_time("+1950-00-00T00:00:00Z", 8), _time("+1952-03-11T00:00:00Z", 11),
                                  _time("+1949-01-01T00:00:00Z", 11, "deprecated")],
                         "P570": [_time("+2001-05-11T00:00:00Z", 11)],
                         "P571": [_time("+1990-00-00T00:00:00Z", 9)]}}
    rec = entity_record(person)
    assert rec["type"] == "PER"
    # the decade and the deprecated value are left out; a person has no inception
    assert {p: v for p, v in rec["claims"].items() if p.startswith("P5")} == {BORN: ["1952"], DIED: ["2001"]}


def test_a_person_of_the_wikidata_fixtures_has_a_year_of_birth(kb):
    assert kb.entity("Q7747").claims[BORN] == ("1952",)  # Vladimir Putin, from his Wikidata JSON
