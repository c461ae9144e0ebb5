"""The bounds of the written confidence by kind of document and risk class (issue 13, ``Calibration.bounds``,
``fit_bounds``), the measures of ``scripts/calibration_report.py`` (ECE, the >= 0.9 bucket, the verdict on a refit)
and what ``--min-confidence`` filters. Sentences and links written for these tests."""
from __future__ import annotations

import itertools
import json
import random
import sys
from pathlib import Path

import pytest

from kgbuild.linking.model import (
    BOUND_CLASSES,
    DOCUMENT_KINDS,
    Calibration,
    LinkerModelError,
    document_kind,
    fit_bounds,
    load_model,
)

ROOT = Path(__file__).resolve().parent.parent
#: issue 13: of the links with confidence >= 0.9, at least this share is right
TARGET_RIGHT = 0.9


@pytest.fixture(scope="module")
def report():
    sys.path.insert(0, str(ROOT / "scripts"))
    import calibration_report
    return calibration_report


def _cal(bounds: dict[str, float], nil_by_class: dict[str, float] | None = None) -> Calibration:
    return Calibration(0.5, 3.0, (("surname_alone", -1.0), ("old_article", -2.0)), 0.0,
                       tuple((nil_by_class or {"old_article": 0.6}).items()), tuple(sorted(bounds.items())))


# --- the bounds in the map

def test_a_bound_lowers_the_confidence_but_never_changes_a_nil_decision():
    bounded = _cal({"other/surname_alone": 0.44, "old_article/single_candidate": 0.3})
    free = Calibration(bounded.slope, bounded.intercept, bounded.offsets, 0.0, bounded.nil_by_class)
    rng = random.Random(5)
    for _ in range(2000):
        classes = {c for c in ("surname_alone", "single_candidate", "old_article", "short_text", "acronym")
                   if rng.random() < 0.4}
        p = rng.random()
        cut = bounded.nil_cut(classes)
        assert bounded.confidence(p, classes) <= free.confidence(p, classes) + 1e-12
        assert bounded.confidence(p, classes) <= max(cut, bounded.bound(classes)) + 1e-12
        assert (bounded.confidence(p, classes) >= cut) == (free.confidence(p, classes) >= cut)
    # a lone surname in a long modern article: 0.44 at most, however sure the model is
    assert free.confidence(0.99, {"surname_alone"}) > 0.9
    assert bounded.confidence(0.99, {"surname_alone"}) == pytest.approx(0.44)
    # ... but in an old article the bound stops at the NIL threshold: the link stays a link
    assert bounded.confidence(0.99, {"old_article", "single_candidate"}) == pytest.approx(0.6)


def test_the_bounded_confidence_never_falls_as_the_probability_rises_in_any_class():
    cal = load_model().calibration
    grid = [i / 50 for i in range(1, 50)]
    for k in range(4):
        for classes in itertools.combinations(("single_candidate", "surname_alone", "acronym", "alias_name",
                                               "no_support", "floor", "old_article", "short_text", "english"), k):
            confs = [cal.confidence(p, classes) for p in grid]
            assert all(b >= a - 1e-12 for a, b in zip(confs, confs[1:], strict=False)), classes


def test_bad_bounds_are_refused_and_good_ones_round_trip(tmp_path):
    for key, value in (("modern/single_candidate", 0.5), ("other/english", 0.5), ("other/acronym", 0.0),
                       ("other/acronym", 1.5)):
        with pytest.raises(LinkerModelError):
            Calibration(bounds=((key, value),))
    cal = _cal({"other/surname_alone": 0.44})
    again = Calibration.from_dict(json.loads(json.dumps(cal.as_dict())))
    assert again == cal


