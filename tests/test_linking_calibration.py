"""The calibrated confidence of links and the NIL policy (issue 13): ``kgbuild.linking.model.Calibration``, the
risk classes a link is calibrated by, the linker writing exactly the calibrated confidence, the NIL threshold on
it, ``kgbuild link --explain`` showing it, and the fitting code of ``scripts/train_linker.py`` on data whose
answer is known. Small KBs and sentences written for these tests."""
from __future__ import annotations

import datetime as dt
import json
import sys
from pathlib import Path

import numpy as np
import pytest
from conftest import MemoryKB
from typer.testing import CliRunner

from kgbuild.linking import LinkerConfig, candidate_confidence, link, link_with_scores
from kgbuild.linking.model import RISK_CLASSES, Calibration, LinkerModelError, load_model, logit, risk_classes, sigmoid
from kgbuild.types import Mention

ROOT = Path(__file__).resolve().parent.parent


def _kb() -> MemoryKB:
    return MemoryKB(
        [("Q90", "LOC", 0.9, {"en": "Paris"}), ("Q5001", "PER", 0.6, {"en": "Ilse Korvald"}),
         ("Q5002", "LOC", 0.5, {"en": "Ostmark"})],
        [("Paris", "Q90", "label", "en"), ("Ilse Korvald", "Q5001", "label", "en"),
         ("Korvald", "Q5001", "surname", "en"), ("Ostmark", "Q5002", "label", "en")])


def _weights(tmp_path: Path, name: str, confidence: dict, threshold: float = 0.3) -> str:
    """The shipped feature weights with another calibration of the confidence."""
    data = json.loads((ROOT / "kgbuild/data/linker/weights.json").read_text(encoding="utf-8"))
    data["confidence"] = confidence
    data["threshold"] = threshold
    path = tmp_path / name
    path.write_text(json.dumps(data), encoding="utf-8")
    return str(path)


def _mention(kb, text, word, type_="LOC", sentence=0):
    i = text.index(word)
    return Mention(i, i + len(word), word, type_, "kb", sentence, kind="label", candidates=tuple(kb.lookup(word, "en")))


# --- the calibration map

def test_confidence_rises_with_the_probability_in_every_class():
    cal = Calibration(0.6, 2.0, (("surname_alone", -1.5), ("short_text", -2.0), ("alias_of_earlier", 0.3)))
    probs = np.linspace(0.01, 0.99, 50)
    for classes in ([], ["surname_alone"], ["short_text", "surname_alone"], ["alias_of_earlier"]):
        conf = [cal.confidence(p, classes) for p in probs]
        assert all(b > a for a, b in zip(conf, conf[1:], strict=False)), classes
    # a class with a negative offset lowers the confidence, whatever the probability
    assert all(cal.confidence(p, ["surname_alone"]) < cal.confidence(p, []) for p in probs)
    # the same class twice counts once
    assert cal.confidence(0.7, ["short_text", "short_text"]) == cal.confidence(0.7, ["short_text"])


def test_without_a_calibration_the_confidence_is_the_probability():
    cal = Calibration()
    for p in (0.05, 0.37, 0.5, 0.93):
        assert cal.confidence(p, ["short_text", "english"]) == pytest.approx(p, abs=1e-9)
    assert sigmoid(logit(0.8)) == pytest.approx(0.8)


def test_a_calibration_that_falls_with_the_probability_is_refused(tmp_path):
    with pytest.raises(LinkerModelError, match="slope"):
        Calibration(slope=-0.5)
    with pytest.raises(LinkerModelError, match="NIL threshold"):
        Calibration(nil_threshold=1.5)
    with pytest.raises(LinkerModelError, match="NIL threshold"):
        Calibration(nil_by_class=(("short_text", -0.2),))
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"weights": {"bias": 1.0}, "confidence": {"slope": 0}}), encoding="utf-8")
    with pytest.raises(LinkerModelError, match="slope"):
        load_model(bad)


def test_shipped_weights_have_a_rising_calibration_and_known_classes():
    model = load_model()
    cal = model.calibration
    assert cal.slope > 0 and 0.0 <= cal.nil_threshold < 0.9
    assert {c for c, _ in cal.offsets} <= set(RISK_CLASSES)
    assert model.confidence(0.95) > model.confidence(0.6) > model.confidence(0.2)


