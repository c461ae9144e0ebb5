"""What `kgbuild eval` counts: linking on the gold's own mentions (D2KB) next to InKB, documents nobody annotated,
and the reliability of the link confidence. Small gold files written here (invented sentences), counted by hand.
"""
from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest
from test_eval_support import FakePipeline, pm, result
from typer.testing import CliRunner

import kgbuild.cli.evaluate as evaluate_cli
from kgbuild.cli import app
from kgbuild.evaluation import annotation_scope, build_report, read_gold, render_table, run, split_unannotated

T1 = "Mayor Clara Voss opened the Lake Tara Bridge near Lyon while Acme Corp watched from Geneva and Berlin."
T2 = "Nothing much happened in Berlin."


def _label(text: str, surface: str, qid: str, typ: str = "Q27096213", optional: bool = False) -> dict:
    start = text.index(surface)
    lab = {"span": [start, start + len(surface)], "entity_id": qid, "name": surface, "type": typ}
    return lab | ({"optional": True} if optional else {})


def _elevant(tmp_path: Path) -> Path:
    lines = [{"id": 1, "text": T1, "labels": [
                 _label(T1, "Clara Voss", "<NIL>", "Q215627"),
                 _label(T1, "Lake Tara Bridge", "Q5001"),
                 _label(T1, "Lyon", "Q456"),
                 _label(T1, "Acme Corp", "Q5002", "Q43229", optional=True),
                 _label(T1, "Berlin", "Q64")]},  # Geneva is not annotated
             {"id": 2, "text": T2, "labels": [_label(T2, "Berlin", "Q64")]}]
    path = tmp_path / "scope.benchmark.jsonl"
    path.write_text("\n".join(json.dumps(x) for x in lines) + "\n", encoding="utf-8")
    return path


def _conf(mention: tuple, confidence: float) -> tuple:
    m, ent = mention
    return replace(m, confidence=confidence), ent


@pytest.fixture()
def scope_report(tmp_path):
    preds1 = [_conf(pm(T1, "Clara Voss", "Q111", "PER"), 0.55),  # gold NIL linked: FP in both scopes
              _conf(pm(T1, "Lake Tara", "Q6", "LOC"), 0.65),  # inside a gold mention: InKB FP, D2KB boundary
              _conf(pm(T1, "Lyon", "Q456", "LOC"), 0.95),  # TP in both
              _conf(pm(T1, "Acme Corp", "Q5002", "ORG"), 0.92),  # optional, right: counted nowhere
              _conf(pm(T1, "Geneva", "Q71", "LOC"), 0.97),  # no gold mention: InKB FP, D2KB not judged
              _conf(pm(T1, "Berlin", "Q1", "LOC"), 0.75)]  # wrong QID: FN + FP in both
    preds2 = []  # Berlin missed: FN in both
    docs = read_gold([_elevant(tmp_path)])
    fake = FakePipeline({T1: result(T1, "en", preds1), T2: result(T2, "en", preds2)})
    return build_report(list(run(docs, fake)), max_errors=-1)


def _prf(c: dict) -> tuple:
    return c["tp"], c["fp"], c["fn"]


def test_d2kb_counts_only_links_on_gold_mentions(scope_report):
    link = scope_report["linking"]
    # InKB: TP Lyon; FP Clara Voss, Lake Tara, Geneva, Berlin(Q1); FN Lake Tara Bridge, Berlin(Q1), Berlin (doc 2)
    assert _prf(link["inkb_micro"]) == (1, 4, 3)
    # D2KB: only links aligned to a gold mention: Geneva (no gold mention) and Lake Tara (inside the gold mention
    # Lake Tara Bridge, aligned with none) are neither TP nor FP, and counted apart
    assert _prf(link["d2kb_micro"]) == (1, 2, 3)
    assert link["d2kb_micro"]["precision"] == pytest.approx(1 / 3, abs=1e-4)
    assert link["d2kb_micro"]["recall"] == link["inkb_micro"]["recall"]
    assert (link["d2kb_unjudged_links"], link["d2kb_boundary_links"]) == (1, 1)
    # per gold type: Clara Voss is PER (NIL linked)
    assert _prf(link["d2kb_per_type"]["PER"]) == (0, 1, 0)
    assert _prf(link["d2kb_per_type"]["LOC"]) == (1, 1, 3)
    # macro: doc 1 P = 1/3, R = 1/3, F1 = 1/3; doc 2 nothing found: 0
    assert link["d2kb_macro"]["f1"] == pytest.approx((1 / 3 + 0) / 2, abs=1e-4)
    rows = {r["doc"]: r for r in scope_report["per_document"]}
    assert _prf(rows["scope-1"]["linking_d2kb"]) == (1, 2, 2) and rows["scope-1"]["gold_mentions"] == 5
    assert (rows["scope-1"]["d2kb_unjudged_links"], rows["scope-1"]["d2kb_boundary_links"]) == (1, 1)
    assert (rows["scope-2"]["d2kb_unjudged_links"], rows["scope-2"]["d2kb_boundary_links"]) == (0, 0)
    # the spurious error says whether D2KB judged it
    kinds = {e["text"]: e.get("d2kb") for e in scope_report["errors"]["spurious"]}
    assert kinds == {"Lake Tara": "boundary", "Geneva": "not judged"}


