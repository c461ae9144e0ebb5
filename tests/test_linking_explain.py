"""``kgbuild link --explain`` makes the linker's decision inspectable (issue 13): each candidate's features with
their *net* contribution to the logit of its probability (``LinkerModel.net_contributions``), the rule or document
pass that decided (``Mention.explanation``, ``kgbuild.linking.explain``), the confidence and whether it fell under
the NIL threshold. Small KBs and sentences written for these tests."""
from __future__ import annotations

import json
import random

import pytest
from conftest import MemoryKB
from typer.testing import CliRunner

from kgbuild.linking import LinkerConfig, link
from kgbuild.linking.features import FEATURE_NAMES
from kgbuild.linking.model import load_model, logit
from kgbuild.types import Mention


def _kb() -> MemoryKB:
    return MemoryKB(
        [("Q90", "LOC", 0.9, {"en": "Paris"}), ("Q5001", "PER", 0.6, {"en": "Ilse Korvald"}),
         ("Q5003", "PER", 0.5, {"en": "Arne Korvald"})],
        [("Paris", "Q90", "label", "en"), ("Ilse Korvald", "Q5001", "label", "en"),
         ("Korvald", "Q5001", "surname", "en"), ("Arne Korvald", "Q5003", "label", "en"),
         ("Korvald", "Q5003", "surname", "en")])


def _mention(kb, text, word, type_="LOC", kind="label"):
    i = text.index(word)
    return Mention(i, i + len(word), word, type_, "kb", 0, kind=kind, candidates=tuple(kb.lookup(word, "en")))


def _vector(**values: float) -> list[float]:
    return [1.0 if n == "bias" else values.get(n, 0.0) for n in FEATURE_NAMES]


def test_model_net_contributions_add_up_to_the_logit_of_the_probability():
    model = load_model()
    rng = random.Random(7)
    for _ in range(20):
        vector = [1.0 if n == "bias" else rng.choice((0.0, 0.0, 1.0, rng.random())) for n in FEATURE_NAMES]
        net = model.net_contributions(vector)
        assert sum(net.values()) == pytest.approx(logit(model.probability(vector)), abs=1e-6) \
            or not 1e-3 < model.probability(vector) < 1 - 1e-3  # logit() clips at the ends


def test_model_net_contribution_has_the_direction_of_the_feature():
    """The raw share of a clashing type is positive with the shipped weights (a correction of the type credit
    ``base_score`` gives); its net contribution pushes the candidate down, an agreeing type's up."""
    model = load_model()
    clash = _vector(type_clash=1.0, base_score=0.5, prior=0.5)
    agree = _vector(type_agree=1.0, base_score=0.7, prior=0.5)
    assert model.contributions(clash)["type_clash"] > 0  # the raw form, as shipped
    assert model.net_contributions(clash)["type_clash"] < 0 < model.net_contributions(agree)["type_agree"]
    assert model.net_contributions(_vector(prior=0.8, base_score=0.28))["prior"] > 0


def test_explanation_names_the_route_and_the_nil_verdict():
    kb = _kb()
    text = "Paris was quiet on Sunday morning, and the mayor of the city walked along the river for an hour." * 4
    m = _mention(kb, text, "Paris")
    [plain], _ = link([m], kb, "en", text=text)
    [shown], _ = link([m], kb, "en", LinkerConfig(explain=True), text=text)
    assert plain.explanation == () and shown.entity_key == plain.entity_key == "Q90"  # explaining decides nothing
    lines = "\n".join(shown.explanation)
    assert "model: Q90 ranks first" in lines and "decided: model" in lines
    assert f"confidence {plain.confidence:.3f}" in lines and "NIL threshold" in lines and ": linked" in lines
    # the same link held to a NIL threshold above its confidence stays unlinked, and the explanation says so
    [dropped], _ = link([m], kb, "en", LinkerConfig(explain=True, nil_threshold=0.995), text=text)
    assert not (dropped.entity_key or "").startswith("Q")
    assert "NIL threshold 0.99" in dropped.explanation[-1] and "left unlinked (NIL)" in dropped.explanation[-1]


def test_explanation_names_the_earlier_full_name_that_decided():
    """A lone surname takes the entity of the full name earlier in the article, not the model's first reading."""
    kb = _kb()
    text = "Arne Korvald opened the new bridge on Monday. Korvald said the work had taken four years."
    full = _mention(kb, text, "Arne Korvald", "PER")
    short = _mention(kb, text, "Korvald said", "PER")
    short = Mention(short.start, short.start + 7, "Korvald", "PER", "kb", 1, kind="surname",
                    candidates=tuple(kb.lookup("Korvald", "en")))
    _, _ = link([full, short], kb, "en", text=text)
    out, _ = link([full, short], kb, "en", LinkerConfig(explain=True), text=text)
    assert out[1].entity_key == "Q5003"
    assert any("repeats the full name 'Arne Korvald'" in line and "Q5003" in line for line in out[1].explanation)


def test_cli_explain_shows_net_contributions_the_decision_and_the_nil_threshold():
    from kgbuild.cli import app

    text = "Wladimir Putin reiste nach Nordkorea."
    out = CliRunner().invoke(app, ["link", "--lang", "de", "--explain", "--model", "builtin", text])
    assert out.exit_code == 0, out.output
    assert "logit " in out.output and "= bias " in out.output and "decided: " in out.output
    assert "NIL threshold" in out.output and "features: " in out.output
    data = json.loads(CliRunner().invoke(app, ["link", "--lang", "de", "--explain", "--json", "--model", "builtin",
                                               text]).output)
    putin = next(m for m in data["mentions"] if m["entity"] == "Q7747")
    top = putin["candidates"][0]
    assert top["qid"] == "Q7747" and top["below_nil"] is False and 0.0 <= top["nil_threshold"] < 1.0
    assert sum(top["net"].values()) == pytest.approx(top["logit"], abs=0.05)
    assert any(line.startswith("decided: ") for line in putin["decision"])
