"""The linker on the error classes of issue 13, with sentences written for these tests and a small KB.

Boundaries (a place inside a longer name, "City, State", nested spans), acronyms the document defines,
surnames alone, sentence cues and descriptions as features, NIL and the threshold, the weights file, and
``kgbuild link --explain``."""
from __future__ import annotations

import json

import pytest
from conftest import MemoryKB
from typer.testing import CliRunner

from kgbuild.linking import LinkerConfig, link, link_with_scores
from kgbuild.linking.features import FEATURE_NAMES, DocContext, features, fine_kinds
from kgbuild.linking.model import LinkerModelError, load_model
from kgbuild.mentions import _drop_nested
from kgbuild.pipeline import Pipeline
from kgbuild.read import article_from_text
from kgbuild.types import Candidate, Entity, Mention


def _kb() -> MemoryKB:
    entities = [
        ("Q90", "LOC", 0.9, {"en": "Paris"}), ("Q30", "LOC", 1.0, {"en": "United States"}),
        ("Q828", "LOC", 0.8, {"en": "Americas"}), ("Q145", "LOC", 1.0, {"en": "United Kingdom"}),
        ("Q43788", "LOC", 0.55, {"en": "Madison"}), ("Q1537", "LOC", 0.6, {"en": "Wisconsin"}),
        ("Q19725706", "PER", 0.3, {"en": "Madison Smith"}),
        ("Q6106", "LOC", 0.6, {"en": "Portland"}), ("Q49179", "LOC", 0.4, {"en": "Portland"}),
        ("Q824", "LOC", 0.7, {"en": "Oregon"}), ("Q724", "LOC", 0.6, {"en": "Maine"}),
        ("Q40970", "ORG", 0.6, {"en": "International Olympic Committee"}),
        ("Q1571447", "ORG", 0.55, {"en": "International Olive Council"}),
        ("Q21", "LOC", 0.9, {"en": "England"}), ("Q47762", "ORG", 0.5, {"en": "England national football team"}),
        ("Q25", "LOC", 0.8, {"en": "Wales"}),
        ("Q142", "LOC", 1.0, {"en": "France"}),
        ("Q3057287", "PER", 0.3, {"en": "Freddie Mitchell"}), ("Q567", "PER", 0.9, {"en": "Angela Merkel"}),
    ]
    names = [
        ("Paris", "Q90", "label", "en"), ("France", "Q142", "label", "en"), ("America", "Q30", "alias", "en"), ("Americas", "Q828", "label", "en"),
        ("British", "Q145", "demonym", "en"), ("United Kingdom", "Q145", "label", "en"),
        ("Madison", "Q43788", "label", "en"), ("Madison", "Q19725706", "surname", "en"),
        ("Wisconsin", "Q1537", "label", "en"), ("Portland", "Q6106", "label", "en"),
        ("Portland", "Q49179", "label", "en"), ("Oregon", "Q824", "label", "en"), ("Maine", "Q724", "label", "en"),
        ("International Olympic Committee", "Q40970", "label", "en"),
        ("International Olive Council", "Q1571447", "label", "en"), ("IOC", "Q1571447", "short", None),
        ("England", "Q21", "label", "en"), ("England", "Q47762", "alias", "en"), ("Wales", "Q25", "label", "en"),
        ("Mitchell", "Q3057287", "surname", "en"), ("Merkel", "Q567", "surname", "de"),
        ("Angela Merkel", "Q567", "label", "de"),
    ]
    claims = {"Q90": {"Q142"}, "Q43788": {"Q1537", "Q30"}, "Q6106": {"Q824", "Q30"}, "Q49179": {"Q724", "Q30"},
              "Q1537": {"Q30"}, "Q824": {"Q30"}, "Q724": {"Q30"}}
    kb = MemoryKB(entities, names, given={"Rishi"}, claims=claims)
    descriptions = {"Q47762": {"en": "men's national association football team representing England"},
                    "Q21": {"en": "country in north-west Europe, part of the United Kingdom"},
                    "Q40970": {"en": "sports governing body"}, "Q1571447": {"en": "intergovernmental organisation"}}
    classes = {"Q47762": ("Q6979593",), "Q21": ("Q3336843",), "Q142": ("Q6256",)}
    for qid in set(descriptions) | set(classes):
        e = kb.entities[qid]
        kb.entities[qid] = Entity(e.qid, e.type, e.prior, e.labels, descriptions.get(qid, {}), classes.get(qid, ()))
    return kb


@pytest.fixture(scope="module")
def pipe():
    return Pipeline(kb=_kb(), model="builtin")


def _links(p, text, lang="en"):
    result = p.process(article_from_text(text, id="t", lang=lang))
    return {(m.text, m.entity_key) for m in result.mentions}, result


# --- spurious: a place inside a longer name is not linked on its own