def test_d2kb_optional_mention_with_another_qid_is_wrong(tmp_path):
    docs = read_gold([_elevant(tmp_path)])
    preds = [pm(T1, "Acme Corp", "Q9", "ORG")]  # optional gold Q5002, linked to Q9
    rep = build_report(list(run(docs[:1], FakePipeline({T1: result(T1, "en", preds)}))))
    # gold QIDs Lake Tara Bridge, Lyon, Berlin all missed: FN 3; the optional one linked wrong: FP 1 in both scopes
    assert _prf(rep["linking"]["d2kb_micro"]) == (0, 1, 3) == _prf(rep["linking"]["inkb_micro"])


def test_reliability_bins_in_both_scopes(scope_report):
    rel = scope_report["reliability"]
    by_bin = {r["bin"]: r for r in rel["inkb"]}
    # InKB counts every link but the right optional one: Clara .55 (wrong), Lake Tara .65 (wrong), Berlin .75
    # (wrong), Lyon .95 (right), Geneva .97 (wrong)
    assert [by_bin[b]["links"] for b in ("0.0-0.5", "0.5-0.6", "0.6-0.7", "0.7-0.8", "0.8-0.9", "0.9-1.0")] == [0, 1, 1, 1, 0, 2]
    assert rel["inkb_at_least_0.9"] | {} == {"bin": ">=0.9", "links": 2, "right": 1, "mean_confidence": 0.96,
                                             "share_right": 0.5}
    # D2KB leaves Geneva and Lake Tara out: of the links >= 0.9 only Lyon, right
    assert (rel["d2kb_at_least_0.9"]["links"], rel["d2kb_at_least_0.9"]["right"]) == (1, 1)
    assert [r["links"] for r in rel["d2kb"]] == [0, 1, 0, 1, 0, 1]
    text = render_table(scope_report)
    assert "Entity linking on the gold's own mentions (D2KB" in text and "Reliability of the link confidence" in text
    assert "(not judged): 1" in text and "(boundary; not counted, InKB FP): 1" in text


# --- documents nobody annotated ---------------------------------------------------------------------------------

WORDS = "der Bürgermeister sprach lange über die neue Brücke und den Hafen am Fluss".split()


def _hipe_doc(doc_id: str, n_words: int, names: list[tuple[str, str]]) -> list[str]:
    """A HIPE document of ``n_words`` filler words, then the ``names`` (surface, QID) tagged B-LOC."""
    rows = [f"# hipe2022:document_id = {doc_id}", "# hipe2022:language = de", "# hipe2022:date = 1900-01-02"]
    rows += [f"{WORDS[k % len(WORDS)]}\tO\t_\t_" for k in range(n_words)]
    rows += [f"{name}\tB-LOC\t{qid}\t_" for name, qid in names]
    return rows + [""]


def _hipe(tmp_path: Path, docs: list[list[str]]) -> Path:
    path = tmp_path / "scope.tsv"
    path.write_text("\n".join(["TOKEN\tNE-COARSE-LIT\tNEL-LIT\tMISC"] + sum(docs, [])) + "\n", encoding="utf-8")
    return path


NAMES = [("Lindau", "Q3077"), ("Kempten", "Q3126"), ("Memmingen", "Q4025"), ("Ulm", "Q3012")]


def _benchmark(tmp_path: Path) -> Path:
    return _hipe(tmp_path, [
        _hipe_doc("a", 40, NAMES * 6),  # 24 mentions in about 420 characters
        _hipe_doc("b", 300, []),  # about 1,700 characters, no mention (16 expected): not annotated
        _hipe_doc("c", 3, []),  # about 20 characters, no mention (0.2 expected): may name nothing, scored
        _hipe_doc("d", 400, NAMES[:1])])  # 1 mention where 21 are expected: sparse, scored


