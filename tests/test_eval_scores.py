"""`kgbuild eval` scores equal a hand count, for each gold format (fixtures in tests/data/eval/).

Each test states the predictions of a fake pipeline and counts TP/FP/FN by hand in comments.
"""
from __future__ import annotations

from pathlib import Path

import pytest
from test_eval_support import FakePipeline, ev, pm, result

from kgbuild.evaluation import build_report, read_gold, render_table, run

DATA = Path(__file__).parent / "data" / "eval"


def _report(name: str, results: dict) -> tuple[dict, FakePipeline]:
    docs = read_gold([DATA / name])
    fake = FakePipeline(results)
    return build_report(list(run(docs, fake)), max_errors=-1), fake


def _prf(c: dict) -> tuple:
    return c["tp"], c["fp"], c["fn"]


@pytest.fixture(scope="module")
def kgbuild_report():
    t1 = "Putin traf Kim Jong-un in Pjöngjang. Der Berater Juri Uschakow begleitete Putin. Scholz reist nach Paris."
    m1 = [pm(t1, "Putin", "Q7747", "PER"),  # TP
          pm(t1, "Kim Jong-un", "Q56226", "ORG"),  # TP for linking, wrong type
          pm(t1, "Pjöngjang", "Q423", "LOC", label="Nordkorea"),  # wrong QID: FN + FP
          pm(t1, "Uschakow", None, "PER"),  # only overlaps "Juri Uschakow" (NIL)
          pm(t1, "Scholz", "Q61053", "PER"), pm(t1, "Paris", "Q90", "LOC"),  # TP, TP
          pm(t1, "Berater", "Q123", "ORG")]  # spurious; second "Putin" is missed
    e1 = [ev("meets", "Q56226", "Q7747"),  # symmetric: matches gold Putin meets Kim
          ev("visits", "Q7747", "Q423"),  # wrong object: FP, and gold visits Pjöngjang FN
          ev("holdsPositionIn", "nil:PER:uschakow", "Q7747"),  # NIL entity matched through its mention span
          ev("visits", "Q61053", "Q90", status="happened"),  # TP, wrong status (gold: planned)
          ev("signsTreatyWith", "Q7747", "Q56226", confidence=0.4),  # below 0.5: not output, not scored
          ev("says", "Q61053", None)]  # FP
    t2 = "Biden met Macron in Paris."
    m2 = [pm(t2, "Biden", "Q6279", "PER"), pm(t2, "Macron", "Q3052772", "PER")]  # Paris missed
    e2 = [ev("meets", "Q6279", "Q3052772", status="announced")]  # TP, status planned != happened
    return _report("tiny.kgbuild.json", {t1: result(t1, "de", m1, e1), t2: result(t2, "en", m2, e2)})


def test_eval_kgbuild_linking_hand_count(kgbuild_report):
    rep, _ = kgbuild_report
    link = rep["linking"]
    # doc 1: gold with QID: Putin x2, Kim, Pjöngjang, Scholz, Paris = 6; TP Putin, Kim, Scholz, Paris = 4;
    #   FN Pjöngjang (wrong QID), Putin#2 (missed) = 2; FP Pjöngjang (wrong QID), Berater (spurious) = 2
    # doc 2: gold Biden, Macron, Paris; TP 2, FN 1 (Paris), FP 0
    assert _prf(link["inkb_micro"]) == (6, 2, 3)
    assert link["inkb_micro"]["precision"] == pytest.approx(6 / 8, abs=1e-4)
    assert link["inkb_micro"]["recall"] == pytest.approx(6 / 9, abs=1e-4)
    # macro: doc 1 P = R = F1 = 4/6; doc 2 P = 1, R = 2/3, F1 = 0.8
    assert link["inkb_macro"]["precision"] == pytest.approx((4 / 6 + 1) / 2, abs=1e-4)
    assert link["inkb_macro"]["recall"] == pytest.approx((4 / 6 + 2 / 3) / 2, abs=1e-4)
    assert link["inkb_macro"]["f1"] == pytest.approx((4 / 6 + 0.8) / 2, abs=1e-4)
    # per gold type: PER gold Putin x2, Kim, Scholz, Biden, Macron: TP 5 (all but Putin#2), FN 1;
    # LOC: Pjöngjang (FN+FP), Paris TP, Paris (en) FN; ORG: Berater spurious FP
    assert _prf(link["per_type"]["PER"]) == (5, 0, 1)
    assert _prf(link["per_type"]["LOC"]) == (1, 1, 2)
    assert _prf(link["per_type"]["ORG"]) == (0, 1, 0)
    # NIL: gold Juri Uschakow not strictly found (FN); predicted NIL "Uschakow" on no gold span (FP)
    assert _prf(link["nil"]) == (0, 1, 1)


