"""Namesakes of a big KB (issue 13, bigkb, tenth round): a reading that nothing in the document supports and that is
not ten times as popular gives way to one the document supports, and a place's noun ("the coastal city X") rules
out every reading that is no place. A small KB built here: real QIDs for the real entities, made-up ones in a range
Wikidata does not use (Q9000000000 up) for the namesakes, shaped as a big KB's are (a minor person, a film, a
company of the name, with a generic description and a handful of sitelinks' prior). Sentences written for these
tests; the statistical NER is simulated (``ents`` set by the test)."""
from __future__ import annotations

import pytest
from conftest import find_with_ner

from kgbuild.kb import SQLiteKB
from kgbuild.kb.records import build_sqlite, write_records
from kgbuild.linking import link
from kgbuild.linking.features import FEATURE_NAMES
from kgbuild.linking.namesakes import DECADE_PRIOR, dominated, place_kind_misfit
from kgbuild.types import Candidate


def _rec(qid: str, etype: str, prior: float, label: str, desc: str, classes=(), claims=None, names=()) -> dict:
    return {"qid": qid, "type": etype, "prior": prior, "classes": list(classes), "claims": claims or {},
            "labels": {"en": label}, "descriptions": {"en": desc},
            "names": [[label, "label", "en"], *names]}


RECORDS = [
    _rec("Q183", "LOC", 0.95, "Germany", "country in Central Europe", ["Q6256"]),
    _rec("Q1199", "LOC", 0.62, "Hesse", "state of Germany", ["Q1221156"], {"P17": ["Q183"]}),
    _rec("Q2973", "LOC", 0.48, "Darmstadt", "city in Hesse, Germany", ["Q515"], {"P17": ["Q183"], "P131": ["Q1199"]}),
    _rec("Q1794", "LOC", 0.7, "Frankfurt", "city in Hesse, Germany", ["Q515"], {"P17": ["Q183"], "P131": ["Q1199"]}),
    # a person of that surname, more popular than the city (but not ten times), with nothing in the text for him
    _rec("Q9000000001", "PER", 0.62, "Konrad Darmstadt", "person", ["Q5"], {"P27": ["Q183"]},
         [["Darmstadt", "surname", None]]),
    _rec("Q16186", "LOC", 0.37, "Imperia", "province in IT", [], {"P17": ["Q38"]}),
    _rec("Q38", "LOC", 0.95, "Italy", "country in Southern Europe", ["Q6256"]),
    _rec("Q9000000002", "MISC", 0.28, "Imperia", "film", ["Q11424"]),
    _rec("Q40", "LOC", 0.95, "Austria", "country in Central Europe", ["Q6256"], names=[["Österreich", "label", "de"]]),
    _rec("Q1741", "LOC", 0.9, "Vienna", "capital of Austria", ["Q5119"], {"P17": ["Q40"]}, [["Wien", "label", "de"]]),
    _rec("Q504762", "LOC", 0.3, "Pottenstein", "town in Bavaria, Germany", ["Q515"], {"P17": ["Q183"]}),
    _rec("Q693530", "LOC", 0.2, "Pottenstein", "municipality in Lower Austria", ["Q515"], {"P17": ["Q40"]}),
    # a dozen more popular places of the name elsewhere: the village of the article's country is not among the ten
    # a look-up of the name returns first
    *(_rec(f"Q90000001{k:02d}", "LOC", 0.29, "Pottenstein", "human settlement", ["Q486972"], {"P17": ["Q38"]})
      for k in range(12)),
]


@pytest.fixture(scope="module")
def kb(tmp_path_factory):
    path = tmp_path_factory.mktemp("bigkb")
    records = path / "r.tsv.xz"
    write_records(records, {}, RECORDS, ["Konrad"])
    base = SQLiteKB(build_sqlite(records, path / "kb.sqlite"))
    yield base
    base.close()


def linked(nlp, kb, text: str, ner: list[tuple[str, str]]) -> dict:
    out, _ = link(find_with_ner(nlp, kb, text, "en", ner), kb, "en", text=text)
    return {m.text: m for m in out}


def test_a_city_the_document_supports_over_a_more_popular_person_of_its_name(nlp_en, kb):
    text = "Frankfurt and the rest of Hesse voted on Sunday, and the ballots of Darmstadt were counted late into the night."
    found = linked(nlp_en, kb, text, [("Frankfurt", "GPE"), ("Hesse", "GPE")])
    assert found["Darmstadt"].candidates[-1].qid == "Q9000000001"  # set aside, scored 0
    assert found["Darmstadt"].entity_key == "Q2973"


def test_a_namesake_keeps_its_chance_when_the_document_says_nothing_for_either():
    prior, exact = FEATURE_NAMES.index("prior"), FEATURE_NAMES.index("exact_case")

    def vec(**values: float) -> list[float]:
        v = [0.0] * len(FEATURE_NAMES)
        for name, value in values.items():
            v[FEATURE_NAMES.index(name)] = value
        return v

    city, person = vec(prior=0.48, coherence=1.0, exact_case=1.0), vec(prior=0.62, exact_case=1.0)
    assert dominated(person, city, 0.0, 1.0)  # the document relates to the city, nothing to the person
    assert not dominated(person, city, 0.0, 0.0)  # only through a country: no evidence in a big KB
    assert not dominated(city, person, 1.0, 0.0)
    famous = list(person)
    famous[prior] = city[prior] + DECADE_PRIOR + 0.01  # ten times as popular: popularity speaks for it
    assert not dominated(famous, city, 0.0, 1.0)
    written = list(person)
    written[exact], city[exact] = 1.0, 0.0  # the name as written speaks for it ("AP", not "A.P.")
    assert not dominated(written, city, 0.0, 1.0)


def test_a_place_noun_rules_out_a_film_of_the_name(nlp_en, kb):
    text = "She grew up in the coastal city Imperia before she moved north to Turin."
    found = linked(nlp_en, kb, text, [("Imperia", "GPE")])
    assert found["Imperia"].entity_key not in ("Q9000000002", "Q16186")
    assert not (found["Imperia"].entity_key or "").startswith("Q")


def test_a_regions_noun_alone_may_qualify_an_institution():
    court = Candidate("Q1", "Supreme Court", "label", 0.5, "ORG")
    assert not place_kind_misfit(None, court, "region")  # "the state Supreme Court"
    assert place_kind_misfit(None, court, "region", of=True)  # "the state of Supreme Court": no place, no court
    assert place_kind_misfit(None, Candidate("Q2", "Imperia", "label", 0.3, "MISC"), "city")


def test_the_village_of_the_articles_country_among_dozens_of_its_name(nlp_de, kb):
    text = "Das Hochwasser sperrte die Straßen um Wien, in Pottenstein trat der Fluss über die Ufer. Österreich half."
    found = {m.text: m for m in link(find_with_ner(nlp_de, kb, text, "de", [("Wien", "LOC"), ("Pottenstein", "LOC"),
                                                                             ("Österreich", "LOC")]), kb, "de",
                                     text=text)[0]}
    assert found["Pottenstein"].entity_key == "Q693530"
