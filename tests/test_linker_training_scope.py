"""What ``scripts/train_linker.py`` trains on follows ``kgbuild eval``'s annotation scope (issue 13): a document
nobody annotated is left out, a mention on text an ELEVANT or HIPE gold did not annotate is no negative, nor is an
optional gold label; a mention inside a gold mention (a boundary) is, and so is any unannotated mention of a kgbuild
gold document, whose guidelines annotate every name. Small KB and sentences written for these tests."""
from __future__ import annotations

import sys
from pathlib import Path

import pytest
from conftest import MemoryKB

from kgbuild.evaluation.gold import GoldDocument, GoldMention
from kgbuild.types import Article, Mention

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def trainer():
    sys.path.insert(0, str(ROOT / "scripts"))
    import train_linker
    return train_linker


def _kb() -> MemoryKB:
    return MemoryKB(
        [("Q5001", "PER", 0.6, {"en": "Ilse Korvald"}), ("Q90", "LOC", 0.9, {"en": "Paris"}),
         ("Q91", "LOC", 0.2, {"en": "Paris"}), ("Q5002", "LOC", 0.5, {"en": "Ostmark"})],
        [("Ilse Korvald", "Q5001", "label", "en"), ("Paris", "Q90", "label", "en"), ("Paris", "Q91", "label", "en"),
         ("Ostmark", "Q5002", "label", "en")])


TEXT = "Ilse Korvald flew to Paris on Monday. The Ostmark Gazette printed her letter."


def _gold_mention(word: str, qid: str | None, text: str = TEXT, optional: bool = False, end_word: str = ""):
    start = text.index(word)
    end = text.index(end_word) + len(end_word) if end_word else start + len(word)
    return GoldMention(start, end, qid, None, qid or word, optional=optional)


def _item(kb, gold: tuple, fmt: str, text: str = TEXT, doc_id: str = "d1"):
    doc = GoldDocument(doc_id, text, "en", gold, file=f"{fmt}-file", format=fmt)
    mentions = []
    for word, type_ in (("Ilse Korvald", "PER"), ("Paris", "LOC"), ("Ostmark", "LOC")):
        if word in text:
            i = text.index(word)
            mentions.append(Mention(i, i + len(word), word, type_, "kb", 0, kind="label",
                                    candidates=tuple(kb.lookup(word, "en"))))
    return (doc, Article(doc_id, text, "en"), "en", (), mentions, "test")


def test_mentions_on_text_an_elevant_gold_did_not_annotate_are_not_negatives(trainer):
    kb = _kb()
    # the gold annotates the person only: "Paris" and "Ostmark" are names it left out, not wrong links
    item = _item(kb, (_gold_mention("Ilse Korvald", "Q5001"),), "elevant")
    _x, y, w, groups = trainer.rows({"oke2015": [item]}, kb, None)
    assert len({g for g, *_ in groups}) == 1  # only the annotated mention gives rows
    assert {q for _g, q, _n in groups} == {"Q5001"}
    assert y.sum() == 1 and set(w) == {1.0}


def test_in_a_kgbuild_gold_every_mention_is_judged(trainer):
    kb = _kb()
    # kgbuild's guidelines annotate every name: "Paris" and "Ostmark" without a gold mention are wrong links
    item = _item(kb, (_gold_mention("Ilse Korvald", "Q5001"),), "kgbuild")
    _x, y, w, groups = trainer.rows({"examples": [item]}, kb, None)
    assert len({g for g, *_ in groups}) == 3
    negatives = [wt for (_g, q, _n), wt in zip(groups, w, strict=True) if q is None]
    assert len(negatives) == 3 and all(wt == pytest.approx(10 * trainer.UNANNOTATED_WEIGHT) for wt in negatives)
    assert y.sum() == 1