def test_eval_kgbuild_recognition_hand_count(kgbuild_report):
    rec = kgbuild_report[0]["recognition"]
    # gold 7 + 3 = 10 mentions; predictions 7 + 2 = 9
    # strict: doc 1 TP Putin, Kim, Pjöngjang, Scholz, Paris = 5, FN Juri Uschakow + Putin#2 = 2,
    #   FP Uschakow + Berater = 2; doc 2 TP 2, FN 1
    assert _prf(rec["strict"]) == (7, 2, 3)
    # overlap: "Uschakow" now pairs with "Juri Uschakow"
    assert _prf(rec["overlap"]) == (8, 1, 2)
    # strict + type: Kim predicted ORG is FN (PER) + FP (ORG)
    assert _prf(rec["typed"]) == (6, 3, 4)
    assert _prf(rec["per_type"]["ORG"]) == (0, 2, 0)


def test_eval_kgbuild_relations_hand_count(kgbuild_report):
    rel = kgbuild_report[0]["relations"]
    # gold: meets, visits Pjöngjang, holdsPositionIn, visits Paris (doc 1) + meets (doc 2) = 5
    # TP meets, holdsPositionIn, visits Paris, meets (en) = 4; FN visits Pjöngjang; FP visits Q423, says
    assert _prf(rel["micro"]) == (4, 2, 1)
    assert _prf(rel["per_type"]["visits"]) == (1, 1, 1)
    assert _prf(rel["per_type"]["meets"]) == (2, 0, 0)
    assert _prf(rel["per_type"]["holdsPositionIn"]) == (1, 0, 0)
    assert _prf(rel["per_type"]["says"]) == (0, 1, 0)
    assert "signsTreatyWith" not in rel["per_type"]  # below --min-confidence
    # status: meets happened ok; visits Paris happened != planned; meets (en) announced=planned != happened
    assert rel["status"]["matched"] == 3 and rel["status"]["correct"] == 1


def test_eval_kgbuild_per_language_and_errors(kgbuild_report):
    rep, fake = kgbuild_report
    assert rep["languages"] == {"de": 1, "en": 1}
    assert _prf(rep["per_language"]["en"]["linking_inkb_micro"]) == (2, 0, 1)
    assert _prf(rep["per_language"]["de"]["relations_micro"]) == (3, 2, 1)
    # D2KB in German: the spurious "Berater" lies on no gold mention, so only Pjöngjang's wrong QID is an FP
    assert _prf(rep["per_language"]["de"]["linking_inkb_micro"]) == (4, 2, 2)
    assert _prf(rep["per_language"]["de"]["linking_d2kb_micro"]) == (4, 1, 2)
    assert "de linking D2KB micro" in render_table(rep)
    errs = rep["errors"]
    assert errs["totals"]["wrong_qid"] == 1 and errs["wrong_qid"][0]["text"] == "Pjöngjang"
    assert errs["wrong_qid"][0]["predicted"] == "Q423" and "[[Pjöngjang]]" in errs["wrong_qid"][0]["context"]
    assert {e["text"] for e in errs["missed"]} == {"Putin", "Paris"}
    assert [e["text"] for e in errs["spurious"]] == ["Berater"]
    assert errs["totals"]["relation_missed"] == 1 and errs["totals"]["relation_spurious"] == 2
    assert errs["totals"]["status_wrong"] == 2
    # the pipeline saw the gold text, language and date, nothing else
    assert [a.lang for a in fake.seen] == ["de", "en"] and str(fake.seen[0].published) == "2024-06-18"


def test_eval_elevant_hand_count():
    t0 = "Steve Jobs founded Apple in Cupertino in 1976. He later ran Pixar."
    t1 = "Ballmer spoke at Harvard. Some unknown firm Xyz Corp was there. Tail text outside."
    r0 = result(t0, "en", [pm(t0, "Steve", "Q19837", "PER"),  # partial span: spurious + gold missed
                           pm(t0, "Apple", "Q312", "ORG"),  # TP
                           pm(t0, "Cupertino", "Q123", "LOC"),  # wrong QID
                           pm(t0, "Pixar", "Q127552", "ORG")])  # optional gold, right: not counted
    r1 = result(t1, "en", [pm(t1, "Ballmer", "Q181162", "PER"),  # TP
                           pm(t1, "Harvard", None, "ORG"),  # NIL on a gold QID: FN
                           pm(t1, "Xyz Corp", "Q999", "ORG"),  # QID on a gold NIL: FP
                           pm(t1, "Tail", "Q5", "MISC")])  # outside evaluation_span: ignored
    rep, _ = _report("tiny.benchmark.jsonl", {t0: r0, t1: r1})
    # InKB: gold with QID (coref "He", DATETIME, child label and optional Pixar not counted):
    # doc 0 Steve Jobs, Apple, Cupertino: TP 1, FN 2, FP 2; doc 1 Ballmer, Harvard: TP 1, FN 1, FP 1 (Xyz)
    assert _prf(rep["linking"]["inkb_micro"]) == (2, 3, 3)
    assert rep["linking"]["inkb_micro"]["f1"] == pytest.approx(0.4)
    assert rep["linking"]["inkb_macro"]["f1"] == pytest.approx((1 / 3 + 1 / 2) / 2, abs=1e-4)
    # recognition strict: doc 0 TP Apple, Cupertino, FN Steve Jobs, FP Steve; doc 1 TP 3, FN "Some" (NO_MAPPING)
    assert _prf(rep["recognition"]["strict"]) == (5, 1, 2)
    assert _prf(rep["recognition"]["overlap"]) == (6, 0, 1)
    # NIL: gold Some (missed) and Xyz Corp (linked) are FN; Harvard left unlinked on a gold QID is FP
    assert _prf(rep["linking"]["nil"]) == (0, 1, 2)
    assert rep["relations"] is None  # ELEVANT has no relations