def test_risk_classes_of_a_link():
    classes = risk_classes({"surname_alone": 1.0, "name_continues": 1.0, "prior": 0.4, "coherence": 0.5}, n_candidates=1,
                           alias_of_earlier=False, floor=True, text_length=120, lang="en",
                           published=dt.date(1906, 1, 25))
    assert classes == {"surname_alone", "name_continues", "floor", "single_candidate", "english", "old_article"}
    # a short text is one class, an old article another; an old short text is an old article
    assert "short_text" in risk_classes({}, n_candidates=2, alias_of_earlier=False, floor=False, text_length=120,
                                        lang="en", published=dt.date(2020, 1, 1))
    assert risk_classes({}, n_candidates=3, alias_of_earlier=True, floor=False, text_length=5000, lang="de",
                        published=dt.date(2024, 6, 18)) == {"alias_of_earlier"}


# --- the linker writes the calibrated confidence and applies the NIL threshold to it

def test_written_confidence_is_the_calibrated_one(tmp_path):
    weights = _weights(tmp_path, "w.json", {"slope": 0.7, "intercept": 0.4,
                                            "offsets": {"short_text": -1.2, "single_candidate": -0.3}})
    kb = _kb()
    text = "Paris is quiet today."
    linked, entities, scores = link_with_scores([_mention(kb, text, "Paris")], kb, "en",
                                                LinkerConfig(weights=weights), text=text)
    [m] = linked
    probability, classes = scores[0]
    assert "short_text" in classes and "single_candidate" in classes
    model = load_model(weights)
    assert m.entity_key == "Q90"
    assert m.confidence == pytest.approx(round(model.confidence(probability, classes), 3), abs=1e-9)
    assert m.confidence < probability  # the negative offsets of a short text and a single candidate
    assert entities[0].confidence == m.confidence
    # ... and it is what the graph says
    from kgbuild.pipeline import Pipeline
    from kgbuild.rdf import document_graph
    from kgbuild.rdf.vocab import ITSRDF
    from kgbuild.read import article_from_text
    pipe = Pipeline(kb=kb, model="builtin", linker=LinkerConfig(weights=weights))
    result = pipe.process(article_from_text(text, id="t", lang="en"))
    written = {float(o) for o in document_graph(result).objects(None, ITSRDF.taConfidence)}
    assert [m.confidence for m in result.mentions if m.entity_key == "Q90"][0] in written


def test_an_old_article_lowers_the_confidence(tmp_path):
    weights = _weights(tmp_path, "old.json", {"slope": 1.0, "intercept": 0.0, "offsets": {"old_article": -2.0}})
    kb = _kb()
    text = "Paris is quiet today."
    new, _ = link([_mention(kb, text, "Paris")], kb, "en", LinkerConfig(weights=weights), text=text,
                  published=dt.date(2024, 1, 1))
    old, _ = link([_mention(kb, text, "Paris")], kb, "en", LinkerConfig(weights=weights), text=text,
                  published=dt.date(1890, 1, 1))
    assert old[0].entity_key == new[0].entity_key == "Q90"
    assert old[0].confidence < new[0].confidence


def test_a_link_below_the_nil_threshold_stays_unlinked(tmp_path):
    kb = _kb()
    text = "Paris is quiet today."
    low = _weights(tmp_path, "low.json", {"slope": 1.0, "intercept": 0.0, "nil_threshold": 0.05})
    [kept], _ = link([_mention(kb, text, "Paris")], kb, "en", LinkerConfig(weights=low), text=text)
    assert kept.entity_key == "Q90" and kept.confidence >= 0.05
    # the same link, now below the calibration's NIL threshold: an unlinked entity of its name
    high = _weights(tmp_path, "high.json", {"slope": 1.0, "intercept": 0.0, "nil_threshold": 0.05,
                                            "offsets": {"short_text": -8.0}})
    [dropped], entities = link([_mention(kb, text, "Paris")], kb, "en", LinkerConfig(weights=high), text=text)
    assert dropped.entity_key == "nil:LOC:paris"
    assert not any(e.qid for e in entities)
    # a NIL threshold of the link's class only
    by_class = _weights(tmp_path, "cls.json", {"slope": 1.0, "intercept": 0.0, "nil_threshold": 0.0,
                                               "nil_by_class": {"short_text": 0.999}})
    [short], _ = link([_mention(kb, text, "Paris")], kb, "en", LinkerConfig(weights=by_class), text=text)
    assert short.entity_key == "nil:LOC:paris"
    long_text = text + " The mayor spoke about the weather, the river and the trains for a long while." * 8
    [kept_long], _ = link([_mention(kb, long_text, "Paris")], kb, "en", LinkerConfig(weights=by_class),
                          text=long_text)
    assert kept_long.entity_key == "Q90"
    # an explicit threshold is on the calibrated confidence too, and the only one
    [explicit], _ = link([_mention(kb, text, "Paris")], kb, "en", LinkerConfig(weights=low, nil_threshold=0.999),
                         text=text)
    assert explicit.entity_key == "nil:LOC:paris"