def test_place_inside_event_name_is_not_linked(pipe):
    links, _ = _links(pipe, "Investigators reopened the files on the Paris attacks last week.")
    assert not any(key == "Q90" for _, key in links)


def test_place_inside_longer_capitalised_name_is_not_linked(pipe):
    links, _ = _links(pipe, "Exports to Latin America grew, the ministry reported.")
    assert not any(key == "Q30" for _, key in links)
    links, _ = _links(pipe, "The company opened an office in America last year.")
    assert ("America", "Q30") in links  # alone it is the place


def test_nationality_inside_organisation_name_is_not_linked_but_before_a_role_it_is(pipe):
    links, _ = _links(pipe, "Forecasters at the British Met Office expect heavy rain.")
    assert not any(key == "Q145" for _, key in links)
    links, _ = _links(pipe, "Yesterday the British Prime Minister Rishi Sunak flew home.")
    assert ("British", "Q145") in links


def test_nested_spans_are_never_kept_twice():
    outer = Mention(0, 20, "Bank of Newtonshire", "ORG", "ner")
    inner = Mention(8, 20, "Newtonshire", "LOC", "kb")
    apart = Mention(25, 30, "Mainz", "LOC", "kb")
    assert _drop_nested([inner, outer, apart]) == [outer, apart]


# --- missed / wrong QID: "City, State" is one place, the one that lies in that state

def test_city_state_is_one_mention_of_the_city(pipe):
    links, _ = _links(pipe, "She grew up in Madison, Wisconsin and studied law.")
    assert ("Madison, Wisconsin", "Q43788") in links
    assert not any(text == "Wisconsin" for text, _ in links)


def test_city_country_stays_two_mentions(pipe):
    links, _ = _links(pipe, "The summit opened in Paris, France on Monday.")
    assert ("Paris", "Q90") in links and ("France", "Q142") in links


def test_city_state_chooses_the_same_name_place_in_that_state(pipe):
    links, _ = _links(pipe, "The ferry left Portland, Maine on Sunday morning.")
    assert ("Portland, Maine", "Q49179") in links  # not the more popular Portland in Oregon
    links, _ = _links(pipe, "The train left Portland, Oregon on Sunday morning.")
    assert ("Portland, Oregon", "Q6106") in links


# --- wrong QID: an acronym is resolved by the document first

def test_acronym_resolved_by_the_long_form_in_the_document(pipe):
    text = ("The International Olympic Committee (IOC) met on Monday in a hotel by the lake. "
            "Later the IOC said it would decide in spring.")
    links, _ = _links(pipe, text)
    assert ("IOC", "Q40970") in links


def test_acronym_without_long_form_falls_back_to_the_prior(pipe):
    links, _ = _links(pipe, "Delegates of the IOC met on Monday in a hotel by the lake.")
    assert ("IOC", "Q1571447") in links


# --- wrong QID: a surname alone is not some namesake

def test_obscure_surname_alone_stays_unlinked_famous_one_links(pipe):
    links, _ = _links(pipe, "In the second half Mitchell scored twice from close range.")
    assert not any(key == "Q3057287" for _, key in links)
    links, _ = _links(pipe, "Am Abend sagte Merkel, die Gespräche gingen weiter.", lang="de")
    assert ("Merkel", "Q567") in links


# --- context: sentence cues and descriptions are features of the candidates

def test_sentence_cues_and_descriptions_point_to_the_team():
    kb = _kb()
    text = "England beat Wales 2-0 in the qualifier, and the coach praised the national team's defence."
    m = Mention(0, 7, "England", "LOC", "kb", 0, kind="label", candidates=tuple(kb.lookup("England", "en")))
    ctx = DocContext.build([m], kb, "en", text)
    team = next(c for c in m.candidates if c.qid == "Q47762")
    land = next(c for c in m.candidates if c.qid == "Q21")
    assert "club" in fine_kinds(kb.entity("Q47762"), team)
    f_team = dict(zip(FEATURE_NAMES, features(m, team, ctx, m.candidates, 0), strict=False))
    f_land = dict(zip(FEATURE_NAMES, features(m, land, ctx, m.candidates, 0), strict=False))
    assert f_team["cue_fit"] == 1.0 and f_land["cue_fit"] == 0.0
    assert f_team["description_overlap"] > f_land["description_overlap"]