def test_eval_nif_hand_count():
    c1, c2 = "Angela Merkel besuchte Paris und traf Macron.", "NATO tagte in Brüssel."
    r1 = result(c1, "de", [pm(c1, "Angela Merkel", "Q567", "PER"), pm(c1, "Paris", "Q90", "LOC")])
    r2 = result(c2, "de", [pm(c2, "NATO", "Q7184", "ORG"), pm(c2, "Brüssel", "Q239", "LOC"),
                           pm(c2, "tagte", "Q5", "MISC")])
    rep, _ = _report("tiny.nif.ttl", {c1: r1, c2: r2})
    # gold with a Wikidata QID: Merkel, Macron, NATO, Brüssel (Paris is a DBpedia IRI -> NIL)
    # TP Merkel, NATO, Brüssel; FN Macron; FP Paris (QID on NIL gold), tagte (spurious)
    assert _prf(rep["linking"]["inkb_micro"]) == (3, 2, 1)
    assert _prf(rep["recognition"]["strict"]) == (4, 1, 1)
    # per gold type: Macron (FN) and Paris (FP on NIL gold) have no taClassRef
    assert _prf(rep["linking"]["per_type"]["untyped"]) == (0, 1, 1)
    assert _prf(rep["linking"]["per_type"]["PER"]) == (1, 0, 0)


def test_eval_hipe_hand_count():
    a = "Kaiser Wilhelm II. reiste nach Wien.\nDie Neue Freie Presse berichtete."
    b = "Berlin Potsdam und Paris"
    ra = result(a, "de", [pm(a, "Wilhelm II", "Q2677", "PER"), pm(a, "Wien", "Q1741", "LOC"),
                          pm(a, "Neue Freie Presse", None, "ORG")])
    rb = result(b, "de", [pm(b, "Berlin Potsdam", "Q64", "LOC"), pm(b, "Paris", "Q90", "LOC")])
    rep, _ = _report("tiny.hipe.tsv", {a: ra, b: rb})
    # gold QIDs: Wilhelm II, Wien, Berlin, Potsdam; TP 2; FN Berlin, Potsdam; FP "Berlin Potsdam", Paris (gold NIL)
    assert _prf(rep["linking"]["inkb_micro"]) == (2, 2, 2)
    # strict: TP Wilhelm II, Wien, Neue Freie Presse, Paris; FN Berlin, Potsdam; FP "Berlin Potsdam"
    assert _prf(rep["recognition"]["strict"]) == (4, 1, 2)
    assert _prf(rep["recognition"]["overlap"]) == (5, 0, 1)
    # typed: Neue Freie Presse is MISC (HumanProd) in the gold, ORG predicted
    assert _prf(rep["recognition"]["per_type"]["MISC"]) == (0, 0, 1)
    assert _prf(rep["linking"]["nil"]) == (1, 0, 1)  # Neue Freie Presse right, Paris linked


def test_eval_kgbuild_entity_sets(kgbuild_report):
    # doc 1 gold QIDs {Putin, Kim, Pjöngjang, Scholz, Paris}, predicted {Putin, Kim, Q423, Scholz, Paris, Q123}
    # doc 2 gold {Biden, Macron, Paris}, predicted {Biden, Macron}
    assert _prf(kgbuild_report[0]["linking"]["entities"]) == (6, 2, 2)


def test_eval_refused_document_counts_as_nothing_found():
    from kgbuild.errors import LanguageError

    class Refusing(FakePipeline):
        def process(self, article):
            if article.text.startswith("NATO"):
                raise LanguageError("language 'xx' is not supported")
            return super().process(article)

    c1 = "Angela Merkel besuchte Paris und traf Macron."
    docs = read_gold([DATA / "tiny.nif.ttl"])
    rep = build_report(list(run(docs, Refusing({c1: result(c1, "de", [pm(c1, "Angela Merkel", "Q567", "PER")])}))))
    # doc 1: TP Merkel, FN Macron; doc 2 refused: NATO and Brüssel FN
    assert _prf(rep["linking"]["inkb_micro"]) == (1, 0, 3)
    assert rep["failed"] == [{"doc": "doc2", "error": "language 'xx' is not supported"}]


def test_eval_per_document_rows(kgbuild_report):
    rows = {r["doc"]: r for r in kgbuild_report[0]["per_document"]}
    assert _prf(rows["tiny-de"]["linking_inkb"]) == (4, 2, 2) and _prf(rows["tiny-en"]["relations"]) == (1, 0, 0)