def test_fit_bounds_per_cell_with_a_fallback_for_a_class_never_seen_in_a_kind_of_document():
    links = ([({"acronym"}, k < 15) for k in range(30)]  # a modern article's acronyms: 15 of 30 right
             + [({"acronym", "short_text"}, True) for _ in range(5)]  # too few for a bound of their own
             + [({"surname_alone", "short_text"}, k < 3) for k in range(25)]  # lone surnames: only in short texts
             + [({"surname_alone", "alias_of_earlier"}, True) for _ in range(50)])  # left out: the full name's
    bounds = fit_bounds(links, min_links=20)
    assert bounds["other/acronym"] == pytest.approx(16 / 32, abs=1e-4)
    assert "short_text/acronym" not in bounds  # 5 links: the fitted offsets stand
    assert bounds["short_text/surname_alone"] == pytest.approx(4 / 27, abs=1e-4)
    # no lone surname of a modern article or an old one: the class's share over every kind
    assert bounds["other/surname_alone"] == bounds["old_article/surname_alone"] == pytest.approx(4 / 27, abs=1e-4)
    # a class no link has at all: Laplace's 1/2
    assert bounds["other/floor"] == pytest.approx(0.5)
    assert set(k.split("/")[0] for k in bounds) <= set(DOCUMENT_KINDS)
    assert set(k.split("/")[1] for k in bounds) <= set(BOUND_CLASSES)
    assert document_kind({"old_article", "short_text"}) == "old_article" and document_kind({"english"}) == "other"


def test_shipped_bounds_come_from_the_training_data_and_keep_the_nil_decisions():
    cal = load_model().calibration
    assert cal.bounds, "the shipped weights have bounds (scripts/calibration_report.py --fit)"
    assert all(0.0 < b <= 1.0 for _, b in cal.bounds)
    # a link of a long modern article in no risky class is not bounded below the target
    assert cal.confidence(0.9, ()) >= TARGET_RIGHT


# --- the >= 0.9 links of articles written for this test are right at the rate issue 13 states

GOLD_DE = {"Berlin": "Q64", "Olaf Scholz": "Q61053", "Scholz": "Q61053", "französischen": "Q142",
           "Emmanuel Macron": "Q3052772", "Paris": "Q90", "Ukraine": "Q212", "Europäischen Union": "Q458",
           "Deutschland": "Q183", "Frankreich": "Q142", "SPD": "Q49768", "Bundestag": "Q154797", "Brüssel": "Q239",
           "Warschau": "Q270", "Frankfurt": "Q1794", "Bayern": "Q980", "Hamburg": "Q1055"}
TEXT_DE = ("Berlin. Bundeskanzler Olaf Scholz ist am Dienstag zu Gesprächen mit dem französischen Präsidenten "
           "Emmanuel Macron nach Paris gereist. Die beiden wollten über die Lage in der Ukraine und die Zukunft der "
           "Europäischen Union sprechen. Scholz sagte vor dem Abflug, Deutschland und Frankreich trügen eine "
           "besondere Verantwortung. Die SPD-Fraktion im Bundestag unterstützte den Kurs des Kanzlers. Müller, ein "
           "Sprecher des Ministeriums, kündigte weitere Treffen in Brüssel und Warschau an. Schneider, die "
           "Sprecherin eines Verbands, begrüßte die Reise, Fischer, ein Analyst einer Bank in Frankfurt, blieb "
           "skeptisch. Weber, ein Landwirt aus Bayern, sagte, er hoffe auf niedrigere Preise. Meyer, eine Lehrerin "
           "aus Hamburg, wollte sich nicht äußern.")
GOLD_EN = {"London": "Q84", "Keir Starmer": "Q6383803", "Starmer": "Q6383803", "German": "Q183",
           "Olaf Scholz": "Q61053", "Berlin": "Q64", "Ukraine": "Q212", "European Union": "Q458",
           "United Kingdom": "Q145", "Germany": "Q183", "Manchester": "Q18125", "Leeds": "Q39121", "Paris": "Q90",
           "France": "Q142"}
TEXT_EN = ("London. Prime Minister Keir Starmer met German Chancellor Olaf Scholz in Berlin on Tuesday to discuss "
           "support for Ukraine and trade with the European Union. Starmer told reporters that the United Kingdom "
           "and Germany would work together on defence. Smith, a spokesman for a farmers' union, welcomed the talks. "
           "Brown, an analyst at a bank in London, was more cautious, and Johnson, a teacher from Manchester, said "
           "she hoped for lower prices. Wilson, a shop owner in Leeds, declined to comment. The two leaders are to "
           "meet again in Paris next month, when France hosts a summit on energy prices.")