def test_a_mention_inside_a_gold_mention_is_a_negative_and_an_optional_label_is_not(trainer):
    kb = _kb()
    # "Ostmark" inside the gold's "Ostmark Gazette" (a boundary: linking it is wrong); "Paris" an optional label
    gold = (_gold_mention("Ilse Korvald", "Q5001"), _gold_mention("Ostmark", None, end_word="Gazette"),
            _gold_mention("Paris", "Q90", optional=True))
    item = _item(kb, gold, "elevant")
    _x, y, w, groups = trainer.rows({"oke2015": [item]}, kb, None)
    assert len({g for g, *_ in groups}) == 2  # the person and the boundary mention, not the optional one
    boundary = [(lab, wt) for (_g, q, _n), lab, wt in zip(groups, y, w, strict=True) if q is None]
    assert boundary == [(0.0, trainer.UNANNOTATED_WEIGHT)]
    doc = item[0]
    assert trainer.judge(doc, list(doc.mentions), (TEXT.index("Ostmark"), TEXT.index("Ostmark") + 7), None) == "boundary"
    at = TEXT.index("Monday")
    assert trainer.judge(doc, list(doc.mentions), (at, at + 6), None) == "unjudged"
    kg = GoldDocument("d", TEXT, "en", doc.mentions, format="kgbuild")
    assert trainer.judge(kg, list(doc.mentions), (at, at + 6), None) == "negative"


def test_documents_nobody_annotated_are_left_out_before_halving(trainer):
    kb = _kb()
    filler = " The council met again on Tuesday and nobody said anything of note."
    annotated = TEXT + filler * 3
    blank = (TEXT + filler) * 6  # as long as several annotated documents and not one tag: not annotated
    items = [_item(kb, (_gold_mention("Ilse Korvald", "Q5001", annotated), _gold_mention("Paris", "Q90", annotated)),
                   "hipe", annotated, f"a{i}") for i in range(4)]
    items.append(_item(kb, (), "hipe", blank, "blank"))
    items.append(_item(kb, (), "hipe", "Nothing here.", "short"))  # too short to expect any name: scored
    kept = [it[0].id for it in trainer.in_scope(items)]
    assert kept == ["a0", "a1", "a2", "a3", "short"]
    # a kgbuild gold document without entities states that it names nothing: kept
    assert [it[0].id for it in trainer.in_scope([_item(kb, (), "kgbuild", blank, "k")])] == ["k"]


def test_links_the_gold_did_not_judge_are_marked_and_left_out_of_the_judged_calibration_scope(trainer, monkeypatch):
    kb = _kb()
    item = _item(kb, (_gold_mention("Ilse Korvald", "Q5001"),), "elevant")
    recs, n_gold = trainer.link_records("oke2015", [item], kb, ROOT / "kgbuild/data/linker/weights.json")
    assert n_gold == 1
    judged = {r["text"]: r["judged"] for r in recs}
    assert judged.get("Ilse Korvald") == "aligned"
    assert all(v == "unjudged" for k, v in judged.items() if k != "Ilse Korvald") and len(judged) > 1
    monkeypatch.setattr(trainer, "CAL_SCOPE", "judged")
    assert [r["text"] for r in trainer._links(recs)] == ["Ilse Korvald"]
    monkeypatch.setattr(trainer, "CAL_SCOPE", "inkb")  # every link, as InKB precision counts them
    assert len(trainer._links(recs)) == len(recs)


def test_documents_annotated_for_recognition_only_are_left_out(trainer):
    """Every mention NIL where the file's linked documents give every mention a QID (six expected): its links were
    not annotated, as ``kgbuild eval`` has it; two NIL mentions may be names without a Wikidata item: kept."""
    kb = _kb()
    items = [_item(kb, (_gold_mention("Ilse Korvald", "Q5001"), _gold_mention("Paris", "Q90")), "hipe", TEXT, f"a{i}")
             for i in range(3)]
    text = TEXT + " Ilse Korvald and Paris, again: Ilse Korvald, Paris."
    starts = [i for i in range(len(text)) if text.startswith(("Ilse Korvald", "Paris"), i)]
    nil = tuple(GoldMention(s, s + (12 if text[s] == "I" else 5), None, None, f"n{s}") for s in starts)
    items.append(_item(kb, nil, "hipe", text, "all-nil"))
    items.append(_item(kb, nil[:2], "hipe", TEXT, "two-nil"))
    assert len(nil) == 6
    assert [it[0].id for it in trainer.in_scope(items)] == ["a0", "a1", "a2", "two-nil"]