def test_unannotated_document_is_left_out_and_listed(tmp_path):
    docs = read_gold([_benchmark(tmp_path)])
    found = {a.doc: a for a in annotation_scope(docs)}
    assert set(found) == {"b", "d"} and found["b"].state == "not annotated" and found["d"].state == "sparse"
    # density: 25 mentions in the 2,720 characters of a and d; b has 1,728 characters
    assert found["b"].expected == pytest.approx(25 / (found["d"].chars + len(docs[0].text)) * 1728, abs=0.01)
    assert found["b"].chars == 1728 and found["b"].gold_mentions == 0 and found["d"].gold_mentions == 1
    kept, section = split_unannotated(docs)
    assert [d.id for d in kept] == ["a", "c", "d"]
    assert [a["doc"] for a in section["not_annotated"]] == ["b"] and [a["doc"] for a in section["sparse"]] == ["d"]
    kept_all, section_all = split_unannotated(docs, score_unannotated=True)
    assert [d.id for d in kept_all] == ["a", "b", "c", "d"] and section_all["not_annotated_scored"]


def test_kgbuild_gold_without_entities_is_always_scored(tmp_path):
    long_text = "Der Bürgermeister sprach lange über die neue Brücke. " * 40
    docs = [{"id": "k1", "lang": "de", "text": "Lindau und Kempten und Ulm und Memmingen.",
             "entities": [{"id": q, "name": n, "type": "LOC", "mentions": [[s, s + len(n)]]}
                          for n, q, s in (("Lindau", "Q3077", 0), ("Kempten", "Q3126", 11), ("Ulm", "Q3012", 23),
                                          ("Memmingen", "Q4025", 31))]},
            {"id": "k2", "lang": "de", "text": long_text, "entities": []}]
    path = tmp_path / "two.gold.jsonl"
    path.write_text("\n".join(json.dumps(d, ensure_ascii=False) for d in docs) + "\n", encoding="utf-8")
    gold = read_gold([path])
    assert [d.format for d in gold] == ["kgbuild", "kgbuild"]
    assert annotation_scope(gold) == []  # an empty entity list of kgbuild gold states that the text names nothing
    # the same shape in a format without that promise (HIPE) is left out
    hipe = read_gold([_hipe(tmp_path, [_hipe_doc("k1", 4, NAMES), _hipe_doc("k2", 300, [])])])
    assert [a.doc for a in annotation_scope(hipe)] == ["k2"]


def test_documents_are_grouped_by_gold_file(tmp_path):
    one = tmp_path / "one"
    two = tmp_path / "two"
    one.mkdir()
    two.mkdir()
    # a file whose only document has no mention: nothing tells what it should have, so it is scored
    docs = read_gold([_hipe(one, [_hipe_doc("a", 40, NAMES * 6)]), _hipe(two, [_hipe_doc("b", 300, [])])])
    assert annotation_scope(docs) == []


def test_cli_leaves_unannotated_documents_out(tmp_path, monkeypatch):
    path = _benchmark(tmp_path)
    texts = {d.id: d.text for d in read_gold([path])}
    fake = FakePipeline({t: result(t, "de", [pm(t, "Lindau", "Q3077", "LOC")] if "Lindau" in t else
                                   [pm(t, "Brücke", "Q12280", "LOC")] if "Brücke" in t else []) for t in texts.values()})
    monkeypatch.setattr(evaluate_cli, "open_pipeline", lambda *a, **k: fake)
    out = tmp_path / "r.json"
    res = CliRunner().invoke(app, ["eval", str(path), "-o", str(out)])
    assert res.exit_code == 0, res.output
    assert texts["b"] not in [a.text for a in fake.seen] and len(fake.seen) == 3
    rep = json.loads(out.read_text())
    assert rep["documents"] == 3 and [a["doc"] for a in rep["annotation"]["not_annotated"]] == ["b"]
    assert "Documents not annotated" in res.stdout and "  b: " in res.stdout and "left out of every score" in res.stdout
    assert "Documents sparsely annotated" in res.stdout
    fake.seen.clear()
    res = CliRunner().invoke(app, ["eval", str(path), "--score-unannotated", "-o", str(out)])
    assert res.exit_code == 0, res.output
    assert len(fake.seen) == 4 and json.loads(out.read_text())["documents"] == 4
    assert "scored all the same (--score-unannotated)" in res.stdout