@pytest.mark.parametrize("lang,text,gold", [("de", TEXT_DE, GOLD_DE), ("en", TEXT_EN, GOLD_EN)])
def test_links_at_09_or_more_are_right_at_the_stated_rate(kb, lang, text, gold):
    """Modern articles with people named only by a common surname (spokespeople, an analyst, a teacher), whom the
    KB knows only as namesakes (politicians): those links must not claim 0.9."""
    from kgbuild.pipeline import Pipeline
    from kgbuild.read import article_from_text

    result = Pipeline(kb=kb).process(article_from_text(text, id="t", lang=lang, published="2024-05-14"))
    sure = [(m.text, m.entity_key) for m in result.mentions
            if m.entity_key and m.entity_key.startswith("Q") and m.confidence >= 0.9]
    right = [t for t, q in sure if gold.get(t) == q]
    assert len(sure) >= 12, sure
    assert len(right) >= TARGET_RIGHT * len(sure), sorted(set(sure) - {(t, gold.get(t)) for t in right})


# --- the measures of scripts/calibration_report.py

def _rec(conf: float, ok: bool) -> dict:
    return {"conf": conf, "ok": ok}


def test_ece_and_the_top_bucket(report):
    calibrated = [_rec(0.85, k < 17) for k in range(20)] + [_rec(0.95, k < 19) for k in range(20)]
    m = report.metrics(calibrated)
    assert m["ece"] == pytest.approx(0.0, abs=1e-9)
    assert (m["hi_links"], m["hi_right"]) == (20, 19)
    over = [_rec(0.95, k < 10) for k in range(20)]  # claims 95 %, right 50 %
    assert report.metrics(over)["ece"] == pytest.approx(0.45)
    assert report.metrics(over)["log_loss"] > m["log_loss"]


def test_a_refit_with_too_few_right_links_at_09_is_not_shipped(report):
    shipped = {"ece": 0.30, "log_loss": 0.90, "hi_links": 2, "hi_right": 2}
    better = {"ece": 0.20, "log_loss": 0.70, "hi_links": 100, "hi_right": 95}
    assert report.verdict(shipped, better)[0]
    assert not report.verdict(shipped, {**better, "hi_right": 85})[0]  # 85 % right at >= 0.9
    assert not report.verdict(shipped, {**better, "ece": 0.31})[0]
    assert not report.verdict(shipped, {**better, "log_loss": 0.95})[0]


def test_halves_of_the_examples_and_benchmarks(report):
    assert report.group_of("examples", "any") == "dev" and report.group_of("heldout", "any") == "heldout"
    assert {report.group_of("kore50", f"doc{i}") for i in range(40)} == {"train", "test"}


# --- --min-confidence keeps its meaning: it filters relation triples by their confidence, not links

def test_min_confidence_filters_truthy_triples_by_the_written_confidence_only(kb):
    from kgbuild.pipeline import Pipeline
    from kgbuild.rdf import document_graph
    from kgbuild.rdf.vocab import ITSRDF, KG
    from kgbuild.read import article_from_text

    text = ("Bundeskanzler Olaf Scholz hat am Dienstag in Paris den französischen Präsidenten Emmanuel Macron "
            "getroffen. Scholz und Macron sprachen über die Ukraine.")
    result = Pipeline(kb=kb, model="builtin").process(article_from_text(text, id="m", lang="de",
                                                                         published="2024-05-14"))
    with_object = [ev for ev in result.events if ev.object]
    assert with_object, "the sentences name a meeting"
    links = None
    for t in (0.0, 0.5, 0.99):
        g = document_graph(result, min_confidence=t)
        statements = list(g.subjects(None, KG.Statement))
        assert all(float(g.value(s, KG.confidence)) >= t for s in statements)
        events_kept = {g.value(s, KG.event) for s in statements}
        assert len(events_kept) == sum(1 for ev in with_object if ev.confidence >= t)
        # the links' confidences are the same whatever the threshold
        now = sorted((str(s), float(o)) for s, o in g.subject_objects(ITSRDF.taConfidence))
        assert links is None or now == links
        links = now
    assert not list(document_graph(result, min_confidence=1.01).subjects(None, KG.Statement))
