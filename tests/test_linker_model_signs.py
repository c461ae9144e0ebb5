"""The linking model's weights read in net form (issue 13, session 9): ``base_score`` already weighs the prior, the
coherence and the type fit, so the raw weights of ``type_agree`` and ``type_clash`` are corrections of its type
credit, and their signs say nothing; ``model.net_weights`` moves those shares onto the features. A small KB in memory
and sentences written for these tests."""
from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
from conftest import MemoryKB

from kgbuild.linking.features import FEATURE_NAMES, DocContext, features
from kgbuild.linking.model import KNOWN_SIGNS, load_model, net_weights
from kgbuild.types import Mention


def _kb() -> MemoryKB:
    # a town, a newspaper and a club, each the only entity of its name
    return MemoryKB(
        [("Q951", "LOC", 0.6, {"en": "Corvath"}), ("Q952", "ORG", 0.5, {"en": "Daily Orlen"}),
         ("Q953", "ORG", 0.5, {"en": "Brask"})],
        [("Corvath", "Q951", "label", "en"), ("Daily Orlen", "Q952", "label", "en"), ("Brask", "Q953", "label", "en")])


def _vector(kb: MemoryKB, text: str, word: str, type_: str, source: str) -> dict[str, float]:
    i = text.index(word)
    m = Mention(i, i + len(word), word, type_, source, 0, kind="label", candidates=tuple(kb.lookup(word, "en")))
    ctx = DocContext.build([m], kb, "en", text)
    return dict(zip(FEATURE_NAMES, features(m, m.candidates[0], ctx, m.candidates, 0), strict=True))


def _raw(weights, vec: dict[str, float]) -> float:
    return sum(w * vec[n] for n, w in zip(FEATURE_NAMES, weights, strict=True))


def test_net_weights_give_every_candidate_the_raw_score_and_the_type_contrast():
    kb = _kb()
    weights = load_model().weights
    net = net_weights(weights)
    text = "The new bridge at Corvath opened on Monday."
    agree = _vector(kb, text, "Corvath", "LOC", "ner")  # the NER reads the town as a place
    clash = _vector(kb, text, "Corvath", "PER", "ner")  # ... as a person
    kb_only = _vector(kb, text, "Corvath", "LOC", "kb")  # the KB's spotter alone, no NER type
    assert (agree["type_agree"], clash["type_clash"]) == (1.0, 1.0)
    # what a type that agrees is worth against one that clashes: the raw weights and base_score's type share
    assert abs(_raw(weights, agree) - _raw(weights, clash) - (net["type_agree"] - net["type_clash"])) < 1e-9
    # the same in net form for the three readings (base_score then keeps only the name's share)
    for vec in (agree, clash, kb_only):
        name_part = vec["base_score"] - 0.35 * vec["prior"] - 0.15 * vec["coherence"] - 0.20 * (
            1 - 0.5 * vec["mention_from_model"] + 0.5 * vec["type_agree"] - 0.5 * vec["type_clash"])
        in_net = sum(net[n] * vec[n] for n in FEATURE_NAMES if n != "base_score") + weights[
            FEATURE_NAMES.index("base_score")] * name_part
        assert abs(in_net - _raw(weights, vec)) < 1e-9


def test_the_shipped_weights_point_where_the_evidence_does():
    net = net_weights(load_model().weights)
    # a type that agrees with the candidate's beats one that clashes (the raw weights' signs are the other way:
    # base_score already gives the type fit 0.2 of its weight)
    assert net["type_agree"] > 0 > net["type_clash"]
    wrong = {n: round(net[n], 3) for n, sign in KNOWN_SIGNS.items() if net[n] * sign < -1e-6}
    # the shipped weights (trained in the third round) have three small ones the other way: the sentence's cue words
    # (cue_other +0.18: the person cues, pronouns and verbs of saying, are in every sentence that reports what
    # someone said, docs/EVALUATION.md "ninth round") and the article's country (-0.04), which the prior's features
    # already carry; a refit with ``scripts/train_linker.py --signs`` holds them at 0. No other, and none large
    assert set(wrong) <= {"cue_fit", "cue_other", "country_fit"}, f"net weights against their known direction: {wrong}"
    assert all(abs(v) < 0.2 for v in wrong.values()), wrong
    for name in ("prior", "coherence", "full_label_in_doc", "description_overlap", "famous_surname"):
        assert net[name] > 0.2, name


def test_a_refit_with_signs_keeps_a_known_direction_the_data_would_turn_round(monkeypatch):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "scripts"))
    import train_linker

    # made-up rows: the candidates whose sentence cues fit their kind are the wrong ones more often (a sample's noise)
    rng = np.random.default_rng(7)
    x = np.zeros((400, len(FEATURE_NAMES)))
    x[:, FEATURE_NAMES.index("bias")] = 1.0
    x[:, FEATURE_NAMES.index("base_score")] = rng.uniform(0.2, 0.9, 400)
    cue = rng.random(400) < 0.3
    x[cue, FEATURE_NAMES.index("cue_fit")] = 1.0
    y = (rng.random(400) < x[:, FEATURE_NAMES.index("base_score")]).astype(float)
    y[cue] = (rng.random(cue.sum()) < 0.15).astype(float)
    i = FEATURE_NAMES.index("cue_fit")
    monkeypatch.setattr(train_linker, "SIGN_CONSTRAINTS", False)
    assert train_linker.fit(x, y, w0=train_linker.prior_weights())[i] < -0.5
    monkeypatch.setattr(train_linker, "SIGN_CONSTRAINTS", True)
    w = train_linker.fit(x, y, w0=train_linker.prior_weights())
    assert abs(w[i]) < 1e-2  # a quadratic penalty: 0 up to a little
    # the type's net weights are held too: base_score's type share counts (``net_weights``)
    net = net_weights(w)
    assert all(net[n] * sign > -1e-2 for n, sign in KNOWN_SIGNS.items())


def test_the_calibration_report_names_the_net_weights_against_their_direction():
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "scripts"))
    import calibration_report

    line = calibration_report.net_signs(Path(__file__).resolve().parent.parent / "kgbuild/data/linker/weights.json")
    marked = {part.split()[0] for part in line.split(": ", 1)[1].split(", ") if part.endswith("*")}
    net = net_weights(load_model().weights)
    assert marked == {n for n, sign in KNOWN_SIGNS.items() if net[n] * sign < -1e-3}
    assert f"type_agree {net['type_agree']:+.3f}" in line and f"type_clash {net['type_clash']:+.3f}" in line