def test_elevant_nested_label_is_optional(tmp_path):
    text = "Boats filled Tara’s harbor at dawn, and Tara slept."
    start = text.index("Tara’s harbor")
    path = tmp_path / "nested.benchmark.jsonl"
    path.write_text(json.dumps({"id": 1, "text": text, "labels": [
        {"id": 0, "span": [start, start + len("Tara’s harbor")], "entity_id": "Q7001", "type": "Q27096213", "children": [1]},
        {"id": 1, "span": [start, start + 4], "entity_id": "Q7002", "type": "Q27096213", "parent": 0},
        _label(text, "Tara slept", "Q7003") | {"span": [text.index("Tara slept"), text.index("Tara slept") + 4]}]}) + "\n",
        encoding="utf-8")
    docs = read_gold([path])
    assert sorted((m.qid, m.optional) for m in docs[0].mentions) == [("Q7001", False), ("Q7002", True), ("Q7003", False)]
    right = [pm(text, "Tara", "Q7002", "LOC"), pm(text, "Tara", "Q7003", "LOC", nth=2)]
    rep = build_report(list(run(docs, FakePipeline({text: result(text, "en", right)}))))
    # the child found right counts nowhere; the parent stays required (FN); the second Tara is TP
    assert _prf(rep["linking"]["inkb_micro"]) == (1, 0, 1) == _prf(rep["linking"]["d2kb_micro"])
    wrong = [pm(text, "Tara", "Q9", "LOC")]
    rep = build_report(list(run(docs, FakePipeline({text: result(text, "en", wrong)}))))
    assert _prf(rep["linking"]["inkb_micro"]) == (0, 1, 2) == _prf(rep["linking"]["d2kb_micro"])


def test_document_whose_every_mention_is_nil_is_scored_for_recognition_only(tmp_path, monkeypatch):
    """A document with 12 gold mentions, all NIL, in a file whose linked documents give every mention a QID: its
    links were not annotated; it is scored for recognition, left out of linking. Three NIL mentions (3 QIDs
    expected) may be three names without a Wikidata item: scored."""
    nil = [(name, "NIL") for name, _ in NAMES]
    path = _hipe(tmp_path, [_hipe_doc("a", 40, NAMES * 6), _hipe_doc("e", 40, nil * 3), _hipe_doc("g", 40, nil[:3])])
    docs = read_gold([path])
    found = {a.doc: a for a in annotation_scope(docs)}
    assert set(found) == {"e"} and found["e"].state == "links not annotated"
    assert found["e"].gold_mentions == 12 and found["e"].expected == pytest.approx(12.0)
    kept, section = split_unannotated(docs)
    assert [d.id for d in kept] == ["a", "e", "g"] and [d.links_annotated for d in kept] == [True, False, True]
    assert [a["doc"] for a in section["links_not_annotated"]] == ["e"]
    assert all(d.links_annotated for d in split_unannotated(docs, score_unannotated=True)[0])
    fake = FakePipeline({d.text: result(d.text, "de", [pm(d.text, "Lindau", "Q3077", "LOC")]) for d in docs})
    monkeypatch.setattr(evaluate_cli, "open_pipeline", lambda *a, **k: fake)
    out = tmp_path / "r.json"
    res = CliRunner().invoke(app, ["eval", str(path), "-o", str(out)])
    assert res.exit_code == 0, res.output
    rep = json.loads(out.read_text())
    # a: Lindau right once (TP 1), 23 names missed; g: Lindau linked at a gold NIL (FP 1); e: not counted
    assert _prf(rep["linking"]["inkb_micro"]) == (1, 1, 23)
    assert rep["recognition"]["strict"]["tp"] == 3  # one Lindau found in each of a, e and g
    assert [e["doc"] for e in rep["errors"]["nil_linked"]] == ["g"]
    assert [r["links_annotated"] for r in rep["per_document"]] == [True, False, True]
    assert "Documents whose links are not annotated" in res.stdout and "  e: 12 gold mentions, all NIL" in res.stdout
    res = CliRunner().invoke(app, ["eval", str(path), "--score-unannotated", "-o", str(out)])
    assert _prf(json.loads(out.read_text())["linking"]["inkb_micro"]) == (1, 2, 23)
