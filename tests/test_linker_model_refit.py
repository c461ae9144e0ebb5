"""The refit of the linking model (issue 13, session 7): coherence that comes from the document's other names only,
and the features that compare a candidate with its mention's best competitor (``features.relative``). A small KB
in memory and sentences written for these tests."""
from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
from conftest import MemoryKB

from kgbuild.linking import featurize, link_with_scores
from kgbuild.linking.features import FEATURE_NAMES, RELATIVE_FEATURES, DocContext, features, relative
from kgbuild.linking.model import SUPPORT_FEATURES, Calibration, risk_classes
from kgbuild.types import Mention


def _kb() -> MemoryKB:
    # a capital and the small district of the same name inside it; a guitarist and the more popular singer who is
    # known by the surname alone; the guitarist's band mates
    return MemoryKB(
        [("Q901", "LOC", 0.85, {"en": "Velmora"}), ("Q902", "LOC", 0.45, {"en": "Old Velmora"}),
         ("Q903", "LOC", 0.7, {"en": "Ardovia"}),
         ("Q911", "PER", 0.8, {"en": "Beckford"}), ("Q912", "PER", 0.5, {"en": "Tom Beckford"}),
         ("Q913", "PER", 0.6, {"en": "Ray Talvin"}), ("Q914", "PER", 0.6, {"en": "Lou Sander"})],
        [("Velmora", "Q901", "label", "en"), ("Velmora", "Q902", "alias", "en"), ("Ardovia", "Q903", "label", "en"),
         ("Beckford", "Q911", "label", "en"), ("Beckford", "Q912", "surname", "en"),
         ("Tom Beckford", "Q912", "label", "en"), ("Ray Talvin", "Q913", "label", "en"),
         ("Lou Sander", "Q914", "label", "en")],
        # the district lies in the capital; the capital in the country; the guitarist played with the other two
        claims={"Q902": {"Q901"}, "Q901": {"Q903", "Q902"}, "Q903": {"Q901"},
                "Q912": {"Q913", "Q914"}, "Q913": {"Q912", "Q914"}, "Q914": {"Q912", "Q913"}})


def _mention(kb: MemoryKB, text: str, word: str, type_: str) -> Mention:
    i = text.index(word)
    return Mention(i, i + len(word), word, type_, "kb", 0, kind="label", candidates=tuple(kb.lookup(word, "en")))


def _named(vec: list[float]) -> dict[str, float]:
    return dict(zip(FEATURE_NAMES, vec, strict=True))


def test_a_names_own_first_pass_link_is_no_coherence_for_its_other_readings():
    kb = _kb()
    text = "Velmora was quiet on Sunday."
    m = _mention(kb, text, "Velmora", "LOC")
    ctx = DocContext.build([m], kb, "en", text)
    ctx.set_context({"Q901"}, ["Q901"])  # the first pass linked "Velmora" itself to the capital
    district = next(c for c in m.candidates if c.qid == "Q902")
    # the district is related to the capital, but the capital is only this very name's reading: no support
    assert _named(features(m, district, ctx, m.candidates, 0))["coherence"] == 0.0
    # another name of the document linked to the capital still supports the district
    ctx.set_context({"Q901", "Q903"}, ["Q901"])
    assert ctx.coherence(district, kb.related("Q902"), "Velmora", frozenset({"Q901", "Q902"})) == 0.0
    capital = next(c for c in m.candidates if c.qid == "Q901")
    assert _named(features(m, capital, ctx, m.candidates, 0))["coherence"] > 0


def test_the_coherence_lead_and_contested_popularity_compare_a_candidate_with_its_competitors():
    kb = _kb()
    text = "Ray Talvin and Lou Sander played with Beckford last night."
    ms = [_mention(kb, text, w, "PER") for w in ("Ray Talvin", "Lou Sander", "Beckford")]
    ctx = DocContext.build(ms, kb, "en", text)
    ctx.set_context({"Q913", "Q914"}, [])
    cands = ms[2].candidates
    vecs = relative([features(ms[2], c, ctx, cands, 2) for c in cands])
    by_qid = {c.qid: _named(v) for c, v in zip(cands, vecs, strict=True)}
    singer, guitarist = by_qid["Q911"], by_qid["Q912"]
    assert singer["top_prior"] == 1.0 and singer["top_prior_contested"] == 1.0
    assert guitarist["coherence_lead"] == 1.0 and singer["coherence_lead"] == -1.0
    assert guitarist["top_prior_contested"] == 0.0
    # without the band mates in the document, the popular reading is not contested and nobody leads
    ctx.set_context(set(), [])
    vecs = relative([features(ms[2], c, ctx, cands, 2) for c in cands])
    assert all(_named(v)["top_prior_contested"] == 0.0 and _named(v)["coherence_lead"] == 0.0 for v in vecs)