def test_a_short_name_of_a_dropped_full_name_is_dropped_too(tmp_path):
    kb = _kb()
    text = "Ilse Korvald spoke on Monday. Later Korvald left Ostmark."
    ms = [_mention(kb, text, "Ilse Korvald", "PER"), _mention(kb, text, "Korvald left", "PER", 1)]
    i = text.index("Korvald left")
    ms[1] = Mention(i, i + 7, "Korvald", "PER", "kb", 1, kind="surname", candidates=tuple(kb.lookup("Korvald", "en")))
    # the full name has one candidate; only it falls below the threshold (single_candidate), not the short name
    weights = _weights(tmp_path, "alias.json", {"slope": 1.0, "intercept": 0.0, "nil_threshold": 0.3,
                                                "offsets": {"single_candidate": -9.0, "alias_of_earlier": 9.0}})
    linked, _, scores = link_with_scores(ms, kb, "en", LinkerConfig(weights=weights), text=text)
    assert "alias_of_earlier" in scores[1][1]
    assert linked[0].entity_key == "nil:PER:ilse-korvald"
    assert not (linked[1].entity_key or "").startswith("Q")


# --- kgbuild link --explain

def test_explain_shows_each_candidates_calibrated_confidence():
    from kgbuild.cli import app

    text = "Wladimir Putin reiste nach Nordkorea."
    out = CliRunner().invoke(app, ["link", "--lang", "de", "--explain", "--model", "builtin", text])
    assert out.exit_code == 0, out.output
    assert "p=" in out.output and "conf=" in out.output
    data = json.loads(CliRunner().invoke(app, ["link", "--lang", "de", "--explain", "--json", "--model", "builtin",
                                               text]).output)
    model = load_model()
    for m in data["mentions"]:
        for c in m["candidates"]:
            assert 0.0 <= c["confidence"] <= 1.0 and "features" in c
        if m["entity"] == "Q7747":
            top = m["candidates"][0]
            assert top["qid"] == "Q7747"
            # the linked candidate's confidence is the one written for the mention
            assert top["confidence"] == pytest.approx(m["confidence"], abs=1e-3)
            assert top["confidence"] == pytest.approx(
                model.confidence(top["score"], risk_classes(top["features"], n_candidates=len(m["candidates"]),
                                                            alias_of_earlier=False, floor=False,
                                                            text_length=len(text), lang="de")), abs=1e-3)


def test_candidate_confidence_uses_the_floor_class_below_the_threshold(tmp_path):
    weights = _weights(tmp_path, "floor.json", {"slope": 1.0, "intercept": 0.0, "offsets": {"floor": -1.0}},
                       threshold=0.99)
    kb = _kb()
    text = "Paris is quiet today, said the mayor of the city in a long interview on the radio." * 8
    [m], _ = link([_mention(kb, text, "Paris")], kb, "en", LinkerConfig(weights=weights, explain=True), text=text)
    cand = m.candidates[0]
    model = load_model(weights)
    assert candidate_confidence(m, cand, model, text, "en") == pytest.approx(
        round(model.confidence(cand.score, {"floor", "single_candidate", "english"}), 3))


# --- fitting (scripts/train_linker.py) on data whose answer is known

@pytest.fixture(scope="module")
def trainer():
    sys.path.insert(0, str(ROOT / "scripts"))
    import train_linker
    return train_linker


def _synthetic(rng, n, offset_short):
    """Links whose chance of being right is sigmoid(1.5 * logit(p) + offset of a short text)."""
    recs = []
    for k in range(n):
        p = float(rng.uniform(0.05, 0.99))
        short = bool(rng.random() < 0.4)
        truth = sigmoid(1.5 * logit(p) + (offset_short if short else 0.0))
        recs.append({"set": "kore50" if short else "examples", "p": p,
                     "classes": frozenset({"short_text"} if short else set()),
                     "ok": bool(rng.random() < truth), "fold": k % 5})
    return recs


def test_fitted_calibration_finds_a_risky_class_and_rises(trainer):
    recs = _synthetic(np.random.default_rng(7), 1500, -2.0)
    cal, info = trainer.fit_calibration(recs)
    offsets = dict(cal.offsets)
    assert cal.slope == pytest.approx(1.5, abs=0.4)
    assert offsets["short_text"] == pytest.approx(-2.0, abs=0.6)
    assert info["l2"] in trainer.CAL_L2_GRID
    # a class no link has keeps no offset (shrunk to 0)
    assert abs(offsets.get("old_article", 0.0)) < 1e-3