def test_coherence_and_country_come_from_confident_links():
    kb = _kb()
    ms = [Mention(0, 9, "Wisconsin", "LOC", "kb", 0, kind="label", candidates=tuple(kb.lookup("Wisconsin", "en"))),
          Mention(14, 21, "Madison", "LOC", "kb", 0, kind="label", candidates=tuple(kb.lookup("Madison", "en")))]
    ctx = DocContext.build(ms, kb, "en", "Wisconsin and Madison")
    ctx.set_context({"Q1537"}, ["Q1537"])
    city = next(c for c in ms[1].candidates if c.qid == "Q43788")
    person = next(c for c in ms[1].candidates if c.qid == "Q19725706")
    assert dict(zip(FEATURE_NAMES, features(ms[1], city, ctx, ms[1].candidates, 1), strict=False))["coherence"] > 0
    assert dict(zip(FEATURE_NAMES, features(ms[1], person, ctx, ms[1].candidates, 1), strict=False))["coherence"] == 0


# --- NIL and confidence

def test_confidence_is_the_calibrated_probability_and_the_threshold_makes_nil(pipe):
    kb = _kb()
    m = Mention(0, 5, "Paris", "LOC", "kb", 0, kind="label", candidates=tuple(kb.lookup("Paris", "en")))
    [linked], _, scores = link_with_scores([m], kb, "en", text="Paris is quiet.")
    probability, classes = scores[0]
    assert linked.entity_key == "Q90" and probability == pytest.approx(linked.candidates[0].score, abs=1e-3)
    assert linked.confidence == pytest.approx(round(min(load_model().confidence(probability, classes), 0.99), 3))
    assert 0.0 < linked.confidence < 1.0
    [strict], _ = link([m], kb, "en", LinkerConfig(nil_threshold=0.999), text="Paris is quiet.")
    assert strict.entity_key == "nil:LOC:paris"


def test_bad_weights_file_is_one_clear_error(tmp_path):
    bad = tmp_path / "w.json"
    bad.write_text("{not json", encoding="utf-8")
    with pytest.raises(LinkerModelError, match="w.json"):
        load_model(bad)
    good = tmp_path / "g.json"
    good.write_text(json.dumps({"weights": {"bias": 1.0}, "threshold": 0.7}), encoding="utf-8")
    model = load_model(good)
    assert model.threshold == 0.7 and model.probability([1.0] + [0.0] * (len(FEATURE_NAMES) - 1)) > 0.7


def test_shipped_weights_are_calibrated_probabilities():
    model = load_model()
    assert 0.0 < model.threshold < 1.0
    assert set(FEATURE_NAMES) >= {"prior", "coherence", "cue_fit", "doc_acronym"}


def test_link_explain_shows_features_and_scores(tmp_path):
    from kgbuild.cli import app

    out = CliRunner().invoke(app, ["link", "--lang", "de", "--explain", "--model", "builtin",
                                   "Wladimir Putin reiste nach Nordkorea."])
    assert out.exit_code == 0, out.output
    assert "Q7747" in out.output and "p=" in out.output and "prior=" in out.output and "= bias " in out.output
    data = CliRunner().invoke(app, ["link", "--lang", "de", "--explain", "--json", "--model", "builtin",
                                    "Wladimir Putin reiste nach Nordkorea."])
    cands = [c for m in json.loads(data.output)["mentions"] for c in m["candidates"]]
    assert any(c["qid"] == "Q7747" and "prior" in c["features"] for c in cands)


def test_candidate_features_only_when_explaining():
    kb = _kb()
    m = Mention(0, 5, "Paris", "LOC", "kb", 0, kind="label", candidates=(Candidate("Q90", "Paris", "label", 0.9, "LOC", "en"),))
    [plain], _ = link([m], kb, "en", text="Paris")
    [shown], _ = link([m], kb, "en", LinkerConfig(explain=True), text="Paris")
    assert "prior" not in dict(plain.candidates[0].features) and dict(shown.candidates[0].features)["prior"] == 0.9


def test_sentence_bounds_around_mentions():
    """A mention's sentence runs from just after the last sentence mark before it to the first one after it; a
    text without marks is one sentence."""
    from kgbuild.linking.features import _sentence_bounds as bounds

    text = "Scholz flew out. He met Macron in Paris! Then home?\nDone"
    at = {w: text.index(w) for w in ("Scholz", "Macron", "Paris", "home", "Done")}
    mentions = [Mention(text=w, start=i, end=i + len(w), type="PER", sentence=s, source="ner")
                for (w, i), s in zip(at.items(), (0, 1, 1, 2, 3), strict=True)]
    got = bounds(mentions, text)
    assert got[0] == (0, text.index(". ") + 1)
    assert got[1] == (text.index(". ") + 1, text.index("! ") + 1)
    assert got[2] == (text.index("! ") + 1, text.index("\n") + 1)  # "?" then a newline: the newline ends it
    assert got[3] == (text.index("\n") + 1, len(text))
    plain = "word " * 50 + "Merkel " + "word " * 50
    one = Mention(text="Merkel", start=plain.index("Merkel"), end=plain.index("Merkel") + 6, type="PER",
                  sentence=0, source="ner")
    assert bounds([one], plain) == {0: (0, len(plain))}