def test_the_features_the_model_is_trained_on_include_the_comparisons():
    kb = _kb()
    text = "Ray Talvin and Lou Sander played with Beckford last night."
    ms = [_mention(kb, text, w, "PER") for w in ("Ray Talvin", "Lou Sander", "Beckford")]
    rows = featurize(ms, kb, "en", text)
    leads = {c.qid: _named(v)["coherence_lead"] for c, v in rows[2]}
    assert leads["Q912"] > 0 > leads["Q911"]
    # a mention with one candidate compares with nobody
    assert all(_named(v)[n] == 0.0 for _, v in rows[0] for n in RELATIVE_FEATURES)


# --- the NIL policy by kind of link (scripts/train_linker.py, ``choose_nil``)

def _trainer():
    root = Path(__file__).resolve().parent.parent
    sys.path.insert(0, str(root / "scripts"))
    import train_linker
    return train_linker


def test_a_risky_kind_of_link_gets_its_own_nil_threshold_and_keeps_the_old_articles_other_links():
    trainer = _trainer()
    rng = np.random.default_rng(5)
    recs = []
    # an old article's full names and places: right 9 times in 10 at any probability; its lone surnames and
    # acronyms: wrong 9 times in 10
    for k in range(600):
        risky = k % 3 == 0
        cls = {"old_article", "surname_alone" if k % 2 else "acronym"} if risky else {"old_article"}
        p = float(rng.uniform(0.5, 0.95))
        recs.append({"set": "hipe-sonar-dev", "p": p, "classes": frozenset(cls),
                     "ok": bool(rng.random() < (0.1 if risky else 0.9)), "fold": k % 5})
    for k in range(300):  # modern news, right
        recs.append({"set": "examples", "p": float(rng.uniform(0.8, 0.99)), "classes": frozenset(), "ok": True,
                     "fold": k % 5})
    cal = Calibration(1.0, 0.0, (("old_article", -1.0),))
    nil, by_class, info = trainer.choose_nil(recs, cal, {"hipe-sonar-dev": 700, "examples": 300}, 0.0, [],
                                             "f1-by-class")
    assert by_class.get("surname_alone", 0) > 0 and by_class.get("acronym", 0) > 0
    # with the risky links cut by their own thresholds, the old article's other links need none
    assert by_class["old_article"] < min(by_class["surname_alone"], by_class["acronym"])
    cal = Calibration(1.0, 0.0, (("old_article", -1.0),), nil, tuple(by_class.items()))
    assert cal.nil_cut({"old_article", "acronym"}) == by_class["acronym"]
    assert cal.nil_cut({"old_article"}) == by_class["old_article"]


def test_a_link_nothing_of_the_document_speaks_for_is_a_risk_class_of_its_own():
    bare = {"base_score": 0.6, "prior": 0.3, "kind_label": 1.0}
    assert "no_support" in risk_classes(bare, n_candidates=1, alias_of_earlier=False, floor=False, text_length=3000,
                                        lang="de")
    for support in SUPPORT_FEATURES:
        assert "no_support" not in risk_classes({**bare, support: 1.0}, n_candidates=1, alias_of_earlier=False,
                                                floor=False, text_length=3000, lang="de"), support
    # a link without its candidate's features (a short name given an earlier full name's entity) is not judged so
    assert "no_support" not in risk_classes({}, n_candidates=0, alias_of_earlier=True, floor=False, text_length=3000,
                                            lang="de")
    # the linker keeps the support features on every candidate, so the class is known without --explain
    kb = _kb()
    text = "Die Reise führte nach Velmora. " * 20
    ms = [_mention(kb, text, "Velmora", "LOC")]
    _, _, scores = link_with_scores(ms, kb, "de", text=text)
    assert "no_support" not in scores[0][1]  # "nach Velmora": a place preposition speaks for the city
    text = "Velmora schwieg dazu. " * 20
    _, _, scores = link_with_scores([_mention(kb, text, "Velmora", "LOC")], kb, "de", text=text)
    assert "no_support" in scores[0][1]