def test_nil_threshold_never_drops_a_right_link_of_the_examples(trainer):
    rng = np.random.default_rng(3)
    recs = _synthetic(rng, 800, -2.5)
    cal, _ = trainer.fit_calibration(recs)
    gold = {"kore50": 400, "examples": 500}
    free, _, info = trainer.choose_nil(recs, cal, gold, 0.95, [])
    # an example's right link at a low confidence bounds the threshold
    weak = {"set": "examples", "p": 0.08, "classes": frozenset(), "ok": True, "fold": 0}
    bounded, _, info2 = trainer.choose_nil(recs + [weak], cal, gold, 0.95, [])
    assert bounded <= cal.confidence(0.08, ()) + 1e-9 < free
    assert info2["nil_examples_bound"] <= cal.confidence(0.08, ())


def test_nil_by_class_is_chosen_for_the_risky_kind_of_text_only(trainer):
    rng = np.random.default_rng(11)
    recs = [{**r, "set": "oke2015"} if r["set"] == "examples" else r for r in _synthetic(rng, 1500, -3.0)]
    # wrong links of short texts that are sure to be wrong: a threshold pays off there, not elsewhere
    recs += [{"set": "kore50", "p": 0.3, "classes": frozenset({"short_text"}), "ok": False, "fold": k % 5}
             for k in range(400)]
    cal, _ = trainer.fit_calibration(recs)
    gold = {"kore50": 700, "oke2015": 900}
    nil, by_class, info = trainer.choose_nil(recs, cal, gold, 0.0, [], "f1-by-class")
    assert by_class["short_text"] > 0.0
    assert "old_article" not in by_class  # no such links: no threshold of its own
    cal = trainer.Calibration(cal.slope, cal.intercept, cal.offsets, nil, tuple(by_class.items()))
    assert cal.nil_cut({"short_text", "english"}) == by_class["short_text"] and cal.nil_cut({"english"}) == nil
    _, by_f1, _ = trainer.choose_nil(recs, cal, gold, 0.0, [], "f1")
    assert by_f1 == {}
    model_none, by_none, _ = trainer.choose_nil(recs, cal, gold, 0.0, [], "none")
    assert model_none == 0.0 and by_none == {}


# --- namesakes the model would not link add no confidence (a big KB)

def test_namesakes_the_model_would_not_link_add_no_confidence():
    """A link that gains a few obscure namesakes in a bigger KB (each far below the model's threshold) is no surer
    than the same link alone: it keeps the bound of a single candidate (``sole_reading``). Without it the link lost
    the single candidate's class and came out surer with rivals than without."""
    text = "Ostmark lag still."  # a short text: its single candidates are bounded
    alone = _kb()
    crowded = MemoryKB(
        [("Q90", "LOC", 0.9, {"en": "Paris"}), ("Q5002", "LOC", 0.5, {"en": "Ostmark"}),
         ("Q9000000001", "PER", 0.02, {"en": "Ostmark"}), ("Q9000000002", "ORG", 0.02, {"en": "Ostmark"})],
        [("Paris", "Q90", "label", "en"), ("Ostmark", "Q5002", "label", "en"),
         ("Ostmark", "Q9000000001", "label", "en"), ("Ostmark", "Q9000000002", "label", "en")])
    [one], _, one_scores = link_with_scores([_mention(alone, text, "Ostmark")], alone, "en", text=text)
    [many], _, many_scores = link_with_scores([_mention(crowded, text, "Ostmark")], crowded, "en", text=text)
    assert one.entity_key == many.entity_key == "Q5002" and len(many.candidates) == 3
    assert "sole_reading" in many_scores[0][1] and "single_candidate" in one_scores[0][1]
    assert many.confidence <= one.confidence
    # a rival the model would link is a real competitor: no sole reading
    model = load_model()
    assert not risk_classes({}, n_candidates=2, alias_of_earlier=False, floor=False, text_length=20, lang="en",
                            rivals_below=False) & {"sole_reading", "single_candidate"}
    for kind in ("short_text", "old_article", "english"):
        for p in (0.3, 0.5, 0.7, 0.9, 0.99):
            sole = model.confidence(p, {kind, "sole_reading"})
            assert sole <= max(model.confidence(p, {kind, "single_candidate"}),
                               model.calibration.nil_cut({kind})) + 1e-9
            assert sole >= model.calibration.nil_cut({kind}) or model.confidence(p, {kind}) < model.calibration.nil_cut({kind})
